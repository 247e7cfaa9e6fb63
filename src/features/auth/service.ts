/**
 * Signing in: argon2id password check, the same answer for unknown e-mail and wrong password, and
 * throttling of failed attempts as OWASP recommends — never a lockout of the account itself:
 *
 *  - per account and address: after `maxFailures` failures each further try from that address must
 *    wait, 30 seconds at first, doubling with every failure, at most `longestWaitMinutes`; the right
 *    password from another address is never held up, and from the same one works after the wait;
 *  - per address, whichever accounts it tries (password spraying): `maxFailures` × 20 failures in
 *    `longestWaitMinutes`, then that address waits for the rest of that window.
 *
 * The counts are rows in PostgreSQL (login_failures), so every instance on the database shares them.
 * A try is counted before the password is checked and given back when it was right, so tries sent all
 * at once cannot slip past the count. Time comes from the app's clock.
 */
import { createHash } from 'node:crypto';
import { verifyPassword } from '../../lib/password.js';
import type { Transaction } from '../../db/handles.js';
import type { AuthRepository, FailureKey, FailureRow } from './repository.js';

export type LoginResult =
  | { ok: true; userId: number }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'limited'; retryAfterSeconds: number };

export interface LoginLimits {
  /** Failures per account and address before each further try must wait. */
  maxFailures: number;
  /** The longest wait, and the window of the per-address count. */
  longestWaitMinutes: number;
}

const FIRST_WAIT_MS = 30_000;
/** Failures from one address, for all accounts together, per window: this many times maxFailures. */
const ADDRESS_FACTOR = 20;
/** A pair's failures are forgotten this long after the last one; untouched rows are removed then too. */
const FORGET_MS = 24 * 60 * 60_000;
const CLEAN_EVERY_MS = 10 * 60_000;

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

export function authService(
  repository: AuthRepository,
  transaction: Transaction,
  limits: LoginLimits,
  now: () => Date,
) {
  const longestWaitMs = limits.longestWaitMinutes * 60_000;
  const addressMax = limits.maxFailures * ADDRESS_FACTOR;
  let cleanedAt = 0;

  /** Failures that still count: a pair's are forgotten a day after the last; an address's window ends. */
  const counted = (row: FailureRow, at: number): number => {
    if (row.scope === 'pair')
      return row.last_failure_at && at - row.last_failure_at.getTime() < FORGET_MS ? row.failures : 0;
    return at - row.window_start.getTime() < longestWaitMs ? row.failures : 0;
  };

  /** Until when this counter makes the next try wait (ms since the epoch), or 0. */
  const waitUntil = (row: FailureRow, at: number): number => {
    const failures = counted(row, at);
    if (row.scope === 'pair') {
      if (failures < limits.maxFailures || !row.last_failure_at) return 0;
      const wait = Math.min(FIRST_WAIT_MS * 2 ** (failures - limits.maxFailures), longestWaitMs);
      return row.last_failure_at.getTime() + wait;
    }
    return failures >= addressMax ? row.window_start.getTime() + longestWaitMs : 0;
  };

  /** Waits if this pair or address must; else counts the try as a failure until it proves right. */
  async function reserve(keys: FailureKey[], at: Date): Promise<number> {
    return transaction(async (trx) => {
      const rows = await repository.lockFailures(trx, keys, at);
      const until = Math.max(...rows.map((row) => waitUntil(row, at.getTime())));
      if (until > at.getTime()) return until - at.getTime();
      for (const row of rows) {
        const fresh = counted(row, at.getTime()) === 0;
        await repository.saveFailures(
          trx,
          {
            scope: row.scope,
            key: row.key,
            failures: (fresh ? 0 : row.failures) + 1,
            window_start: row.scope === 'address' && fresh ? at : row.window_start,
            last_failure_at: row.scope === 'pair' ? at : row.last_failure_at,
          },
          at,
        );
      }
      return 0;
    });
  }

  return {
    async login(email: string, password: string, ip: string): Promise<LoginResult> {
      const at = now();
      const pair: FailureKey = { scope: 'pair', key: hash(`${email.trim().toLowerCase()}\n${ip}`) };
      const address: FailureKey = { scope: 'address', key: hash(ip) };
      if (at.getTime() - cleanedAt > CLEAN_EVERY_MS) {
        cleanedAt = at.getTime();
        await repository.forget(new Date(at.getTime() - FORGET_MS));
      }
      const wait = await reserve([pair, address], at);
      if (wait > 0) return { ok: false, reason: 'limited', retryAfterSeconds: Math.ceil(wait / 1000) };
      const user = await repository.findByEmail(email);
      const valid = await verifyPassword(user?.password_hash, password);
      if (user && valid && !user.disabled_at) {
        await repository.succeeded(pair, address, at);
        return { ok: true, userId: user.id };
      }
      return { ok: false, reason: 'invalid' };
    },
  };
}
