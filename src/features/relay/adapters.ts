/** Where the relay meets the notifications feature: notices about transfers and consent. */
import type { Notice } from '../notifications/index.js';

/** What sends the notices: the notifications service (src/services.ts hands it in). */
export interface Notifier {
  notify(notice: Notice): Promise<void>;
}

export async function notifyTransfer(notifier: Notifier, userIds: number[], logId: number): Promise<void> {
  await notifier.notify({ kind: 'transfer', userIds: [...new Set(userIds)], logId });
}

/** Consent about to expire, expired or withdrawn: the holder and the unit's leaders. */
export async function notifyConsent(notifier: Notifier, userIds: number[], logId: number): Promise<void> {
  await notifier.notify({ kind: 'consent_expiring', userIds: [...new Set(userIds)], logId });
}
