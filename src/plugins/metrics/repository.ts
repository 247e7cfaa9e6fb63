/** The metrics read from tables when scraped: pg-boss's jobs by queue and state, and active sessions. */
import type { Db } from '../../db/knex.js';

export function metricsRepository(db: Db) {
  return {
    /** Jobs in pg-boss's table (schema `schema`) by queue and state, pg-boss's own queues left out. */
    async jobCounts(schema: string): Promise<{ name: string; state: string; n: number }[]> {
      const { rows } = await db.raw(
        `SELECT name, state::text AS state, count(*)::int AS n FROM ${schema}.job
                WHERE name NOT LIKE '\\_\\_pgboss%' GROUP BY 1, 2`,
      );
      return rows;
    },
    /** Sessions not ended and seen after `since`. */
    async activeSessions(since: Date): Promise<number> {
      const { rows } = await db.raw(
        'SELECT count(*)::int AS n FROM sessions WHERE ended_at IS NULL AND last_seen_at > ?',
        [since],
      );
      return rows[0].n;
    },
  };
}
