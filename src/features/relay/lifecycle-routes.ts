/**
 * Closing (the holder, with the family), reopening (the leader, with new consent) and deleting (the
 * leader, a passive log, through a confirmation page); the leader's archive of deleted logs' prints.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import { asBody, str, type FieldError } from '../../lib/form.js';
import { addDays, formatDate, isoToParts, osloDate } from '../../lib/dates.js';
import { newFormToken } from '../../lib/form.js';
import { emptyConsent, parseClose, parseConsent, type CloseValues, type ConsentValues } from './form.js';
import { type LifecycleResult } from './lifecycle-service.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default async function lifecycleRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const lifecycle = app.services.relay.lifecycle;
  const { repository, previousResult } = app.services.relay;
  const guard = { preHandler: app.requireUser };
  const inLog = { ...guard, schema: { params: idParams('logId') } };
  const aPrint = { ...guard, schema: { params: idParams('printId') } };
  const today = () => osloDate(app.now());

  /** A repeated post (double click) of a form that already did its work goes where the first went. */
  const repeated = (request: FastifyRequest) =>
    previousResult(str(asBody(request.body), 'formToken'), request.user!.id);

  const outcome = (reply: FastifyReply, result: LifecycleResult, again: () => Promise<string>) =>
    'redirect' in result ? reply.redirect(result.redirect, 303) : again();

  // ---- close ----
  const closePage = async (
    reply: FastifyReply,
    a: LogAccess,
    values: CloseValues & { formToken: string },
    errors: FieldError[],
  ) =>
    reply.code(errors.length ? 422 : 200).page('relay/close', {
      logId: a.log.id,
      summary: await repository.logSummary(a.log.id),
      pending: await repository.pendingForLog(a.log.id),
      values,
      errors,
    });

  app.get('/logs/:logId/close', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.close');
    return closePage(
      reply,
      a,
      { reason: '', closedOn: isoToParts(today()), agreed: false, formToken: newFormToken() },
      [],
    );
  });

  app.post('/logs/:logId/close', inLog, async (request, reply) => {
    const earlier = await repeated(request);
    if (earlier) return reply.redirect(earlier, 303);
    const a = await request.logAccess(request.params.logId, 'log.close');
    const summary = await repository.logSummary(a.log.id);
    const formToken = str(asBody(request.body), 'formToken');
    const { values, input, errors } = parseClose(request.body, request.t, {
      today: today(),
      createdOn: osloDate(summary.created_at),
    });
    if (!input) return closePage(reply, a, { ...values, formToken }, errors);
    const result = await lifecycle.close(request, a, input, formToken);
    return outcome(reply, result, () =>
      closePage(reply, a, { ...values, formToken }, [
        { text: request.t('relay.close.pendingTransfer'), href: '#reason' },
      ]),
    );
  });

  // ---- reopen ----
  const consentDefaults = (): ConsentValues & { formToken: string } => ({
    ...emptyConsent(isoToParts(today()), isoToParts(addDays(today(), 365))),
    formToken: newFormToken(),
  });

  const reopenPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    values: ConsentValues & { formToken: string },
    errors: FieldError[],
  ) =>
    reply.code(errors.length ? 422 : 200).page('relay/reopen', {
      logId: a.log.id,
      summary: await repository.logSummary(a.log.id),
      closure: await repository.lastClosure(a.log.id),
      youthConsentAge: app.config.youthConsentAge,
      fmt: (d: string) => formatDate(d, request.locale),
      values,
      errors,
    });

  app.get('/logs/:logId/reopen', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.reopen');
    return reopenPage(request, reply, a, consentDefaults(), []);
  });

  app.post('/logs/:logId/reopen', inLog, async (request, reply) => {
    const earlier = await repeated(request);
    if (earlier) return reply.redirect(earlier, 303);
    const a = await request.logAccess(request.params.logId, 'log.reopen');
    const formToken = str(asBody(request.body), 'formToken');
    const { values, input, errors } = parseConsent(request.body, request.t, {
      today: today(),
      birthDate: (await repository.logSummary(a.log.id)).birth_date,
      youthConsentAge: app.config.youthConsentAge,
    });
    if (!input) return reopenPage(request, reply, a, { ...values, formToken }, errors);
    const result = await lifecycle.reopen(request, a, input, formToken);
    if ('problem' in result && result.problem === 'childHasLog') {
      // The child's active log, linked only for someone who may open it (as when a log is created).
      const href = (await request.mayReadLog(result.activeLogId))
        ? `/logs/${result.activeLogId}`
        : '#consentBy';
      const error = { text: request.t('relay.reopen.childHasLog'), href };
      return reopenPage(request, reply, a, { ...values, formToken }, [error]);
    }
    return outcome(reply, result, async () => reply.redirect(`/logs/${a.log.id}`, 303));
  });

  // ---- delete (a passive log; a confirmation page first) ----
  const deletePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    errors: FieldError[],
  ) =>
    reply.code(errors.length ? 503 : 200).page('relay/delete', {
      logId: a.log.id,
      summary: await repository.logSummary(a.log.id),
      prints: await repository.archiveList({ logId: a.log.id }),
      formToken: newFormToken(),
      fmt: (d: Date) => formatDate(osloDate(d), request.locale),
      errors,
    });

  app.get('/logs/:logId/delete', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.delete');
    return deletePage(request, reply, a, []);
  });

  app.post('/logs/:logId/delete', inLog, async (request, reply) => {
    const earlier = await repeated(request);
    if (earlier) return reply.redirect(earlier, 303);
    const a = await request.logAccess(request.params.logId, 'log.delete');
    const result = await lifecycle.remove(request, a, str(asBody(request.body), 'formToken'));
    return outcome(reply, result, async () =>
      'problem' in result && result.problem === 'archiveFailed'
        ? deletePage(request, reply, a, [{ text: request.t('relay.delete.archiveFailed'), href: '#delete' }])
        : reply.redirect(`/logs/${a.log.id}`, 303),
    );
  });

  // ---- the archive of deleted logs: their prints remain, for the units one leads ----
  const ledUnits = (request: FastifyRequest) =>
    request.user!.memberships.filter((m) => m.isLeader).map((m) => m.unitId);

  app.get('/archive', guard, async (request, reply) => {
    const unitIds = ledUnits(request);
    if (unitIds.length === 0) throw new NotFoundError();
    const deleted = await repository.deletedLogs(unitIds);
    const prints = await repository.archiveList({ logRefs: deleted.map((d) => d.log_ref as number) });
    await app.audit(request, { action: 'archive.read', objectType: 'archive', role: 'leader' });
    return reply.page('relay/archive', {
      deleted: deleted.map((d) => ({ ...d, prints: prints.filter((p) => p.log_ref === d.log_ref) })),
      fmt: (d: Date | string) => formatDate(typeof d === 'string' ? d : osloDate(d), request.locale),
    });
  });

  app.get('/archive/prints/:printId', aPrint, async (request, reply) => {
    const { printId } = request.params;
    const print = await repository.archivePrint(printId);
    const deleted =
      print && print.log_id === null ? await repository.deletedLogUnit(print.log_ref) : undefined;
    if (!print || !deleted || !ledUnits(request).includes(deleted.unit_id)) {
      await app.audit(request, {
        action: 'denied:archive.print',
        objectType: 'archive_print',
        objectId: printId,
        outcome: 'denied',
      });
      throw new NotFoundError();
    }
    await app.audit(request, {
      action: 'archive.print.read',
      objectType: 'archive_print',
      objectId: print.id,
      logId: print.log_ref,
      role: 'leader',
      unitId: deleted.unit_id,
    });
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${print.filename.replace(/[^\w.-]/g, '_')}"`)
      .header('cache-control', 'no-store')
      .send(print.pdf);
  });
}
