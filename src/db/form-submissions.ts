/**
 * Once per form token, the database side (the form side is in lib/form.ts: newFormToken, postedToken,
 * Refused). The first post claims its token in form_submissions inside the change's transaction and
 * records where it led; a repeat (a double click) finds the claim and goes there instead.
 */
import type { Knex } from 'knex';
import { isFormToken, type OnceResult } from '../lib/form.js';

/** True when this request is the first to use the token (the change should go ahead). */
export async function claimToken(trx: Knex.Transaction, token: string, userId: number): Promise<boolean> {
  if (!isFormToken(token)) return true; // no usable token: nothing to deduplicate against
  const rows = await trx('form_submissions')
    .insert({ token, user_id: userId })
    .onConflict('token')
    .ignore()
    .returning('token');
  return rows.length === 1;
}

export async function recordResult(trx: Knex.Transaction, token: string, result: string): Promise<void> {
  if (isFormToken(token)) await trx('form_submissions').where({ token }).update({ result });
}

/** Where the first use of the token led, for the same user; '' if unknown. */
export async function previousResult(db: Knex, token: string, userId: number): Promise<string> {
  if (!isFormToken(token)) return '';
  const row = await db('form_submissions').where({ token, user_id: userId }).first('result');
  return row?.result ?? '';
}

/**
 * Runs `change` (which returns the address of what it made or changed) once per token, in one
 * transaction with the token's claim. When the token was used before, answers the first result instead
 * (null when the token was someone else's). A change rolls back (and frees the token) by throwing
 * Refused.
 */
export async function once(
  db: Knex,
  token: string,
  userId: number,
  change: (trx: Knex.Transaction) => Promise<string>,
): Promise<OnceResult> {
  return db.transaction(async (trx) => {
    if (!(await claimToken(trx, token, userId))) {
      const earlier = await previousResult(trx, token, userId);
      return { first: false, result: earlier || null };
    }
    const result = (await change(trx)).slice(0, 500);
    await recordResult(trx, token, result);
    return { first: true, result };
  });
}

/** Is this a PostgreSQL unique violation (of the named constraint, when given)? */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && (!constraint || e.constraint === constraint);
}
