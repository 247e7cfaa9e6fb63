/**
 * What the plan fragments (goals, measures, evaluations) need to render outside the log page: the same
 * locals the log page gives views/goals/_goal.eta (log, access, today, formatDate), and one goal of the
 * plan tree. Shared by the goals, measures and evaluations routes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import type { ConcernView, GoalView } from '../../domain/plan-tree.js';
import { formatDate, osloDate } from '../../lib/dates.js';
import { formatTimeOfDay } from '../../lib/oslo-time.js';
import { wantsFragment } from '../../plugins/views.js';
import { planHintsFor, type PlanHints } from '../../lib/plain-language.js';

/** Plain-language tips the plan templates ask for, in the reader's language (the log page passes the same). */
export const planHints = (request: FastifyRequest): PlanHints => planHintsFor(request.locale);

export interface PlanLocals {
  log: { id: number; status: string; childFirstName: string };
  access: LogAccess;
  today: string;
  formatDate: (iso: string | null | undefined) => string;
  /** Time of day in Oslo, for "can be changed until 17:30". */
  formatTime: (d: Date) => string;
  /** True when rendered as an htmx fragment: the root carries focus/announce markers for app.js. */
  fragment: boolean;
  planHints: PlanHints;
}

/** `childFirstName`: when the caller has loaded it already (then nothing is read here). */
export async function planLocals(
  app: FastifyInstance,
  request: FastifyRequest,
  access: LogAccess,
  knownChildFirstName?: string,
): Promise<PlanLocals> {
  const childFirstName =
    knownChildFirstName ?? (await app.services.goals.childFirstName(access.log.child_id));
  return {
    log: { id: access.log.id, status: access.log.status, childFirstName },
    access,
    today: osloDate(app.now()),
    formatDate: (iso) => formatDate(iso, request.locale),
    formatTime: (d) => formatTimeOfDay(d, request.locale),
    fragment: wantsFragment(request),
    planHints: planHints(request),
  };
}

/** One goal with its measures, as the log page shows it, and its concern (for the goal's place in it). */
export async function loadGoalView(
  app: FastifyInstance,
  request: FastifyRequest,
  locals: PlanLocals,
  concernId: number,
  goalId: number,
): Promise<{ concern: ConcernView; goal: GoalView }> {
  const [concern] = await app.services.goals.planTree(locals.log.id, {
    concernIds: [concernId],
    guardiansLabel: request.t('measure.guardiansName'),
    childName: locals.log.childFirstName,
  });
  const goal = concern?.goals.find((g) => g.id === goalId);
  if (!concern || !goal) throw new NotFoundError();
  return { concern, goal };
}

/** Where a goal or measure lives on the log page. */
export const logAnchor = (logId: number, anchor: string) => `/logs/${logId}#${anchor}`;

/** Every read of a child's data is audited (rule 13): ids only, never text. */
export function auditRead(
  app: FastifyInstance,
  request: FastifyRequest,
  access: LogAccess,
  objectType: 'goal' | 'measure',
  objectId: number,
): Promise<void> {
  return app.audit(request, {
    action: `${objectType}.read`,
    objectType,
    objectId,
    logId: access.log.id,
    role: access.role,
  });
}
