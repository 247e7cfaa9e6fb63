/**
 * The actor's view: the logs where they are responsible for a measure, and for each of their measures
 * a follow-up page where they mark progress (planned/ongoing) and comment. They never change the plan.
 * The same page is readable (without the forms) by anyone who sees the measure's concern.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDate, osloDate } from '../../lib/dates.js';
import type { FieldError } from '../../lib/form.js';
import { type MeasureAccess } from '../../plugins/access/index.js';
import { parseComment, parseProgress } from './forms.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default async function actorRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const activity = app.services.access.activity;
  const people = app.services.access.people;
  const guard = { preHandler: app.requireUser };
  const aMeasure = { ...guard, schema: { params: idParams('logId', 'measureId') } };

  app.get('/actor', guard, async (request, reply) => {
    const user = request.user!;
    if (user.kind !== 'staff' || user.isMunicipalAdmin) return reply.redirect('/', 303);
    const rows = await people.actorMeasures(user.id, user.municipalityId);
    const logs: {
      id: number;
      status: string;
      child: string;
      holder: string;
      unit: string;
      measures: typeof rows;
    }[] = [];
    for (const row of rows) {
      let log = logs.find((l) => l.id === row.log_id);
      if (!log) {
        log = {
          id: row.log_id,
          status: row.log_status,
          child: `${row.first_name} ${row.last_name}`,
          holder: row.holder_name,
          unit: row.unit_name,
          measures: [],
        };
        logs.push(log);
      }
      log.measures.push(row);
    }
    await app.audit(request, { action: 'actor.list', objectType: 'user', objectId: user.id });
    return reply.page('access/actor-list', { logs, fmt: (d: string) => formatDate(d, request.locale) });
  });

  const followUp = async (
    request: FastifyRequest,
    reply: FastifyReply,
    a: MeasureAccess,
    extra: { values?: Record<string, string>; errors?: FieldError[] } = {},
  ) => {
    const [detail, comments] = await Promise.all([
      activity.measureContext(a.measure.id),
      activity.comments(a.measure.id),
    ]);
    return reply.page('access/follow-up', {
      a,
      measure: a.measure,
      detail,
      comments,
      mayProgress: a.can('measure.progress', { measureId: a.measure.id }) && a.measure.status !== 'evaluated',
      values: { status: a.measure.status, comment: '', ...extra.values },
      errors: extra.errors ?? [],
      fmt: (d: string | Date) => formatDate(typeof d === 'string' ? d : osloDate(d), request.locale),
    });
  };

  const path = '/logs/:logId/measures/:measureId';

  app.get(`${path}/follow-up`, aMeasure, async (request, reply) => {
    const { logId, measureId } = request.params;
    return followUp(request, reply, await request.measureAccess(logId, measureId, 'concern.read'));
  });

  app.post(`${path}/progress`, aMeasure, async (request, reply) => {
    const { logId, measureId } = request.params;
    const a = await request.measureAccess(logId, measureId, 'measure.progress');
    const { values, input: parsed, errors } = parseProgress(request.body, request.t);
    if (!parsed || a.measure.status === 'evaluated') {
      const list = errors.length ? errors : [{ text: request.t('actor.err.evaluated'), href: '#status' }];
      return followUp(request, reply.code(422), a, { values, errors: list });
    }
    await activity.setProgress(a.measure.id, parsed.status, app.now());
    await app.audit(request, {
      action: 'measure.progress',
      objectType: 'measure',
      objectId: a.measure.id,
      logId: a.log.id,
      role: a.role,
      unitId: a.unitId,
    });
    return reply.redirect(
      `/logs/${a.log.id}/measures/${a.measure.id}/follow-up?saved=progress#progress`,
      303,
    );
  });

  app.post(`${path}/comments`, aMeasure, async (request, reply) => {
    const { logId, measureId } = request.params;
    const a = await request.measureAccess(logId, measureId, 'measure.progress');
    const { values, input: parsed, errors } = parseComment(request.body, request.t);
    if (!parsed) return followUp(request, reply.code(422), a, { values, errors });
    const id = await activity.addComment({
      measure_id: a.measure.id,
      log_id: a.log.id,
      author_id: request.user!.id,
      text: parsed.text,
      created_at: app.now(),
    });
    await app.audit(request, {
      action: 'measure.comment',
      objectType: 'measure_comment',
      objectId: id,
      logId: a.log.id,
      role: a.role,
      unitId: a.unitId,
    });
    return reply.redirect(`/logs/${a.log.id}/measures/${a.measure.id}/follow-up?saved=comment#comments`, 303);
  });
}
