/** Users by e-mail for signing in, and the counts of failed sign-ins (login_failures). */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';

export interface LoginUserRow {
  id: number;
  password_hash: string | null;
  disabled_at: Date | null;
}

export type FailureScope = 'pair' | 'address';

export interface FailureKey {
  scope: FailureScope;
  key: string;
}

export interface FailureRow extends FailureKey {
  failures: number;
  window_start: Date;
  last_failure_at: Date | null;
}

export function authRepository(db: Db) {
  return {
    findByEmail(email: string): Promise<LoginUserRow | undefined> {
      return db('users')
        .whereRaw('lower(email) = lower(?)', [email])
        .first('id', 'password_hash', 'disabled_at');
    },

    /** The counters for these keys, created empty if new, locked until `trx` ends (always in one order). */
    async lockFailures(trx: Knex.Transaction, keys: FailureKey[], now: Date): Promise<FailureRow[]> {
      await trx('login_failures')
        .insert(keys.map((k) => ({ ...k, failures: 0, window_start: now, updated_at: now })))
        .onConflict(['scope', 'key'])
        .ignore();
      return trx('login_failures')
        .whereIn(
          ['scope', 'key'],
          keys.map((k) => [k.scope, k.key]),
        )
        .orderBy(['scope', 'key'])
        .forUpdate()
        .select('scope', 'key', 'failures', 'window_start', 'last_failure_at');
    },

    async saveFailures(
      trx: Knex.Transaction,
      row: FailureKey & { failures: number; window_start: Date; last_failure_at: Date | null },
      now: Date,
    ): Promise<void> {
      await trx('login_failures').where({ scope: row.scope, key: row.key }).update({
        failures: row.failures,
        window_start: row.window_start,
        last_failure_at: row.last_failure_at,
        updated_at: now,
      });
    },

    /** After a successful sign-in: the pair starts afresh, the address gets back the try it spent. */
    async succeeded(pair: FailureKey, address: FailureKey, now: Date): Promise<void> {
      await db('login_failures').where(pair).delete();
      await db('login_failures')
        .where(address)
        .update({ failures: db.raw('greatest(failures - 1, 0)'), updated_at: now });
    },

    /** Removes counters nobody has touched since `before`. */
    async forget(before: Date): Promise<void> {
      await db('login_failures').where('updated_at', '<', before).delete();
    },
  };
}

export type AuthRepository = ReturnType<typeof authRepository>;
