/**
 * What the relay adds to pages other features own, each merged in with one line:
 *  - the log page (views/relay/_log-status.eta): a pending transfer for everyone who sees the log,
 *    why a passive log was closed, what to do when consent has ended (the page's consentState), and
 *    the relay's actions;
 *  - my logs (views/relay/_my-logs.eta): transfers waiting for me or sent by me, consent to follow
 *    up in the units I lead, import, and the archive of deleted logs.
 * (The leader's unit page lists the unit's pending transfers from the transfers table itself.)
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { section } from '../logs/sections.js';
import { osloDate } from '../../lib/dates.js';
import { relayRepository } from './repository.js';
import { transferService } from './transfer-service.js';
import { consentService } from './consent-service.js';
import { canOnTransfer, transferRelation } from './policy.js';

/** The relay's part of the log page (features/logs/sections.ts). */
export function relayLogSection(app: FastifyInstance) {
  const repository = relayRepository(app.db);
  return section({
    parts: ({ access }) => repository.logPageParts(access.log.id, access.log.status === 'passive'),
    build: ({ pending, closure }, { request, access }) => {
      const rel = pending ? transferRelation(request.user!, pending) : null;
      return {
        relay: {
          pending: pending
            ? {
                ...pending,
                createdOn: osloDate(pending.created_at),
                canWithdraw: canOnTransfer(rel, pending, 'withdraw'),
                canSee: canOnTransfer(rel, pending, 'read'),
              }
            : null,
          closure: closure ?? null,
          can: {
            transfer: access.can('log.transfer') && !pending,
            export: access.can('log.transfer'),
            close: access.can('log.close') && !pending,
            reopen: access.can('log.reopen'),
            delete: access.can('log.delete'),
            renewConsent: access.can('consent.renew'),
            withdrawConsent: access.can('consent.withdraw'),
          },
        },
      };
    },
  });
}

export async function relayMyLogs(app: FastifyInstance, request: FastifyRequest) {
  const user = request.user!;
  const transfers = transferService(app);
  const [incoming, outgoing, consentWatch] = await Promise.all([
    transfers.incoming(user),
    transfers.outgoing(user),
    consentService(app).watchList(user),
  ]);
  const dated = <T extends { created_at: Date }>(rows: T[]) =>
    rows.map((r) => ({ ...r, createdOn: osloDate(r.created_at) }));
  return {
    relay: {
      incoming: dated(incoming),
      outgoing: dated(outgoing.filter((t) => !incoming.some((i) => i.id === t.id))),
      consentWatch,
      leads: user.memberships.some((m) => m.isLeader),
      canImport: user.memberships.some((m) => m.mayHold),
    },
  };
}
