/**
 * Measures and the rules about them:
 *  3. exactly one responsible party (the form's radios; the database CHECK as well);
 *  4. an actor has at most one active measure per concern (checked here; the partial unique index is
 *     the last guard, and its violation gives the same message, never a 500);
 *  5. a home measure is the guardians' (no person is chosen);
 *  6. text, responsible and deadline can be changed for 8 hours after the text was written; after
 *     that only by evaluating the measure as misregistered (evaluations feature).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import type { Translate } from '../../i18n/index.js';
import type { FieldError } from '../../lib/form.js';
import { NotFoundError, type LogAccess, type MeasureAccess } from '../../plugins/access/index.js';
import { isUniqueViolation } from '../../db/form-submissions.js';
import type { Once, PreviousResult, Transaction } from '../../db/handles.js';
import { Refused, type OnceResult } from '../../lib/form.js';
import type { GoalRow } from './goal-repository.js';
import type { MeasureInput } from './measure-form.js';
import type { ActorOption, MeasureFields, MeasureRepository } from './measure-repository.js';
import type { MeasureRow } from '../../domain/plan.js';
import type { Notice } from '../notifications/index.js';
import { osloDate } from '../../lib/dates.js';

export const EDIT_WINDOW_MS = 8 * 60 * 60 * 1000;
export const ACTIVE_PER_ACTOR_INDEX = 'measures_one_active_per_actor';

/** The measure's columns from the form's input, as created and as edited. */
const measureFields = (input: MeasureInput): MeasureFields => ({
  text: input.text,
  responsible: input.responsible,
  responsible_user_id: input.responsibleUserId,
  start_date: input.startDate,
  deadline: input.deadline,
  status: input.status,
});

/** Rule 6: may the text, responsible party and deadline still be changed? */
export function editWindowOpen(measure: Pick<MeasureRow, 'text_written_at' | 'status'>, now: Date): boolean {
  return (
    measure.status !== 'evaluated' &&
    now.getTime() - new Date(measure.text_written_at).getTime() < EDIT_WINDOW_MS
  );
}

export function editWindowEnds(measure: Pick<MeasureRow, 'text_written_at'>): Date {
  return new Date(new Date(measure.text_written_at).getTime() + EDIT_WINDOW_MS);
}

export type UpdateResult =
  | { ok: true; measure: MeasureRow }
  | { ok: false; reason: 'conflict'; current: MeasureRow }
  | { ok: false; reason: 'locked' }
  | { ok: false; reason: 'invalid'; errors: FieldError[] };

/** What the service needs. */
export type MeasureDeps = Pick<FastifyInstance, 'now' | 'audit'> & {
  repository: MeasureRepository;
  once: Once;
  previousResult: PreviousResult;
  transaction: Transaction;
  notify: (notice: Notice) => Promise<void>;
};

export function measureService(deps: MeasureDeps) {
  const { repository } = deps;
  const entry = (access: LogAccess, action: string, id: number) =>
    ({ action, objectType: 'measure', objectId: id, logId: access.log.id, role: access.role }) as const;

  /** Rule 4 (and a known actor): errors on the actor field, or none. */
  async function checkResponsible(
    t: Translate,
    access: LogAccess,
    concernId: number,
    input: Pick<MeasureInput, 'responsible' | 'responsibleUserId'>,
    fieldId: string,
    exceptId: number | null,
    trx?: Knex.Transaction,
  ): Promise<FieldError[]> {
    if (input.responsible !== 'actor' || !input.responsibleUserId) return [];
    const actor = (await repository.actors(access.log, trx)).find((a) => a.id === input.responsibleUserId);
    if (!actor) return [{ text: t('measure.error.actorUnknown'), href: `#${fieldId}` }];
    const busy = await repository.activeForActor(concernId, actor.id, exceptId, trx);
    return busy ? [busyError(t, actor.name, fieldId)] : [];
  }

  function busyError(t: Translate, name: string, fieldId: string): FieldError {
    return { text: t('measure.error.actorBusy', { name }), href: `#${fieldId}` };
  }

  /** The insert, inside a caller's transaction (also used for the corrected measure after misregistration). */
  async function insert(
    trx: Knex.Transaction,
    request: FastifyRequest,
    access: LogAccess,
    goal: Pick<GoalRow, 'id' | 'concern_id'>,
    input: MeasureInput,
    extra: { corrects_measure_id?: number; position?: number } = {},
  ): Promise<number> {
    const id = await repository.insert(
      trx,
      {
        log_id: access.log.id,
        concern_id: goal.concern_id,
        goal_id: goal.id,
        ...measureFields(input),
        created_by: request.user!.id,
        ...extra,
      },
      input.steps,
      deps.now(),
    );
    await deps.audit(request, entry(access, 'measure.create', id), trx);
    return id;
  }

  /** Runs `work`; a violation of rule 4's index (a simultaneous save) becomes the actor error. */
  async function guardIndex<T>(
    t: Translate,
    access: LogAccess,
    input: MeasureInput,
    fieldId: string,
    work: () => Promise<T>,
  ) {
    try {
      return await work();
    } catch (error) {
      if (!isUniqueViolation(error, ACTIVE_PER_ACTOR_INDEX)) throw error;
      const actor = (await repository.actors(access.log)).find((a) => a.id === input.responsibleUserId);
      throw new Refused([busyError(t, actor?.name ?? '', fieldId)]);
    }
  }

  return {
    /** Where the first use of the form token led, for the same user; '' if unknown. */
    previousResult: (token: string, userId: number) => deps.previousResult(token, userId),
    checkResponsible,
    insert,
    guardIndex,
    actors: (access: LogAccess): Promise<ActorOption[]> => repository.actors(access.log),
    /** Every step's text, done or not (a corrected measure starts from them). */
    steps: async (measureId: number) => (await repository.steps(measureId)).map((s) => s.text),
    /** The staircase with each step's progress. */
    staircase: (measureId: number) => repository.steps(measureId),

    /**
     * Marks a step of the measure done today (Oslo) by this person, or not done. A measure that is
     * evaluated keeps its staircase as it was.
     */
    async markStep(
      request: FastifyRequest,
      access: MeasureAccess,
      stepId: number | null,
      done: boolean,
    ): Promise<'ok' | 'missing' | 'evaluated'> {
      if (access.measure.status === 'evaluated') return 'evaluated';
      const marked = stepId
        ? await repository.markStep(
            access.measure.id,
            stepId,
            done ? { on: osloDate(deps.now()), by: request.user!.id } : null,
          )
        : false;
      if (!marked) return 'missing';
      await deps.audit(request, {
        ...entry(access, done ? 'measure.step.done' : 'measure.step.undone', access.measure.id),
        unitId: access.unitId,
      });
      return 'ok';
    },

    /** The measure, locked for the rest of the transaction (evaluation). */
    async lock(trx: Knex.Transaction, access: LogAccess, measureId: number): Promise<MeasureRow> {
      const measure = await repository.findInLog(access.log.id, measureId, trx);
      if (!measure) throw new NotFoundError();
      return measure;
    },

    /** After its evaluation a measure is 'evaluated': no longer active (rule 4) and no longer editable. */
    async markEvaluated(trx: Knex.Transaction, access: LogAccess, measure: MeasureRow): Promise<void> {
      const saved = await repository.update(
        trx,
        access.log.id,
        measure.id,
        measure.version,
        { status: 'evaluated' },
        deps.now(),
      );
      if (!saved) throw new Error('measure changed while locked');
    },

    async measure(access: LogAccess, measureId: number | null): Promise<MeasureRow> {
      const measure = measureId ? await repository.findInLog(access.log.id, measureId) : undefined;
      if (!measure) throw new NotFoundError();
      return measure;
    },

    /** Creates once per token; throws Refused(errors) when rule 4 stops it. */
    create(
      request: FastifyRequest,
      access: LogAccess,
      goal: GoalRow,
      input: MeasureInput,
      token: string,
      fieldId: string,
    ): Promise<OnceResult> {
      return guardIndex(request.t, access, input, fieldId, () =>
        deps.once(token, request.user!.id, async (trx) => {
          const errors = await checkResponsible(
            request.t,
            access,
            goal.concern_id,
            input,
            fieldId,
            null,
            trx,
          );
          if (errors.length) throw new Refused(errors);
          const id = await insert(trx, request, access, goal, input);
          return `/logs/${access.log.id}#measure-${id}`;
        }),
      ).then(async (done) => {
        // The actor hears of it by e-mail (nothing about the child in it); not when assigning oneself.
        if (
          done.first &&
          input.responsible === 'actor' &&
          input.responsibleUserId &&
          input.responsibleUserId !== request.user!.id
        ) {
          await deps.notify({
            kind: 'measure_assigned',
            userIds: [input.responsibleUserId],
            logId: access.log.id,
          });
        }
        return done;
      });
    },

    async update(
      request: FastifyRequest,
      access: LogAccess,
      measure: MeasureRow,
      version: number,
      input: MeasureInput,
      fieldId: string,
    ): Promise<UpdateResult> {
      let previousActor: number | null = null;
      try {
        const result = await guardIndex(request.t, access, input, fieldId, () =>
          deps.transaction(async (trx): Promise<UpdateResult> => {
            const current = await repository.findInLog(access.log.id, measure.id, trx);
            if (!current) throw new NotFoundError();
            previousActor = current.responsible_user_id;
            if (!editWindowOpen(current, deps.now())) return { ok: false, reason: 'locked' };
            if (current.version !== version) return { ok: false, reason: 'conflict', current };
            const errors = await checkResponsible(
              request.t,
              access,
              current.concern_id,
              input,
              fieldId,
              current.id,
              trx,
            );
            if (errors.length) return { ok: false, reason: 'invalid', errors };
            const saved = await repository.update(
              trx,
              access.log.id,
              current.id,
              version,
              measureFields(input),
              deps.now(),
            );
            if (!saved) return { ok: false, reason: 'conflict', current };
            await repository.saveSteps(trx, current.id, input.steps);
            await deps.audit(request, entry(access, 'measure.update', current.id), trx);
            return { ok: true, measure: saved };
          }),
        );
        // A measure handed to another actor: the new actor hears of it, as on create.
        const newActor = input.responsible === 'actor' ? input.responsibleUserId : null;
        if (result.ok && newActor && newActor !== previousActor && newActor !== request.user!.id) {
          await deps.notify({ kind: 'measure_assigned', userIds: [newActor], logId: access.log.id });
        }
        return result;
      } catch (error) {
        if (error instanceof Refused)
          return { ok: false, reason: 'invalid', errors: error.reason as FieldError[] };
        throw error;
      }
    },
  };
}

export type MeasureService = ReturnType<typeof measureService>;
