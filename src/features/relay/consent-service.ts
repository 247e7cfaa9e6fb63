/**
 * Consent over time (rule 2): new consent is registered by the holder or the leader; the family can
 * withdraw it at any time (a guardian or the youth themself, or the holder on their word). Expired or
 * withdrawn consent leaves the log readable but not writable (access policy); holder and leaders are
 * told 30 days before expiry and at expiry (schedule.ts), and see it on their pages.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../../types.js';
import { addDays, osloDate } from '../../lib/dates.js';
import { claimToken, previousResult, recordResult } from '../../lib/submissions.js';
import type { LogAccess } from '../access/service.js';
import { consentState, type ConsentState } from '../logs/index.js';
import { relayRepository } from './repository.js';
import { none, oneStatement, rows } from '../../db/one-statement.js';
import { notifyConsent } from './adapters.js';
import type { ConsentParsed } from './form.js';

export interface ConsentWatchRow {
  id: number;
  first_name: string;
  last_name: string;
  holder_name: string;
  unit_name: string;
  valid_until: string | null;
  withdrawn_at: Date | null;
  state: ConsentState;
}

type WatchRow = Omit<ConsentWatchRow, 'state'>;

export function consentService(app: FastifyInstance) {
  const db = app.db;
  const repository = relayRepository(db);
  const today = () => osloDate(app.now());

  const service = {
    async renew(
      request: FastifyRequest,
      access: LogAccess,
      consent: ConsentParsed,
      formToken: string,
    ): Promise<string> {
      const logId = access.log.id;
      const done = await db.transaction(async (trx) => {
        if (!(await claimToken(trx, formToken, request.user!.id))) return false;
        const [row] = await trx('consents')
          .insert({
            log_id: logId,
            given_by: consent.givenBy,
            given_by_role: consent.givenByRole,
            given_on: consent.givenOn,
            valid_until: consent.validUntil,
            services: consent.services,
            services_note: consent.servicesNote,
            recorded_by: request.user!.id,
            created_at: app.now(),
            updated_at: app.now(),
          })
          .returning('id');
        await recordResult(trx, formToken, `/logs/${logId}#consent`);
        await app.audit(
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
        return true;
      });
      return done
        ? `/logs/${logId}#consent`
        : (await previousResult(db, formToken, request.user!.id)) || `/logs/${logId}`;
    },

    /** Withdraws every consent in force on the log; the holder and the leaders are told. */
    async withdraw(request: FastifyRequest, access: LogAccess, reason: string): Promise<void> {
      const logId = access.log.id;
      const withdrawn = await db.transaction(async (trx) => {
        const rows = await trx('consents')
          .where({ log_id: logId })
          .whereNull('withdrawn_at')
          .update({
            withdrawn_at: app.now(),
            withdrawn_by: request.user!.id,
            withdrawn_reason: reason,
            updated_at: app.now(),
          })
          .returning('id');
        for (const row of rows) {
          await app.audit(
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
        await notifyConsent(app, others, logId);
      }
    },

    /** Active logs in the units this person leads whose consent needs attention: expiring, expired, withdrawn. */
    async watchList(user: CurrentUser): Promise<ConsentWatchRow[]> {
      const day = today();
      const { list } = await oneStatement(db, { list: service.watchListPart(user, day) });
      return service.watchListRows(list, day);
    },

    /** The watch list's query, as a part of a page's statement (src/db/one-statement.ts). */
    watchListPart(user: CurrentUser, day: string) {
      const unitIds = user.memberships.filter((m) => m.isLeader).map((m) => m.unitId);
      if (unitIds.length === 0) return none([] as WatchRow[]);
      return rows<WatchRow>(
        db('logs as l')
          .join('children as c', 'c.id', 'l.child_id')
          .join('users as h', 'h.id', 'l.holder_id')
          .join('units as u', 'u.id', 'l.unit_id')
          .joinRaw(
            `LEFT JOIN LATERAL (SELECT valid_until::text AS valid_until, withdrawn_at FROM consents k WHERE k.log_id = l.id
             ORDER BY (k.withdrawn_at IS NULL) DESC, k.valid_until DESC, k.id DESC LIMIT 1) k ON true`,
          )
          .whereIn('l.unit_id', unitIds)
          .where('l.status', 'active')
          .where((w) =>
            w
              .whereNull('k.valid_until')
              .orWhereNotNull('k.withdrawn_at')
              .orWhere('k.valid_until', '<=', addDays(day, 30)),
          )
          .orderBy([{ column: 'k.valid_until' }, { column: 'l.id' }])
          .select(
            'l.id',
            'c.first_name',
            'c.last_name',
            'h.name as holder_name',
            'u.name as unit_name',
            'k.valid_until',
            'k.withdrawn_at',
          ),
      );
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
