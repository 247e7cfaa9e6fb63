/**
 * Goals: new/create (full pages), the read-only fragment, inline edit (htmx) that also works as plain
 * pages, reordering, and (decision-routes.ts) the decision after evaluation. Only the holder writes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, parseId, type LogAccess } from '../../plugins/access/index.js';
import { asBody, str, type FieldError } from '../../lib/form.js';
import { wantsFragment } from '../../plugins/views.js';
import decisionRoutes from './decision-routes.js';
import { emptyGoalValues, goalValues, parseGoal, type GoalValues } from './goal-form.js';
import { newFormToken, postedToken } from '../../lib/form.js';
import { auditRead, loadGoalView, logAnchor, planLocals } from './plan-view.js';
import type { ConcernRow, GoalRow } from './goal-repository.js';
import { exampleYear, goalConflictRows, goalTips, renderGoalForm } from './goal-view.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default async function goalRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const goals = app.services.goals;
  const guard = { preHandler: app.requireUser };
  const inConcern = { ...guard, schema: { params: idParams('logId', 'concernId') } };
  const aGoal = { ...guard, schema: { params: idParams('logId', 'goalId') } };

  async function renderNew(
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    concern: ConcernRow,
    values: GoalValues,
    errors: FieldError[],
  ) {
    const locals = await planLocals(app, request, a);
    const replaceId = parseId(values.replaces);
    const replacing = replaceId ? await goals.goal(a, replaceId).catch(() => null) : null;
    const sameConcern = replacing && replacing.concern_id === concern.id ? replacing : null;
    return reply.code(errors.length ? 422 : 200).page('goals/new', {
      ...locals,
      concern,
      values: { ...values, replaces: sameConcern ? String(sameConcern.id) : '' },
      errors,
      tips: goalTips(values, request.locale),
      replacing: sameConcern,
      activeCount: await goals.countActive(concern.id),
      exampleYear: exampleYear(app.now()),
    });
  }

  /** The goal, when it belongs to the log and the person may see its concern; otherwise 404. */
  async function goalIn(a: LogAccess, goalId: number): Promise<GoalRow> {
    const goal = await goals.goal(a, goalId);
    if (!a.can('concern.read', goal.concern_id)) throw new NotFoundError();
    return goal;
  }

  async function readOnly(
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    goal: GoalRow,
    announce = '',
  ) {
    const locals = await planLocals(app, request, a);
    const view = await loadGoalView(app, request, locals, goal.concern_id, goal.id);
    return reply.fragment('goals/_goal-main', { ...locals, ...view, announce });
  }

  app.get('/logs/:logId/concerns/:concernId/goals/new', inConcern, async (request, reply) => {
    const { logId, concernId } = request.params;
    const a = await request.logAccess(logId, 'log.write');
    const concern = await goals.concern(a, concernId);
    const replaces = str(asBody(request.query), 'replaces');
    return renderNew(request, reply, a, concern, emptyGoalValues(newFormToken(), replaces), []);
  });

  app.post('/logs/:logId/concerns/:concernId/goals', inConcern, async (request, reply) => {
    const { logId, concernId } = request.params;
    const a = await request.logAccess(logId, 'log.write');
    const concern = await goals.concern(a, concernId);
    const token = postedToken(asBody(request.body), 'token');
    const parsed = parseGoal(request.body, request.t, {
      prefix: 'goal-new-',
      mode: 'create',
      exampleYear: exampleYear(app.now()),
    });
    if (!parsed.input)
      return renderNew(request, reply, a, concern, { ...parsed.values, token }, parsed.errors);
    const result = await goals.create(
      request,
      a,
      concern.id,
      parsed.input.fields,
      token,
      parsed.input.replaces,
    );
    return reply.redirect(result.result || `/logs/${a.log.id}`, 303);
  });

  app.get('/logs/:logId/goals/:goalId', aGoal, async (request, reply) => {
    const { logId, goalId } = request.params;
    const a = await request.logAccess(logId, 'log.read');
    const goal = await goalIn(a, goalId);
    if (!wantsFragment(request)) return reply.redirect(logAnchor(a.log.id, `goal-${goal.id}`), 303);
    await auditRead(app, request, a, 'goal', goal.id);
    return readOnly(request, reply, a, goal);
  });

  app.get('/logs/:logId/goals/:goalId/edit', aGoal, async (request, reply) => {
    const { logId, goalId } = request.params;
    const a = await request.logAccess(logId, 'log.write');
    const goal = await goalIn(a, goalId);
    const locals = await planLocals(app, request, a);
    await auditRead(app, request, a, 'goal', goal.id);
    return renderGoalForm(request, reply, locals, {
      goalId: goal.id,
      values: goalValues(goal),
      errors: [],
      status: 200,
    });
  });

  app.post('/logs/:logId/goals/:goalId', aGoal, async (request, reply) => {
    const { logId, goalId } = request.params;
    const a = await request.logAccess(logId, 'log.write');
    const goal = await goalIn(a, goalId);
    const parsed = parseGoal(request.body, request.t, {
      prefix: `goal-${goal.id}-`,
      mode: 'edit',
      exampleYear: exampleYear(app.now()),
    });
    if (!parsed.input) {
      const locals = await planLocals(app, request, a);
      return renderGoalForm(request, reply, locals, {
        goalId: goal.id,
        values: parsed.values,
        errors: parsed.errors,
        status: 422,
      });
    }
    const saved = await goals.update(request, a, goal.id, parsed.input.version, parsed.input.fields);
    if (!saved.ok) {
      const locals = await planLocals(app, request, a);
      return renderGoalForm(request, reply, locals, {
        goalId: goal.id,
        values: { ...parsed.values, version: saved.current.version },
        errors: [],
        conflict: goalConflictRows(request.t, request.locale, saved.current, parsed.input.fields),
        status: 409,
      });
    }
    if (!wantsFragment(request)) return reply.redirect(logAnchor(a.log.id, `goal-${goal.id}`), 303);
    return readOnly(request, reply, a, saved.goal, request.t('plan.saved'));
  });

  app.post('/logs/:logId/goals/:goalId/move', aGoal, async (request, reply) => {
    const { logId, goalId } = request.params;
    const a = await request.logAccess(logId, 'log.write');
    const goal = await goalIn(a, goalId);
    const direction = str(asBody(request.body), 'direction');
    if (direction === 'up' || direction === 'down') await goals.move(request, a, goal, direction);
    return reply.redirect(logAnchor(a.log.id, `goal-${goal.id}`), 303);
  });

  await app.register(decisionRoutes);
}
