/**
 * Double-clicked submits create one row. Every create form carries a one-time token (a uuid made when
 * the form is shown). The create runs in one transaction with the token's row in form_submissions; a
 * second post with the same token finds the first one's result (where it went) and creates nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';
import { str, type Body } from '../../lib/form.js';
import { claimToken, previousResult, recordResult } from '../../lib/submissions.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export { newFormToken } from '../../lib/submissions.js';

/** The posted token, or a fresh one when it is missing or garbled (such a post is then simply not deduplicated). */
export function postedToken(body: Body): string {
  const raw = str(body, 'token').trim().toLowerCase();
  return UUID.test(raw) ? raw : randomUUID();
}

/** Thrown inside a create to roll it back (and free the token) with a reason the route shows. */
export class Refused<T> extends Error {
  constructor(readonly reason: T) {
    super('refused');
    this.name = 'Refused';
  }
}

export type OnceResult = { first: true; result: string } | { first: false; result: string | null };

/**
 * Runs `create` (which returns the address of what it made) once per token. When the token was used
 * before, answers the first result instead (null when the token was someone else's).
 */
export async function once(
  db: Db,
  token: string,
  userId: number,
  create: (trx: Knex.Transaction) => Promise<string>,
): Promise<OnceResult> {
  return db.transaction(async (trx) => {
    if (!(await claimToken(trx, token, userId))) {
      const earlier = await previousResult(trx, token, userId);
      return { first: false, result: earlier || null };
    }
    const result = (await create(trx)).slice(0, 500);
    await recordResult(trx, token, result);
    return { first: true, result };
  });
}
