/**
 * The family's view: a guardian's children's logs (a youth's own, from the age setting), the log page
 * written for a parent or for the young person in plain words, and the family's view on measures that
 * are due for evaluation (which the holder's evaluation then shows: familyViewsForMeasure).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addDays, ageOn, formatDate, osloDate } from '../../lib/dates.js';
import type { FieldError } from '../../lib/form.js';
import { type MeasureAccess } from '../../plugins/access/index.js';
import { parseFamilyView } from './forms.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

/** Measures whose deadline is this close (or past) and not yet evaluated ask for the family's view. */
export const FAMILY_VIEW_DAYS_AHEAD = 14;

export default async function familyRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const activity = app.services.access.activity;
  const people = app.services.access.people;
  const guard = { preHandler: app.requireUser };

  // What views/family/log.eta needs beyond the staff log page's locals (features/logs/registry.ts).
  app.logPage.register({
    id: 'access.family',
    views: ['family'],
    order: 10,
    parts: ({ access }) => ({ views: activity.familyViewsPart(access.log.id) }),
    build: ({ views }, { access, today }) => {
      const dueBy = addDays(today, FAMILY_VIEW_DAYS_AHEAD);
      return {
        audience: access.rel.isChild ? 'youth' : 'guardian',
        viewsByMeasure: (id: number) => views.filter((v) => v.measure_id === id),
        isDue: (m: { status: string; deadline: string }) => m.status !== 'evaluated' && m.deadline <= dueBy,
        mayGiveView: access.can('familyView.write'),
      };
    },
  });
  const aMeasure = { ...guard, schema: { params: idParams('logId', 'measureId') } };

  app.get('/family', guard, async (request, reply) => {
    const user = request.user!;
    if (user.kind === 'staff') return reply.redirect('/', 303);
    const today = osloDate(app.now());
    const rows = await people.familyLogs(user.id, user.kind);
    // A young person has their own access from the age the municipality has set.
    const logs =
      user.kind === 'youth'
        ? rows.filter((r) => ageOn(r.birth_date, today) >= app.config.youthAccessAge)
        : rows;
    await app.audit(request, { action: 'family.list', objectType: 'user', objectId: user.id, unitId: null });
    return reply.page('family/list', { logs, audience: user.kind });
  });

  const viewPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    a: MeasureAccess,
    values: { effect: string; view: string },
    errors: FieldError[],
  ) => {
    const context = await activity.measureContext(a.measure.id);
    return reply.page('family/view', {
      a,
      measure: a.measure,
      context,
      audience: a.rel.isChild ? 'youth' : 'guardian',
      values,
      errors,
      fmt: (d: string) => formatDate(d, request.locale),
    });
  };

  const load = (request: FastifyRequest, { logId, measureId }: { logId: number; measureId: number }) =>
    request.measureAccess(logId, measureId, 'familyView.write');

  app.get('/logs/:logId/measures/:measureId/family-view', aMeasure, async (request, reply) => {
    const a = await load(request, request.params);
    const mine = (await activity.familyViewsForMeasure(a.measure.id)).find(
      (v) => v.user_id === request.user!.id,
    );
    return viewPage(request, reply, a, { effect: mine?.effect ?? '', view: mine?.view ?? '' }, []);
  });

  app.post('/logs/:logId/measures/:measureId/family-view', aMeasure, async (request, reply) => {
    const a = await load(request, request.params);
    const { values, input: parsed, errors } = parseFamilyView(request.body, request.t);
    if (a.measure.status === 'evaluated') {
      return viewPage(request, reply.code(422), a, values, [
        { text: request.t('family.err.evaluated'), href: '#effect' },
      ]);
    }
    if (!parsed) return viewPage(request, reply.code(422), a, values, errors);
    const id = await activity.saveFamilyView({
      measure_id: a.measure.id,
      log_id: a.log.id,
      user_id: request.user!.id,
      ...parsed,
      now: app.now(),
    });
    await app.audit(request, {
      action: 'family_view.save',
      objectType: 'family_view',
      objectId: id,
      logId: a.log.id,
      role: a.role,
      unitId: null,
    });
    return reply.redirect(`/logs/${a.log.id}?saved=view#measure-${a.measure.id}`, 303);
  });
}
