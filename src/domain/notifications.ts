/**
 * The kinds of e-mail notice (migrations keep their own copies). NOTICE_KINDS are the short notices
 * (mail.<kind>.subject/body); NOTIFICATION_KINDS are all a person can turn on and off on their
 * preferences page: the notices and the meeting e-mails (invitations, changes, cancellations).
 */
export const NOTICE_KINDS = [
  'log_created',
  'transfer',
  'measure_assigned',
  'deadline_soon',
  'weekly_glimmer',
  'consent_expiring',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const NOTIFICATION_KINDS = [...NOTICE_KINDS, 'meeting'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
