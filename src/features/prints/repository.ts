/** SQL for the archive of PDF prints. The PDF bytes are read only when someone downloads one. */
import type { Db } from '../../db/knex.js';
import { rows } from '../../db/one-statement.js';
import type { PrintReason } from '../../domain/meetings.js';
import type { ArchivedPrint } from '../../domain/prints.js';

export type { ArchivedPrint, PrintReason };

export function printsRepository(db: Db) {
  const listColumns = [
    'p.id',
    'p.log_ref',
    'p.meeting_id',
    'p.reason',
    'p.made_by',
    'u.name as made_by_name',
    'p.made_at',
    'p.filename',
    'p.size',
  ];
  return {
    /** The newest prints of the log, as a part of a page's statement (src/db/one-statement.ts). */
    listPart(logId: number, limit: number) {
      return rows<ArchivedPrint>(
        db('archive_prints as p')
          .leftJoin('users as u', 'u.id', 'p.made_by')
          .where('p.log_id', logId)
          .orderBy([
            { column: 'p.made_at', order: 'desc' },
            { column: 'p.id', order: 'desc' },
          ])
          .limit(limit)
          .select(listColumns),
      );
    },

    async logExists(logId: number): Promise<boolean> {
      return Boolean(await db('logs').where({ id: logId }).first('id'));
    },

    async insert(row: {
      log_id: number;
      meeting_id: number | null;
      reason: PrintReason;
      made_by: number | null;
      made_at: Date;
      filename: string;
      pdf: Buffer;
      sha256: string;
    }): Promise<number> {
      const [created] = await db('archive_prints')
        .insert({ ...row, log_ref: row.log_id, size: row.pdf.length })
        .returning('id');
      return created.id as number;
    },

    list(logId: number, options: { meetingId?: number; limit?: number } = {}): Promise<ArchivedPrint[]> {
      const query = db('archive_prints as p')
        .leftJoin('users as u', 'u.id', 'p.made_by')
        .where('p.log_id', logId)
        .orderBy([
          { column: 'p.made_at', order: 'desc' },
          { column: 'p.id', order: 'desc' },
        ])
        .select(listColumns);
      if (options.meetingId) query.where('p.meeting_id', options.meetingId);
      if (options.limit) query.limit(options.limit);
      return query;
    },

    find(logId: number, printId: number): Promise<ArchivedPrint | undefined> {
      return db('archive_prints as p')
        .leftJoin('users as u', 'u.id', 'p.made_by')
        .where({ 'p.id': printId, 'p.log_id': logId })
        .first(listColumns);
    },

    async pdf(logId: number, printId: number): Promise<Buffer | undefined> {
      const row = await db('archive_prints').where({ id: printId, log_id: logId }).first('pdf');
      return row?.pdf as Buffer | undefined;
    },
  };
}

export type PrintsRepository = ReturnType<typeof printsRepository>;
