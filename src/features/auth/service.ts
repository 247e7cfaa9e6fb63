/**
 * Signing in: argon2id password check, the same answer for unknown e-mail and wrong password, and a
 * limit on failed attempts per e-mail and address and per address alone (rate-limiter-flexible).
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { verifyPassword } from '../../lib/password.js';
import type { Db } from '../../db/knex.js';
import { authRepository } from './repository.js';

export type LoginResult =
  | { ok: true; userId: number }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'limited'; retryAfterSeconds: number };

export function authService(db: Db, limits: { maxFailures: number; windowMinutes: number }) {
  const repository = authRepository(db);
  const duration = limits.windowMinutes * 60;
  const byAccount = new RateLimiterMemory({
    keyPrefix: 'login_account',
    points: limits.maxFailures,
    duration,
  });
  const byAddress = new RateLimiterMemory({
    keyPrefix: 'login_ip',
    points: limits.maxFailures * 10,
    duration,
  });

  async function blockedFor(accountKey: string, ip: string): Promise<number> {
    const [account, address] = await Promise.all([byAccount.get(accountKey), byAddress.get(ip)]);
    const over = [
      account && account.consumedPoints >= limits.maxFailures ? account.msBeforeNext : 0,
      address && address.consumedPoints >= limits.maxFailures * 10 ? address.msBeforeNext : 0,
    ];
    return Math.ceil(Math.max(...over) / 1000);
  }

  return {
    async login(email: string, password: string, ip: string): Promise<LoginResult> {
      const accountKey = `${ip}|${email.toLowerCase()}`;
      const blocked = await blockedFor(accountKey, ip);
      if (blocked > 0) return { ok: false, reason: 'limited', retryAfterSeconds: blocked };
      const user = await repository.findByEmail(email);
      const valid = await verifyPassword(user?.password_hash, password);
      if (user && valid && !user.disabled_at) {
        await byAccount.delete(accountKey);
        return { ok: true, userId: user.id };
      }
      try {
        await Promise.all([byAccount.consume(accountKey), byAddress.consume(ip)]);
      } catch (limited) {
        if (limited instanceof RateLimiterRes) {
          return { ok: false, reason: 'limited', retryAfterSeconds: Math.ceil(limited.msBeforeNext / 1000) };
        }
        throw limited;
      }
      return { ok: false, reason: 'invalid' };
    },
  };
}
