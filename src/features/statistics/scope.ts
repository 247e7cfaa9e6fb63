/**
 * Whose statistics a person may see, in one place so the rule can move with the access plugin: a unit's
 * statistics for its leader and superuser (as the unit page today); the municipality's, by district,
 * for the municipal administrator; all the units a leader leads, for a leader of more than one. Anyone
 * else, and any unit they do not lead, gets 404, and the refusal is recorded.
 */
import type { FastifyRequest } from 'fastify';
import type { AuditEntry } from '../../plugins/audit/index.js';
import { NotFoundError, parseId } from '../../plugins/access/index.js';

export interface UnitScope {
  kind: 'unit';
  municipalityId: number;
  unitId: number;
  unitName: string;
  role: 'leader' | 'superuser';
}

export interface AreaScope {
  kind: 'area';
  municipalityId: number;
  role: 'admin' | 'leader';
  /** The units led; null: every unit of the municipality. */
  unitIds: number[] | null;
}

export type Scope = UnitScope | AreaScope;

type Audit = (request: FastifyRequest, entry: AuditEntry) => Promise<void>;

/** The unit page's scope, or NotFoundError (recorded). */
export async function unitScope(
  request: FastifyRequest,
  unitIdParam: unknown,
  audit: Audit,
): Promise<UnitScope> {
  const user = request.user!;
  const unitId = parseId(unitIdParam);
  const membership = user.isMunicipalAdmin
    ? undefined
    : user.memberships.find((m) => m.unitId === unitId && (m.isLeader || m.isSuperuser));
  if (!membership) {
    await audit(request, {
      action: 'denied:statistics',
      objectType: 'unit',
      objectId: unitId,
      outcome: 'denied',
    });
    throw new NotFoundError();
  }
  return {
    kind: 'unit',
    municipalityId: user.municipalityId,
    unitId: membership.unitId,
    unitName: membership.unitName,
    role: membership.isLeader ? 'leader' : 'superuser',
  };
}

/**
 * The area page's scope; a person who leads or helps in exactly one unit is sent to that unit's page
 * (`redirect`); anyone else gets NotFoundError (recorded).
 */
export async function areaScope(
  request: FastifyRequest,
  audit: Audit,
): Promise<AreaScope | { redirect: string }> {
  const user = request.user!;
  if (user.isMunicipalAdmin)
    return { kind: 'area', municipalityId: user.municipalityId, role: 'admin', unitIds: null };
  const led = user.memberships.filter((m) => m.isLeader);
  if (led.length > 1)
    return {
      kind: 'area',
      municipalityId: user.municipalityId,
      role: 'leader',
      unitIds: led.map((m) => m.unitId),
    };
  const own = user.memberships.find((m) => m.isLeader || m.isSuperuser);
  if (own) return { redirect: `/units/${own.unitId}/statistics` };
  await audit(request, {
    action: 'denied:statistics',
    objectType: 'municipality',
    objectId: user.municipalityId,
    outcome: 'denied',
  });
  throw new NotFoundError();
}
