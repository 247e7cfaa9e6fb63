/**
 * Notifications by e-mail. Other features call the service's notify(); it only queues one job per recipient (pg-boss),
 * so a slow or failing mail server never slows a page. The worker sends later, with retries.
 */
import type { FastifyInstance } from 'fastify';
import type { CurrentUser } from '../../types.js';
import { addDays, osloDate } from '../../lib/dates.js';
import { kindsFor, type NoticeKind, type NotificationKind } from './kinds.js';
import type { LanguagesService } from '../languages/index.js';
import type { NotificationsRepository } from './repository.js';
import { composeNotice } from './message.js';
import type { Mailer } from './mailer.js';

export const EMAIL_QUEUE = 'notification.email';
export const EMAIL_FAILED_QUEUE = 'notification.email.failed';
export const DEADLINES_QUEUE = 'notification.deadlines';
export const WEEKLY_QUEUE = 'notification.weekly';

export interface Notice {
  kind: NoticeKind;
  /** The log the notice is about (the link goes there); none for the weekly reminder. */
  logId?: number | null;
  /** Who gets it. For 'log_created' it may be left out: the log's guardians. */
  userIds?: number[];
}

export interface EmailJob {
  kind: NoticeKind;
  userId: number;
  logId: number | null;
}

/** What the service needs. */
export type NotificationsDeps = Pick<FastifyInstance, 'now' | 'config' | 'translator' | 'jobs' | 'log'> & {
  repository: NotificationsRepository;
  languages: LanguagesService;
};

export function notificationsService(deps: NotificationsDeps) {
  const { repository, languages } = deps;

  return {
    /**
     * Queues a notice for each recipient. Never throws: a notice that cannot be queued is logged (without
     * personal data) and the page that asked goes on.
     */
    async notify(notice: Notice): Promise<void> {
      try {
        const userIds =
          notice.userIds ??
          (notice.kind === 'log_created' && notice.logId ? await repository.guardianIds(notice.logId) : []);
        for (const userId of new Set(userIds)) {
          const job: EmailJob = { kind: notice.kind, userId, logId: notice.logId ?? null };
          await deps.jobs.send(EMAIL_QUEUE, job);
        }
      } catch (error) {
        deps.log.error({ err: error, kind: notice.kind, logId: notice.logId }, 'notice could not be queued');
      }
    },

    async preferences(
      user: CurrentUser,
    ): Promise<{ kinds: NotificationKind[]; enabled: NotificationKind[] }> {
      const kinds = kindsFor(user);
      const disabled = await repository.disabledKinds(user.id);
      return { kinds, enabled: kinds.filter((k) => !disabled.includes(k)) };
    },

    /** Saves on/off for the kinds that matter to this person; anything else posted is ignored. */
    async savePreferences(user: CurrentUser, wanted: string[]): Promise<void> {
      const kinds = kindsFor(user);
      const enabled = Object.fromEntries(kinds.map((k) => [k, wanted.includes(k)])) as Record<
        NotificationKind,
        boolean
      >;
      await repository.savePreferences(user.id, enabled, deps.now());
    },

    /** The worker's part: one e-mail to one person, if they still want it. Throws to be retried. */
    async send(mailer: Mailer, job: EmailJob): Promise<'sent' | 'skipped'> {
      const recipient = await repository.recipient(job.userId, job.kind);
      if (!recipient) return 'skipped';
      const locale = await languages.recipientLocale(job.userId);
      const { subject, text } = composeNotice(
        job.kind,
        job.logId,
        deps.config.baseUrl,
        deps.translator(locale),
      );
      await mailer.send({ to: recipient.email, subject, text, locale });
      return 'sent';
    },

    /** Daily: the responsible party of each open measure whose deadline is near, once per measure and deadline. */
    async queueDeadlineNotices(): Promise<number> {
      const today = osloDate(deps.now());
      const due = await repository.measuresDueBetween(today, addDays(today, deps.config.deadlineNoticeDays));
      let queued = 0;
      for (const m of due) {
        const userIds =
          m.responsible === 'actor'
            ? [m.responsible_user_id as number]
            : m.responsible === 'guardians'
              ? await repository.guardianIds(m.log_id)
              : m.child_user_id
                ? [m.child_user_id as number]
                : [];
        for (const userId of userIds) {
          queued += await once(`deadline_soon:${m.id}:${m.deadline}:${userId}`, {
            kind: 'deadline_soon',
            userId,
            logId: m.log_id,
          });
        }
      }
      return queued;
    },

    /** Weekly: everyone taking part in an active log is reminded to post a glimmer, once a week. */
    async queueWeeklyReminders(): Promise<number> {
      const today = osloDate(deps.now());
      const weekday = (new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
      const monday = addDays(today, -weekday);
      let queued = 0;
      for (const userId of await repository.participantsOfActiveLogs()) {
        queued += await once(`weekly_glimmer:${monday}:${userId}`, {
          kind: 'weekly_glimmer',
          userId,
          logId: null,
        });
      }
      return queued;
    },
  };

  /** Queues a job the first time its key is seen; if queuing fails the key is released for the next run. */
  async function once(key: string, job: EmailJob): Promise<number> {
    if (!(await repository.claim(key))) return 0;
    try {
      await deps.jobs.send(EMAIL_QUEUE, job);
      return 1;
    } catch (error) {
      await repository.release(key);
      throw error;
    }
  }
}

export type NotificationsService = ReturnType<typeof notificationsService>;
