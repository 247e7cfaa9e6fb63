/** SQL for a log's guardians: who they are, registering one on the log and child, and removing one. */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';

export interface GuardianRow {
  user_id: number;
  name: string;
  email: string | null;
  national_id_masked: string | null;
  activated: boolean;
}

export function guardiansRepository(db: Db) {
  return {
    /** The log's guardians (as registered on the log or on the child). */
    list(logId: number, childId: number): Promise<GuardianRow[]> {
      return db('users as u')
        .whereIn(
          'u.id',
          db('log_guardians')
            .where({ log_id: logId })
            .select('user_id')
            .union(db('child_guardians').where({ child_id: childId }).select('user_id')),
        )
        .orderBy('u.name')
        .select(
          'u.id as user_id',
          'u.name',
          'u.email',
          'u.national_id_masked',
          db.raw('(u.activated_at IS NOT NULL) AS activated'),
        );
    },

    /** Registers the guardian on the log and the child; false when they were already. */
    async add(trx: Knex.Transaction, logId: number, childId: number, userId: number): Promise<boolean> {
      const onLog = await trx('log_guardians')
        .insert({ log_id: logId, user_id: userId })
        .onConflict(['log_id', 'user_id'])
        .ignore()
        .returning('user_id');
      const onChild = await trx('child_guardians')
        .insert({ child_id: childId, user_id: userId })
        .onConflict(['child_id', 'user_id'])
        .ignore()
        .returning('user_id');
      return onLog.length > 0 || onChild.length > 0;
    },

    /** No longer the child's guardian here: off the child and off every log of the child. */
    async remove(trx: Knex.Transaction, childId: number, userId: number): Promise<number> {
      const fromLogs = await trx('log_guardians')
        .where({ user_id: userId })
        .whereIn('log_id', trx('logs').where({ child_id: childId }).select('id'))
        .delete();
      const fromChild = await trx('child_guardians').where({ child_id: childId, user_id: userId }).delete();
      return fromLogs + fromChild;
    },
  };
}

export type GuardiansRepository = ReturnType<typeof guardiansRepository>;
