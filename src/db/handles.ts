/**
 * The database without the handle, for services: a transaction, once per form token
 * (form-submissions.ts) and one statement of parts (one-statement.ts), each bound to the pool once in
 * src/services.ts. Services take these functions and hand the transaction to their repositories, so
 * they never hold the database themselves (lint: Knex only in repositories).
 */
import type { Knex } from 'knex';
import type { Db } from './knex.js';
import type { OnceResult } from '../lib/form.js';
import { once, previousResult } from './form-submissions.js';
import { oneStatement, type Parts, type Results } from './one-statement.js';

/** Runs `work` in one transaction (committed when it resolves, rolled back when it throws). */
export type Transaction = <T>(work: (trx: Knex.Transaction) => Promise<T>) => Promise<T>;

/** once() of form-submissions.ts: the change runs once per form token; a repeat gets the first result. */
export type Once = (
  token: string,
  userId: number,
  change: (trx: Knex.Transaction) => Promise<string>,
) => Promise<OnceResult>;

/** previousResult() of form-submissions.ts: what the first post of a form token led to. */
export type PreviousResult = (token: string, userId: number) => Promise<string>;

export interface DbHandles {
  transaction: Transaction;
  once: Once;
  previousResult: PreviousResult;
  /** oneStatement() of one-statement.ts. */
  statement<P extends Parts>(parts: P): Promise<Results<P>>;
}

/** Once per form token alone (what the forms that store one row need). */
export type FormSubmissions = Pick<DbHandles, 'once' | 'previousResult'>;

export function dbHandles(db: Db): DbHandles {
  return {
    transaction: (work) => db.transaction(work),
    once: (token, userId, change) => once(db, token, userId, change),
    previousResult: (token, userId) => previousResult(db, token, userId),
    statement: (parts) => oneStatement(db, parts),
  };
}
