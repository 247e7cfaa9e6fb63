/** Where the relay meets the notifications feature: notices about transfers and consent. */
import type { FastifyInstance } from 'fastify';
import { notify } from '../notifications/service.js';
import { isNotificationKind, type NotificationKind } from '../notifications/kinds.js';

export async function notifyTransfer(app: FastifyInstance, userIds: number[], logId: number): Promise<void> {
  await notify(app, { kind: 'transfer', userIds: [...new Set(userIds)], logId });
}

/** Consent about to expire or expired: the holder and the unit's leaders, when the notice kind exists. */
export async function notifyConsent(app: FastifyInstance, userIds: number[], logId: number): Promise<boolean> {
  const kind = 'consent_expiring';
  if (!isNotificationKind(kind)) return false;
  await notify(app, { kind: kind as NotificationKind, userIds: [...new Set(userIds)], logId });
  return true;
}
