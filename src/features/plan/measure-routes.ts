/**
 * Measures: new/create (full pages), the read-only fragment, and inline edit (htmx) that also works as
 * plain pages. Only the holder writes; ids from another log are not found.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import { asBody, type FieldError } from '../../lib/form.js';
import { wantsFragment } from '../../plugins/views.js';
import { inFieldOrder, newFormToken, postedToken, Refused } from '../../lib/form.js';
import { auditRead, loadGoalView, logAnchor, planLocals } from './plan-view.js';
import { exampleYear } from './goal-view.js';
import type { GoalRow } from './goal-repository.js';
import {
  emptyMeasureValues,
  measureFieldIds,
  measureValues,
  parseMeasure,
  typedResponsible,
  type MeasureValues,
} from './measure-form.js';
import type { MeasureRow } from '../../domain/plan.js';
import { editWindowOpen } from './measure-service.js';
import { measureConflictRows, measureFormView, renderMeasureForm } from './measure-view.js';
import stepRoutes from './step-routes.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

const NEW = 'measure-new-';

export default async function measureRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const goals = app.services.goals;
  const measures = app.services.measures;
  const guard = { preHandler: app.requireUser };
  const aGoal = { ...guard, schema: { params: idParams('logId', 'goalId') } };
  const aMeasure = { ...guard, schema: { params: idParams('logId', 'measureId') } };

  async function renderNew(
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    goal: GoalRow,
    values: MeasureValues,
    errors: FieldError[],
  ) {
    const locals = await planLocals(app, request, a);
    const view = measureFormView(request, locals, values, await measures.actors(a));
    return reply.code(errors.length ? 422 : 200).page('measures/new', { ...locals, ...view, goal, errors });
  }

  async function measureIn(a: LogAccess, measureId: number): Promise<MeasureRow> {
    const measure = await measures.measure(a, measureId);
    if (!a.can('concern.read', measure.concern_id)) throw new NotFoundError();
    return measure;
  }

  async function readOnly(
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    measure: MeasureRow,
    announce = '',
  ) {
    const locals = await planLocals(app, request, a);
    const { concern, goal } = await loadGoalView(app, request, locals, measure.concern_id, measure.goal_id);
    const view = goal.measures.find((m) => m.id === measure.id);
    if (!view) throw new NotFoundError();
    return reply.fragment('measures/_measure', { ...locals, concern, goal, measure: view, announce });
  }

  app.get('/logs/:logId/goals/:goalId/measures/new', aGoal, async (request, reply) => {
    const { logId, goalId } = request.params;
    const a = await request.logAccess(logId, 'log.write');
    const goal = await goals.goal(a, goalId);
    const locals = await planLocals(app, request, a);
    return renderNew(request, reply, a, goal, emptyMeasureValues(newFormToken(), locals.today), []);
  });

  app.post('/logs/:logId/goals/:goalId/measures', aGoal, async (request, reply) => {
    const { logId, goalId } = request.params;
    const a = await request.logAccess(logId, 'log.write');
    const goal = await goals.goal(a, goalId);
    const token = postedToken(asBody(request.body), 'token');
    // A repeated submit goes where the first one went, before rule 4 would count the first as "busy".
    const earlier = await measures.previousResult(token, request.user!.id);
    if (earlier) return reply.redirect(earlier, 303);
    const parsed = parseMeasure(request.body, request.t, {
      prefix: NEW,
      mode: 'create',
      exampleYear: exampleYear(app.now()),
    });
    const values = { ...parsed.values, token };
    const checked = parsed.errors.some((e) => e.href === `#${NEW}actor`)
      ? []
      : await measures.checkResponsible(
          request.t,
          a,
          goal.concern_id,
          parsed.input ?? typedResponsible(parsed.values),
          `${NEW}actor`,
          null,
        );
    const errors = inFieldOrder([...parsed.errors, ...checked], measureFieldIds(NEW));
    if (errors.length || !parsed.input) return renderNew(request, reply, a, goal, values, errors);
    try {
      const result = await measures.create(request, a, goal, parsed.input, token, `${NEW}actor`);
      return reply.redirect(result.result || `/logs/${a.log.id}`, 303);
    } catch (error) {
      if (error instanceof Refused)
        return renderNew(request, reply, a, goal, values, error.reason as FieldError[]);
      throw error;
    }
  });

  app.get('/logs/:logId/measures/:measureId', aMeasure, async (request, reply) => {
    const { logId, measureId } = request.params;
    const a = await request.logAccess(logId, 'log.read');
    const measure = await measureIn(a, measureId);
    if (!wantsFragment(request)) return reply.redirect(logAnchor(a.log.id, `measure-${measure.id}`), 303);
    await auditRead(app, request, a, 'measure', measure.id);
    return readOnly(request, reply, a, measure);
  });

  app.get('/logs/:logId/measures/:measureId/edit', aMeasure, async (request, reply) => {
    const { logId, measureId } = request.params;
    const a = await request.logAccess(logId, 'log.write');
    const measure = await measureIn(a, measureId);
    const [locals, steps, actors] = await Promise.all([
      planLocals(app, request, a),
      measures.staircase(measure.id),
      measures.actors(a),
    ]);
    await auditRead(app, request, a, 'measure', measure.id);
    // The form holds the steps still to take; the steps already done are kept as they are.
    return renderMeasureForm(request, reply, locals, {
      measure,
      values: measureValues(
        measure,
        steps.filter((s) => !s.done).map((s) => s.text),
      ),
      doneSteps: steps.filter((s) => s.done),
      errors: [],
      actors,
      status: 200,
    });
  });

  app.post('/logs/:logId/measures/:measureId', aMeasure, async (request, reply) => {
    const { logId, measureId } = request.params;
    const a = await request.logAccess(logId, 'log.write');
    const measure = await measureIn(a, measureId);
    const p = `measure-${measure.id}-`;
    const [locals, actors, steps] = await Promise.all([
      planLocals(app, request, a),
      measures.actors(a),
      measures.staircase(measure.id),
    ]);
    const doneSteps = steps.filter((s) => s.done);
    const parsed = parseMeasure(request.body, request.t, {
      prefix: p,
      mode: 'edit',
      exampleYear: exampleYear(app.now()),
    });
    const form = (
      status: number,
      errors: FieldError[],
      extra: Partial<{ measure: MeasureRow; values: MeasureValues }> = {},
    ) =>
      renderMeasureForm(request, reply, locals, {
        measure,
        values: parsed.values,
        errors,
        actors,
        status,
        doneSteps,
        ...extra,
      });
    const locked = [{ text: request.t('measure.error.locked'), href: `#${p}misregistered` }];
    if (measure.status === 'evaluated')
      return form(422, [{ text: request.t('measure.locked.evaluated'), href: `#${p}locked` }]);
    if (!editWindowOpen(measure, app.now())) return form(422, locked);
    if (!parsed.input) return form(422, parsed.errors);
    const result = await measures.update(
      request,
      a,
      measure,
      parsed.values.version,
      parsed.input,
      `${p}actor`,
    );
    if (result.ok) {
      if (!wantsFragment(request)) return reply.redirect(logAnchor(a.log.id, `measure-${measure.id}`), 303);
      return readOnly(request, reply, a, result.measure, request.t('plan.saved'));
    }
    if (result.reason === 'locked') return form(422, locked);
    if (result.reason === 'invalid') return form(422, inFieldOrder(result.errors, measureFieldIds(p)));
    const savedSteps = (await measures.staircase(measure.id)).filter((s) => !s.done).map((s) => s.text);
    return renderMeasureForm(request, reply, locals, {
      measure: result.current,
      values: { ...parsed.values, version: result.current.version },
      errors: [],
      actors,
      doneSteps,
      status: 409,
      conflict: measureConflictRows(
        request.t,
        request.locale,
        locals.log.childFirstName,
        actors,
        result.current,
        savedSteps,
        parsed.input,
      ),
    });
  });

  stepRoutes(app, measures);
}
