/** Where the relay meets the notifications feature: notices about transfers and consent. */
import type { FastifyInstance } from 'fastify';
import { notify } from '../notifications/index.js';

export async function notifyTransfer(
  app: Pick<FastifyInstance, 'db' | 'jobs' | 'log'>,
  userIds: number[],
  logId: number,
): Promise<void> {
  await notify(app, { kind: 'transfer', userIds: [...new Set(userIds)], logId });
}

/** Consent about to expire, expired or withdrawn: the holder and the unit's leaders. */
export async function notifyConsent(
  app: Pick<FastifyInstance, 'db' | 'jobs' | 'log'>,
  userIds: number[],
  logId: number,
): Promise<void> {
  await notify(app, { kind: 'consent_expiring', userIds: [...new Set(userIds)], logId });
}
