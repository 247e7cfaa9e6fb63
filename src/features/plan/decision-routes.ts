/**
 * The goal decision, once every measure of a goal is evaluated: is the goal reached, and what next
 * (a new goal, continue with new measures, change the goal or measures, end). Sets the goal's status.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type LogAccess } from '../../plugins/access/index.js';
import { parseDecision, type DecisionValues } from './decision-form.js';
import { auditRead, loadGoalView, planLocals } from './plan-view.js';
import { afterDecisionPath, readyForDecision, statusAfterDecision } from './goal-service.js';
import type { GoalRow } from './goal-repository.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

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
    const { values, errors, input } = parseDecision(request.body, request.t);
    const locals = await planLocals(app, request, a);
    const { goal: view } = await loadGoalView(app, request, locals, goal.concern_id, goal.id);
    if (!readyForDecision(view)) return render(request, reply, a, goal, values, [], 422);
    if (!input) return render(request, reply, a, goal, values, errors, 422);
    const saved = await goals.update(
      request,
      a,
      goal.id,
      input.version,
      { status: statusAfterDecision(input.achieved, input.next), decision: input.next },
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
    return reply.redirect(afterDecisionPath(a.log.id, goal, input.next), 303);
  });
}
