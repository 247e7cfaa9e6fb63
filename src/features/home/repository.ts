import type { Db } from '../../db/knex.js';

export function homeRepository(db: Db) {
  return {
    /** The children a guardian has, or the young person themself. */
    childrenOf(userId: number): Promise<{ id: number; first_name: string; last_name: string }[]> {
      return db('children as c')
        .leftJoin('child_guardians as g', 'g.child_id', 'c.id')
        .where((q) => q.where('g.user_id', userId).orWhere('c.user_id', userId))
        .distinct('c.id', 'c.first_name', 'c.last_name')
        .orderBy('c.first_name');
    },
  };
}
