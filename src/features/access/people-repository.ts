/** SQL for the lists by role: the actor's measures, the family's logs, a unit's logs and staff, the municipality's units. */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';

export interface ActorMeasureRow {
  log_id: number;
  log_status: string;
  first_name: string;
  last_name: string;
  holder_name: string;
  unit_name: string;
  measure_id: number;
  text: string;
  deadline: string;
  status: string;
  concern_title: string;
}

export interface FamilyLogRow {
  id: number;
  first_name: string;
  last_name: string;
  birth_date: string;
  child_user_id: number | null;
  plan_type: string;
  status: string;
  holder_name: string;
  unit_name: string;
}

export interface UnitLogRow {
  id: number;
  first_name: string;
  last_name: string;
  birth_date: string;
  plan_type: string;
  status: string;
  holder_name: string;
  valid_until: string | null;
  withdrawn: boolean;
}

export interface StaffRow {
  user_id: number;
  name: string;
  email: string;
  title: string;
  is_leader: boolean;
  is_superuser: boolean;
  may_hold: boolean;
  may_be_actor: boolean;
  logs_held: number;
  disabled_at: Date | null;
  /** "120313 *****": the identity number is never read in full. */
  national_id_masked: string | null;
  other_units: number;
}

export interface UnitRow {
  id: number;
  name: string;
  kind: string;
  district_id: number;
  district_name: string;
  municipality_id: number;
}

export function peopleRepository(db: Db) {
  return {
    actorMeasures(userId: number, municipalityId: number): Promise<ActorMeasureRow[]> {
      return db('measures as m')
        .join('logs as l', 'l.id', 'm.log_id')
        .join('children as c', 'c.id', 'l.child_id')
        .join('users as h', 'h.id', 'l.holder_id')
        .join('units as u', 'u.id', 'l.unit_id')
        .join('concerns as k', 'k.id', 'm.concern_id')
        .where({
          'm.responsible': 'actor',
          'm.responsible_user_id': userId,
          'c.municipality_id': municipalityId,
        })
        .orderBy([
          { column: 'l.status' },
          { column: 'c.first_name' },
          { column: 'l.id' },
          { column: 'm.deadline' },
          { column: 'm.id' },
        ])
        .select(
          'l.id as log_id',
          'l.status as log_status',
          'c.first_name',
          'c.last_name',
          'h.name as holder_name',
          'u.name as unit_name',
          'm.id as measure_id',
          'm.text',
          'm.deadline',
          'm.status',
          'k.title as concern_title',
        );
    },

    /** A guardian's children's logs, or a youth's own. */
    familyLogs(userId: number, kind: 'guardian' | 'youth'): Promise<FamilyLogRow[]> {
      const query = db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .join('users as h', 'h.id', 'l.holder_id')
        .join('units as u', 'u.id', 'l.unit_id')
        .orderBy([{ column: 'l.status' }, { column: 'c.first_name' }, { column: 'l.id' }])
        .select(
          'l.id',
          'c.first_name',
          'c.last_name',
          'c.birth_date',
          'c.user_id as child_user_id',
          'l.plan_type',
          'l.status',
          'h.name as holder_name',
          'u.name as unit_name',
        );
      if (kind === 'youth') return query.where('c.user_id', userId);
      return query.where((q) =>
        q
          .whereExists(db('log_guardians as g').whereRaw('g.log_id = l.id').where('g.user_id', userId))
          .orWhereExists(
            db('child_guardians as g').whereRaw('g.child_id = l.child_id').where('g.user_id', userId),
          ),
      );
    },

    findUnit(unitId: number): Promise<UnitRow | undefined> {
      return db('units as u')
        .join('districts as d', 'd.id', 'u.district_id')
        .where('u.id', unitId)
        .first('u.id', 'u.name', 'u.kind', 'u.district_id', 'd.name as district_name', 'd.municipality_id');
    },

    unitLogs(unitId: number): Promise<UnitLogRow[]> {
      return db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .join('users as h', 'h.id', 'l.holder_id')
        .where('l.unit_id', unitId)
        .orderBy([
          { column: 'l.status' },
          { column: 'h.name' },
          { column: 'c.first_name' },
          { column: 'l.id' },
        ])
        .select(
          'l.id',
          'c.first_name',
          'c.last_name',
          'c.birth_date',
          'l.plan_type',
          'l.status',
          'h.name as holder_name',
          db.raw(
            `(SELECT max(k.valid_until)::text FROM consents k WHERE k.log_id = l.id AND k.withdrawn_at IS NULL) AS valid_until`,
          ),
          db.raw(
            `NOT EXISTS (SELECT 1 FROM consents k WHERE k.log_id = l.id AND k.withdrawn_at IS NULL) AS withdrawn`,
          ),
        );
    },

    /** Transfers waiting for an answer, sent from or to the unit. */
    pendingTransfers(unitId: number) {
      return db('transfers as t')
        .join('logs as l', 'l.id', 't.log_id')
        .join('children as c', 'c.id', 'l.child_id')
        .join('users as f', 'f.id', 't.from_holder_id')
        .join('units as fu', 'fu.id', 't.from_unit_id')
        .join('units as tu', 'tu.id', 't.to_unit_id')
        .leftJoin('users as r', 'r.id', 't.to_user_id')
        .where('t.status', 'pending')
        .where((q) => q.where('t.from_unit_id', unitId).orWhere('t.to_unit_id', unitId))
        .orderBy('t.created_at')
        .select(
          't.id',
          't.log_id',
          'c.first_name',
          'c.last_name',
          'f.name as from_holder',
          'fu.name as from_unit',
          'tu.name as to_unit',
          'r.name as to_user',
          't.created_at',
        ) as Promise<
        {
          id: number;
          log_id: number;
          first_name: string;
          last_name: string;
          from_holder: string;
          from_unit: string;
          to_unit: string;
          to_user: string | null;
          created_at: Date;
        }[]
      >;
    },

    staff(unitId: number): Promise<StaffRow[]> {
      return db('unit_memberships as m')
        .join('users as u', 'u.id', 'm.user_id')
        .where('m.unit_id', unitId)
        .orderBy('u.name')
        .select(
          'u.id as user_id',
          'u.name',
          'u.email',
          'm.title',
          'm.is_leader',
          'm.is_superuser',
          'm.may_hold',
          'm.may_be_actor',
          db.raw(
            `(SELECT count(*)::int FROM logs l WHERE l.unit_id = m.unit_id AND l.holder_id = m.user_id) AS logs_held`,
          ),
          'u.disabled_at',
          'u.national_id_masked',
          db.raw(
            `(SELECT count(*)::int FROM unit_memberships o WHERE o.user_id = m.user_id AND o.unit_id <> m.unit_id) AS other_units`,
          ),
        );
    },
    /** The logs a person holds in the unit (for handing them on after the person left). */
    logsHeldBy(
      unitId: number,
      userId: number,
    ): Promise<{ id: number; first_name: string; last_name: string; status: string }[]> {
      return db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .where({ 'l.unit_id': unitId, 'l.holder_id': userId })
        .orderBy([{ column: 'l.status' }, { column: 'c.first_name' }, { column: 'l.id' }])
        .select('l.id', 'c.first_name', 'c.last_name', 'l.status');
    },
    async member(unitId: number, userId: number): Promise<StaffRow | undefined> {
      return (await this.staff(unitId)).find((s) => s.user_id === userId);
    },
    userByEmail(
      email: string,
    ): Promise<
      { id: number; kind: string; municipality_id: number; is_municipal_admin: boolean } | undefined
    > {
      return db('users')
        .whereRaw('lower(email) = lower(?)', [email])
        .first('id', 'kind', 'municipality_id', 'is_municipal_admin');
    },
    /**
     * The staff member with this e-mail in the municipality, created (without a password) if new; a
     * simultaneous save that creates the same person first is waited for and its row used.
     */
    async findOrCreateStaff(
      trx: Knex.Transaction,
      municipalityId: number,
      email: string,
      name: string,
    ): Promise<number> {
      const find = () => trx('users').whereRaw('lower(email) = lower(?)', [email]).first('id');
      const existing = await find();
      if (existing) return existing.id as number;
      const [row] = await trx('users')
        .insert({ municipality_id: municipalityId, email, name, kind: 'staff' })
        .onConflict(trx.raw('(lower(email))'))
        .ignore()
        .returning('id');
      return (row ?? (await find())).id as number;
    },
    /** Changes a membership, in the transaction when one is given. */
    updateMembership(
      trx: Knex.Transaction | null,
      unitId: number,
      userId: number,
      fields: Record<string, unknown>,
    ) {
      return (trx ?? db)('unit_memberships').where({ unit_id: unitId, user_id: userId }).update(fields);
    },
    /** A new membership; false when the person is a member already (added by a simultaneous save). */
    async addMembership(trx: Knex.Transaction, row: Record<string, unknown>): Promise<boolean> {
      const added = await trx('unit_memberships')
        .insert(row)
        .onConflict(['unit_id', 'user_id'])
        .ignore()
        .returning('user_id');
      return added.length > 0;
    },
    /** Makes the person a leader of the unit: a new membership, or the leader flag on their present one. */
    async appointLeader(trx: Knex.Transaction, unitId: number, userId: number): Promise<void> {
      await trx('unit_memberships')
        .insert({ unit_id: unitId, user_id: userId, title: '', is_leader: true, may_hold: true })
        .onConflict(['unit_id', 'user_id'])
        .merge({ is_leader: true });
    },
    removeMembership(unitId: number, userId: number) {
      return db('unit_memberships').where({ unit_id: unitId, user_id: userId }).delete();
    },

    units(municipalityId: number) {
      return db('units as u')
        .join('districts as d', 'd.id', 'u.district_id')
        .where('d.municipality_id', municipalityId)
        .orderBy([{ column: 'd.name' }, { column: 'u.name' }])
        .select(
          'u.id',
          'u.name',
          'u.kind',
          'd.name as district_name',
          db.raw(
            `(SELECT string_agg(x.name, ', ' ORDER BY x.name) FROM unit_memberships m JOIN users x ON x.id = m.user_id WHERE m.unit_id = u.id AND m.is_leader) AS leaders`,
          ),
          db.raw(`(SELECT count(*)::int FROM unit_memberships m WHERE m.unit_id = u.id) AS staff_count`),
        ) as Promise<
        {
          id: number;
          name: string;
          kind: string;
          district_name: string;
          leaders: string | null;
          staff_count: number;
        }[]
      >;
    },
    districts(municipalityId: number): Promise<{ id: number; name: string }[]> {
      return db('districts').where({ municipality_id: municipalityId }).orderBy('name').select('id', 'name');
    },
    async addUnit(row: { district_id: number; name: string; kind: string }): Promise<number> {
      const [inserted] = await db('units').insert(row).returning('id');
      return inserted.id as number;
    },
  };
}

export type PeopleRepository = ReturnType<typeof peopleRepository>;
