/**
 * The relay's daily work, as plain functions of the app's clock (tested with the test clock) and one
 * pg-boss queue that runs them every night:
 *  - consent notices: 30 days before a consent expires and when it has expired, once per consent,
 *    to the holder and the unit's leaders;
 *  - the yearly PDF of every active log (archive duty), a year after its creation or last yearly print;
 *  - uploaded export files nobody finished importing are removed after a day.
 */
import type { FastifyInstance } from 'fastify';
import { addDays, osloDate } from '../../lib/dates.js';
import { notifyConsent } from './adapters.js';
import { archiveLog } from './archive.js';

export const RELAY_DAILY_QUEUE = 'relay.daily';
const NOTICE_DAYS = 30;
const IMPORT_KEEP_MS = 24 * 60 * 60 * 1000;

export async function sendConsentNotices(
  app: FastifyInstance,
): Promise<{ expiring: number; expired: number }> {
  const { repository } = app.services.relay;
  const today = osloDate(app.now());
  // The consent in force of each active log: the newest not withdrawn.
  const rows = await repository.consentsEndingBy(addDays(today, NOTICE_DAYS));
  const counts = { expiring: 0, expired: 0 };
  for (const row of rows) {
    const kind = row.valid_until < today ? 'expired' : 'expiring';
    const claimed = await repository.claimConsentNotice(row.consent_id, kind, app.now());
    if (claimed.length === 0) continue;
    const leaders = await repository.unitLeaderMemberIds(row.unit_id);
    await notifyConsent(app.services.notifications, [row.holder_id, ...leaders], row.log_id);
    counts[kind] += 1;
  }
  return counts;
}

/** Active logs due a yearly print: a year since creation or since the last yearly print. */
export async function yearlyPrintsDue(app: FastifyInstance): Promise<number[]> {
  const yearAgo = new Date(app.now().getTime());
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  return app.services.relay.repository.activeLogsWithoutYearlyPrintSince(yearAgo);
}

export async function makeYearlyPrints(app: FastifyInstance): Promise<number> {
  let made = 0;
  for (const logId of await yearlyPrintsDue(app)) {
    if (await archiveLog({ log: app.log, prints: app.services.prints }, null, logId, 'yearly')) made += 1;
  }
  return made;
}

export async function removeStaleImports(app: FastifyInstance): Promise<number> {
  return app.services.relay.repository.removeImportsBefore(new Date(app.now().getTime() - IMPORT_KEEP_MS));
}

export async function runDaily(app: FastifyInstance): Promise<void> {
  const notices = await sendConsentNotices(app);
  const prints = await makeYearlyPrints(app);
  const removed = await removeStaleImports(app);
  app.log.info({ ...notices, yearlyPrints: prints, staleImports: removed }, 'relay: daily work done');
}

/** Declares the nightly queue (03:15 Oslo time) with the jobs plugin. */
export function scheduleDaily(app: FastifyInstance): void {
  app.jobs.queue<object>({
    name: RELAY_DAILY_QUEUE,
    cron: '15 3 * * *',
    retryLimit: 2,
    work: async () => runDaily(app),
  });
}
