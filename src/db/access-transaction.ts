/**
 * A transaction without the database handle: services of the access, auth, guardians and consent-papers
 * features take `transaction(work)` (built in src/services.ts from the app's database) and hand the
 * transaction to their repositories, so they never hold the handle themselves; the same for once per
 * form token.
 */
import type { Knex } from 'knex';
import type { Db } from './knex.js';
import type { OnceResult } from '../lib/form.js';
import { once, previousResult } from './form-submissions.js';

export type Transaction = <T>(work: (trx: Knex.Transaction) => Promise<T>) => Promise<T>;

/** Runs work in one transaction of db (Knex's: committed when work resolves, rolled back when it throws). */
export function transactionOf(db: Db): Transaction {
  return (work) => db.transaction(work);
}

/** Once per form token (src/db/form-submissions.ts) without the handle: bound to db. */
export interface FormSubmissions {
  once(
    token: string,
    userId: number,
    change: (trx: Knex.Transaction) => Promise<string>,
  ): Promise<OnceResult>;
  previousResult(token: string, userId: number): Promise<string>;
}

export function formSubmissionsOf(db: Db): FormSubmissions {
  return {
    once: (token, userId, change) => once(db, token, userId, change),
    previousResult: (token, userId) => previousResult(db, token, userId),
  };
}
