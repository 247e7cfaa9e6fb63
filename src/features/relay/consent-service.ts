/**
 * Consent over time (rule 2): new consent is registered by the holder or the leader; the family can
 * withdraw it at any time (a guardian or the youth themself, or the holder on their word). Expired or
 * withdrawn consent leaves the log readable but not writable (access policy); holder and leaders are
 * told 30 days before expiry and at expiry (schedule.ts), and see it on their pages.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../../types.js';
import { addDays, osloDate } from '../../lib/dates.js';
import type { LogAccess } from '../../plugins/access/index.js';
import { consentState, type ConsentState } from '../logs/index.js';
import type { ConsentWatchListRow, RelayRepository } from './repository.js';
import { none } from '../../db/one-statement.js';
import type { DbHandles } from '../../db/handles.js';
import { notifyConsent, type Notifier } from './adapters.js';
import type { ConsentParsed } from './form.js';

export interface ConsentWatchRow extends ConsentWatchListRow {
  state: ConsentState;
}

type WatchRow = ConsentWatchListRow;

/** What the service needs. */
export type ConsentDeps = Pick<FastifyInstance, 'now' | 'audit' | 'jobs' | 'log'> &
  Pick<DbHandles, 'once' | 'transaction' | 'statement'> &
  Notifier & { repository: RelayRepository };

export function consentService(deps: ConsentDeps) {
  const { repository } = deps;
  const today = () => osloDate(deps.now());

  const service = {
    async renew(
      request: FastifyRequest,
      access: LogAccess,
      consent: ConsentParsed,
      formToken: string,
    ): Promise<string> {
      const logId = access.log.id;
      const done = await deps.once(formToken, request.user!.id, async (trx) => {
        const [row] = await repository.insertConsent(trx, logId, consent, request.user!.id, deps.now());
        await deps.audit(
          request,
          {
            action: 'consent.create',
            objectType: 'consent',
            objectId: row.id,
            logId,
            role: access.role,
          },
          trx,
        );
        return `/logs/${logId}#consent`;
      });
      return done.result || `/logs/${logId}`;
    },

    /** Withdraws every consent in force on the log; the holder and the leaders are told. */
    async withdraw(request: FastifyRequest, access: LogAccess, reason: string): Promise<void> {
      const logId = access.log.id;
      const withdrawn = await deps.transaction(async (trx) => {
        const rows = await repository.withdrawConsents(trx, logId, {
          withdrawn_at: deps.now(),
          withdrawn_by: request.user!.id,
          withdrawn_reason: reason,
          updated_at: deps.now(),
        });
        for (const row of rows) {
          await deps.audit(
            request,
            {
              action: 'consent.withdraw',
              objectType: 'consent',
              objectId: row.id,
              logId,
              role: access.role,
            },
            trx,
          );
        }
        return rows.length;
      });
      if (withdrawn) {
        const others = [access.log.holder_id, ...(await repository.leaderIds(access.log.unit_id))].filter(
          (id) => id !== request.user!.id,
        );
        await notifyConsent(deps, others, logId);
      }
    },

    /** Active logs in the units this person leads whose consent needs attention: expiring, expired, withdrawn. */
    async watchList(user: CurrentUser): Promise<ConsentWatchRow[]> {
      const day = today();
      const { list } = await deps.statement({ list: service.watchListPart(user, day) });
      return service.watchListRows(list, day);
    },

    /** The watch list's query, as a part of a page's statement (src/db/one-statement.ts). */
    watchListPart(user: CurrentUser, day: string) {
      const unitIds = user.memberships.filter((m) => m.isLeader).map((m) => m.unitId);
      if (unitIds.length === 0) return none([] as WatchRow[]);
      return repository.consentWatchPart(unitIds, addDays(day, 30));
    },

    watchListRows(found: WatchRow[], day: string): ConsentWatchRow[] {
      return found.map((r) => ({
        ...r,
        state: consentState(
          r.valid_until ? { valid_until: r.valid_until, withdrawn_at: r.withdrawn_at } : undefined,
          day,
        ),
      }));
    },
  };
  return service;
}

export type ConsentService = ReturnType<typeof consentService>;
