/**
 * Goals: create (once per form token), save against the row's version (a stale version is a conflict,
 * never an overwrite), reorder within the concern, and the decision after the measures are evaluated.
 * Every change is audited, without text.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import type { GoalView } from '../../domain/plan-tree.js';
import type { Once, Transaction } from '../../db/handles.js';
import type { planRepository } from '../logs/index.js';
import type { OnceResult } from '../../lib/form.js';
import type { ConcernRow, GoalFields, GoalRepository, GoalRow } from './goal-repository.js';

export type Direction = 'up' | 'down';
export const DECISIONS = ['new_goal', 'continue', 'change', 'end'] as const;
export type Decision = (typeof DECISIONS)[number];

export type SaveResult = { ok: true; goal: GoalRow } | { ok: false; current: GoalRow };

/** The goal's status after the decision: reached or not, and what happens next. */
export function statusAfterDecision(achieved: boolean, next: Decision): GoalRow['status'] {
  if (next === 'new_goal') return achieved ? 'achieved' : 'replaced';
  if (next === 'end') return achieved ? 'achieved' : 'not_achieved';
  return 'active';
}

/** A goal is ready for a decision when it is active and has measures, all of them evaluated. */
export function readyForDecision(goal: Pick<GoalView, 'status' | 'measures'>): boolean {
  return (
    goal.status === 'active' &&
    goal.measures.length > 0 &&
    goal.measures.every((m) => m.status === 'evaluated')
  );
}

/** Where the holder goes after a decision. */
export function afterDecisionPath(
  logId: number,
  goal: { id: number; concern_id: number },
  next: Decision,
): string {
  switch (next) {
    case 'new_goal':
      return `/logs/${logId}/concerns/${goal.concern_id}/goals/new?replaces=${goal.id}`;
    case 'continue':
      return `/logs/${logId}/goals/${goal.id}/measures/new`;
    case 'change':
      return `/logs/${logId}/goals/${goal.id}/edit`;
    case 'end':
      return `/logs/${logId}#goal-${goal.id}`;
  }
}

/** What the service needs. */
export type GoalDeps = Pick<FastifyInstance, 'now' | 'audit'> & {
  repository: GoalRepository;
  /** The plan tree as the log page loads it (features/logs). */
  plan: Pick<ReturnType<typeof planRepository>, 'loadTree'>;
  once: Once;
  transaction: Transaction;
};

export function goalService(deps: GoalDeps) {
  const { repository } = deps;
  const audit = (access: LogAccess, action: string, goalId: number) =>
    ({ action, objectType: 'goal', objectId: goalId, logId: access.log.id, role: access.role }) as const;

  return {
    childFirstName: (childId: number) => repository.childFirstName(childId),

    /** The log's plan tree (only `concernIds` when given), as on the log page. */
    planTree: (...args: Parameters<GoalDeps['plan']['loadTree']>) => deps.plan.loadTree(...args),

    async concern(access: LogAccess, concernId: number | null): Promise<ConcernRow> {
      const concern = concernId ? await repository.findConcern(access.log.id, concernId) : undefined;
      if (!concern) throw new NotFoundError();
      return concern;
    },
    async goal(access: LogAccess, goalId: number | null): Promise<GoalRow> {
      const goal = goalId ? await repository.findInLog(access.log.id, goalId) : undefined;
      if (!goal) throw new NotFoundError();
      return goal;
    },
    countActive: (concernId: number) => repository.countActive(concernId),

    create(
      request: FastifyRequest,
      access: LogAccess,
      concernId: number,
      input: GoalFields,
      token: string,
      replaces: number | null,
    ): Promise<OnceResult> {
      const logId = access.log.id;
      return deps.once(token, request.user!.id, async (trx) => {
        const id = await repository.insert(trx, {
          ...input,
          log_id: logId,
          concern_id: concernId,
          created_by: request.user!.id,
          now: deps.now(),
        });
        if (replaces) {
          const old = await repository.findInLog(logId, replaces, trx);
          if (old && old.concern_id === concernId) await repository.setReplacedBy(trx, logId, old.id, id);
        }
        await deps.audit(request, audit(access, 'goal.create', id), trx);
        return `/logs/${logId}#goal-${id}`;
      });
    },

    async update(
      request: FastifyRequest,
      access: LogAccess,
      goalId: number,
      version: number,
      fields: Partial<GoalFields> & { decision?: string | null },
      action = 'goal.update',
    ): Promise<SaveResult> {
      return deps.transaction(async (trx) => {
        const saved = await repository.update(
          access.log.id,
          goalId,
          version,
          { ...fields, now: deps.now() },
          trx,
        );
        if (saved) {
          await deps.audit(request, audit(access, action, goalId), trx);
          return { ok: true, goal: saved };
        }
        const current = await repository.findInLog(access.log.id, goalId, trx);
        if (!current) throw new NotFoundError();
        return { ok: false, current };
      });
    },

    /** Moves a goal one place up or down among its concern's goals (positions renumbered 0..n). */
    async move(
      request: FastifyRequest,
      access: LogAccess,
      goal: GoalRow,
      direction: Direction,
    ): Promise<void> {
      await deps.transaction(async (trx) => {
        const order = await repository.siblingsForUpdate(trx, goal.concern_id);
        const from = order.findIndex((g) => g.id === goal.id);
        const to = direction === 'up' ? from - 1 : from + 1;
        if (from === -1 || to < 0 || to >= order.length) return;
        [order[from], order[to]] = [order[to]!, order[from]!];
        for (const [position, g] of order.entries()) {
          if (g.position !== position) await repository.setPosition(trx, g.id, position);
        }
        await deps.audit(request, audit(access, 'goal.move', goal.id), trx);
      });
    },
  };
}

export type GoalService = ReturnType<typeof goalService>;
