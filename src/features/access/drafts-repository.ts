/** SQL for drafts while typing (drafts.ts): one sealed text per person, form action and field. */
import type { Db } from '../../db/knex.js';

export interface DraftRow {
  field: string;
  sealed: Buffer;
  updated_at: Date;
}

export function draftsRepository(db: Db) {
  return {
    /** The person's drafts for a form that have not expired. */
    unexpired(userId: number, path: string, now: Date): Promise<DraftRow[]> {
      return db('drafts')
        .where({ user_id: userId, path })
        .where('expires_at', '>', now)
        .select('field', 'sealed', 'updated_at');
    },
    async removeExpired(now: Date): Promise<void> {
      await db('drafts').where('expires_at', '<', now).delete();
    },
    async remove(where: { user_id: number; path: string; field?: string }): Promise<void> {
      await db('drafts').where(where).delete();
    },
    async save(
      key: { user_id: number; path: string; field: string },
      draft: { sealed: Buffer; updated_at: Date; expires_at: Date },
    ): Promise<void> {
      await db('drafts')
        .insert({ ...key, ...draft })
        .onConflict(['user_id', 'path', 'field'])
        .merge(['sealed', 'updated_at', 'expires_at']);
    },
  };
}

export type DraftsRepository = ReturnType<typeof draftsRepository>;
