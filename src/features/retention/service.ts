/**
 * The nightly retention run (once per cluster: pg-boss sends a scheduled job once, and one worker takes
 * it). In order: rows that expire by themselves (EXPIRED_ROWS), archive prints past their years, passive
 * logs past their years (deleted as a leader deletes them, deletion print first), audit rows past their
 * years (as the owner role only). Each limit comes from the configuration; 0 years means kept for ever.
 */
import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import type { Clock } from '../../types.js';
import type { Cutoffs, RetentionRepository } from './repository.js';

export interface RetentionDeps {
  repository: RetentionRepository;
  /**
   * Removes audit rows older than the date, as the owner role (src/db/audit-retention.ts); null without
   * the owner role's pool, and then audit rows are kept (and a warning says so).
   */
  purgeAuditRowsBefore: ((before: Date) => Promise<number>) | null;
  config: Config;
  now: Clock;
  log: FastifyBaseLogger;
  /** The relay's deletion of a passive log as the system (deletion print first). */
  deletePassiveLog: (logId: number) => Promise<boolean>;
}

const DAY = 24 * 60 * 60 * 1000;

export function yearsBefore(now: Date, years: number): Date {
  const at = new Date(now.getTime());
  at.setUTCFullYear(at.getUTCFullYear() - years);
  return at;
}

export function retentionService(deps: RetentionDeps) {
  const { repository, config } = deps;
  const instance = `${os.hostname()}:${process.pid}`.slice(0, 200);

  const cutoffs = (now: Date): Cutoffs => ({
    now,
    sessionsBefore: new Date(now.getTime() - config.retentionSessionDays * DAY),
    idleBefore: new Date(
      now.getTime() - config.sessionIdleMinutes * 60_000 - config.retentionSessionDays * DAY,
    ),
    absoluteBefore: new Date(
      now.getTime() - config.sessionAbsoluteHours * 3_600_000 - config.retentionSessionDays * DAY,
    ),
    formTokensBefore: new Date(now.getTime() - config.retentionFormTokenDays * DAY),
    loginFailuresBefore: new Date(now.getTime() - DAY - config.loginWindowMinutes * 60_000),
  });

  return {
    /** One run; what was removed, per kind. Recorded in retention_runs. */
    async run(): Promise<Record<string, number>> {
      const now = deps.now();
      const runId = await repository.startRun(instance, now);
      const removed: Record<string, number> = {};
      try {
        Object.assign(removed, await repository.purgeExpired(cutoffs(now)));
        if (config.retentionArchivePrintYears > 0) {
          const before = yearsBefore(now, config.retentionArchivePrintYears);
          removed.archive_prints = await repository.purgeArchivePrints(before);
          removed.deleted_logs = await repository.purgeDeletedLogsWithoutPrints(before);
        }
        if (config.retentionPassiveLogYears > 0) {
          removed.passive_logs = 0;
          const due = await repository.passiveLogsClosedBefore(
            yearsBefore(now, config.retentionPassiveLogYears),
          );
          for (const logId of due) if (await deps.deletePassiveLog(logId)) removed.passive_logs += 1;
          if (removed.passive_logs < due.length)
            deps.log.warn({ due: due.length }, 'retention: some passive logs kept (no deletion print)');
        }
        if (config.retentionAuditYears > 0) {
          if (deps.purgeAuditRowsBefore) {
            removed.audit_events = await deps.purgeAuditRowsBefore(
              yearsBefore(now, config.retentionAuditYears),
            );
          } else {
            deps.log.warn('retention: no owner connection, so old audit rows are kept');
          }
        }
        await repository.finishRun(runId, removed, 'ok', deps.now());
        deps.log.info({ removed }, 'retention: done');
        return removed;
      } catch (error) {
        await repository.finishRun(runId, removed, 'failed', deps.now()).catch(() => {});
        throw error;
      }
    },
  };
}

export type RetentionService = ReturnType<typeof retentionService>;
