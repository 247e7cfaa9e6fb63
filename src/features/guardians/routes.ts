/**
 * The log's guardians, for its holder (/logs/:logId/guardians): who they are (identity number masked)
 * and whether they have taken their account into use; register one more; send an invitation again;
 * remove one (asked first). Anyone else gets 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { asBody, str, type FieldError } from '../../lib/form.js';
import { formatDate, osloDate } from '../../lib/dates.js';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import { parseGuardian, type GuardianValues } from './form.js';
import { identityNumbers } from '../../lib/national-id.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default async function guardianRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const service = app.services.guardians;
  const guard = { preHandler: app.requireUser };
  const inLog = { ...guard, schema: { params: idParams('logId') } };
  const aUser = { ...guard, schema: { params: idParams('logId', 'userId') } };
  const idOptions = {
    syntheticNationalIds: !app.config.isProduction,
    identity: identityNumbers(app.config.country),
  };
  const logOf = (request: FastifyRequest, logId: number) => request.logAccess(logId, 'guardians.manage');

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    values: GuardianValues,
    errors: FieldError[],
  ) =>
    reply.page('guardians/list', {
      logId: a.log.id,
      ...(await service.list(a)),
      values,
      errors,
      fmt: (d: Date) => formatDate(osloDate(d), request.locale),
    });

  /** A guardian of this log, or 404. */
  const guardianOf = async (a: LogAccess, userId: number) => {
    const guardian = (await service.list(a)).guardians.find((g) => g.user_id === userId);
    if (!guardian) throw new NotFoundError();
    return guardian;
  };

  app.get('/logs/:logId/guardians', inLog, async (request, reply) =>
    page(
      request,
      reply,
      await logOf(request, request.params.logId),
      { name: '', email: '', nationalId: '' },
      [],
    ),
  );

  app.post('/logs/:logId/guardians', inLog, async (request, reply) => {
    const a = await logOf(request, request.params.logId);
    const { values, errors, input } = parseGuardian(request.body, request.t, idOptions);
    if (!input) return page(request, reply.code(422), a, values, errors);
    const result = await service.add(request, a, input);
    if (!result.ok)
      return page(request, reply.code(422), a, values, [
        { text: request.t(result.error), href: `#${result.field}` },
      ]);
    return reply.redirect(`/logs/${a.log.id}/guardians?saved=guardianAdded`, 303);
  });

  app.post('/logs/:logId/guardians/:userId/invitation', aUser, async (request, reply) => {
    const a = await logOf(request, request.params.logId);
    const guardian = await guardianOf(a, request.params.userId);
    const sent = await service.reinvite(request, a, guardian.user_id);
    return reply.redirect(`/logs/${a.log.id}/guardians${sent ? '?saved=invited' : ''}`, 303);
  });

  app.get('/logs/:logId/guardians/:userId/remove', aUser, async (request, reply) => {
    const a = await logOf(request, request.params.logId);
    return reply.page('guardians/remove', {
      logId: a.log.id,
      guardian: await guardianOf(a, request.params.userId),
    });
  });

  app.post('/logs/:logId/guardians/:userId/remove', aUser, async (request, reply) => {
    const a = await logOf(request, request.params.logId);
    const guardian = await guardianOf(a, request.params.userId);
    // Only the confirmation page's "yes" removes; any other post gets the question again.
    if (str(asBody(request.body), 'confirm') !== 'yes')
      return reply.code(400).page('guardians/remove', { logId: a.log.id, guardian });
    await service.remove(request, a, guardian.user_id);
    return reply.redirect(`/logs/${a.log.id}/guardians?saved=guardianRemoved`, 303);
  });
}
