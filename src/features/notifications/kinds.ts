/** The kinds of e-mail notice, and which kinds matter to which kind of person (for the preferences page). */
import {
  NOTICE_KINDS,
  NOTIFICATION_KINDS,
  type NoticeKind,
  type NotificationKind,
} from '../../domain/notifications.js';
import type { CurrentUser } from '../../types.js';

export { NOTICE_KINDS, NOTIFICATION_KINDS, type NoticeKind, type NotificationKind };

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === 'string' && (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/**
 * Guardians hear of new logs; staff of transfers, assigned measures and consents running out (holders and
 * leaders, rule 2); everyone of deadlines, meetings and the weekly reminder.
 */
export function kindsFor(user: Pick<CurrentUser, 'kind'>): NotificationKind[] {
  if (user.kind === 'guardian') return ['log_created', 'meeting', 'deadline_soon', 'weekly_glimmer'];
  if (user.kind === 'youth') return ['meeting', 'deadline_soon', 'weekly_glimmer'];
  return ['transfer', 'measure_assigned', 'consent_expiring', 'meeting', 'deadline_soon', 'weekly_glimmer'];
}
