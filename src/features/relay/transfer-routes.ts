/**
 * Transfer pages. Sending: where to (GET form), which unit (GET form), then who, why, which concerns
 * and the family's consent (POST). Receiving: the transfer page, accept, decline with a reason, the
 * receiving leader's choice of holder; the sender can withdraw. Every page works without JavaScript.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import { asBody, idValue, str, type FieldError } from '../../lib/form.js';
import { newFormToken } from '../../lib/form.js';
import { formatDate, osloDate } from '../../lib/dates.js';
import {
  parseChoice,
  parseReason,
  parseTransfer,
  TRANSFER_DESTINATIONS,
  type TransferValues,
} from './form.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default async function transferRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const transfers = app.services.relay.transfers;
  const repository = transfers.repository;
  const guard = { preHandler: app.requireUser };
  const inLog = { ...guard, schema: { params: idParams('logId') } };
  const aTransfer = { ...guard, schema: { params: idParams('transferId') } };
  const fmt = (request: FastifyRequest) => (d: string | Date) =>
    formatDate(typeof d === 'string' ? d : osloDate(d), request.locale);

  /** The log for a new transfer; with a pending one the sender is sent to it instead. */
  async function sending(request: FastifyRequest, logId: number) {
    const a = await request.logAccess(logId, 'log.transfer');
    const pending = await repository.pendingForLog(a.log.id);
    return { a, pending, summary: await repository.logSummary(a.log.id) };
  }

  const kindPage = (reply: FastifyReply, a: LogAccess, summary: object, errors: FieldError[]) =>
    reply
      .code(errors.length ? 422 : 200)
      .page('relay/transfer-kind', { logId: a.log.id, summary, errors, onBehalf: !a.rel.isHolder });

  app.get('/logs/:logId/transfer', inLog, async (request, reply) => {
    const { a, pending, summary } = await sending(request, request.params.logId);
    if (pending) return reply.redirect(`/transfers/${pending.id}`, 303);
    return kindPage(reply, a, summary, []);
  });

  /** Where to, then which unit, then the details: one address, GET forms, nothing changes until the POST. */
  app.get('/logs/:logId/transfer/to', inLog, async (request, reply) => {
    const { a, pending, summary } = await sending(request, request.params.logId);
    if (pending) return reply.redirect(`/transfers/${pending.id}`, 303);
    const query = asBody(request.query);
    const kind = TRANSFER_DESTINATIONS.find((k) => k === str(query, 'kind'));
    if (!kind) return kindPage(reply, a, summary, [{ text: request.t('relay.err.kind'), href: '#kind' }]);
    if (kind === 'municipality') return reply.redirect(`/logs/${a.log.id}/export`, 303);
    if (kind === 'internal') return detailsPage(reply, a, summary, 'internal', a.log.unit_id, null, []);
    const units = (await repository.unitsInMunicipality(request.user!.municipalityId)).filter(
      (u) => u.id !== a.log.unit_id,
    );
    const unitId = Number(str(query, 'unitId'));
    if (!units.some((u) => u.id === unitId)) {
      const errors =
        str(query, 'step') === 'unit' ? [{ text: request.t('relay.err.unit'), href: '#unitId' }] : [];
      return reply
        .code(errors.length ? 422 : 200)
        .page('relay/transfer-unit', { logId: a.log.id, summary, units, errors });
    }
    return detailsPage(reply, a, summary, 'unit', unitId, null, []);
  });

  async function detailsContext(a: LogAccess, kind: 'internal' | 'unit', unitId: number) {
    const [unit, holders, leaders, concerns] = await Promise.all([
      repository.findUnit(unitId),
      repository.possibleHolders(unitId),
      repository.leaderIds(unitId),
      kind === 'unit' ? repository.concernsOfLog(a.log.id) : Promise.resolve([]),
    ]);
    const receivers = holders.filter((h) => h.id !== a.log.holder_id);
    return { unit: unit!, receivers, leaderAvailable: kind === 'unit' && leaders.length > 0, concerns };
  }

  async function detailsPage(
    reply: FastifyReply,
    a: LogAccess,
    summary: object,
    kind: 'internal' | 'unit',
    unitId: number,
    values: (TransferValues & { formToken: string }) | null,
    errors: FieldError[],
  ) {
    const context = await detailsContext(a, kind, unitId);
    return reply.code(errors.length ? 422 : 200).page('relay/transfer-details', {
      logId: a.log.id,
      summary,
      kind,
      ...context,
      values: values ?? {
        kind,
        unitId: String(unitId),
        receiver: '',
        reason: '',
        concernIds: [],
        consentConfirmed: false,
        stayInMeetings: '',
        formToken: newFormToken(),
      },
      errors,
    });
  }

  app.post('/logs/:logId/transfers', inLog, async (request, reply) => {
    const { a, pending, summary } = await sending(request, request.params.logId);
    if (pending) return reply.redirect(`/transfers/${pending.id}`, 303);
    const body = asBody(request.body);
    const kind = str(body, 'kind') === 'unit' ? 'unit' : 'internal';
    // An id that cannot be one (huge, negative, not a number) is a unit that does not exist.
    const unitId = kind === 'internal' ? a.log.unit_id : (idValue(str(body, 'unitId')) ?? 0);
    const unit = unitId === 0 ? undefined : await repository.findUnit(unitId);
    if (
      !unit ||
      unit.municipality_id !== request.user!.municipalityId ||
      (kind === 'unit' && unitId === a.log.unit_id)
    )
      throw new NotFoundError();
    const context = await detailsContext(a, kind, unitId);
    const { values, input, errors } = parseTransfer(request.body, request.t, {
      kind,
      toUnitId: unitId,
      receiverIds: context.receivers.map((r) => r.id),
      leaderAvailable: context.leaderAvailable,
      concernIds: context.concerns.map((c) => c.id),
    });
    const formToken = str(body, 'formToken');
    if (!input) return detailsPage(reply, a, summary, kind, unitId, { ...values, formToken }, errors);
    return reply.redirect(await transfers.create(request, a, input, formToken), 303);
  });

  // ---- the transfer itself ----

  type Found = Awaited<ReturnType<typeof transfers.require>>;

  async function transferPage(
    request: FastifyRequest,
    reply: FastifyReply,
    found: Found,
    extra: Record<string, unknown> = {},
  ) {
    const transfer = found.transfer;
    const concerns = await repository.concernsOfLog(transfer.log_id);
    const going = transfer.concern_ids
      ? concerns.filter((c) => transfer.concern_ids!.includes(c.id))
      : concerns;
    const holders = found.can('assign') ? await repository.possibleHolders(transfer.to_unit_id) : [];
    return reply.page('relay/transfer', {
      transfer,
      going,
      // What stays behind is the sender's business: the receiver sees only what the family agreed to send.
      staying:
        transfer.concern_ids && (found.rel.isSender || found.rel.isSendingLeader)
          ? concerns.filter((c) => !transfer.concern_ids!.includes(c.id))
          : [],
      showStaying: found.rel.isSender || found.rel.isSendingLeader,
      can: {
        accept: found.can('accept'),
        decline: found.can('decline'),
        assign: found.can('assign'),
        withdraw: found.can('withdraw'),
      },
      holders,
      // The log itself is for its holder now, and the leader of the unit it is held in.
      seesLog:
        transfer.log_holder_id === request.user!.id ||
        request.user!.memberships.some((m) => m.isLeader && m.unitId === transfer.log_unit_id),
      fmt: fmt(request),
      errors: [],
      values: { receiver: '' },
      ...extra,
    });
  }

  app.get('/transfers/:transferId', aTransfer, async (request, reply) => {
    return transferPage(request, reply, await transfers.require(request, request.params.transferId));
  });

  app.post('/transfers/:transferId/accept', aTransfer, async (request, reply) => {
    const { transfer } = await transfers.require(request, request.params.transferId);
    if (transfer.status !== 'pending') return reply.redirect(`/transfers/${transfer.id}`, 303);
    const found = await transfers.require(request, String(transfer.id), 'accept');
    const result = await transfers.accept(request, found.transfer.id);
    if (!result.ok) {
      if (result.problem === 'notPending') return reply.redirect(`/transfers/${transfer.id}`, 303);
      return transferPage(request, reply.code(409), await transfers.require(request, String(transfer.id)), {
        problem: result.problem,
      });
    }
    return reply.redirect(`/logs/${transfer.log_id}`, 303);
  });

  app.get('/transfers/:transferId/decline', aTransfer, async (request, reply) => {
    const { transfer } = await transfers.require(request, request.params.transferId, 'decline');
    return reply.page('relay/transfer-decline', { transfer, values: { declineReason: '' }, errors: [] });
  });

  app.post('/transfers/:transferId/decline', aTransfer, async (request, reply) => {
    const { transfer } = await transfers.require(request, request.params.transferId);
    if (transfer.status !== 'pending') return reply.redirect(`/transfers/${transfer.id}`, 303);
    const { rel } = await transfers.require(request, String(transfer.id), 'decline');
    const { values, errors, input } = parseReason(
      request.body,
      request.t,
      'declineReason',
      'relay.err.declineReason',
      request.t('relay.decline.reason'),
    );
    if (!input)
      return reply
        .code(422)
        .page('relay/transfer-decline', { transfer, values: { declineReason: values.reason }, errors });
    await transfers.decline(request, transfer, rel, input.reason);
    return reply.redirect(`/transfers/${transfer.id}`, 303);
  });

  app.post('/transfers/:transferId/assign', aTransfer, async (request, reply) => {
    const { transfer } = await transfers.require(request, request.params.transferId);
    if (transfer.status !== 'pending' || transfer.to_user_id !== null)
      return reply.redirect(`/transfers/${transfer.id}`, 303);
    const found = await transfers.require(request, String(transfer.id), 'assign');
    const holders = await repository.possibleHolders(transfer.to_unit_id);
    const { values, input, errors } = parseChoice(
      request.body,
      request.t,
      holders.map((h) => h.id),
    );
    if (!input)
      return transferPage(request, reply.code(422), found, {
        errors,
        values,
      });
    await transfers.assign(request, transfer, input.id);
    return reply.redirect(
      input.id === request.user!.id ? `/logs/${transfer.log_id}` : `/transfers/${transfer.id}`,
      303,
    );
  });

  app.get('/transfers/:transferId/withdraw', aTransfer, async (request, reply) => {
    const { transfer } = await transfers.require(request, request.params.transferId, 'withdraw');
    return reply.page('relay/transfer-withdraw', { transfer });
  });

  app.post('/transfers/:transferId/withdraw', aTransfer, async (request, reply) => {
    const { transfer } = await transfers.require(request, request.params.transferId);
    if (transfer.status !== 'pending') return reply.redirect(`/transfers/${transfer.id}`, 303);
    const { rel } = await transfers.require(request, String(transfer.id), 'withdraw');
    await transfers.withdraw(request, transfer, rel);
    return reply.redirect(`/logs/${transfer.log_id}`, 303);
  });
}
