/** The start page's data: the children of a guardian (or the young person), with the log each opens. */
import type { Db } from '../../db/knex.js';

export function homeRepository(db: Db) {
  return {
    /**
     * The children a guardian has, or the young person themself, each with the log to open from the
     * start page (an active one before a passive one; null when there is none).
     */
    childrenOf(
      userId: number,
    ): Promise<{ id: number; first_name: string; last_name: string; log_id: number | null }[]> {
      const log = db('logs as l')
        .whereRaw('l.child_id = c.id')
        .orderBy([{ column: 'l.status' }, { column: 'l.id' }])
        .limit(1)
        .select('l.id');
      return db('children as c')
        .leftJoin('child_guardians as g', 'g.child_id', 'c.id')
        .where((q) => q.where('g.user_id', userId).orWhere('c.user_id', userId))
        .distinct('c.id', 'c.first_name', 'c.last_name', log.as('log_id'))
        .orderBy('c.first_name');
    },
  };
}

export type HomeRepository = ReturnType<typeof homeRepository>;
