/**
 * Evaluations (rule 7): once per measure, the family's view decides. A misregistered measure (rule 6)
 * is evaluated as such and the corrected measure is created in the same transaction, pointing back to
 * the old one (corrects_measure_id), so the history stays visible.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LogAccess } from '../../plugins/access/index.js';
import { isUniqueViolation } from '../../db/form-submissions.js';
import type { Once } from '../../db/handles.js';
import { Refused, type OnceResult } from '../../lib/form.js';
import type { MeasureInput } from './measure-form.js';
import type { MeasureRow } from '../../domain/plan.js';
import { type MeasureService } from './measure-service.js';
import type { Notice } from '../notifications/index.js';
import type { EvaluationInput } from './evaluation-form.js';
import { evaluationRepository, ONE_EVALUATION_CONSTRAINT } from './evaluation-repository.js';

export const ALREADY = 'already' as const;

/** What the service needs. */
export type EvaluationDeps = Pick<FastifyInstance, 'now' | 'audit'> & {
  measures: MeasureService;
  once: Once;
  notify: (notice: Notice) => Promise<void>;
};

export function evaluationService(deps: EvaluationDeps) {
  const repository = evaluationRepository();
  const { measures } = deps;

  /** A second evaluation (also a simultaneous one, caught by the UNIQUE constraint) is refused as 'already'. */
  async function onlyOnce<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error, ONE_EVALUATION_CONSTRAINT)) throw new Refused(ALREADY);
      throw error;
    }
  }

  return {
    /** Records the evaluation; throws Refused('already') when the measure was evaluated before. */
    evaluate(
      request: FastifyRequest,
      access: LogAccess,
      measure: MeasureRow,
      input: EvaluationInput,
      token: string,
    ): Promise<OnceResult> {
      return onlyOnce(() =>
        deps.once(token, request.user!.id, async (trx) => {
          const current = await measures.lock(trx, access, measure.id);
          if (current.status === 'evaluated') throw new Refused(ALREADY);
          await repository.insert(trx, {
            ...input,
            measure_id: current.id,
            log_id: access.log.id,
            misregistered: false,
            evaluated_by: request.user!.id,
            evaluated_at: deps.now(),
          });
          await measures.markEvaluated(trx, access, current);
          await deps.audit(
            request,
            {
              action: 'measure.evaluate',
              objectType: 'measure',
              objectId: current.id,
              logId: access.log.id,
              role: access.role,
            },
            trx,
          );
          return `/logs/${access.log.id}#measure-${current.id}`;
        }),
      );
    },

    /**
     * Evaluates the measure as misregistered and creates the corrected one, in one transaction.
     * Throws Refused('already') or Refused(field errors) (rule 4 for the corrected measure).
     */
    misregistered(
      request: FastifyRequest,
      access: LogAccess,
      measure: MeasureRow,
      corrected: MeasureInput,
      reason: string,
      token: string,
      actorFieldId: string,
    ): Promise<OnceResult> {
      return onlyOnce(() =>
        measures.guardIndex(request.t, access, corrected, actorFieldId, () =>
          deps.once(token, request.user!.id, async (trx) => {
            const old = await measures.lock(trx, access, measure.id);
            if (old.status === 'evaluated') throw new Refused(ALREADY);
            await repository.insert(trx, {
              measure_id: old.id,
              log_id: access.log.id,
              misregistered: true,
              comment: reason,
              evaluated_by: request.user!.id,
              evaluated_at: deps.now(),
            });
            await measures.markEvaluated(trx, access, old);
            await deps.audit(
              request,
              {
                action: 'measure.misregister',
                objectType: 'measure',
                objectId: old.id,
                logId: access.log.id,
                role: access.role,
              },
              trx,
            );
            const errors = await measures.checkResponsible(
              request.t,
              access,
              old.concern_id,
              corrected,
              actorFieldId,
              old.id,
              trx,
            );
            if (errors.length) throw new Refused(errors);
            const id = await measures.insert(
              trx,
              request,
              access,
              { id: old.goal_id, concern_id: old.concern_id },
              { ...corrected, status: old.status === 'ongoing' ? 'ongoing' : 'planned' },
              { corrects_measure_id: old.id, position: old.position },
            );
            return `/logs/${access.log.id}#measure-${id}`;
          }),
        ),
      ).then(async (done) => {
        // The corrected measure may name a new actor: they hear of it as on any new measure.
        const actor = corrected.responsible === 'actor' ? corrected.responsibleUserId : null;
        if (done.first && actor && actor !== measure.responsible_user_id && actor !== request.user!.id) {
          await deps.notify({ kind: 'measure_assigned', userIds: [actor], logId: access.log.id });
        }
        return done;
      });
    },
  };
}

export type EvaluationService = ReturnType<typeof evaluationService>;
