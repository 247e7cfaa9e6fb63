/**
 * The audit trail: one append-only row per read or change of a child's data, per sign-in and per
 * refused attempt. Rows hold ids and short codes only: never note text or identity numbers (every
 * text column is cut down to a code alphabet, so free text cannot slip in). The database refuses
 * UPDATE, DELETE and TRUNCATE on the table (migrations 1 and 5). A failed audit write fails the
 * request: a read that cannot be recorded is not served. Each row names the acting person's own role and
 * unit: the access check tells the trail, per log, in which role and from which unit the person acts.
 *
 * A page that reads everything in one statement writes its read rows in that same statement, with no
 * round trip of their own (src/db/one-statement.ts explains why they are then never lost):
 *
 *   app.deferAudit(request, entry);                       // the access check: a read, to be written
 *   await oneStatement(db, parts, { insert: app.takeAudit(request, [moreEntry]) });
 *
 * A deferred row that no statement took (the page answered a redirect or 404 instead) is written
 * before the answer leaves (onSend), so it is never skipped either. The insert is in repository.ts.
 */
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import { auditRepository } from './repository.js';

export interface AuditEntry {
  action: string;
  objectType?: string;
  objectId?: number | null;
  logId?: number | null;
  outcome?: 'ok' | 'denied';
  /**
   * Role in which the person acted (holder, actor, guardian …). Defaults to the role this request's access
   * check found for the entry's log (actsIn), else to the account kind.
   */
  role?: string;
  /**
   * The acting person's own unit (never simply the log's): defaults to the unit this request's access
   * check found for the entry's log (null for the family), else to the person's first unit.
   */
  unitId?: number | null;
  userId?: number | null;
}

/** Audit rows for oneStatement's `insert`. */
export interface AuditInsert {
  table: 'audit_events';
  rows: Record<string, unknown>[];
}

declare module 'fastify' {
  interface FastifyInstance {
    audit(request: FastifyRequest, entry: AuditEntry, trx?: Knex.Transaction): Promise<void>;
    /** Records a row to be written by this request's page statement (or, failing that, before the answer). */
    deferAudit(request: FastifyRequest, entry: AuditEntry): void;
    /** The deferred rows and those for `entries`, for the caller to write in its own statement (now). */
    takeAudit(request: FastifyRequest, entries?: AuditEntry[]): AuditInsert;
  }
}

/** Letters, digits and . _ : - only (no runs of digits that could be an identity number), cut to length. */
export function auditCode(value: unknown, max: number): string {
  return String(value ?? '')
    .replace(/[^A-Za-z0-9_.:-]/g, '_')
    .replace(/\d{6,}/g, '#')
    .slice(0, max);
}

function auditId(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** Rows already written for a request (outside transactions), so a read asked for twice is one row. */
const written = new WeakMap<FastifyRequest, Set<string>>();

export interface ActingAs {
  role: string;
  unitId: number | null;
}

/** The role and unit the person acts in, per log this request has been given access to. */
const acting = new WeakMap<FastifyRequest, Map<number, ActingAs>>();

/** Called by the access check: audit rows of this request about `logId` default to this role and unit. */
export function actsIn(request: FastifyRequest, logId: number, as: ActingAs): void {
  const logs = acting.get(request) ?? new Map<number, ActingAs>();
  logs.set(logId, as);
  acting.set(request, logs);
}

/** Rows deferred by this request and not yet taken by a statement. */
const deferred = new WeakMap<FastifyRequest, Record<string, unknown>[]>();

export default fp(
  async (app) => {
    const repository = auditRepository(app.db);
    /**
     * The row to write for `entry`, or null when this request has already written (or deferred) the
     * same row outside a transaction: a read asked for twice (by the access check and by the route) is
     * one row, and the first says it.
     */
    function rowFor(
      request: FastifyRequest,
      entry: AuditEntry,
      inTransaction: boolean,
    ): Record<string, unknown> | null {
      const user = request.user;
      const as = entry.logId ? acting.get(request)?.get(entry.logId) : undefined;
      const row = {
        user_id: auditId(entry.userId !== undefined ? entry.userId : user?.id),
        role: auditCode(
          entry.role ?? as?.role ?? (user ? (user.isMunicipalAdmin ? 'admin' : user.kind) : 'anonymous'),
          40,
        ),
        unit_id: auditId(
          entry.unitId !== undefined ? entry.unitId : as ? as.unitId : user?.memberships[0]?.unitId,
        ),
        action: auditCode(entry.action, 60) || 'unknown',
        object_type: auditCode(entry.objectType ?? '', 40),
        object_id: auditId(entry.objectId),
        log_id: auditId(entry.logId),
        outcome: entry.outcome === 'denied' ? 'denied' : 'ok',
      };
      if (!inTransaction) {
        const key = JSON.stringify([
          row.user_id,
          row.action,
          row.object_type,
          row.object_id,
          row.log_id,
          row.outcome,
        ]);
        const seen = written.get(request) ?? new Set<string>();
        if (seen.has(key)) return null;
        seen.add(key);
        written.set(request, seen);
      }
      return {
        ...row,
        at: app.now(),
        request_id: String(request.id)
          .replace(/[^A-Za-z0-9-]/g, '')
          .slice(0, 64),
      };
    }

    app.decorate('audit', async (request: FastifyRequest, entry: AuditEntry, trx?: Knex.Transaction) => {
      const row = rowFor(request, entry, Boolean(trx));
      if (row) await repository.insert(row, trx);
    });

    app.decorate('deferAudit', (request: FastifyRequest, entry: AuditEntry) => {
      const row = rowFor(request, entry, false);
      if (row) deferred.set(request, [...(deferred.get(request) ?? []), row]);
    });

    app.decorate('takeAudit', (request: FastifyRequest, entries: AuditEntry[] = []): AuditInsert => {
      const rows = deferred.get(request) ?? [];
      deferred.delete(request);
      for (const entry of entries) {
        const row = rowFor(request, entry, false);
        if (row) rows.push(row);
      }
      return { table: 'audit_events', rows };
    });

    // Deferred rows no statement took: written before the answer leaves, so the read is still recorded
    // (and a failure here fails the answer, as any audit write does).
    app.addHook('onSend', async (request, _reply, payload) => {
      const left = deferred.get(request);
      if (left?.length) {
        deferred.delete(request);
        await repository.insert(left);
      }
      return payload;
    });
  },
  { name: 'audit', dependencies: ['config'] },
);
