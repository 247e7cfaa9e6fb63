/**
 * Loads a person's relationship to a log and answers can(). A person who may not see the log gets a
 * 404 (never a 403, never the data), and the refused attempt is written to the audit trail. Every
 * allowed GET is a read of the child's data and is written to the audit trail too (once per request
 * and log, however many times a route asks).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ageOn, osloDate } from '../../lib/dates.js';
import { idValue, INT_MAX } from '../../lib/form.js';
import { can, type Action, type Relationship, type Target } from './policy.js';
import {
  grantedConcerns,
  type AccessRepository,
  type Asker,
  type LogRow,
  type MeasureRow,
} from './repository.js';
import type { Parts, Results } from '../../db/one-statement.js';
import { actsIn } from '../audit/index.js';

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

/** Whether the person reading is the family (guardian or the young person), who get the plain-words page. */
export function isFamily(a: LogAccess): boolean {
  return (a.rel.isGuardian || a.rel.isChild) && !a.rel.isHolder;
}

export interface MeasureAccess extends LogAccess {
  measure: MeasureRow;
}

/** Ids in URLs are positive integers; anything else is simply not found. */
export function parseId(value: unknown): number | null {
  if (typeof value === 'number')
    return Number.isInteger(value) && value >= 1 && value <= INT_MAX ? value : null;
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

/** What the read-only plan needs when no person asks: every concern, nothing writable. */
export function systemAccess(logId: number): LogAccess {
  const rel: Relationship = {
    isHolder: false,
    isLeader: false,
    isSuperuser: false,
    isGuardian: false,
    isChild: false,
    actorConcernIds: [],
    actorMeasureIds: [],
    grantConcernIds: 'all',
    logStatus: 'active',
    consentActive: true,
  };
  return {
    log: { id: logId } as LogRow,
    rel,
    role: 'system',
    unitId: null,
    can: (a) => a === 'log.read' || a === 'log.readAll' || a === 'concern.read',
  };
}

/** A GET (or HEAD) shows data: it is recorded as a read ("x.read" as asked, otherwise "log.read"). */
function readAction(action: Action): string {
  return action.endsWith('.read') ? action : 'log.read';
}

/** What a page loads with the access check, in its statement (src/db/one-statement.ts), e.g. a meeting. */
export interface RequireOptions<P extends Parts> {
  /** Parts loaded in the same statement as the access data; their results come back as `also`. */
  also?: P;
  /**
   * The read row of a GET is not written here but deferred (app.deferAudit): the page writes it in its
   * own statement (app.takeAudit), else it is written before the answer leaves.
   */
  deferRead?: boolean;
}

/** What the access check needs: the database, the clock, the youth access age and the audit trail. */
export interface AccessDeps extends Pick<FastifyInstance, 'now' | 'config' | 'audit' | 'deferAudit'> {
  repository: AccessRepository;
  /** Sends parts as one statement on the app's database (src/db/one-statement.ts). */
  oneStatement: <P extends Parts>(parts: P) => Promise<Results<P>>;
}

export function accessService(deps: AccessDeps) {
  const { repository } = deps;

  /** The relationship, decided from data loaded in one statement with the log (and any `also` parts). */
  function relationship(
    request: FastifyRequest,
    loaded: {
      log: LogRow;
      isGuardian: boolean;
      actorMeasures: { id: number; concern_id: number }[];
      grants: { all_concerns: boolean; concern_ids: number[] | null }[];
      consentActive: boolean;
    },
    now: Date,
  ): Relationship | null {
    const { log } = loaded;
    const user = request.user;
    // Municipal administrators run units and leaders; they never see children's logs.
    if (!user || user.isMunicipalAdmin || user.municipalityId !== log.municipality_id) return null;
    const membership = user.memberships.find((m) => m.unitId === log.unit_id);
    const isYouth =
      user.kind === 'youth' &&
      log.child_user_id === user.id &&
      ageOn(log.child_birth_date, osloDate(now)) >= deps.config.youthAccessAge;
    return {
      isHolder: user.kind === 'staff' && log.holder_id === user.id,
      isLeader: Boolean(membership?.isLeader),
      isSuperuser: Boolean(membership?.isSuperuser),
      isGuardian: user.kind === 'guardian' && loaded.isGuardian,
      isChild: isYouth,
      actorConcernIds: [...new Set(loaded.actorMeasures.map((m) => m.concern_id))],
      actorMeasureIds: loaded.actorMeasures.map((m) => m.id),
      grantConcernIds: user.kind === 'staff' ? grantedConcerns(loaded.grants) : null,
      logStatus: log.status,
      consentActive: loaded.consentActive,
    };
  }

  /** The log, the person's relationship to it and the `also` parts: one statement. */
  async function load<P extends Parts>(
    request: FastifyRequest,
    logId: number,
    measureId: number | null | undefined,
    also: P | undefined,
  ) {
    const now = deps.now();
    const user = request.user;
    // Without a person nothing but the log is needed (for the refusal's audit row).
    const asker: Asker = user ? { id: user.id, kind: user.kind } : { id: 0, kind: 'youth' };
    const parts = repository.relationshipParts(logId, asker, now, measureId);
    // The page's own parts ride along, under names of their own.
    const all: Parts = { ...parts };
    for (const [name, part] of Object.entries(also ?? {})) all[`also__${name}`] = part;
    const answer = (await deps.oneStatement(all)) as Record<string, unknown>;
    const loaded = answer as Results<typeof parts>;
    const alsoResults = Object.fromEntries(
      Object.keys(also ?? {}).map((name) => [name, answer[`also__${name}`]]),
    ) as Results<P>;
    const rel = loaded.log ? relationship(request, { ...loaded, log: loaded.log }, now) : null;
    return { log: loaded.log, rel, measure: loaded.measure, also: alsoResults };
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

  async function check<P extends Parts>(
    request: FastifyRequest,
    logIdParam: unknown,
    action: Action,
    target: Target | undefined,
    measureIdParam: unknown,
    options: RequireOptions<P>,
  ): Promise<LogAccess & { measure?: MeasureRow; also: Results<P> }> {
    const logId = parseId(logIdParam);
    const measureId = measureIdParam !== undefined ? parseId(measureIdParam) : undefined;
    const loaded = logId ? await load(request, logId, measureId, options.also) : undefined;
    const log = loaded?.log;
    const rel = loaded?.rel ?? null;
    let measure: MeasureRow | undefined;
    let allowed = Boolean(log && rel && can(rel, 'log.read'));
    if (allowed && measureIdParam !== undefined) {
      measure = loaded?.measure;
      allowed = Boolean(measure && can(rel!, 'concern.read', measure.concern_id));
      if (measure) target = { concernId: measure.concern_id, measureId: measure.id };
    }
    allowed = allowed && can(rel!, action, target);
    if (!allowed) {
      await deps.audit(request, {
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
      const read = {
        action: readAction(action),
        objectType: 'log',
        objectId: log!.id,
        logId: log!.id,
        role,
        unitId,
      };
      if (options.deferRead) deps.deferAudit(request, read);
      else await deps.audit(request, read);
    }
    return {
      log: log!,
      rel: rel!,
      role,
      unitId,
      measure,
      can: (a, c) => can(rel!, a, c),
      also: loaded!.also,
    };
  }

  return {
    /** Whether this person may open the log: for offering a link to it. Reads nothing of the log's content. */
    async mayRead(request: FastifyRequest, logId: number): Promise<boolean> {
      const { rel } = await load(request, logId, undefined, undefined);
      return Boolean(rel && can(rel, 'log.read'));
    },

    /** The log as this person may see it, or NotFoundError (audited) when they may not do `action`. */
    async require(
      request: FastifyRequest,
      logIdParam: unknown,
      action: Action = 'log.read',
      target?: Target,
    ): Promise<LogAccess> {
      return check(request, logIdParam, action, target, undefined, {});
    },

    /**
     * As require, for a page that loads in few statements: `also` parts come back from the access
     * check's own statement, and with `deferRead` the read row waits for the page's statement.
     */
    requireFor<P extends Parts>(
      request: FastifyRequest,
      logIdParam: unknown,
      action: Action,
      options: RequireOptions<P>,
      target?: Target,
    ): Promise<LogAccess & { also: Results<P> }> {
      return check(request, logIdParam, action, target, undefined, options);
    },

    /** A measure of the log, in a concern the person sees, that they may do `action` on; else 404 (audited). */
    async requireMeasure(
      request: FastifyRequest,
      logIdParam: unknown,
      measureIdParam: unknown,
      action: Action = 'concern.read',
    ): Promise<MeasureAccess> {
      return (await check(request, logIdParam, action, undefined, measureIdParam ?? '', {})) as MeasureAccess;
    },
  };
}
