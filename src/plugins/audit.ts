/**
 * The audit trail: one append-only row per read or change of a child's data, per sign-in and per
 * refused attempt. Rows hold ids and actions only: never note text or identity numbers.
 */
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { Knex } from 'knex';

export interface AuditEntry {
  action: string;
  objectType?: string;
  objectId?: number | null;
  logId?: number | null;
  outcome?: 'ok' | 'denied';
  /** Role in which the person acted (holder, actor, guardian …); defaults to their account kind. */
  role?: string;
  unitId?: number | null;
  userId?: number | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    audit(request: FastifyRequest, entry: AuditEntry, trx?: Knex.Transaction): Promise<void>;
  }
}

export default fp(
  async (app) => {
    app.decorate('audit', async (request: FastifyRequest, entry: AuditEntry, trx?: Knex.Transaction) => {
      const user = request.user;
      await (trx ?? app.db)('audit_events').insert({
        at: app.now(),
        user_id: entry.userId !== undefined ? entry.userId : (user?.id ?? null),
        role: entry.role ?? (user ? (user.isMunicipalAdmin ? 'admin' : user.kind) : 'anonymous'),
        unit_id: entry.unitId !== undefined ? entry.unitId : (user?.memberships[0]?.unitId ?? null),
        action: entry.action,
        object_type: entry.objectType ?? '',
        object_id: entry.objectId ?? null,
        log_id: entry.logId ?? null,
        outcome: entry.outcome ?? 'ok',
        request_id: String(request.id).slice(0, 64),
      });
    });
  },
  { name: 'audit', dependencies: ['config'] },
);
