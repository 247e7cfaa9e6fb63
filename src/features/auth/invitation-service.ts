/**
 * Invitations and password resets: single-use links that expire. Adding a staff member or registering a
 * guardian makes an invitation in the same transaction; a background job (pg-boss) then makes the
 * link's secret, stores only its SHA-256 with the expiry, and e-mails the link in the person's language,
 * so the secret is never stored and a slow mail server never slows a page. "Glemt passord" queues a job
 * with the typed address whatever it is: the answer and its timing say nothing about whether an account
 * has that address; the job sends a link only to an active account, at most one per few minutes.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { TokenKind, TokenRepository, TokenRow } from './token-repository.js';
import type { AccountRepository, AccountRow } from './account-repository.js';
import type { Transaction } from '../../db/handles.js';
import { composeAccountMail } from './account-mail.js';
import { hashPassword } from '../../lib/password.js';
import type { LanguagesService } from '../languages/index.js';
import { isLocale, type Locale } from '../../i18n/index.js';

export const ACCOUNT_EMAIL_QUEUE = 'account.email';
export const PASSWORD_RESET_QUEUE = 'account.password_reset';
export const ACCOUNT_TOKENS_PURGE_QUEUE = 'account.tokens_purge';

/** A person gets at most one reset link this often, however often it is asked for. */
const RESET_INTERVAL_MS = 2 * 60_000;

export interface AccountEmailJob {
  tokenId: number;
  /** The language of the page a reset was asked for from: the e-mail's when the person has no choice. */
  locale?: string;
}

export interface PasswordResetJob {
  email: string;
  /** The language of the page the reset was asked for from. */
  locale?: string;
}

export type LinkProblem = 'unknown' | 'used' | 'expired';

export interface OpenLink {
  token: TokenRow;
  account: AccountRow;
}

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** What the service needs. */
export type InvitationDeps = Pick<FastifyInstance, 'config' | 'now' | 'jobs' | 'translator'> & {
  repositories: { accounts: AccountRepository; tokens: TokenRepository };
  transaction: Transaction;
  languages: LanguagesService;
};

export function invitationService(deps: InvitationDeps) {
  const { tokens, accounts } = deps.repositories;
  const { languages } = deps;

  const ttlMs = (kind: TokenKind) =>
    kind === 'invitation'
      ? deps.config.invitationDays * 86_400_000
      : deps.config.passwordResetMinutes * 60_000;

  async function check(
    token: TokenRow | undefined,
    kind: TokenKind,
  ): Promise<OpenLink | { problem: LinkProblem }> {
    if (!token || token.kind !== kind) return { problem: 'unknown' };
    if (token.used_at || token.revoked_at) return { problem: 'used' };
    if (!token.expires_at || token.expires_at.getTime() <= deps.now().getTime())
      return { problem: 'expired' };
    const account = await accounts.byId(token.user_id);
    if (!account || account.disabled_at) return { problem: 'unknown' };
    return { token, account };
  }

  return {
    /**
     * In the caller's transaction: a new invitation for the person (earlier ones are withdrawn), e-mailed
     * when the transaction commits.
     */
    async invite(trx: Knex.Transaction, userId: number, createdBy: number | null): Promise<void> {
      const id = await tokens.create(
        trx,
        { user_id: userId, kind: 'invitation', created_by: createdBy },
        deps.now(),
      );
      await deps.jobs.send<AccountEmailJob>(ACCOUNT_EMAIL_QUEUE, { tokenId: id }, { trx });
    },

    /** As invite(), but only for an account not yet taken into use. */
    async inviteIfNew(trx: Knex.Transaction, userId: number, createdBy: number | null): Promise<boolean> {
      const account = await accounts.byId(userId, trx);
      if (!account || account.activated_at || account.disabled_at) return false;
      await this.invite(trx, userId, createdBy);
      return true;
    },

    /** Per person: whether they have taken the account into use, and the newest invitation. */
    status(userIds: number[]) {
      return tokens.invitationStatus(userIds, deps.now());
    },

    /** The link with this secret, if it is still good. */
    async open(secret: unknown, kind: TokenKind): Promise<OpenLink | { problem: LinkProblem }> {
      if (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(secret))
        return { problem: 'unknown' };
      return check(await tokens.byHash(hashOf(secret)), kind);
    },

    /** The link kept in the session (by its id), if it is still good. */
    async openById(id: unknown, kind: TokenKind): Promise<OpenLink | { problem: LinkProblem }> {
      if (typeof id !== 'number' || !Number.isSafeInteger(id)) return { problem: 'unknown' };
      return check(await tokens.byId(id), kind);
    },

    /** One transaction, for a caller that uses a link together with its own changes (use() inside it). */
    transaction: deps.transaction,

    /** Uses the link, once, in the caller's transaction; false if it was used or ran out meanwhile. */
    use(trx: Knex.Transaction, tokenId: number): Promise<boolean> {
      return tokens.use(trx, tokenId, deps.now());
    },

    /**
     * A password chosen through an invitation or reset link: the link is used (once), the password
     * stored (argon2id), the account taken into use, and any other session of the person ended. The
     * account's id, or null when the link was used or ran out meanwhile.
     */
    async setPassword(link: OpenLink, password: string): Promise<number | null> {
      const hash = await hashPassword(password);
      const now = deps.now();
      return deps.transaction(async (trx) => {
        if (!(await tokens.use(trx, link.token.id, now))) return null;
        await accounts.setPassword(link.account.id, hash, trx);
        await accounts.activate(link.account.id, now, trx);
        await accounts.endSessions(link.account.id, 'password', now, trx);
        return link.account.id;
      });
    },

    /** The worker's part: makes the link and e-mails it. Throws (to be retried) when sending fails. */
    async deliver(
      job: AccountEmailJob,
      send: (mail: { to: string; subject: string; text: string; locale: string }) => Promise<void>,
    ): Promise<'sent' | 'skipped'> {
      const token = await tokens.byId(job.tokenId);
      if (!token || token.used_at || token.revoked_at) return 'skipped';
      const account = await accounts.byId(token.user_id);
      if (!account || account.disabled_at || !account.email) return 'skipped';
      const now = deps.now();
      const secret = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + ttlMs(token.kind));
      if (!(await tokens.mint(token.id, hashOf(secret), expiresAt, now))) return 'skipped';
      const path = token.kind === 'invitation' ? '/invitation' : '/password/reset';
      // The person's own choice; without one, a reset is in the language of the page it was asked for
      // from; someone just invited has none yet: their family's, else the default.
      const locale =
        (await languages.chosenLocale(account.id)) ??
        (isLocale(job.locale) ? job.locale : await languages.recipientLocale(account.id));
      const mail = composeAccountMail(
        {
          kind: token.kind,
          locale,
          name: account.name,
          link: `${deps.config.baseUrl}${path}?token=${secret}`,
          expiresAt,
          idporten: Boolean(deps.config.idporten),
          passwords: deps.config.localPasswords,
          minutes: deps.config.passwordResetMinutes,
        },
        deps.translator(locale),
      );
      await send({ to: account.email, ...mail, locale });
      return 'sent';
    },

    /** "Glemt passord": queued whatever the address, so the answer is the same for every address. */
    async requestReset(email: string, locale: Locale): Promise<void> {
      await deps.jobs.send<PasswordResetJob>(PASSWORD_RESET_QUEUE, { email: email.slice(0, 254), locale });
    },

    /** The worker's part of a reset: a link for an active account with this address, not too often. */
    async prepareReset(job: PasswordResetJob): Promise<number | null> {
      if (!deps.config.localPasswords) return null;
      const [account] = await accounts.byEmail(job.email);
      if (!account || account.disabled_at || !account.email) return null;
      const now = deps.now();
      const recent = await tokens.recentReset(account.id, new Date(now.getTime() - RESET_INTERVAL_MS));
      // One sent a moment ago: none now. One made but not sent (the mail server failed): that one again.
      if (recent) return recent.sent_at ? null : recent.id;
      return deps.transaction((trx) =>
        tokens.create(trx, { user_id: account.id, kind: 'password_reset', created_by: null }, now),
      );
    },

    /** Retention: spent links older than this are removed. */
    purgeSpent(before: Date): Promise<number> {
      return tokens.purgeSpent(before);
    },
  };
}

export type InvitationService = ReturnType<typeof invitationService>;
