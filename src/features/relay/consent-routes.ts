/**
 * Consent on a log: new consent (the holder or the leader, when it is about to expire, has expired or
 * was withdrawn), and withdrawal through a confirmation page ("Trekk tilbake samtykke"), by a guardian
 * or the youth themself, or by the holder on the family's word.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type LogAccess } from '../../plugins/access/index.js';
import { asBody, str, type FieldError } from '../../lib/form.js';
import { addDays, formatDate, isoToParts, osloDate } from '../../lib/dates.js';
import { newFormToken } from '../../lib/form.js';
import { emptyConsent, parseConsent, parseReason, type ConsentValues } from './form.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default async function consentRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const consents = app.services.relay.consents;
  const { repository, previousResult } = app.services.relay;
  const guard = { preHandler: app.requireUser };
  const inLog = { ...guard, schema: { params: idParams('logId') } };
  const today = () => osloDate(app.now());

  const logs = app.services.logs;

  const renewPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    values: ConsentValues & { formToken: string },
    errors: FieldError[],
  ) =>
    reply.code(errors.length ? 422 : 200).page('relay/consent-new', {
      logId: a.log.id,
      summary: await repository.logSummary(a.log.id),
      current: await logs.currentConsent(a.log.id),
      youthConsentAge: app.config.youthConsentAge,
      fmt: (d: string) => formatDate(d, request.locale),
      values,
      errors,
    });

  app.get('/logs/:logId/consents/new', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'consent.renew');
    const values = {
      ...emptyConsent(isoToParts(today()), isoToParts(addDays(today(), 365))),
      formToken: newFormToken(),
    };
    return renewPage(request, reply, a, values, []);
  });

  app.post('/logs/:logId/consents', inLog, async (request, reply) => {
    const formToken = str(asBody(request.body), 'formToken');
    const earlier = await previousResult(formToken, request.user!.id);
    if (earlier) return reply.redirect(earlier, 303);
    const a = await request.logAccess(request.params.logId, 'consent.renew');
    const { values, input, errors } = parseConsent(request.body, request.t, {
      today: today(),
      birthDate: (await repository.logSummary(a.log.id)).birth_date,
      youthConsentAge: app.config.youthConsentAge,
    });
    if (!input) return renewPage(request, reply, a, { ...values, formToken }, errors);
    return reply.redirect(await consents.renew(request, a, input, formToken), 303);
  });

  // ---- withdrawal: a confirmation page, then the post ----
  const withdrawPage = async (reply: FastifyReply, a: LogAccess, reason: string, errors: FieldError[]) =>
    reply.code(errors.length ? 422 : 200).page('relay/consent-withdraw', {
      logId: a.log.id,
      summary: await repository.logSummary(a.log.id),
      byFamily: !a.rel.isHolder,
      values: { reason },
      errors,
    });

  app.get('/logs/:logId/consents/withdraw', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'consent.withdraw');
    return withdrawPage(reply, a, '', []);
  });

  app.post('/logs/:logId/consents/withdraw', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.read');
    // Already withdrawn (a second click, or someone else first): nothing more to do.
    if (!a.can('consent.withdraw') && a.log.status === 'active' && !a.rel.consentActive)
      return reply.redirect(`/logs/${a.log.id}#consent`, 303);
    await request.logAccess(request.params.logId, 'consent.withdraw');
    // The holder records it on the family's word, and says whose; a guardian's own reason is optional.
    const { values, errors, input } = parseReason(
      request.body,
      request.t,
      'reason',
      a.rel.isHolder ? 'relay.err.withdrawReason' : undefined,
      request.t('relay.withdraw.reason'),
    );
    if (!input) return withdrawPage(reply, a, values.reason, errors);
    await consents.withdraw(request, a, input.reason);
    return reply.redirect(`/logs/${a.log.id}#consent`, 303);
  });
}
