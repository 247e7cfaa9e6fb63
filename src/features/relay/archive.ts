/**
 * The archive side of the relay: prints stored by the prints feature (printsService.archive) at
 * transfer, closing, deletion and every year; and the prints of deleted logs, which keep their
 * log_ref when the log is gone (archive_prints.log_id is set null), for the leader to export.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ArchivedPrint, PrintActor, PrintsService } from '../prints/index.js';

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

export interface ArchiveListRow extends Omit<ArchivedPrint, 'made_by' | 'meeting_id'> {
  log_id: number | null;
}

/** The prints of a log (by id), or of deleted logs (by their former ids), newest first; no PDF bytes. */
export function archiveList(
  app: FastifyInstance,
  where: { logId: number } | { logRefs: number[] },
): Promise<ArchiveListRow[]> {
  const query = app
    .db('archive_prints as p')
    .leftJoin('users as u', 'u.id', 'p.made_by')
    .orderBy([
      { column: 'p.made_at', order: 'desc' },
      { column: 'p.id', order: 'desc' },
    ])
    .select(
      'p.id',
      'p.log_id',
      'p.log_ref',
      'p.reason',
      'u.name as made_by_name',
      'p.made_at',
      'p.filename',
      'p.size',
    );
  if ('logId' in where) return query.where('p.log_id', where.logId);
  return query.whereNull('p.log_id').whereIn('p.log_ref', where.logRefs);
}

/** One print of a deleted log, with its bytes. */
export function archivePrint(
  app: FastifyInstance,
  printId: number,
): Promise<
  { id: number; log_id: number | null; log_ref: number; filename: string; pdf: Buffer } | undefined
> {
  return app
    .db('archive_prints')
    .where({ id: printId })
    .whereNull('log_id')
    .first('id', 'log_id', 'log_ref', 'filename', 'pdf');
}
