/**
 * The notification queues: e-mails (retried with doubling waits, finally kept in a dead-letter queue),
 * a daily run for deadlines and a weekly reminder to post a glimmer (pg-boss cron, Europe/Oslo).
 */
import type { FastifyInstance } from 'fastify';
import type { Mailer } from './mailer.js';
import { EMAIL_QUEUE, EMAIL_FAILED_QUEUE, DEADLINES_QUEUE, WEEKLY_QUEUE, type EmailJob } from './service.js';

/** About a week of tries (30 s, 1 min, 2 min … doubling) before a notice lands in the dead-letter queue. */
const RETRY_LIMIT = 14;

export function declareNotificationJobs(app: FastifyInstance, mailer: Mailer): void {
  const service = app.services.notifications;
  app.jobs.queue({ name: EMAIL_FAILED_QUEUE, retentionDays: 60 });
  app.jobs.queue<EmailJob>({
    name: EMAIL_QUEUE,
    retryLimit: RETRY_LIMIT,
    retryDelay: app.config.notifyRetryDelaySeconds,
    retentionDays: 30,
    deadLetter: EMAIL_FAILED_QUEUE,
    // No mail server configured (production or tests without SMTP_URL): notices wait in the queue.
    enabled: () => mailer.enabled,
    work: async (job) => {
      try {
        app.metrics.emails.inc({ outcome: await service.send(mailer, job) });
      } catch (error) {
        app.metrics.emails.inc({ outcome: 'failed' });
        throw error;
      }
    },
  });
  app.jobs.queue({
    name: DEADLINES_QUEUE,
    cron: '0 7 * * *',
    work: async () => {
      await service.queueDeadlineNotices();
    },
  });
  app.jobs.queue({
    name: WEEKLY_QUEUE,
    cron: '0 9 * * 1',
    work: async () => {
      await service.queueWeeklyReminders();
    },
  });
}
