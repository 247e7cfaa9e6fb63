/**
 * What the cross-cutting plugins need from the database handle itself rather than from a table: the
 * pool's figures (metrics) and an event per statement sent (the query counter).
 */
import type { Db } from './knex.js';

export interface PoolFigures {
  used: number;
  free: number;
  pendingAcquires: number;
  pendingCreates: number;
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

/** The connection pool's figures now, or null when the pool has not been made (or was destroyed). */
export function poolFigures(db: Db): PoolFigures | null {
  const pool = (db.client as { pool?: TarnPool }).pool;
  if (!pool) return null;
  return {
    used: pool.numUsed(),
    free: pool.numFree(),
    pendingAcquires: pool.numPendingAcquires(),
    pendingCreates: pool.numPendingCreates(),
  };
}

/** Calls `listener` for every statement sent through `db` (BEGIN and COMMIT included); returns how to stop. */
export function onEveryStatement(db: Db, listener: () => void): () => void {
  db.on('query', listener);
  return () => {
    db.off('query', listener);
  };
}
