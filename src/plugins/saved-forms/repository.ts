/**
 * The saved_forms table: forms kept (sealed) for their author after the session ran out. The sealing
 * and the rules are in index.ts; this file holds the SQL.
 */
import type { Db } from '../../db/knex.js';

export interface SavedFormInsert {
  id: string;
  user_id: number;
  method: string;
  path: string;
  sealed: Buffer;
  created_at: Date;
  expires_at: Date;
}

export interface SavedFormRow {
  id: string;
  path: string;
  sealed: Buffer;
  created_at: Date;
}

export function savedFormsRepository(db: Db) {
  return {
    /** In one transaction: drop expired forms, keep this one, and keep only the person's newest `max`. */
    async keep(row: SavedFormInsert, now: Date, max: number): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('saved_forms').where('expires_at', '<', now).delete();
        await trx('saved_forms').insert(row);
        const keep = trx('saved_forms')
          .where({ user_id: row.user_id })
          .orderBy('created_at', 'desc')
          .limit(max)
          .select('id');
        await trx('saved_forms').where({ user_id: row.user_id }).whereNotIn('id', keep).delete();
      });
    },

    /** The person's forms that have not expired, newest first. */
    pending(userId: number, now: Date): Promise<SavedFormRow[]> {
      return db('saved_forms')
        .where({ user_id: userId })
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .select('id', 'path', 'sealed', 'created_at');
    },

    async hasPending(userId: number, now: Date): Promise<boolean> {
      const row = await db('saved_forms')
        .where({ user_id: userId })
        .where('expires_at', '>', now)
        .first('id');
      return Boolean(row);
    },

    async discard(userId: number, id: string): Promise<void> {
      await db('saved_forms').where({ id, user_id: userId }).delete();
    },
  };
}

export type SavedFormsRepository = ReturnType<typeof savedFormsRepository>;
