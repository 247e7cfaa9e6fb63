/**
 * A log's life after its active years (rule 11): the holder closes it with the family (it becomes
 * passive: read-only, still listed); only the unit leader reopens it (with new consent) or deletes it,
 * and only a passive log can be deleted. Closing and deletion store a PDF first or right after: the
 * archive record that outlives the log.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import { osloDate } from '../../lib/dates.js';
import type { DbHandles } from '../../db/handles.js';
import { Refused } from '../../lib/form.js';
import type { LogAccess } from '../../plugins/access/index.js';
import type { RelayRepository } from './repository.js';
import type { PrintsService } from '../prints/index.js';
import { archiveLog } from './archive.js';
import type { ConsentParsed } from './form.js';

export type LifecycleResult =
  | { redirect: string; first?: boolean }
  | { problem: 'pendingTransfer' | 'notActive' | 'notPassive' | 'archiveFailed' }
  /** The child has another active log (a child has one active log at a time); nothing was changed. */
  | { problem: 'childHasLog'; activeLogId: number };

/** What the service needs. */
export type LifecycleDeps = Pick<FastifyInstance, 'now' | 'audit' | 'log'> &
  Pick<DbHandles, 'once' | 'previousResult' | 'transaction'> & {
    repository: RelayRepository;
    prints: PrintsService;
  };

export function lifecycleService(deps: LifecycleDeps) {
  const { repository } = deps;

  /** Runs `change` once per form token; a repeat (double click) goes where the first one went. */
  async function once(
    request: FastifyRequest,
    formToken: string,
    change: (trx: Knex.Transaction) => Promise<LifecycleResult>,
  ): Promise<LifecycleResult> {
    try {
      const done = await deps.once(formToken, request.user!.id, async (trx) => {
        const outcome = await change(trx);
        if ('problem' in outcome) throw new Refused(outcome);
        return outcome.redirect;
      });
      return done.first ? { redirect: done.result, first: true } : { redirect: done.result || '/logs' };
    } catch (error) {
      // A problem rolls the change back and frees the token.
      if (error instanceof Refused) return error.reason as LifecycleResult;
      throw error;
    }
  }

  return {
    /** What the holder had agreed with the family; the log becomes passive, then the closing PDF is stored. */
    async close(
      request: FastifyRequest,
      access: LogAccess,
      input: { reason: string; closedOn: string },
      formToken: string,
    ) {
      const logId = access.log.id;
      const result = await once(request, formToken, async (trx) => {
        const log = await repository.lockLog(trx, logId);
        if (log.status !== 'active') return { problem: 'notActive' };
        if (await repository.pendingForLog(logId, trx)) return { problem: 'pendingTransfer' };
        await repository.updateLog(trx, logId, {
          status: 'passive',
          closed_at: deps.now(),
          closed_reason: input.reason,
          version: log.version + 1,
          updated_at: deps.now(),
        });
        await repository.insertClosure(trx, {
          log_id: logId,
          kind: 'closed',
          closed_on: input.closedOn,
          reason: input.reason,
          closed_by: request.user!.id,
          closed_at: deps.now(),
        });
        await deps.audit(
          request,
          {
            action: 'log.close',
            objectType: 'log',
            objectId: logId,
            logId,
            role: access.role,
          },
          trx,
        );
        return { redirect: `/logs/${logId}` };
      });
      if ('first' in result && result.first) await archiveLog(deps, request, logId, 'closing');
      return result;
    },

    /** The leader reopens a passive log; the family's new consent is registered with it. */
    async reopen(request: FastifyRequest, access: LogAccess, consent: ConsentParsed, formToken: string) {
      const logId = access.log.id;
      return once(request, formToken, async (trx) => {
        const log = await repository.lockLog(trx, logId);
        if (log.status !== 'passive') return { problem: 'notPassive' };
        // The child row is the lock every way to an active log takes (creating one takes it too), so two
        // of them cannot both see "no other active log".
        const active = await repository.otherActiveLogOfChild(trx, log.child_id, logId);
        if (active) return { problem: 'childHasLog', activeLogId: active.id };
        const [row] = await repository.insertConsent(trx, logId, consent, request.user!.id, deps.now());
        await repository.updateLog(trx, logId, {
          status: 'active',
          closed_at: null,
          closed_reason: null,
          version: log.version + 1,
          updated_at: deps.now(),
        });
        const closure = await repository.openClosure(trx, logId);
        if (closure) {
          await repository.markClosureReopened(trx, closure.id, {
            reopened_at: deps.now(),
            reopened_by: request.user!.id,
            reopen_consent_id: row.id,
          });
        }
        const entry = {
          objectType: 'log',
          objectId: logId,
          logId,
          role: access.role,
        };
        await deps.audit(
          request,
          { ...entry, action: 'consent.create', objectType: 'consent', objectId: row.id },
          trx,
        );
        await deps.audit(request, { ...entry, action: 'log.reopen' }, trx);
        return { redirect: `/logs/${logId}` };
      });
    },

    /**
     * The leader deletes a passive log: first the deletion PDF is stored (archive duty; if it cannot be
     * made, nothing is deleted), then the log and everything in it. Archive prints and audit rows stay.
     */
    async remove(request: FastifyRequest, access: LogAccess, formToken: string): Promise<LifecycleResult> {
      const logId = access.log.id;
      const earlier = await deps.previousResult(formToken, request.user!.id);
      if (earlier) return { redirect: earlier };
      if (access.log.status !== 'passive') return { problem: 'notPassive' };
      if (!(await archiveLog(deps, request, logId, 'deletion'))) return { problem: 'archiveFailed' };
      return once(request, formToken, async (trx) => {
        const log = await repository.lockLog(trx, logId);
        if (!log || log.status !== 'passive') return { problem: 'notPassive' };
        await deleteLogData(deps, trx, log, request, access.role);
        return { redirect: `/archive#deleted-${logId}` };
      });
    },

    lastClosure: (logId: number) => repository.lastClosure(logId),

    /** Retention's deletion of a passive log, as the system (deletePassiveLogAsSystem below). */
    deletePassiveAsSystem: (logId: number) => deletePassiveLogAsSystem(deps, logId),
  };
}

type LockedLog = NonNullable<Awaited<ReturnType<RelayRepository['lockLog']>>>;

/**
 * The deletion itself, once the deletion PDF is stored: the line in deleted_logs that names the archive
 * record, the log and everything in it, and the audit row. The leader's deletion and retention's both
 * come here. `request` is the leader's, or the system's stand-in for a job (no user).
 */
async function deleteLogData(
  deps: Pick<FastifyInstance, 'now' | 'audit'> & { repository: RelayRepository },
  trx: Knex.Transaction,
  log: LockedLog,
  request: FastifyRequest,
  role: string,
): Promise<void> {
  const { repository } = deps;
  const child = await repository.childForDeletion(trx, log.child_id);
  await repository.insertDeletedLog(trx, {
    log_ref: log.id,
    unit_id: log.unit_id,
    child_name: `${child.first_name} ${child.last_name}`,
    birth_date: child.birth_date,
    plan_type: log.plan_type,
    created_on: osloDate(log.created_at),
    deleted_by: request.user?.id ?? null,
    deleted_at: deps.now(),
  });
  await repository.deleteLog(trx, log.id);
  await deps.audit(
    request,
    { action: 'log.delete', objectType: 'log', objectId: log.id, logId: log.id, role },
    trx,
  );
}

/**
 * Retention (RETENTION_PASSIVE_LOG_YEARS): deletes a passive log the way a leader does, as the system:
 * the deletion PDF first (if it cannot be made, nothing is deleted), then the log. False when the print
 * failed or the log is no longer passive.
 */
export async function deletePassiveLogAsSystem(deps: LifecycleDeps, logId: number): Promise<boolean> {
  if (!(await archiveLog(deps, null, logId, 'deletion'))) return false;
  const system = { user: null, id: 'system' } as unknown as FastifyRequest;
  return deps.transaction(async (trx) => {
    const log = await deps.repository.lockLog(trx, logId);
    if (!log || log.status !== 'passive') return false;
    await deleteLogData(deps, trx, log, system, 'system');
    return true;
  });
}

export type LifecycleService = ReturnType<typeof lifecycleService>;
