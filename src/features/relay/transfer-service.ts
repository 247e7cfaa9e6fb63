/**
 * Transfers (rule 10): pending until the receiver accepts; until then the old holder holds the log.
 * The receiver accepts or declines, the receiving leader may pick the holder, the sender may withdraw.
 * On acceptance the new holder holds the log, the concerns that did not go along stay behind in a
 * passive log held by the old holder, and a PDF of each is stored as a transfer record.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import type { CurrentUser } from '../../types.js';
import { osloDate } from '../../lib/dates.js';
import type { DbHandles } from '../../db/handles.js';
import { NotFoundError, parseId, type LogAccess } from '../../plugins/access/index.js';
import type { PrintsService } from '../prints/index.js';
import type { RelayRepository, TransferRow } from './repository.js';
import { canOnTransfer, transferRelation, type TransferAction, type TransferRelation } from './policy.js';
import type { TransferParsed } from './form.js';
import { notifyTransfer, type Notifier } from './adapters.js';
import { archiveLog } from './archive.js';
import { handOverMeetings } from '../meetings/index.js';

export type Outcome =
  | { ok: true; transfer: TransferRow }
  | { ok: false; problem: 'notPending' | 'consent' | 'holderGone' | 'logPassive' };

/** What the service needs. */
export type TransferDeps = Pick<
  FastifyInstance,
  // db only to hand on to handOverMeetings() (the meetings feature).
  'db' | 'now' | 'audit' | 'jobs' | 'log'
> &
  Pick<DbHandles, 'once' | 'transaction'> &
  Notifier & {
    repository: RelayRepository;
    prints: PrintsService;
  };

export function transferService(deps: TransferDeps) {
  const { repository } = deps;
  const today = () => osloDate(deps.now());

  const auditEntry = (action: string, t: { id: number; log_id: number }, role: string, unitId: number) =>
    ({ action, objectType: 'transfer', objectId: t.id, logId: t.log_id, role, unitId }) as const;

  const service = {
    repository,

    /** The transfer as this person may see it and act on it, or NotFoundError (audited). */
    async require(request: FastifyRequest, idParam: unknown, action: TransferAction = 'read') {
      const id = parseId(idParam);
      const transfer = id ? await repository.findTransfer(id) : undefined;
      const rel = transfer ? transferRelation(request.user!, transfer) : null;
      if (!transfer || !canOnTransfer(rel, transfer, 'read') || !canOnTransfer(rel, transfer, action)) {
        await deps.audit(request, {
          action: `denied:transfer.${action}`,
          objectType: 'transfer',
          objectId: id,
          logId: transfer?.log_id ?? null,
          outcome: 'denied',
        });
        throw new NotFoundError();
      }
      // A page about the transfer shows the child's name: a read, recorded like any read of a log.
      if (request.method === 'GET') {
        await deps.audit(request, {
          action: 'transfer.read',
          objectType: 'transfer',
          objectId: transfer.id,
          logId: transfer.log_id,
          role: service.roleOf(rel!),
        });
      }
      return { transfer, rel: rel!, can: (a: TransferAction) => canOnTransfer(rel, transfer, a) };
    },

    roleOf(rel: TransferRelation): string {
      if (rel.isReceiver) return 'receiver';
      if (rel.isReceivingLeader) return 'receiving_leader';
      if (rel.isSender) return 'holder';
      return 'leader';
    },

    /** Creates a pending transfer once per form token; the receiver's own (a leader to themself) is accepted at once. */
    async create(
      request: FastifyRequest,
      access: LogAccess,
      parsed: TransferParsed,
      formToken: string,
    ): Promise<string> {
      const user = request.user!;
      const created = { id: 0, duplicate: false };
      const done = await deps.once(formToken, user.id, async (trx) => {
        const log = await repository.lockLog(trx, access.log.id);
        const pending = await repository.pendingForLog(access.log.id, trx);
        if (pending || log.status !== 'active') {
          created.duplicate = true;
          return pending ? `/transfers/${pending.id}` : `/logs/${access.log.id}`;
        }
        const id = await repository.insertTransfer(trx, {
          log_id: log.id,
          kind: parsed.kind,
          from_unit_id: log.unit_id,
          from_holder_id: log.holder_id,
          created_by: user.id,
          to_unit_id: parsed.toUnitId,
          to_user_id: parsed.toUserId,
          reason: parsed.reason,
          consent_confirmed: parsed.kind === 'unit',
          concern_ids: parsed.concernIds,
          old_holder_stays_in_meetings: parsed.stayInMeetings,
          created_at: deps.now(),
        });
        await deps.audit(
          request,
          auditEntry('transfer.create', { id, log_id: log.id }, access.role, log.unit_id),
          trx,
        );
        created.id = id;
        return `/transfers/${id}`;
      });
      if (!done.first || created.duplicate) return done.result || `/logs/${access.log.id}`;
      if (parsed.toUserId === user.id) {
        await service.accept(request, created.id);
        return `/logs/${access.log.id}`;
      }
      const receivers = parsed.toUserId ? [parsed.toUserId] : await repository.leaderIds(parsed.toUnitId);
      await notifyTransfer(deps, receivers, access.log.id);
      return `/transfers/${created.id}`;
    },

    async accept(request: FastifyRequest, transferId: number): Promise<Outcome> {
      const user = request.user!;
      const result = await deps.transaction(async (trx): Promise<Outcome> => {
        const locked = await repository.lockTransfer(trx, transferId);
        const transfer = locked ? await repository.findTransfer(transferId, trx) : undefined;
        if (!transfer || transfer.status !== 'pending' || transfer.to_user_id !== user.id)
          return { ok: false, problem: 'notPending' };
        const log = await repository.lockLog(trx, transfer.log_id);
        if (log.status !== 'active') return { ok: false, problem: 'logPassive' };
        if (!(await repository.consentInForce(trx, log.id, today())))
          return { ok: false, problem: 'consent' };
        const holders = await repository.possibleHolders(transfer.to_unit_id, trx);
        if (!holders.some((h) => h.id === user.id)) return { ok: false, problem: 'holderGone' };

        const passiveLogId = await leaveBehind(trx, transfer, log);
        await repository.updateLog(trx, log.id, {
          holder_id: user.id,
          unit_id: transfer.to_unit_id,
          version: log.version + 1,
          updated_at: deps.now(),
        });
        // The new holder takes the old holder's place in the meetings still to come (with e-mails).
        await handOverMeetings(deps, trx, log.id, {
          from: transfer.from_holder_id,
          to: user.id,
          oldHolderStays: transfer.old_holder_stays_in_meetings,
        });
        await repository.decide(trx, transfer.id, {
          status: 'accepted',
          decided_by: user.id,
          decided_at: deps.now(),
          passive_log_id: passiveLogId,
        });
        await deps.audit(
          request,
          auditEntry('transfer.accept', transfer, 'holder', transfer.to_unit_id),
          trx,
        );
        if (passiveLogId) {
          await deps.audit(
            request,
            {
              action: 'log.left_behind',
              objectType: 'log',
              objectId: passiveLogId,
              logId: passiveLogId,
              role: 'system',
              unitId: transfer.from_unit_id,
            },
            trx,
          );
        }
        return { ok: true, transfer: { ...transfer, passive_log_id: passiveLogId } };
      });
      if (!result.ok) return result;
      // The transfer records: what was handed on, and what stayed behind. Made after the commit, so a
      // slow printer never holds the log locked; a failed print is logged and can be made again.
      await archiveLog(deps, request, result.transfer.log_id, 'transfer');
      if (result.transfer.passive_log_id)
        await archiveLog(deps, null, result.transfer.passive_log_id, 'transfer', user.id);
      await notifyTransfer(
        deps,
        [result.transfer.from_holder_id, result.transfer.created_by],
        result.transfer.log_id,
      );
      return result;

      /** The concerns that did not go along move to a new passive log held by the old holder. */
      async function leaveBehind(
        trx: Knex.Transaction,
        transfer: TransferRow,
        log: Record<string, unknown>,
      ): Promise<number | null> {
        if (!transfer.concern_ids) return null;
        const chosen = new Set(transfer.concern_ids);
        const staying = (await repository.concernsOfLog(transfer.log_id, trx))
          .filter((c) => !chosen.has(c.id))
          .map((c) => c.id);
        if (staying.length === 0) return null;
        const [passive] = await repository.insertLog(trx, {
          child_id: log.child_id,
          plan_type: log.plan_type,
          level: log.level,
          holder_id: transfer.from_holder_id,
          unit_id: transfer.from_unit_id,
          status: 'passive',
          startup_note: log.startup_note,
          created_by: log.created_by,
          closed_at: deps.now(),
          closed_reason: transfer.reason,
          created_at: log.created_at,
          updated_at: deps.now(),
        });
        await repository.copyGuardiansAndConsents(trx, transfer.log_id, passive.id);
        await repository.moveConcerns(trx, transfer.log_id, passive.id, staying);
        await repository.insertClosure(trx, {
          log_id: passive.id,
          kind: 'left_behind',
          closed_on: today(),
          reason: transfer.reason,
          closed_by: user.id,
          closed_at: deps.now(),
          transfer_id: transfer.id,
        });
        return passive.id as number;
      }
    },

    async decline(
      request: FastifyRequest,
      transfer: TransferRow,
      rel: TransferRelation,
      reason: string,
    ): Promise<boolean> {
      const done = await deps.transaction(async (trx) => {
        const ok = await repository.decide(trx, transfer.id, {
          status: 'declined',
          decided_by: request.user!.id,
          decided_at: deps.now(),
          decline_reason: reason,
        });
        if (ok)
          await deps.audit(
            request,
            auditEntry('transfer.decline', transfer, service.roleOf(rel), transfer.to_unit_id),
            trx,
          );
        return ok;
      });
      if (done) await notifyTransfer(deps, [transfer.from_holder_id, transfer.created_by], transfer.log_id);
      return done;
    },

    async withdraw(request: FastifyRequest, transfer: TransferRow, rel: TransferRelation): Promise<boolean> {
      const done = await deps.transaction(async (trx) => {
        const ok = await repository.decide(trx, transfer.id, {
          status: 'withdrawn',
          decided_by: request.user!.id,
          decided_at: deps.now(),
        });
        if (ok)
          await deps.audit(
            request,
            auditEntry('transfer.withdraw', transfer, service.roleOf(rel), transfer.log_unit_id),
            trx,
          );
        return ok;
      });
      const receivers = transfer.to_user_id
        ? [transfer.to_user_id]
        : await repository.leaderIds(transfer.to_unit_id);
      if (done) await notifyTransfer(deps, receivers, transfer.log_id);
      return done;
    },

    /** The receiving leader picks the new holder; the transfer stays pending until that person accepts. */
    async assign(request: FastifyRequest, transfer: TransferRow, toUserId: number): Promise<boolean> {
      const user = request.user!;
      const done = await deps.transaction(async (trx) => {
        const rows = await repository.assignTransfer(trx, transfer.id, {
          to_user_id: toUserId,
          assigned_by: user.id,
        });
        if (rows.length === 1)
          await deps.audit(
            request,
            auditEntry('transfer.assign', transfer, 'leader', transfer.to_unit_id),
            trx,
          );
        return rows.length === 1;
      });
      if (!done) return false;
      if (toUserId === user.id) await service.accept(request, transfer.id);
      else await notifyTransfer(deps, [toUserId], transfer.log_id);
      return true;
    },

    incoming(user: CurrentUser) {
      return repository.incoming(
        user.id,
        user.memberships.filter((m) => m.isLeader).map((m) => m.unitId),
      );
    },
    outgoing(user: CurrentUser) {
      return repository.outgoing(user.id);
    },
  };
  return service;
}

export type TransferService = ReturnType<typeof transferService>;
