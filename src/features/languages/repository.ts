/** SQL for people's languages: a person's own choice, and the choice of their family (guardians, youth). */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';

/**
 * The guardians and the youth of the children a person belongs to (as guardian or as the child), or of
 * one log: the people whose choice of language is the family's. `u` is the person.
 */
const FAMILY_OF_USER = `
  SELECT lg2.user_id FROM log_guardians lg2 WHERE lg2.log_id IN (
    SELECT lg.log_id FROM log_guardians lg WHERE lg.user_id = u.id
    UNION SELECT l.id FROM logs l JOIN children c ON c.id = l.child_id WHERE c.user_id = u.id)
  UNION SELECT cg2.user_id FROM child_guardians cg2 WHERE cg2.child_id IN (
    SELECT cg.child_id FROM child_guardians cg WHERE cg.user_id = u.id
    UNION SELECT c.id FROM children c WHERE c.user_id = u.id)
  UNION SELECT c.user_id FROM children c WHERE c.user_id IS NOT NULL AND c.id IN (
    SELECT cg.child_id FROM child_guardians cg WHERE cg.user_id = u.id)`;

export function languagesRepository(db: Db) {
  return {
    /**
     * Per person: their own stored choice, and, for someone who has never signed in (an invited person
     * cannot have chosen yet), the first choice found in their family (a guardian's before the youth's,
     * then by account). Either may be null. Someone who has signed in without choosing gets no family
     * language: their empty choice may be bokmål from before choices were stored.
     */
    async choices(
      userIds: number[],
      trx?: Knex.Transaction,
    ): Promise<{ id: number; own: string | null; family: string | null }[]> {
      if (!userIds.length) return [];
      const { rows } = await (trx ?? db).raw(
        `SELECT u.id, u.locale AS own,
           CASE WHEN u.activated_at IS NULL THEN (SELECT f.locale FROM users f
             WHERE f.locale IS NOT NULL AND f.id <> u.id AND f.id IN (${FAMILY_OF_USER})
             ORDER BY EXISTS (SELECT 1 FROM children c WHERE c.user_id = f.id), f.id
             LIMIT 1) END AS family
         FROM users u WHERE u.id = ANY(?::int[])`,
        [userIds],
      );
      return rows as { id: number; own: string | null; family: string | null }[];
    },

    /** The language the family of a log chose, if any: a guardian's before the youth's, then by account. */
    async familyOfLog(logId: number): Promise<string | null> {
      const { rows } = await db.raw(
        `SELECT f.locale FROM users f
          WHERE f.locale IS NOT NULL AND f.id IN (
            SELECT user_id FROM log_guardians WHERE log_id = :logId
            UNION SELECT cg.user_id FROM child_guardians cg JOIN logs l ON l.child_id = cg.child_id
              WHERE l.id = :logId
            UNION SELECT c.user_id FROM children c JOIN logs l ON l.child_id = c.id
              WHERE l.id = :logId AND c.user_id IS NOT NULL)
          ORDER BY EXISTS (SELECT 1 FROM children c WHERE c.user_id = f.id), f.id
          LIMIT 1`,
        { logId },
      );
      return (rows[0]?.locale as string | undefined) ?? null;
    },

    async own(userId: number): Promise<string | null> {
      const row = await db('users').where({ id: userId }).first('locale');
      return (row?.locale as string | null | undefined) ?? null;
    },
  };
}

export type LanguagesRepository = ReturnType<typeof languagesRepository>;
