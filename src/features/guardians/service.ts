/**
 * A log's guardians, kept by the holder: registered with name, e-mail and (if known) identity number —
 * a guardian already registered with that number is the same person — and invited by e-mail until
 * they take their account into use; removed when they are no longer the child's guardian, which ends
 * their access to the child's logs at once (the access check reads the registration on every request).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlainMessageKey } from '../../i18n/index.js';
import type { AccountService, InvitationService } from '../auth/index.js';
import type { LogAccess } from '../../plugins/access/index.js';
import type { GuardiansRepository } from './repository.js';
import type { Transaction } from '../../db/handles.js';
import type { GuardianValues } from './form.js';

export type GuardianResult =
  { ok: true; userId: number } | { ok: false; error: PlainMessageKey; field: string };

class Refused extends Error {
  constructor(
    readonly error: PlainMessageKey,
    readonly field: string,
  ) {
    super(error);
  }
}

/** What the service needs. */
export type GuardiansDeps = Pick<FastifyInstance, 'audit'> & {
  repository: GuardiansRepository;
  transaction: Transaction;
  accounts: AccountService;
  invitations: InvitationService;
};

export function guardiansService(deps: GuardiansDeps) {
  const { repository, accounts, invitations } = deps;

  return {
    async list(access: LogAccess) {
      const guardians = await repository.list(access.log.id, access.log.child_id);
      return { guardians, invitations: await invitations.status(guardians.map((g) => g.user_id)) };
    },

    async add(request: FastifyRequest, access: LogAccess, input: GuardianValues): Promise<GuardianResult> {
      const user = request.user!;
      const municipalityId = access.log.municipality_id;
      try {
        const userId = await deps.transaction(async (trx) => {
          const known = input.nationalId
            ? await accounts.findByNationalId(trx, municipalityId, 'guardian', input.nationalId)
            : undefined;
          const guardian =
            known ??
            (await accounts.findOrCreateGuardian(trx, {
              municipality_id: municipalityId,
              email: input.email,
              name: input.name,
            }));
          if (guardian.kind !== 'guardian' || guardian.municipality_id !== municipalityId)
            throw new Refused('err.guardianEmail.staff', 'email');
          if (
            input.nationalId &&
            (await accounts.registerNationalId(trx, guardian.id, input.nationalId)) === 'other'
          )
            throw new Refused('err.guardianNationalId.other', 'nationalId');
          if (!(await repository.add(trx, access.log.id, access.log.child_id, guardian.id)))
            throw new Refused('guardians.err.already', 'email');
          await invitations.inviteIfNew(trx, guardian.id, user.id);
          await deps.audit(
            request,
            { action: 'guardian.add', objectType: 'user', objectId: guardian.id, logId: access.log.id },
            trx,
          );
          return guardian.id;
        });
        return { ok: true, userId };
      } catch (error) {
        if (error instanceof Refused) return { ok: false, error: error.error, field: error.field };
        throw error;
      }
    },

    async remove(request: FastifyRequest, access: LogAccess, userId: number): Promise<void> {
      await deps.transaction(async (trx) => {
        await repository.remove(trx, access.log.child_id, userId);
        await deps.audit(
          request,
          { action: 'guardian.remove', objectType: 'user', objectId: userId, logId: access.log.id },
          trx,
        );
      });
    },

    /** A new invitation for a guardian who has not taken their account into use. */
    async reinvite(request: FastifyRequest, access: LogAccess, userId: number): Promise<boolean> {
      const sent = await deps.transaction((trx) => invitations.inviteIfNew(trx, userId, request.user!.id));
      if (sent)
        await deps.audit(request, {
          action: 'invitation.send',
          objectType: 'user',
          objectId: userId,
          logId: access.log.id,
        });
      return sent;
    },
  };
}

export type GuardiansService = ReturnType<typeof guardiansService>;
