/**
 * "Hvem har sett loggen": the audit trail of one log, for the holder, the unit leader and the family
 * (guardians, the young person). Reads and changes, newest first, in plain words; refused attempts are
 * kept in the trail but not listed here.
 */
import type { FastifyInstance } from 'fastify';
import { formatDate, osloDate } from '../../lib/dates.js';
import { hasMessage, type PlainMessageKey } from '../../i18n/index.js';

import { idParams, queryStrings, type Schemas } from '../../lib/route-schemas.js';

export const AUDIT_PAGE_SIZE = 50;

/** The message for an audited action: its own if the catalogue has one, else "read" or "changed". */
export function auditActionKey(action: string): PlainMessageKey {
  const own = `audit.action.${action}`;
  if (hasMessage(own)) return own as PlainMessageKey;
  return /\.(read|list)$/.test(action) ? 'audit.action.read' : 'audit.action.change';
}

export function auditRoleKey(role: string): PlainMessageKey {
  const own = `audit.role.${role}`;
  return hasMessage(own) ? (own as PlainMessageKey) : 'audit.role.other';
}

export default async function auditPageRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const activity = app.services.access.activity;

  const schema = { params: idParams('logId'), querystring: queryStrings('page') };
  app.get('/logs/:logId/audit', { preHandler: app.requireUser, schema }, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'audit.read');
    const wanted = Number(request.query.page);
    const page = Number.isInteger(wanted) && wanted > 1 && wanted < 100000 ? wanted : 1;
    const [{ rows, total }, child] = await Promise.all([
      activity.auditPage(a.log.id, page, AUDIT_PAGE_SIZE),
      activity.childName(a.log.child_id),
    ]);
    const day = (d: Date) => formatDate(osloDate(d), request.locale);
    return reply.page('access/audit', {
      logId: a.log.id,
      child,
      family: (a.rel.isGuardian || a.rel.isChild) && !a.rel.isHolder,
      rows,
      page,
      pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
      day,
      actionKey: auditActionKey,
      roleKey: auditRoleKey,
    });
  });
}
