/**
 * The archive side of the relay: prints stored by the prints feature (printsService.archive) at
 * transfer, closing, deletion and every year; and the prints of deleted logs, which keep their
 * log_ref when the log is gone (archive_prints.log_id is set null), for the leader to export (their
 * queries are in repository.ts: archiveList, archivePrint).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PrintActor, PrintsService } from '../prints/index.js';

export type { ArchiveListRow } from './repository.js';

export type ArchiveReason = 'yearly' | 'transfer' | 'closing' | 'deletion';

/**
 * Stores a PDF of the log as an archive record. `actor` is the person (checked: they must see the whole
 * log) or null for the system (a job, or a record of a log the person cannot read, with `onBehalfOf`).
 * Returns false (and logs why) when no PDF could be made; the caller decides whether that stops it.
 */
export async function archiveLog(
  app: Pick<FastifyInstance, 'log'> & { prints: PrintsService },
  actor: FastifyRequest | null,
  logId: number,
  reason: ArchiveReason,
  onBehalfOf: number | null = null,
): Promise<boolean> {
  const who: PrintActor = actor ?? { system: true, userId: onBehalfOf };
  try {
    await app.prints.archive(who, logId, reason);
    return true;
  } catch (error) {
    app.log.error({ err: error, logId, reason }, 'relay: archive print failed');
    return false;
  }
}
