/**
 * Database-free handles for the plan, log, meeting, note and glimmer services: a transaction runner and
 * once-per-form-token, each bound to the database here so the services take functions, not the handle.
 */
import type { Knex } from 'knex';
import type { OnceResult } from '../lib/form.js';
import { once, previousResult } from './form-submissions.js';

/** Runs `work` in one transaction (commits when it resolves, rolls back when it throws). */
export type Transaction = <T>(work: (trx: Knex.Transaction) => Promise<T>) => Promise<T>;

/** `once` from form-submissions.ts with the database bound. */
export type Once = (
  token: string,
  userId: number,
  change: (trx: Knex.Transaction) => Promise<string>,
) => Promise<OnceResult>;

export function transactionOf(db: Knex): Transaction {
  return (work) => db.transaction(work);
}

export function onceOf(db: Knex): Once {
  return (token, userId, change) => once(db, token, userId, change);
}

/** `previousResult` from form-submissions.ts with the database bound. */
export type PreviousResult = (token: string, userId: number) => Promise<string>;

export function previousResultOf(db: Knex): PreviousResult {
  return (token, userId) => previousResult(db, token, userId);
}
