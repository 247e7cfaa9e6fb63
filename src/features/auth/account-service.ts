/**
 * Which account a verified identity signs in to, and accounts over time.
 *
 *  - ID-porten's `pid` matches staff and guardians registered with that identity number (by its keyed
 *    hash), and a young person with own access by the child's number: from YOUTH_ACCESS_AGE, with a
 *    log, their own account is made at their first sign-in. Several accounts may match (someone who is
 *    both staff and a guardian): the person chooses.
 *  - The municipality's login matches staff by the configured claim: the e-mail address, or the
 *    employee id.
 *  - An invitation binds the identity to the invited account: the number (or employee id) is stored if
 *    the account had none, and must be the same if it had one.
 *  - A deactivated account matches nothing; deactivating ends its sessions and links at once.
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { ageOn, osloDate } from '../../lib/dates.js';
import { identityNumbers } from '../../lib/national-id.js';
import type { AccountRepository, AccountRow } from './account-repository.js';
import type { TokenRepository } from './token-repository.js';
import { SignInFailed, type VerifiedIdentity } from './oidc-client.js';

export interface Candidate {
  userId: number;
  kind: AccountRow['kind'];
  name: string;
  municipalityName: string;
  isMunicipalAdmin: boolean;
  units: string[];
}

export interface Matches {
  candidates: Candidate[];
  /** Accounts with this identity that are deactivated (for the audit trail; they cannot sign in). */
  disabled: number[];
}

/** What the service needs. */
export type AccountDeps = Pick<FastifyInstance, 'config' | 'now'> & {
  repositories: { accounts: AccountRepository; tokens: TokenRepository };
};

export function accountService(deps: AccountDeps) {
  const { accounts, tokens } = deps.repositories;
  const synthetic = !deps.config.isProduction;

  const numbers = identityNumbers(deps.config.country);
  const digest = (nationalId: string) => numbers.digest(nationalId, deps.config.identityKey);

  async function describe(rows: AccountRow[]): Promise<Candidate[]> {
    const memberships = await accounts.memberships(rows.map((r) => r.id));
    return rows.map((r) => ({
      userId: r.id,
      kind: r.kind,
      name: r.name,
      municipalityName: r.municipality_name,
      isMunicipalAdmin: r.is_municipal_admin,
      units: memberships.filter((m) => m.user_id === r.id).map((m) => m.unit_name),
    }));
  }

  /** The accounts of a person ID-porten vouched for, by their identity number. */
  async function byNationalId(nationalId: string): Promise<AccountRow[]> {
    const rows = await accounts.byNationalIdHash(digest(nationalId));
    const today = osloDate(deps.now());
    for (const child of await accounts.childrenWithLogs(numbers.normalize(nationalId))) {
      if (ageOn(child.birth_date, today) < deps.config.youthAccessAge) continue;
      const userId = await accounts.youthAccountFor(child, deps.now());
      const youth = await accounts.byId(userId);
      if (youth && youth.kind === 'youth' && !rows.some((r) => r.id === youth.id)) rows.push(youth);
    }
    return rows;
  }

  async function byClaim(value: string): Promise<AccountRow[]> {
    return deps.config.municipal?.matchClaim === 'email'
      ? accounts.staffByEmail(value)
      : accounts.staffByEmployeeId(value);
  }

  return {
    digest,

    /** The accounts this identity may sign in to. */
    async matches(identity: VerifiedIdentity): Promise<Matches> {
      let rows: AccountRow[];
      if (identity.provider === 'idporten') {
        if (numbers.problem(identity.subject, { synthetic })) throw new SignInFailed('no_identity');
        rows = await byNationalId(identity.subject);
      } else {
        rows = (await byClaim(identity.subject)).filter((r) => r.kind === 'staff');
      }
      return {
        candidates: await describe(rows.filter((r) => !r.disabled_at)),
        disabled: rows.filter((r) => r.disabled_at).map((r) => r.id),
      };
    },

    /** The candidates again, by id (for the choice page): only those still active. */
    async candidates(userIds: number[]): Promise<Candidate[]> {
      const rows = (await Promise.all(userIds.map((id) => accounts.byId(id)))).filter((r): r is AccountRow =>
        Boolean(r && !r.disabled_at),
      );
      return describe(rows);
    },

    /**
     * Binds the identity to the invited account (inside the transaction that uses the invitation):
     * throws SignInFailed('invitation_other') when the account already has another identity.
     */
    async bind(trx: Knex.Transaction, userId: number, identity: VerifiedIdentity): Promise<void> {
      const account = await accounts.byId(userId, trx);
      if (!account || account.disabled_at) throw new SignInFailed('invitation');
      if (identity.provider === 'idporten') {
        if (numbers.problem(identity.subject, { synthetic })) throw new SignInFailed('no_identity');
        const hash = digest(identity.subject);
        if (account.national_id_hash && account.national_id_hash !== hash)
          throw new SignInFailed('invitation_other');
        if (!account.national_id_hash)
          await accounts.setNationalId(userId, hash, numbers.mask(identity.subject), trx);
        return;
      }
      if (account.kind !== 'staff') throw new SignInFailed('invitation_other');
      if (deps.config.municipal?.matchClaim === 'email') {
        if ((account.email ?? '').toLowerCase() !== identity.subject.toLowerCase())
          throw new SignInFailed('invitation_other');
        return;
      }
      if (account.employee_id && account.employee_id.toLowerCase() !== identity.subject.toLowerCase())
        throw new SignInFailed('invitation_other');
      if (!account.employee_id) await accounts.setEmployeeId(userId, identity.subject, trx);
    },

    /**
     * A person's identity number registered on their account (staff by a leader, guardians by the
     * holder), in the caller's transaction: 'set' when it had none, 'same' when it was already this one,
     * 'other' when the account has another number (nothing changes then).
     */
    async registerNationalId(
      trx: Knex.Transaction,
      userId: number,
      nationalId: string,
    ): Promise<'set' | 'same' | 'other'> {
      const account = await accounts.byId(userId, trx);
      const hash = digest(nationalId);
      if (account?.national_id_hash) return account.national_id_hash === hash ? 'same' : 'other';
      await accounts.setNationalId(userId, hash, numbers.mask(nationalId), trx);
      return 'set';
    },

    /** The active account of this kind in the municipality registered with this identity number. */
    async findByNationalId(
      trx: Knex.Transaction,
      municipalityId: number,
      kind: AccountRow['kind'],
      nationalId: string,
    ): Promise<{ id: number; kind: string; municipality_id: number } | undefined> {
      return accounts.findByNationalIdHash(trx, municipalityId, kind, digest(nationalId));
    },

    /**
     * A guardian's account by e-mail (case ignored), created if there is none — also when a simultaneous
     * save creates the same address at the same moment. In the caller's transaction.
     */
    async findOrCreateGuardian(
      trx: Knex.Transaction,
      guardian: { municipality_id: number; email: string; name: string },
    ): Promise<{ id: number; kind: string; municipality_id: number }> {
      return accounts.findOrCreateGuardian(trx, guardian);
    },

    /** Whether the account has an identity number on file. */
    async hasNationalId(trx: Knex.Transaction, userId: number): Promise<boolean> {
      return Boolean((await accounts.byId(userId, trx))?.national_id_hash);
    },

    /**
     * A staff member who left: the account is switched off, every session ends now and every open link
     * is withdrawn, in the caller's transaction. False when it was deactivated already.
     */
    /** A sign-in recorded (time, way in, level) for the person's own page, and the account taken into use. */
    async recordSignIn(userId: number, method: string, level: string | null, now: Date): Promise<void> {
      await accounts.recordSignIn(userId, method, level, now);
      await accounts.activate(userId, now);
    },

    /** A language chosen before sign-in becomes the account's choice when it has none yet. */
    adoptLocale(userId: number, locale: string): Promise<void> {
      return accounts.adoptLocale(userId, locale);
    },

    async deactivate(trx: Knex.Transaction, userId: number): Promise<boolean> {
      const now = deps.now();
      const changed = await accounts.disable(userId, now, trx);
      await accounts.endSessions(userId, 'deactivated', now, trx);
      await tokens.revokeAll(userId, now, trx);
      return changed;
    },

    lastSignIns(userId: number, limit = 10) {
      return accounts.lastSignIns(userId, limit);
    },

    setLocale(userId: number, locale: string) {
      return accounts.setLocale(userId, locale);
    },

    byId(userId: number) {
      return accounts.byId(userId);
    },
  };
}

export type AccountService = ReturnType<typeof accountService>;
