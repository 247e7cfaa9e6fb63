/**
 * Double-clicked submits: a create form carries a one-time token. The first POST claims it inside the
 * create's transaction and records where it led; a repeat finds the claim and goes there instead.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

const TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function newFormToken(): string {
  return randomUUID();
}

/** True when this request is the first to use the token (the create should go ahead). */
export async function claimToken(trx: Knex.Transaction, token: string, userId: number): Promise<boolean> {
  if (!TOKEN.test(token)) return true; // no usable token: nothing to deduplicate against
  const rows = await trx('form_submissions')
    .insert({ token, user_id: userId })
    .onConflict('token')
    .ignore()
    .returning('token');
  return rows.length === 1;
}

export async function recordResult(trx: Knex.Transaction, token: string, result: string): Promise<void> {
  if (TOKEN.test(token)) await trx('form_submissions').where({ token }).update({ result });
}

/** Where the first use of the token led, for the same user; '' if unknown. */
export async function previousResult(db: Knex, token: string, userId: number): Promise<string> {
  if (!TOKEN.test(token)) return '';
  const row = await db('form_submissions').where({ token, user_id: userId }).first('result');
  return row?.result ?? '';
}
