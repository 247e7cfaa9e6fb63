/**
 * Evaluating a measure (once; the family's view decides), and the one way to correct a measure after
 * its 8-hour window: evaluate it as misregistered and write the corrected measure (one transaction).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import { asBody, type FieldError } from '../../lib/form.js';
import { inFieldOrder, newFormToken, postedToken, Refused } from '../../lib/form.js';
import { auditRead, loadGoalView, planLocals } from './plan-view.js';
import { exampleYear } from './goal-view.js';
import {
  measureFieldIds,
  measureValues,
  parseMeasure,
  type MeasureInput,
  type MeasureValues,
} from './measure-form.js';
import { measureFormView } from './measure-view.js';
import type { MeasureRow } from '../../domain/plan.js';
import {
  emptyEvaluationValues,
  parseEvaluation,
  parseReason,
  type EvaluationValues,
} from './evaluation-form.js';
import { ALREADY } from './evaluation-service.js';
import { correctionConflictRows, evaluationConflictRows } from './evaluation-view.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default async function evaluationRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const measures = app.services.measures;
  const evaluations = app.services.evaluations;
  const guard = { preHandler: app.requireUser };
  const aMeasure = { ...guard, schema: { params: idParams('logId', 'measureId') } };

  async function context(request: FastifyRequest, a: LogAccess, measure: MeasureRow) {
    const locals = await planLocals(app, request, a);
    const { goal } = await loadGoalView(app, request, locals, measure.concern_id, measure.goal_id);
    const view = goal.measures.find((m) => m.id === measure.id);
    if (!view) throw new NotFoundError();
    return { ...locals, goal, measure: view };
  }

  async function writable(
    request: FastifyRequest,
    { logId, measureId }: { logId: number; measureId: number },
  ): Promise<{ a: LogAccess; measure: MeasureRow }> {
    const a = await request.logAccess(logId, 'log.write');
    return { a, measure: await measures.measure(a, measureId) };
  }

  async function renderEvaluate(
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    measure: MeasureRow,
    values: EvaluationValues,
    errors: FieldError[],
    status: number,
  ) {
    const data = await context(request, a, measure);
    const saved = status === 409 ? data.measure.evaluation : null;
    return reply.code(status).page('evaluations/evaluate', {
      ...data,
      values,
      errors,
      already: data.measure.status === 'evaluated',
      // Lost a race: what was saved beside what this person typed, nothing dropped.
      conflict: saved ? evaluationConflictRows(request.t, data.measure, values) : null,
      conflictBody: saved ? request.t('evaluation.conflict.body', { name: saved.evaluatedBy }) : '',
    });
  }

  async function renderMisregistered(
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    measure: MeasureRow,
    values: MeasureValues,
    reason: string,
    errors: FieldError[],
    status: number,
    conflict: MeasureInput | null = null,
  ) {
    const data = await context(request, a, measure);
    const form = measureFormView(request, data, values, await measures.actors(a));
    const saved = conflict ? data.measure.evaluation : null;
    return reply.code(status).page('evaluations/misregistered', {
      ...data,
      ...form,
      reason,
      errors,
      already: data.measure.status === 'evaluated',
      // Lost a race: what was saved beside the correction, which can still be saved as a new measure.
      conflict:
        saved && conflict
          ? correctionConflictRows(
              request.t,
              request.locale,
              data.log.childFirstName,
              form.actors,
              data.measure,
              data.goal.measures.find((m) => m.correctsMeasureId === data.measure.id),
              conflict,
              reason,
            )
          : null,
      conflictBody: saved ? request.t('evaluation.conflict.correctionBody', { name: saved.evaluatedBy }) : '',
      asNew: saved ? { ...values, token: newFormToken() } : null,
    });
  }

  app.get('/logs/:logId/measures/:measureId/evaluate', aMeasure, async (request, reply) => {
    const { a, measure } = await writable(request, request.params);
    await auditRead(app, request, a, 'measure', measure.id);
    return renderEvaluate(request, reply, a, measure, emptyEvaluationValues(newFormToken()), [], 200);
  });

  app.post('/logs/:logId/measures/:measureId/evaluate', aMeasure, async (request, reply) => {
    const { a, measure } = await writable(request, request.params);
    const token = postedToken(asBody(request.body), 'token');
    const { values, input, errors } = parseEvaluation(request.body, request.t);
    if (!input) return renderEvaluate(request, reply, a, measure, { ...values, token }, errors, 422);
    try {
      const result = await evaluations.evaluate(request, a, measure, input, token);
      return reply.redirect(result.result || `/logs/${a.log.id}`, 303);
    } catch (error) {
      if (error instanceof Refused && error.reason === ALREADY) {
        return renderEvaluate(request, reply, a, measure, { ...values, token }, [], 409);
      }
      throw error;
    }
  });

  app.get('/logs/:logId/measures/:measureId/misregistered', aMeasure, async (request, reply) => {
    const { a, measure } = await writable(request, request.params);
    await auditRead(app, request, a, 'measure', measure.id);
    const values = measureValues(measure, await measures.steps(measure.id), newFormToken());
    return renderMisregistered(request, reply, a, measure, values, '', [], 200);
  });

  app.post('/logs/:logId/measures/:measureId/misregistered', aMeasure, async (request, reply) => {
    const { a, measure } = await writable(request, request.params);
    const p = `measure-${measure.id}-fix-`;
    const token = postedToken(asBody(request.body), 'token');
    const parsed = parseMeasure(request.body, request.t, {
      prefix: p,
      mode: 'create',
      exampleYear: exampleYear(app.now()),
    });
    const {
      values: { reason },
      errors: reasonErrors,
    } = parseReason(request.body, request.t, `${p}reason`);
    const values = { ...parsed.values, token };
    const errors = inFieldOrder([...parsed.errors, ...reasonErrors], [...measureFieldIds(p), `${p}reason`]);
    if (errors.length || !parsed.input)
      return renderMisregistered(request, reply, a, measure, values, reason, errors, 422);
    try {
      const result = await evaluations.misregistered(
        request,
        a,
        measure,
        parsed.input,
        reason,
        token,
        `${p}actor`,
      );
      return reply.redirect(result.result || `/logs/${a.log.id}`, 303);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      if (error.reason === ALREADY)
        return renderMisregistered(request, reply, a, measure, values, reason, [], 409, parsed.input);
      return renderMisregistered(
        request,
        reply,
        a,
        measure,
        values,
        reason,
        error.reason as FieldError[],
        422,
      );
    }
  });
}
