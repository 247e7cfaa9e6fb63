/**
 * The account e-mail queues (pg-boss): invitation and reset links, retried like notices when the mail
 * server fails, and a nightly removal of spent links (used, withdrawn or expired for 30 days).
 */
import type { FastifyInstance } from 'fastify';
import type { Mailer } from '../notifications/index.js';
import {
  ACCOUNT_EMAIL_QUEUE,
  ACCOUNT_TOKENS_PURGE_QUEUE,
  PASSWORD_RESET_QUEUE,
  type AccountEmailJob,
  type InvitationService,
  type PasswordResetJob,
} from './invitation-service.js';

/** Spent links are kept this long (what happened stays in the audit trail). */
export const SPENT_LINK_DAYS = 30;

export function declareAccountJobs(
  app: FastifyInstance,
  invitations: InvitationService,
  mailer: Mailer,
): void {
  const send = (mail: { to: string; subject: string; text: string; locale: string }) => mailer.send(mail);
  app.jobs.queue<AccountEmailJob>({
    name: ACCOUNT_EMAIL_QUEUE,
    retryLimit: 14,
    retryDelay: app.config.notifyRetryDelaySeconds,
    retentionDays: 7,
    enabled: () => mailer.enabled,
    work: async (job) => {
      await invitations.deliver(job, send);
    },
  });
  app.jobs.queue<PasswordResetJob>({
    name: PASSWORD_RESET_QUEUE,
    retryLimit: 3,
    retryDelay: app.config.notifyRetryDelaySeconds,
    // The job holds an address as typed (perhaps nobody's): kept as briefly as pg-boss allows.
    retentionDays: 1,
    enabled: () => mailer.enabled,
    work: async (job) => {
      const tokenId = await invitations.prepareReset(job);
      if (tokenId) await invitations.deliver({ tokenId, locale: job.locale }, send);
    },
  });
  app.jobs.queue({
    name: ACCOUNT_TOKENS_PURGE_QUEUE,
    cron: '30 3 * * *',
    work: async () => {
      await invitations.purgeSpent(new Date(app.now().getTime() - SPENT_LINK_DAYS * 86_400_000));
    },
  });
}
