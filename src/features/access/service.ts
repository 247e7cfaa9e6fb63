/**
 * Loads a person's relationship to a log and answers can(). A person who may not see the log gets a
 * 404 (never a 403, never the data), and the refused attempt is written to the audit trail. Every
 * allowed GET is a read of the child's data and is written to the audit trail too (once per request
 * and log, however many times a route asks).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ageOn, osloDate } from '../../lib/dates.js';
import { idValue } from '../../lib/form.js';
import { can, type Action, type Relationship, type Target } from './policy.js';
import { accessRepository, type LogRow, type MeasureRow } from './repository.js';
import { actsIn } from '../../plugins/audit.js';

export class NotFoundError extends Error {
  readonly statusCode = 404;
  constructor() {
    super('Not found');
    this.name = 'NotFoundError';
  }
}

export interface LogAccess {
  log: LogRow;
  rel: Relationship;
  /** The role the person acts in: holder, leader, superuser, guardian, youth, actor, read_grant. */
  role: string;
  /** The unit the person acts from in this log, for the audit trail; null for the family. */
  unitId: number | null;
  can(action: Action, target?: Target): boolean;
}

export interface MeasureAccess extends LogAccess {
  measure: MeasureRow;
}

/** Ids in URLs are positive integers; anything else is simply not found. */
export function parseId(value: unknown): number | null {
  return idValue(value);
}

export function roleOf(rel: Relationship): string {
  if (rel.isHolder) return 'holder';
  if (rel.isLeader) return 'leader';
  if (rel.isSuperuser) return 'superuser';
  if (rel.isGuardian) return 'guardian';
  if (rel.isChild) return 'youth';
  if (rel.actorConcernIds.length) return 'actor';
  if (rel.grantConcernIds) return 'read_grant';
  return 'none';
}

/** A GET (or HEAD) shows data: it is recorded as a read ("x.read" as asked, otherwise "log.read"). */
function readAction(action: Action): string {
  return action.endsWith('.read') ? action : 'log.read';
}

export function accessService(app: FastifyInstance) {
  const repository = accessRepository(app.db);

  async function relationship(request: FastifyRequest, log: LogRow): Promise<Relationship | null> {
    const user = request.user;
    // Municipal administrators run units and leaders; they never see children's logs.
    if (!user || user.isMunicipalAdmin || user.municipalityId !== log.municipality_id) return null;
    const membership = user.memberships.find((m) => m.unitId === log.unit_id);
    const now = app.now();
    const [isGuardian, actor, grantConcernIds, consentActive] = await Promise.all([
      user.kind === 'guardian' ? repository.isGuardianOf(user.id, log.id) : Promise.resolve(false),
      user.kind === 'staff'
        ? repository.actorMeasures(user.id, log.id)
        : Promise.resolve({ concernIds: [], measureIds: [] }),
      user.kind === 'staff' ? repository.grantConcernIds(user.id, log.id, now) : Promise.resolve(null),
      repository.consentActive(log.id, now),
    ]);
    const isYouth =
      user.kind === 'youth' &&
      log.child_user_id === user.id &&
      ageOn(log.child_birth_date, osloDate(now)) >= app.config.youthAccessAge;
    return {
      isHolder: user.kind === 'staff' && log.holder_id === user.id,
      isLeader: Boolean(membership?.isLeader),
      isSuperuser: Boolean(membership?.isSuperuser),
      isGuardian,
      isChild: isYouth,
      actorConcernIds: actor.concernIds,
      actorMeasureIds: actor.measureIds,
      grantConcernIds,
      logStatus: log.status,
      consentActive,
    };
  }

  /**
   * The unit the person acts from in this log: the log's own for its holder, leader and superuser; none
   * for the family; for anyone else (an actor, a read grant) their own unit: the one they share with the
   * log if any, else, for an actor, one where they may take measures (levels 2 and 3 reach across units).
   */
  function unitOf(request: FastifyRequest, log: LogRow, rel: Relationship): number | null {
    if (rel.isHolder || rel.isLeader || rel.isSuperuser) return log.unit_id;
    if (rel.isGuardian || rel.isChild) return null;
    const memberships = request.user?.memberships ?? [];
    const here = memberships.find((m) => m.unitId === log.unit_id);
    const asActor = rel.actorConcernIds.length ? memberships.find((m) => m.mayBeActor) : undefined;
    return (here ?? asActor ?? memberships[0])?.unitId ?? null;
  }

  async function check(
    request: FastifyRequest,
    logIdParam: unknown,
    action: Action,
    target: Target | undefined,
    measureIdParam?: unknown,
  ): Promise<LogAccess & { measure?: MeasureRow }> {
    const logId = parseId(logIdParam);
    const log = logId ? await repository.findLog(logId) : undefined;
    const rel = log ? await relationship(request, log) : null;
    let measure: MeasureRow | undefined;
    let allowed = Boolean(log && rel && can(rel, 'log.read'));
    if (allowed && measureIdParam !== undefined) {
      const measureId = parseId(measureIdParam);
      measure = measureId ? await repository.findMeasure(log!.id, measureId) : undefined;
      allowed = Boolean(measure && can(rel!, 'concern.read', measure.concern_id));
      if (measure) target = { concernId: measure.concern_id, measureId: measure.id };
    }
    allowed = allowed && can(rel!, action, target);
    if (!allowed) {
      await app.audit(request, {
        action: `denied:${action}`,
        objectType: measureIdParam !== undefined ? 'measure' : 'log',
        objectId: measureIdParam !== undefined ? parseId(measureIdParam) : logId,
        logId: log ? log.id : null,
        outcome: 'denied',
      });
      throw new NotFoundError();
    }
    const role = roleOf(rel!);
    const unitId = unitOf(request, log!, rel!);
    actsIn(request, log!.id, { role, unitId });
    if (request.method === 'GET' || request.method === 'HEAD') {
      await app.audit(request, {
        action: readAction(action),
        objectType: 'log',
        objectId: log!.id,
        logId: log!.id,
        role,
        unitId,
      });
    }
    return { log: log!, rel: rel!, role, unitId, measure, can: (a, c) => can(rel!, a, c) };
  }

  return {
    /** Whether this person may open the log: for offering a link to it. Reads nothing of the log's content. */
    async mayRead(request: FastifyRequest, logId: number): Promise<boolean> {
      const log = await repository.findLog(logId);
      const rel = log ? await relationship(request, log) : null;
      return Boolean(rel && can(rel, 'log.read'));
    },

    /** The log as this person may see it, or NotFoundError (audited) when they may not do `action`. */
    require(
      request: FastifyRequest,
      logIdParam: unknown,
      action: Action = 'log.read',
      target?: Target,
    ): Promise<LogAccess> {
      return check(request, logIdParam, action, target);
    },

    /** A measure of the log, in a concern the person sees, that they may do `action` on; else 404 (audited). */
    async requireMeasure(
      request: FastifyRequest,
      logIdParam: unknown,
      measureIdParam: unknown,
      action: Action = 'concern.read',
    ): Promise<MeasureAccess> {
      const access = await check(request, logIdParam, action, undefined, measureIdParam ?? '');
      return access as MeasureAccess;
    },
  };
}
