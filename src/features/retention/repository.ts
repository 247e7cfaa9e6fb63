/** The rows retention removes, and the record of each run. Knex only here. */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';

/** What decides that a row has had its time: the run's moment and the configured limits. */
export interface Cutoffs {
  now: Date;
  /** Ended and timed-out sessions older than this go. */
  sessionsBefore: Date;
  /** A session not seen since this has timed out (idle limit), or began before `absoluteBefore`. */
  idleBefore: Date;
  absoluteBefore: Date;
  formTokensBefore: Date;
  loginFailuresBefore: Date;
}

/**
 * Rows that expire by themselves, removed every night. To add a table (invitations, when sign-in by
 * invitation arrives), add one line: its name and what makes a row expired.
 */
export const EXPIRED_ROWS: readonly {
  table: string;
  expired: (q: Knex.QueryBuilder, at: Cutoffs) => Knex.QueryBuilder;
}[] = [
  {
    table: 'sessions',
    expired: (q, at) =>
      q
        .where('ended_at', '<', at.sessionsBefore)
        .orWhere((q) =>
          q
            .whereNull('ended_at')
            .where((q) =>
              q.where('last_seen_at', '<', at.idleBefore).orWhere('created_at', '<', at.absoluteBefore),
            ),
        ),
  },
  { table: 'saved_forms', expired: (q, at) => q.where('expires_at', '<', at.now) },
  { table: 'drafts', expired: (q, at) => q.where('expires_at', '<', at.now) },
  { table: 'form_submissions', expired: (q, at) => q.where('created_at', '<', at.formTokensBefore) },
  { table: 'login_failures', expired: (q, at) => q.where('updated_at', '<', at.loginFailuresBefore) },
  // { table: 'invitations', expired: (q, at) => q.where('expires_at', '<', at.now).orWhereNotNull('used_at') },
];

export function retentionRepository(db: Db) {
  return {
    /** Removes the expired rows of every table in EXPIRED_ROWS; how many per table. */
    async purgeExpired(at: Cutoffs): Promise<Record<string, number>> {
      const removed: Record<string, number> = {};
      for (const { table, expired } of EXPIRED_ROWS) {
        removed[table] = await db(table)
          .where((q) => expired(q, at))
          .delete();
      }
      return removed;
    },

    /** Archive prints made before `before`. */
    purgeArchivePrints(before: Date): Promise<number> {
      return db('archive_prints').where('made_at', '<', before).delete();
    },

    /** Lines naming a deleted log whose archive prints are all gone (they hold the child's name). */
    purgeDeletedLogsWithoutPrints(before: Date): Promise<number> {
      return db('deleted_logs')
        .where('deleted_at', '<', before)
        .whereNotExists(db('archive_prints').whereRaw('archive_prints.log_ref = deleted_logs.log_ref'))
        .delete();
    },

    /** Passive logs closed before `before`, oldest first. */
    async passiveLogsClosedBefore(before: Date): Promise<number[]> {
      const rows = await db('logs')
        .where({ status: 'passive' })
        .where('closed_at', '<', before)
        .orderBy('closed_at')
        .select('id');
      return rows.map((r: { id: number }) => r.id);
    },

    async startRun(instance: string, at: Date): Promise<number> {
      const [row] = await db('retention_runs').insert({ instance, started_at: at }).returning('id');
      return row.id as number;
    },

    async finishRun(id: number, removed: Record<string, number>, outcome: 'ok' | 'failed', at: Date) {
      await db('retention_runs')
        .where({ id })
        .update({ removed: JSON.stringify(removed), outcome, finished_at: at });
    },
  };
}

export type RetentionRepository = ReturnType<typeof retentionRepository>;
