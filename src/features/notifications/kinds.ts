/** The kinds of e-mail notice, and which kinds matter to which kind of person (for the preferences page). */
import { NOTIFICATION_KINDS } from '../../../migrations/20261123000004_between_meetings.js';
import type { CurrentUser } from '../../types.js';

export { NOTIFICATION_KINDS };
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === 'string' && (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/**
 * Guardians hear of new logs; staff of transfers, assigned measures and consents running out (holders and
 * leaders, rule 2); everyone of deadlines and the weekly reminder.
 */
export function kindsFor(user: Pick<CurrentUser, 'kind'>): NotificationKind[] {
  if (user.kind === 'guardian') return ['log_created', 'deadline_soon', 'weekly_glimmer'];
  if (user.kind === 'youth') return ['deadline_soon', 'weekly_glimmer'];
  return ['transfer', 'measure_assigned', 'consent_expiring', 'deadline_soon', 'weekly_glimmer'];
}
