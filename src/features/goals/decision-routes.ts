/**
 * The goal decision, once every measure of a goal is evaluated: is the goal reached, and what next
 * (a new goal, continue with new measures, change the goal or measures, end). Sets the goal's status.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type LogAccess } from '../../plugins/access/index.js';
import { asBody, Errors, str } from '../../lib/form.js';
import { checkChoice, version } from './fields.js';
import { auditRead, loadGoalView, planLocals } from './plan-view.js';
import { afterDecisionPath, DECISIONS, readyForDecision, statusAfterDecision } from './service.js';
import type { GoalRow } from './repository.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export interface DecisionValues {
  achieved: string;
  next: string;
  version: number;
}

export default async function decisionRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const goals = app.services.goals;
  const aGoal = { preHandler: app.requireUser, schema: { params: idParams('logId', 'goalId') } };

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    goal: GoalRow,
    values: DecisionValues,
    errors: { text: string; href: string }[],
    status: number,
    conflict = false,
  ) {
    const locals = await planLocals(app, request, a);
    const view = await loadGoalView(app, request, locals, goal.concern_id, goal.id);
    return reply.code(status).page('goals/decision', {
      ...locals,
      ...view,
      ready: readyForDecision(view.goal),
      values,
      errors,
      conflict,
    });
  }

  app.get('/logs/:logId/goals/:goalId/decision', aGoal, async (request, reply) => {
    const { logId, goalId } = request.params;
    const a = await request.logAccess(logId, 'log.write');
    const goal = await goals.goal(a, goalId);
    await auditRead(app, request, a, 'goal', goal.id);
    return render(request, reply, a, goal, { achieved: '', next: '', version: goal.version }, [], 200);
  });

  app.post('/logs/:logId/goals/:goalId/decision', aGoal, async (request, reply) => {
    const { logId, goalId } = request.params;
    const a = await request.logAccess(logId, 'log.write');
    const goal = await goals.goal(a, goalId);
    const body = asBody(request.body);
    const values = { achieved: str(body, 'achieved'), next: str(body, 'next'), version: version(body) };
    const errors = new Errors();
    const achieved = checkChoice(errors, request.t, values.achieved, ['yes', 'no'] as const, {
      id: 'decision-achieved',
      required: 'goal.decision.errorAchieved',
    });
    const next = checkChoice(errors, request.t, values.next, DECISIONS, {
      id: 'decision-next',
      required: 'goal.decision.errorNext',
    });
    const locals = await planLocals(app, request, a);
    const { goal: view } = await loadGoalView(app, request, locals, goal.concern_id, goal.id);
    if (!readyForDecision(view)) return render(request, reply, a, goal, values, [], 422);
    if (!errors.empty || !achieved || !next) return render(request, reply, a, goal, values, errors.list, 422);
    const saved = await goals.update(
      request,
      a,
      goal.id,
      values.version,
      { status: statusAfterDecision(achieved === 'yes', next), decision: next },
      'goal.decide',
    );
    if (!saved.ok) {
      return render(
        request,
        reply,
        a,
        saved.current,
        { ...values, version: saved.current.version },
        [],
        409,
        true,
      );
    }
    return reply.redirect(afterDecisionPath(a.log.id, goal, next), 303);
  });
}
