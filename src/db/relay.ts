/**
 * The relay's way to the database outside its repositories, without the handle: a transaction, the
 * once-per-form-token change (form-submissions.ts) and one statement of parts (one-statement.ts), each
 * bound to the pool in src/services.ts and handed to the relay's services.
 */
import type { Knex } from 'knex';
import type { Db } from './knex.js';
import type { OnceResult } from '../lib/form.js';
import { once, previousResult } from './form-submissions.js';
import { oneStatement, type Parts, type Results } from './one-statement.js';

export function relayData(db: Db) {
  return {
    /** Runs `work` in one transaction (committed when it resolves, rolled back when it throws). */
    transaction: <T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> => db.transaction(work),
    /** once() of form-submissions.ts on the pool. */
    once: (
      token: string,
      userId: number,
      change: (trx: Knex.Transaction) => Promise<string>,
    ): Promise<OnceResult> => once(db, token, userId, change),
    /** previousResult() of form-submissions.ts on the pool. */
    previousResult: (token: string, userId: number): Promise<string> => previousResult(db, token, userId),
    /** oneStatement() of one-statement.ts on the pool. */
    statement: <P extends Parts>(parts: P): Promise<Results<P>> => oneStatement(db, parts),
  };
}

export type RelayData = ReturnType<typeof relayData>;
