/**
 * Concerns (oppmerksomheter): a new one and editing one, on full pages reached from the log page. Only
 * the holder writes; a save that lost to another is shown beside what was saved (409).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newFormToken, versionValue, type FieldError } from '../../lib/form.js';
import { NotFoundError } from '../../plugins/access/index.js';
import { parseConcern, concernValuesFromRow, type ConcernValues } from './concern-form.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default async function concernRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const concerns = app.services.concerns;
  const guard = { preHandler: app.requireUser };
  const inLog = { ...guard, schema: { params: idParams('logId') } };
  const inConcern = { ...guard, schema: { params: idParams('logId', 'concernId') } };

  const concernPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    logId: number,
    values: ConcernValues,
    errors: FieldError[],
    concernId: number | null,
  ) =>
    reply.page('logs/concern-form', {
      logId,
      concernId,
      values,
      errors,
      categories: await concerns.categories(request.user!),
    });

  app.get('/logs/:logId/concerns/new', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.write');
    const values = { ...concernValuesFromRow({}), formToken: newFormToken() };
    return concernPage(request, reply, a.log.id, values, [], null);
  });

  app.post('/logs/:logId/concerns', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.write');
    const categories = await concerns.categories(request.user!);
    const { values, input, errors } = parseConcern(
      request.body,
      request.t,
      categories.map((c) => c.id),
      false,
    );
    if (!input) return concernPage(request, reply.code(422), a.log.id, values, errors, null);
    return reply.redirect(await concerns.create(request, a.log.id, input, values.formToken), 303);
  });

  const loadConcern = async (request: FastifyRequest, ids: { logId: number; concernId: number }) => {
    const a = await request.logAccess(ids.logId, 'log.write');
    const row = await concerns.find(a.log.id, ids.concernId);
    if (!row) throw new NotFoundError();
    return { a, row, concernId: row.id as number };
  };

  app.get('/logs/:logId/concerns/:concernId/edit', inConcern, async (request, reply) => {
    const { a, row, concernId } = await loadConcern(request, request.params);
    return concernPage(request, reply, a.log.id, concernValuesFromRow(row), [], concernId);
  });

  app.post('/logs/:logId/concerns/:concernId', inConcern, async (request, reply) => {
    const { a, concernId } = await loadConcern(request, request.params);
    const categories = await concerns.categories(request.user!);
    const { values, input, errors } = parseConcern(
      request.body,
      request.t,
      categories.map((c) => c.id),
      true,
    );
    if (!input) return concernPage(request, reply.code(422), a.log.id, values, errors, concernId);
    const saved = await concerns.update(request, a.log.id, concernId, versionValue(values.version), input);
    if (!saved.ok) {
      const theirs = concernValuesFromRow(saved.conflict);
      return reply.code(409).page('logs/concern-conflict', {
        logId: a.log.id,
        concernId,
        theirs,
        values: { ...values, version: theirs.version },
        categories,
      });
    }
    return reply.redirect(`/logs/${a.log.id}#concern-${concernId}`, 303);
  });
}
