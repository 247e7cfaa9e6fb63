/**
 * Loads a person's relationship to a log and answers can(). A person who may not see the log gets a
 * 404 (never a 403, never the data), and the refused attempt is written to the audit trail.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { can, type Action, type Relationship } from './policy.js';
import { accessRepository, type LogRow } from './repository.js';

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
  role: string;
  can(action: Action, concernId?: number): boolean;
}

/** Ids in URLs are positive integers; anything else is simply not found. */
export function parseId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= 2147483647 ? id : null;
}

function roleOf(rel: Relationship): string {
  if (rel.isHolder) return 'holder';
  if (rel.isLeader) return 'leader';
  if (rel.isSuperuser) return 'superuser';
  if (rel.isGuardian) return 'guardian';
  if (rel.isChild) return 'youth';
  if (rel.actorConcernIds.length) return 'actor';
  if (rel.grantConcernIds) return 'read_grant';
  return 'none';
}

export function accessService(app: FastifyInstance) {
  const repository = accessRepository(app.db);

  async function relationship(request: FastifyRequest, log: LogRow): Promise<Relationship | null> {
    const user = request.user;
    if (!user || user.municipalityId !== log.municipality_id) return null;
    const membership = user.memberships.find((m) => m.unitId === log.unit_id);
    const [isGuardian, actorConcernIds, grantConcernIds, consentActive] = await Promise.all([
      user.kind === 'guardian' ? repository.isGuardianOf(user.id, log.id) : Promise.resolve(false),
      user.kind === 'staff' ? repository.actorConcernIds(user.id, log.id) : Promise.resolve([]),
      user.kind === 'staff' ? repository.grantConcernIds(user.id, log.id, app.now()) : Promise.resolve(null),
      repository.consentActive(log.id, app.now()),
    ]);
    return {
      isHolder: log.holder_id === user.id,
      isLeader: Boolean(membership?.isLeader),
      isSuperuser: Boolean(membership?.isSuperuser),
      isGuardian,
      isChild: user.kind === 'youth' && log.child_user_id === user.id,
      actorConcernIds,
      grantConcernIds,
      logStatus: log.status,
      consentActive,
    };
  }

  return {
    /** The log as this person may see it, or NotFoundError (audited) when they may not do `action`. */
    async require(request: FastifyRequest, logIdParam: unknown, action: Action = 'log.read', concernId?: number) {
      const logId = parseId(logIdParam);
      const log = logId ? await repository.findLog(logId) : undefined;
      const rel = log ? await relationship(request, log) : null;
      if (!log || !rel || !can(rel, 'log.read') || !can(rel, action, concernId)) {
        await app.audit(request, {
          action: `denied:${action}`,
          objectType: 'log',
          objectId: logId,
          logId: log ? log.id : null,
          outcome: 'denied',
        });
        throw new NotFoundError();
      }
      const access: LogAccess = { log, rel, role: roleOf(rel), can: (a, c) => can(rel, a, c) };
      return access;
    },
  };
}
