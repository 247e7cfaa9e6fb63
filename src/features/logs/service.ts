/** Rules for logs: creation only with consent, the holder's lists, the log page, concerns, life areas. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import type { CurrentUser } from '../../types.js';
import { osloDate } from '../../lib/dates.js';
import { claimToken, recordResult } from '../../db/form-submissions.js';
import type { PreviousResult, Transaction } from '../../db/handles.js';
import type { FieldError } from '../../lib/form.js';
import { LIFE_AREAS } from '../../domain/plan.js';
import type { LogListRow, LogsRepository } from './repository.js';
import type { Parts, Results } from '../../db/one-statement.js';
import type { PlanSection } from './plan-section.js';
import { identityNumbers } from '../../lib/national-id.js';
import { consentState } from './hints.js';
import type { CreateLogParsed, CreateLogValues } from './form.js';

/**
 * What the service needs: the data layer, and what logs needs from other features, handed in where the
 * services are put together (src/services.ts), so logs imports none of them: the guardians' accounts
 * and invitations (auth), and notices (notifications).
 */
export type LogsDeps = Pick<FastifyInstance, 'now' | 'audit' | 'config'> & {
  repository: LogsRepository;
  transaction: Transaction;
  previousResult: PreviousResult;
  /** The plan section of the log page, the print and meeting mode (plan-section.ts). */
  planSection: PlanSection;
  accounts: {
    findByNationalId(
      trx: Knex.Transaction,
      municipalityId: number,
      kind: 'guardian',
      nationalId: string,
    ): Promise<{ id: number; kind: string; municipality_id: number } | undefined>;
    findOrCreateGuardian(
      trx: Knex.Transaction,
      guardian: { municipality_id: number; email: string; name: string },
    ): Promise<{ id: number; kind: string; municipality_id: number }>;
    /** 'other' when the number belongs to someone else. */
    registerNationalId(trx: Knex.Transaction, userId: number, nationalId: string): Promise<string>;
  };
  invitations: {
    /** Invites a person who has never signed in; nothing for the others. */
    inviteIfNew(trx: Knex.Transaction, userId: number, invitedBy: number): Promise<unknown>;
  };
  /** Queues a notice (never throws): here, 'log_created' to the log's guardians. */
  notify(notice: { kind: 'log_created'; logId: number; userIds: number[] }): Promise<void>;
};

export type LogsService = ReturnType<typeof logsService>;

export function logsService(deps: LogsDeps) {
  const { repository } = deps;
  const { accounts, invitations, notify } = deps;
  const today = () => osloDate(deps.now());
  const identity = identityNumbers(deps.config.country);

  return {
    /** Runs parts as one statement, with audit rows written in it: the log page and the pages that share its sections. */
    statement: repository.statement,
    /** The log page's versions, as a part of a statement (page-cache.ts). */
    pageVersionsPart: repository.pageVersionsPart,

    today,
    planSection: deps.planSection,
    holdingUnits(user: CurrentUser) {
      return user.memberships.filter((m) => m.mayHold);
    },

    /** The holder's logs, active and passive; `also`: other parts of my logs, in the same statement. */
    async myLogs<P extends Parts>(user: CurrentUser, also: P = {} as P) {
      const { mine, ...rest } = await repository.statement({
        ...also,
        mine: repository.listForHolderPart(user.id, today()),
      });
      const rows = mine as LogListRow[];
      const withConsent = rows.map((r) => ({
        ...r,
        consent: consentState(
          r.valid_until
            ? { valid_until: r.valid_until, withdrawn_at: r.withdrawn ? new Date() : null }
            : undefined,
          today(),
        ),
      }));
      return {
        active: withConsent.filter((r) => r.status === 'active'),
        passive: withConsent.filter((r) => r.status === 'passive'),
        also: rest as unknown as Results<P>,
      };
    },

    /**
     * Creates child (if new), guardians, log and consent in one transaction. A child has one active log:
     * a create for a child who has one (also one made by a simultaneous post) is refused with the
     * message on the identity-number field, and says which log it is (for a link, if the person may see it).
     */
    async createLog(
      request: FastifyRequest,
      values: CreateLogValues,
      parsed: CreateLogParsed,
    ): Promise<{ logId: number } | { errors: FieldError[]; existingLogId?: number } | { redirect: string }> {
      const user = request.user!;
      const t = request.t;
      if (await repository.findChildElsewhere(user.municipalityId, parsed.nationalId)) {
        return { errors: [{ text: t('err.childNationalId.staff'), href: '#childNationalId' }] };
      }
      const errors: FieldError[] = [];
      const result = await deps
        .transaction(async (trx) => {
          if (!(await claimToken(trx, values.formToken, user.id))) return null;
          const child = await repository.lockChild(trx, {
            municipality_id: user.municipalityId,
            first_name: values.childFirstName,
            last_name: values.childLastName,
            birth_date: parsed.birthDate,
            national_id: parsed.nationalId,
          });
          const active = await repository.activeLogOfChild(trx, child.id);
          if (active) throw new ChildHasLog(active.id);
          const guardianIds: number[] = [];
          for (const [i, g] of values.guardians.entries()) {
            if (!g.email) continue;
            const nationalId = g.nationalId ? identity.normalize(g.nationalId) : '';
            // A guardian registered before with this number is the same person, whatever address is typed.
            const known = nationalId
              ? await accounts.findByNationalId(trx, user.municipalityId, 'guardian', nationalId)
              : undefined;
            const guardian =
              known ??
              (await accounts.findOrCreateGuardian(trx, {
                municipality_id: user.municipalityId,
                email: g.email,
                name: g.name,
              }));
            if (guardian.kind !== 'guardian' || guardian.municipality_id !== user.municipalityId) {
              errors.push({ text: t('err.guardianEmail.staff'), href: `#guardian${i + 1}Email` });
              continue;
            }
            if (nationalId && (await accounts.registerNationalId(trx, guardian.id, nationalId)) === 'other') {
              errors.push({ text: t('err.guardianNationalId.other'), href: `#guardian${i + 1}NationalId` });
              continue;
            }
            guardianIds.push(guardian.id);
            await repository.addChildGuardian(trx, child.id, guardian.id);
          }
          if (errors.length) throw new RollbackWithErrors();
          const allGuardians = await repository.childGuardianIds(trx, child.id);
          const logId = await repository.insertLog(trx, {
            child_id: child.id,
            plan_type: parsed.planType,
            level: parsed.level,
            holder_id: user.id,
            unit_id: parsed.unitId,
            startup_note: values.startupNote,
            created_by: user.id,
            created_at: deps.now(),
            updated_at: deps.now(),
          });
          const logGuardians = [...new Set([...guardianIds, ...allGuardians])];
          await repository.insertLogGuardians(trx, logId, logGuardians);
          // Guardians who have never signed in get an invitation (no child data in it); the others a notice.
          for (const id of guardianIds) await invitations.inviteIfNew(trx, id, user.id);
          await repository.insertConsent(trx, {
            log_id: logId,
            given_by: values.consentName,
            given_by_role: values.consentBy,
            given_on: parsed.consentGivenOn,
            valid_until: parsed.consentValidUntil,
            services: values.consentServices,
            services_note: values.consentServicesNote,
            recorded_by: user.id,
          });
          await recordResult(trx, values.formToken, `/logs/${logId}`);
          await deps.audit(
            request,
            {
              action: 'log.create',
              objectType: 'log',
              objectId: logId,
              logId,
              role: 'holder',
              unitId: parsed.unitId,
            },
            trx,
          );
          return logId;
        })
        .catch((error) => {
          if (error instanceof RollbackWithErrors) return undefined;
          if (error instanceof ChildHasLog) return error;
          throw error;
        });
      if (result instanceof ChildHasLog)
        return {
          errors: [{ text: t('err.childNationalId.hasLog'), href: '#childNationalId' }],
          existingLogId: result.logId,
        };
      if (result === undefined) return { errors };
      if (result === null)
        return { redirect: (await deps.previousResult(values.formToken, user.id)) || '/logs' };
      await notify({
        kind: 'log_created',
        logId: result,
        userIds: await repository.activeGuardianIds(result),
      });
      return { logId: result };
    },

    /** The consent in force (the newest not withdrawn; else the newest at all), for other features. */
    currentConsent(logId: number) {
      return repository.currentConsent(logId);
    },

    lifeAreas(logId: number) {
      return repository.lifeAreas(logId);
    },

    async saveLifeAreas(
      request: FastifyRequest,
      logId: number,
      areas: { area: string; going_well: string; wishes: string }[],
    ) {
      await deps.transaction(async (trx) => {
        for (const [position, a] of areas.entries()) {
          await repository.saveLifeArea(trx, {
            log_id: logId,
            area: a.area,
            going_well: a.going_well,
            wishes: a.wishes,
            position,
            updated_at: deps.now(),
          });
        }
        await deps.audit(
          request,
          { action: 'life_areas.update', objectType: 'log', objectId: logId, logId, role: 'holder' },
          trx,
        );
      });
    },
    LIFE_AREAS,
  };
}

class RollbackWithErrors extends Error {}

/** The child already has an active log: nothing of this create is kept. */
class ChildHasLog extends Error {
  constructor(readonly logId: number) {
    super('the child already has an active log');
  }
}
