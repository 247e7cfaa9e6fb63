/**
 * SQL for accounts as people sign in over time: finding the account an identity belongs to (by the
 * hash of an identity number, a child's number, an e-mail address or an employee id), binding an
 * identity to an account, the sign-ins a person can look back on, and ending an account.
 */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';

export interface AccountRow {
  id: number;
  kind: 'staff' | 'guardian' | 'youth';
  name: string;
  email: string | null;
  municipality_id: number;
  municipality_name: string;
  is_municipal_admin: boolean;
  disabled_at: Date | null;
  national_id_hash: string | null;
  national_id_masked: string | null;
  employee_id: string | null;
  activated_at: Date | null;
  password_hash: string | null;
  /** The language the person chose; null until they choose one. */
  locale: string | null;
}

export interface ChildIdentityRow {
  id: number;
  user_id: number | null;
  first_name: string;
  last_name: string;
  birth_date: string;
  municipality_id: number;
}

export interface SignInRow {
  at: Date;
  method: string;
  level: string | null;
}

const ACCOUNT_COLUMNS = [
  'u.id',
  'u.kind',
  'u.name',
  'u.email',
  'u.municipality_id',
  'm.name as municipality_name',
  'u.is_municipal_admin',
  'u.disabled_at',
  'u.national_id_hash',
  'u.national_id_masked',
  'u.employee_id',
  'u.activated_at',
  'u.password_hash',
  'u.locale',
];

export function accountRepository(db: Db) {
  const accounts = (q: Knex | Knex.Transaction = db) =>
    q('users as u').join('municipalities as m', 'm.id', 'u.municipality_id').orderBy('u.id');

  return {
    /** A guardian's account by e-mail (case ignored), created if none; a simultaneous insert is no error. */
    async findOrCreateGuardian(
      trx: Knex.Transaction,
      guardian: { municipality_id: number; email: string; name: string },
    ): Promise<{ id: number; kind: string; municipality_id: number }> {
      const byEmail = () =>
        trx('users')
          .whereRaw('lower(email) = lower(?)', [guardian.email])
          .first('id', 'kind', 'municipality_id') as Promise<
          { id: number; kind: string; municipality_id: number } | undefined
        >;
      const existing = await byEmail();
      if (existing) return existing;
      await trx('users')
        .insert({ ...guardian, kind: 'guardian' })
        .onConflict(trx.raw('(lower(email))'))
        .ignore();
      return (await byEmail())!;
    },

    byId(id: number, trx?: Knex.Transaction): Promise<AccountRow | undefined> {
      return accounts(trx).where('u.id', id).first(ACCOUNT_COLUMNS);
    },

    byNationalIdHash(hash: string): Promise<AccountRow[]> {
      return accounts().where('u.national_id_hash', hash).select(ACCOUNT_COLUMNS);
    },

    byEmail(email: string): Promise<AccountRow[]> {
      return accounts().whereRaw('lower(u.email) = lower(?)', [email]).select(ACCOUNT_COLUMNS);
    },

    findByNationalIdHash(
      trx: Knex.Transaction,
      municipalityId: number,
      kind: string,
      hash: string,
    ): Promise<{ id: number; kind: string; municipality_id: number } | undefined> {
      return trx('users')
        .where({ municipality_id: municipalityId, kind, national_id_hash: hash })
        .whereNull('disabled_at')
        .orderBy('id')
        .first('id', 'kind', 'municipality_id');
    },

    staffByEmail(email: string): Promise<AccountRow[]> {
      return accounts()
        .where('u.kind', 'staff')
        .whereRaw('lower(u.email) = lower(?)', [email])
        .select(ACCOUNT_COLUMNS);
    },

    staffByEmployeeId(employeeId: string): Promise<AccountRow[]> {
      return accounts()
        .where('u.kind', 'staff')
        .whereRaw('lower(u.employee_id) = lower(?)', [employeeId])
        .select(ACCOUNT_COLUMNS);
    },

    /** Children with this identity number who have a log (active or passive), in any municipality. */
    childrenWithLogs(nationalId: string): Promise<ChildIdentityRow[]> {
      return db('children as c')
        .where('c.national_id', nationalId)
        .whereExists(db('logs as l').whereRaw('l.child_id = c.id').select(db.raw('1')))
        .orderBy('c.id')
        .select('c.id', 'c.user_id', 'c.first_name', 'c.last_name', 'c.birth_date', 'c.municipality_id');
    },

    /** The young person's own account, made the first time they sign in (and linked to them), or theirs. */
    async youthAccountFor(child: ChildIdentityRow, now: Date): Promise<number> {
      return db.transaction(async (trx) => {
        const locked = await trx('children').where({ id: child.id }).forUpdate().first('user_id');
        if (locked?.user_id) return locked.user_id as number;
        const [row] = await trx('users')
          .insert({
            municipality_id: child.municipality_id,
            email: null,
            name: `${child.first_name} ${child.last_name}`,
            kind: 'youth',
            created_at: now,
          })
          .returning('id');
        await trx('children').where({ id: child.id }).update({ user_id: row.id });
        return row.id as number;
      });
    },

    async setNationalId(userId: number, hash: string, masked: string, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('users')
        .where({ id: userId })
        .update({ national_id_hash: hash, national_id_masked: masked });
    },

    async setEmployeeId(userId: number, employeeId: string, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('users').where({ id: userId }).update({ employee_id: employeeId });
    },

    async setPassword(userId: number, hash: string, trx: Knex.Transaction): Promise<void> {
      await trx('users').where({ id: userId }).update({ password_hash: hash });
    },

    /** The account is in use: the first sign-in or accepted invitation. */
    async activate(userId: number, now: Date, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('users')
        .where({ id: userId })
        .whereNull('activated_at')
        .update({ activated_at: now });
    },

    async recordSignIn(userId: number, method: string, level: string | null, now: Date): Promise<void> {
      await db('sign_ins').insert({ user_id: userId, at: now, method, level });
    },

    lastSignIns(userId: number, limit: number): Promise<SignInRow[]> {
      return db('sign_ins')
        .where({ user_id: userId })
        .orderBy([
          { column: 'at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit)
        .select('at', 'method', 'level');
    },

    async setLocale(userId: number, locale: string | null): Promise<void> {
      await db('users').where({ id: userId }).update({ locale });
    },

    /** Stores the language as the person's choice unless they already have one. */
    async adoptLocale(userId: number, locale: string): Promise<void> {
      await db('users').where({ id: userId }).whereNull('locale').update({ locale });
    },

    /** Ends every live session of the person (reason as given). */
    async endSessions(userId: number, reason: string, now: Date, trx?: Knex.Transaction): Promise<number> {
      return (trx ?? db)('sessions')
        .where({ user_id: userId })
        .whereNull('ended_at')
        .update({ ended_at: now, ended_reason: reason });
    },

    async disable(userId: number, now: Date, trx: Knex.Transaction): Promise<boolean> {
      const changed = await trx('users')
        .where({ id: userId })
        .whereNull('disabled_at')
        .update({ disabled_at: now });
      return changed > 0;
    },

    /** The units the person is a member of (for telling accounts apart, and for deactivation). */
    memberships(userIds: number[]): Promise<{ user_id: number; unit_id: number; unit_name: string }[]> {
      if (!userIds.length) return Promise.resolve([]);
      return db('unit_memberships as m')
        .join('units as u', 'u.id', 'm.unit_id')
        .whereIn('m.user_id', userIds)
        .orderBy('u.name')
        .select('m.user_id', 'm.unit_id', 'u.name as unit_name');
    },
  };
}

export type AccountRepository = ReturnType<typeof accountRepository>;
