/**
 * SQL for single-use links (account_tokens): invitations and password resets. A row is made when the
 * link is decided on; its secret is made, and only its SHA-256 stored, when the e-mail is written. A
 * link is good while it is neither used, withdrawn nor past its expiry.
 */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';

export type TokenKind = 'invitation' | 'password_reset';

export interface TokenRow {
  id: number;
  user_id: number;
  kind: TokenKind;
  created_at: Date;
  sent_at: Date | null;
  expires_at: Date | null;
  used_at: Date | null;
  revoked_at: Date | null;
}

export interface InvitationStatus {
  user_id: number;
  activated: boolean;
  sent_at: Date | null;
  /** Until when the newest open invitation works; null when none works now. */
  expires_at: Date | null;
}

const COLUMNS = ['id', 'user_id', 'kind', 'created_at', 'sent_at', 'expires_at', 'used_at', 'revoked_at'];

export function tokenRepository(db: Db) {
  return {
    /** A new link for the person; earlier unused ones of the same kind are withdrawn. */
    async create(
      trx: Knex.Transaction,
      row: { user_id: number; kind: TokenKind; created_by: number | null },
      now: Date,
    ): Promise<number> {
      await trx('account_tokens')
        .where({ user_id: row.user_id, kind: row.kind })
        .whereNull('used_at')
        .whereNull('revoked_at')
        .update({ revoked_at: now });
      const [inserted] = await trx('account_tokens')
        .insert({ ...row, created_at: now })
        .returning('id');
      return inserted.id as number;
    },

    byId(id: number): Promise<TokenRow | undefined> {
      return db('account_tokens').where({ id }).first(COLUMNS);
    },

    byHash(hash: string): Promise<TokenRow | undefined> {
      return db('account_tokens').where({ token_hash: hash }).first(COLUMNS);
    },

    /** Stores the hash of the link's secret and the expiry, if the link is still open. */
    async mint(id: number, hash: string, expiresAt: Date, now: Date): Promise<boolean> {
      const changed = await db('account_tokens')
        .where({ id })
        .whereNull('used_at')
        .whereNull('revoked_at')
        .update({ token_hash: hash, sent_at: now, expires_at: expiresAt });
      return changed > 0;
    },

    /** Marks the link used, once: false when it was used, withdrawn or ran out meanwhile. */
    async use(trx: Knex.Transaction, id: number, now: Date): Promise<boolean> {
      const changed = await trx('account_tokens')
        .where({ id })
        .whereNull('used_at')
        .whereNull('revoked_at')
        .where('expires_at', '>', now)
        .update({ used_at: now });
      return changed > 0;
    },

    async revokeAll(userId: number, now: Date, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('account_tokens')
        .where({ user_id: userId })
        .whereNull('used_at')
        .whereNull('revoked_at')
        .update({ revoked_at: now });
    },

    /** The newest reset link asked for by this person since `since` (for not sending one every second). */
    recentReset(userId: number, since: Date): Promise<{ id: number; sent_at: Date | null } | undefined> {
      return db('account_tokens')
        .where({ user_id: userId, kind: 'password_reset' })
        .where('created_at', '>', since)
        .whereNull('revoked_at')
        .orderBy('id', 'desc')
        .first('id', 'sent_at');
    },

    /** Per person: whether the account is in use, and the newest invitation sent. */
    async invitationStatus(userIds: number[], now: Date): Promise<Map<number, InvitationStatus>> {
      if (!userIds.length) return new Map();
      const rows: InvitationStatus[] = await db('users as u')
        .whereIn('u.id', userIds)
        .select(
          'u.id as user_id',
          db.raw('(u.activated_at IS NOT NULL) AS activated'),
          db.raw(
            `(SELECT max(t.sent_at) FROM account_tokens t WHERE t.user_id = u.id AND t.kind = 'invitation') AS sent_at`,
          ),
          db.raw(
            `(SELECT max(t.expires_at) FROM account_tokens t WHERE t.user_id = u.id AND t.kind = 'invitation' AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > ?) AS expires_at`,
            [now],
          ),
        );
      return new Map(rows.map((r) => [r.user_id, r]));
    },

    /**
     * For the retention job: links used, withdrawn or expired before `before` are removed (they open
     * nothing any more; the audit trail keeps what happened).
     */
    async purgeSpent(before: Date): Promise<number> {
      return db('account_tokens')
        .where((q) =>
          q
            .where('used_at', '<', before)
            .orWhere('revoked_at', '<', before)
            .orWhere('expires_at', '<', before)
            .orWhere((never) => never.whereNull('sent_at').where('created_at', '<', before)),
        )
        .delete();
    },
  };
}

export type TokenRepository = ReturnType<typeof tokenRepository>;
