/**
 * What the relay adds to pages other features own, registered with the log page registry
 * (features/logs/registry.ts) when the relay's routes are:
 *  - the log page (views/relay/_log-status.eta): a pending transfer for everyone who sees the log,
 *    why a passive log was closed, what to do when consent has ended (the page's consentState), and
 *    the relay's actions;
 *  - my logs (views/relay/_my-logs.eta): transfers waiting for me or sent by me, consent to follow
 *    up in the units I lead, import, and the archive of deleted logs.
 * (The leader's unit page lists the unit's pending transfers from the transfers table itself.)
 */
import type { FastifyInstance } from 'fastify';
import { osloDate } from '../../lib/dates.js';
import type { TransferRow } from './repository.js';
import type { CurrentUser } from '../../types.js';
import { canOnTransfer, transferRelation } from './policy.js';

export function registerRelaySections(app: FastifyInstance) {
  const { repository } = app.services.relay;
  const consent = app.services.relay.consents;

  app.logPage.register({
    id: 'relay.status',
    views: ['log', 'family'],
    order: 10,
    slot: 'notices',
    partial: '/relay/_log-status',
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

  app.logPage.registerMyLogs({
    id: 'relay.myLogs',
    order: 10,
    slot: 'lists',
    partial: '/relay/_my-logs',
    parts: (user: CurrentUser, today: string) => ({
      ...repository.myLogsParts(
        user.id,
        user.memberships.filter((m) => m.isLeader).map((m) => m.unitId),
      ),
      consentWatch: consent.watchListPart(user, today),
    }),
    build(
      data: {
        incoming: TransferRow[];
        outgoing: TransferRow[];
        consentWatch: Parameters<typeof consent.watchListRows>[0];
      },
      user: CurrentUser,
      today: string,
    ) {
      const { incoming, outgoing } = data;
      const dated = <T extends { created_at: Date }>(rows: T[]) =>
        rows.map((r) => ({ ...r, createdOn: osloDate(r.created_at) }));
      return {
        relay: {
          incoming: dated(incoming),
          outgoing: dated(outgoing.filter((t) => !incoming.some((i) => i.id === t.id))),
          consentWatch: consent.watchListRows(data.consentWatch, today),
          leads: user.memberships.some((m) => m.isLeader),
          canImport: user.memberships.some((m) => m.mayHold),
        },
      };
    },
  });
}
