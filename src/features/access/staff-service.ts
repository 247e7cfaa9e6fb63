/**
 * Rules for a unit's staff and leaders. Adding someone new creates a staff account and invites them by
 * e-mail (a single-use link, sent once the change is saved); their identity number, if typed, is kept
 * as a hash for ID-porten and must agree with one already on file — where ID-porten is used, it is
 * required for a person who has none. Nobody removes themselves; someone who holds logs in the unit keeps
 * the may-hold flag and their place until the logs are transferred; leaders are appointed and
 * removed by the municipal administrator (and invited the same way).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlainMessageKey } from '../../i18n/index.js';
import type { Membership } from '../../types.js';
import type { PeopleRepository, StaffRow } from './people-repository.js';
import type { Transaction } from '../../db/handles.js';
import type { StaffValues } from './forms.js';
import type { AccountService, InvitationService } from '../auth/index.js';

export type StaffResult = { ok: true } | { ok: false; error: PlainMessageKey; field?: string };

/** The roles a unit membership can give, as columns; `membership.revoke.<column>` when one is taken away. */
export const ROLE_COLUMNS = ['may_hold', 'may_be_actor', 'is_superuser'] as const;
export type RoleColumn = (typeof ROLE_COLUMNS)[number];

export interface RoleChange {
  /** The roles the change takes away. */
  taken: RoleColumn[];
  /** Nothing would be left: no role and not the leader. Such a change is confirmed first. */
  noneLeft: boolean;
}

function flagsOf(values: StaffValues, unit: Membership, member?: StaffRow) {
  return {
    title: values.title,
    may_hold: values.flags.includes('mayHold'),
    may_be_actor: values.flags.includes('mayBeActor'),
    // Only the leader names superusers; a superuser's change leaves the flag as it was.
    is_superuser: unit.isLeader ? values.flags.includes('isSuperuser') : (member?.is_superuser ?? false),
  };
}

/** What the service needs. */
export type StaffDeps = Pick<FastifyInstance, 'audit' | 'config'> & {
  people: PeopleRepository;
  transaction: Transaction;
  accounts: AccountService;
  invitations: InvitationService;
};

export function staffService(deps: StaffDeps) {
  const { people, accounts, invitations } = deps;
  const role = (unit: Membership) => (unit.isLeader ? 'leader' : 'superuser');

  /** What a change of the member's roles takes away. */
  const roleChange = (unit: Membership, member: StaffRow, values: StaffValues): RoleChange => {
    const after = flagsOf(values, unit, member);
    return {
      taken: ROLE_COLUMNS.filter((c) => member[c] && !after[c]),
      noneLeft: !member.is_leader && ROLE_COLUMNS.every((c) => !after[c]),
    };
  };

  /** Why the change cannot be made, or null: someone who holds logs keeps may-hold. */
  const updateProblem = (unit: Membership, member: StaffRow, values: StaffValues): PlainMessageKey | null =>
    !flagsOf(values, unit, member).may_hold && member.logs_held > 0 ? 'staff.err.holdsLogs' : null;

  return {
    async add(request: FastifyRequest, unit: Membership, values: StaffValues): Promise<StaffResult> {
      const user = request.user!;
      const existing = await people.userByEmail(values.email);
      if (
        existing &&
        (existing.municipality_id !== user.municipalityId ||
          existing.kind !== 'staff' ||
          existing.is_municipal_admin)
      ) {
        return { ok: false, error: 'staff.err.notStaff' };
      }
      if (existing && (await people.member(unit.unitId, existing.id)))
        return { ok: false, error: 'staff.err.already' };
      const outcome = await deps
        .transaction(async (trx) => {
          const id = await people.findOrCreateStaff(trx, user.municipalityId, values.email, values.name);
          if (values.nationalId) {
            if ((await accounts.registerNationalId(trx, id, values.nationalId)) === 'other')
              throw new StaffRefused('staff.err.nationalIdOther');
          } else if (deps.config.idporten && !(await accounts.hasNationalId(trx, id))) {
            throw new StaffRefused('staff.err.nationalIdRequired');
          }
          // Added by a simultaneous save a moment ago: the same answer as when already a member.
          const added = await people.addMembership(trx, {
            unit_id: unit.unitId,
            user_id: id,
            ...flagsOf(values, unit),
          });
          if (!added) return null;
          await invitations.inviteIfNew(trx, id, user.id);
          return id;
        })
        .catch((error: unknown) => {
          if (error instanceof StaffRefused) return error;
          throw error;
        });
      if (outcome instanceof StaffRefused) return { ok: false, error: outcome.key, field: 'nationalId' };
      const userId = outcome;
      if (userId === null) return { ok: false, error: 'staff.err.already' };
      await deps.audit(request, {
        action: 'membership.create',
        objectType: 'user',
        objectId: userId,
        role: role(unit),
        unitId: unit.unitId,
      });
      return { ok: true };
    },

    roleChange,
    updateProblem,

    /** Saves title and roles; the change and each role taken away are recorded, in the same transaction. */
    async update(
      request: FastifyRequest,
      unit: Membership,
      member: StaffRow,
      values: StaffValues,
    ): Promise<StaffResult> {
      const problem = updateProblem(unit, member, values);
      if (problem) return { ok: false, error: problem };
      const { taken } = roleChange(unit, member, values);
      const refused = await deps
        .transaction(async (trx) => {
          await people.updateMembership(trx, unit.unitId, member.user_id, flagsOf(values, unit, member));
          const actions = ['membership.update', ...taken.map((c) => `membership.revoke.${c}`)];
          // An identity number typed for someone who has none is stored; another than theirs is refused.
          if (values.nationalId) {
            const registered = await accounts.registerNationalId(trx, member.user_id, values.nationalId);
            if (registered === 'other') throw new StaffRefused('staff.err.nationalIdOther');
            if (registered === 'set') actions.push('user.national_id.set');
          }
          for (const action of actions) {
            await deps.audit(
              request,
              { action, objectType: 'user', objectId: member.user_id, role: role(unit), unitId: unit.unitId },
              trx,
            );
          }
          return null;
        })
        .catch((error: unknown) => {
          if (error instanceof StaffRefused) return error;
          throw error;
        });
      if (refused) return { ok: false, error: refused.key, field: 'nationalId' };
      return { ok: true };
    },

    async remove(request: FastifyRequest, unit: Membership, member: StaffRow): Promise<StaffResult> {
      if (member.user_id === request.user!.id) return { ok: false, error: 'staff.err.self' };
      if (member.is_leader) return { ok: false, error: 'staff.err.leader' };
      if (member.logs_held > 0) return { ok: false, error: 'staff.err.holdsLogsRemove' };
      await people.removeMembership(unit.unitId, member.user_id);
      await deps.audit(request, {
        action: 'membership.remove',
        objectType: 'user',
        objectId: member.user_id,
        role: role(unit),
        unitId: unit.unitId,
      });
      return { ok: true };
    },

    /** The administrator appoints a leader: the person (found or created) becomes a leader of the unit. */
    async appointLeader(
      request: FastifyRequest,
      unitId: number,
      email: string,
      name: string,
    ): Promise<StaffResult> {
      const user = request.user!;
      const existing = await people.userByEmail(email);
      if (existing && (existing.municipality_id !== user.municipalityId || existing.kind !== 'staff')) {
        return { ok: false, error: 'staff.err.notStaff' };
      }
      const userId = await deps.transaction(async (trx) => {
        const id = await people.findOrCreateStaff(trx, user.municipalityId, email, name);
        await people.appointLeader(trx, unitId, id);
        await invitations.inviteIfNew(trx, id, user.id);
        return id;
      });
      await deps.audit(request, {
        action: 'leader.appoint',
        objectType: 'user',
        objectId: userId,
        role: 'admin',
        unitId,
      });
      return { ok: true };
    },

    /** A new invitation for a member who has not taken their account into use; audited when sent. */
    async reinvite(request: FastifyRequest, unit: Membership, userId: number): Promise<boolean> {
      const sent = await deps.transaction((trx) => invitations.inviteIfNew(trx, userId, request.user!.id));
      if (sent)
        await deps.audit(request, {
          action: 'invitation.send',
          objectType: 'user',
          objectId: userId,
          role: role(unit),
          unitId: unit.unitId,
        });
      return sent;
    },

    /** Deactivates the member's account (audited in the same transaction when it changed). */
    async deactivate(request: FastifyRequest, unit: Membership, userId: number): Promise<void> {
      await deps.transaction(async (trx) => {
        if (await accounts.deactivate(trx, userId))
          await deps.audit(
            request,
            {
              action: 'user.deactivate',
              objectType: 'user',
              objectId: userId,
              role: role(unit),
              unitId: unit.unitId,
            },
            trx,
          );
      });
    },

    async removeLeader(request: FastifyRequest, unitId: number, userId: number): Promise<boolean> {
      const changed = await people.updateMembership(null, unitId, userId, { is_leader: false });
      if (changed)
        await deps.audit(request, {
          action: 'leader.remove',
          objectType: 'user',
          objectId: userId,
          role: 'admin',
          unitId,
        });
      return Boolean(changed);
    },
  };
}

/** A rule refused the change inside its transaction: nothing of it is kept. */
class StaffRefused extends Error {
  constructor(readonly key: PlainMessageKey) {
    super(key);
  }
}

export type StaffService = ReturnType<typeof staffService>;
