/**
 * Glimmers: posted on the log page (htmx swaps the section in place; without JavaScript an ordinary
 * form, 303 back to the log), edited by their author inline or on an edit page, all of a log's glimmers
 * on one page, and a feed per person across their logs.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { wantsFragment } from '../../plugins/views.js';
import type { FieldError } from '../../lib/form.js';
import { type LogAccess } from '../../plugins/access/index.js';
import { parseGlimmer, type GlimmerValues } from './form.js';
import type { GlimmerRow } from './repository.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default async function glimmerRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const service = app.services.glimmers;
  const guard = { preHandler: app.requireUser };
  const inLog = { ...guard, schema: { params: idParams('logId') } };
  const aGlimmer = { ...guard, schema: { params: idParams('logId', 'glimmerId') } };
  const childName = (a: LogAccess) => service.childFirstName(a);

  // The log page's and the family's glimmers (features/logs/registry.ts), after the plan.
  app.logPage.register({
    id: 'glimmers.section',
    views: ['log', 'family'],
    order: 10,
    slot: 'afterPlan',
    partial: '/glimmers/_section',
    ...service.logPageSection,
  });

  app.get('/glimmers', guard, async (request, reply) =>
    reply.page('glimmers/feed', await service.feed(request)),
  );

  app.get('/logs/:logId/glimmers', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.read');
    const glimmers = await service.allForLog(request, a);
    await app.audit(request, {
      action: 'glimmer.read',
      objectType: 'log',
      objectId: a.log.id,
      logId: a.log.id,
      role: a.role,
    });
    return reply.page('glimmers/list', {
      logId: a.log.id,
      childFirstName: await childName(a),
      glimmers,
      canPost: a.can('glimmer.write'),
    });
  });

  // ---- posting ----
  const newPage = async (reply: FastifyReply, a: LogAccess, values: GlimmerValues, errors: FieldError[]) => {
    const { concerns } = await service.scope(a);
    return reply.page('glimmers/new', {
      logId: a.log.id,
      childFirstName: await childName(a),
      form: { concerns: concerns.filter((c) => c.status === 'active'), values, errors },
    });
  };

  app.get('/logs/:logId/glimmers/new', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'glimmer.write');
    return newPage(reply, a, service.newValues(), []);
  });

  app.post('/logs/:logId/glimmers', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'glimmer.write');
    const { concerns } = await service.scope(a);
    const { values, input, errors } = parseGlimmer(
      request.body,
      request.t,
      concerns.filter((c) => c.status === 'active').map((c) => c.id),
    );
    const fragment = wantsFragment(request);
    if (!input) {
      if (!fragment) return newPage(reply.code(422), a, values, errors);
      const section = await service.section(request, a, { values, errors });
      return reply
        .code(422)
        .fragment('glimmers/_section', { ...section, log: { id: a.log.id }, focus: 'errors' });
    }
    const id = await service.create(request, a, values, input);
    if (!fragment) return reply.redirect(`/logs/${a.log.id}#glimmer-${id}`, 303);
    const section = await service.section(request, a);
    return reply.fragment('glimmers/_section', {
      ...section,
      log: { id: a.log.id },
      focus: id,
      announce: request.t('glimmer.posted'),
    });
  });

  // ---- the author edits ----
  const loadOwn = async (request: FastifyRequest, ids: { logId: number; glimmerId: number }) => {
    const a = await request.logAccess(ids.logId, 'glimmer.write');
    const row = await service.own(request, a, ids.glimmerId);
    return { a, row };
  };

  const editForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    row: GlimmerRow,
    values: GlimmerValues,
    errors: FieldError[],
  ) => {
    const { concerns } = await service.scope(a);
    const data = {
      logId: a.log.id,
      glimmerId: row.id,
      form: {
        concerns: concerns.filter((c) => c.status === 'active' || c.id === row.concern_id),
        values,
        errors,
      },
    };
    return wantsFragment(request)
      ? reply.fragment('glimmers/_edit-form', { ...data, inline: true })
      : reply.page('glimmers/edit', { ...data, childFirstName: await childName(a), inline: false });
  };

  app.get('/logs/:logId/glimmers/:glimmerId/edit', aGlimmer, async (request, reply) => {
    const { a, row } = await loadOwn(request, request.params);
    return editForm(
      request,
      reply,
      a,
      row,
      { text: row.text, concernId: row.concern_id ? String(row.concern_id) : '', formToken: '' },
      [],
    );
  });

  app.post('/logs/:logId/glimmers/:glimmerId', aGlimmer, async (request, reply) => {
    const { a, row } = await loadOwn(request, request.params);
    const { concerns } = await service.scope(a);
    const allowed = concerns.filter((c) => c.status === 'active' || c.id === row.concern_id).map((c) => c.id);
    const { values, input, errors } = parseGlimmer(request.body, request.t, allowed, `glimmer-${row.id}`);
    if (!input) return editForm(request, reply.code(422), a, row, values, errors);
    const glimmer = await service.update(request, a, row, input);
    if (!wantsFragment(request)) return reply.redirect(`/logs/${a.log.id}#glimmer-${row.id}`, 303);
    return reply.fragment('glimmers/_glimmer', {
      glimmer,
      log: { id: a.log.id },
      focus: true,
      announce: request.t('glimmer.saved'),
    });
  });

  /** One glimmer: the htmx "cancel" swaps it back; without JavaScript, the log page at its place. */
  app.get('/logs/:logId/glimmers/:glimmerId', aGlimmer, async (request, reply) => {
    const { logId, glimmerId } = request.params;
    const a = await request.logAccess(logId, 'log.read');
    const glimmer = await service.visible(request, a, glimmerId);
    if (!wantsFragment(request)) return reply.redirect(`/logs/${a.log.id}#glimmer-${glimmer.id}`, 303);
    return reply.fragment('glimmers/_glimmer', { glimmer, log: { id: a.log.id }, focus: true });
  });
}
