/**
 * Meeting e-mails: an invitation (or its update) to each participant with an account, with the calendar
 * file attached (METHOD:REQUEST), and a cancellation (METHOD:CANCEL) when the meeting is cancelled or a
 * person is taken off it. Queued with the change (in its transaction) and sent by a worker with retries,
 * so a slow mail server never slows a page. Neither the e-mail nor the file names the child or carries
 * what the holder typed (purpose, reason): only the time, the place and a link behind sign-in.
 * Each person's e-mail and calendar text is in their own language (features/languages), and a person
 * who turned meeting e-mails off on their preferences page gets none.
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { formatDateTimeLong } from '../../lib/oslo-time.js';
import { osloDate } from '../../lib/dates.js';
import type { Mailer } from '../notifications/index.js';
import { invitation } from './ical.js';

export const MEETING_EMAIL_QUEUE = 'meeting.email';

export interface MeetingEmailJob {
  meetingId: number;
  userId: number;
  method: 'REQUEST' | 'CANCEL';
}

/** Queues one e-mail per person; inside a transaction the jobs exist only if it commits. */
export async function queueMeetingMail(
  app: Pick<FastifyInstance, 'jobs'>,
  meetingId: number,
  userIds: number[],
  method: MeetingEmailJob['method'],
  trx?: Knex.Transaction,
): Promise<void> {
  for (const userId of new Set(userIds))
    await app.jobs.send<MeetingEmailJob>(MEETING_EMAIL_QUEUE, { meetingId, userId, method }, { trx });
}

export function declareMeetingMailJobs(app: FastifyInstance, mailer: Mailer): void {
  const repository = app.services.meetings.repository;
  const languages = app.services.languages;
  app.jobs.queue<MeetingEmailJob>({
    name: MEETING_EMAIL_QUEUE,
    retryLimit: 14,
    retryDelay: app.config.notifyRetryDelaySeconds,
    retentionDays: 30,
    enabled: () => mailer.enabled,
    work: async (job) => {
      const context = await repository.mailContext(job.meetingId, job.userId);
      const email = context?.recipient?.email;
      if (!context || !email) return;
      const { meeting, holder, recipient, participant } = context;
      // An invitation that waited in the queue is sent only if it still holds: the meeting is still on and
      // the person still in it. A cancellation is always sent.
      if (job.method === 'REQUEST' && (meeting.status !== 'planned' || !participant)) return;
      if (!(await repository.wantsMeetingEmail(job.userId))) return;
      const locale = await languages.recipientLocale(job.userId);
      const t = app.translator(locale);
      const base = app.config.baseUrl;
      const url = `${base}/logs/${meeting.log_id}/meetings/${meeting.id}`;
      const ics = invitation(meeting, {
        t,
        url,
        host: new URL(base).hostname,
        locale,
        organizer: holder?.email ? holder : undefined,
        // The youth's own address may carry the child's name: the child is never named as an attendee.
        attendee: participant?.is_child || recipient?.kind === 'youth' ? undefined : email,
        method: job.method,
      });
      const kind = job.method === 'CANCEL' ? 'cancel' : meeting.version > 1 ? 'update' : 'request';
      const place =
        meeting.mode === 'in_person'
          ? meeting.place
          : [t(`meeting.mode.${meeting.mode}`), meeting.place].filter(Boolean).join(': ');
      const text = [
        t('mail.greeting'),
        '',
        t(`meeting.mail.${kind}.body`, { when: formatDateTimeLong(meeting.starts_at, locale) }),
        ...(place ? [t('meeting.mail.place', { place })] : []),
        '',
        t(job.method === 'CANCEL' ? 'meeting.mail.cancel.more' : 'meeting.mail.more'),
        url,
        '',
        t('meeting.mail.attachment'),
        t('mail.privacy'),
        t('mail.preferences', { url: `${base}/notifications` }),
        '',
        t('mail.signature'),
      ].join('\n');
      await mailer.send({
        to: email,
        subject: t(`meeting.mail.${kind}.subject`),
        text,
        locale,
        attachments: [
          {
            filename: `stafett-mote-${osloDate(meeting.starts_at)}.ics`,
            content: ics,
            contentType: `text/calendar; charset=utf-8; method=${job.method}`,
          },
        ],
      });
    },
  });
}
