/**
 * The staircase's progress: the measure's actor, the holder and the family mark a step done (today) or
 * undo it, from the log page, meeting mode or the family's page, and go back where they were (303).
 */
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../plugins/access/index.js';
import { asBody } from '../../lib/form.js';
import { safeLocalPath } from '../../plugins/views.js';
import type { measureService } from './measure-service.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

/** The page to go back to (a path on this site), with "?saved=" naming its confirmation. */
function back(returnTo: unknown, fallback: string, saved: string): string {
  const url = new URL(safeLocalPath(returnTo, fallback), 'http://local.invalid');
  url.searchParams.set('saved', saved);
  return url.pathname + url.search + url.hash;
}

export default function stepRoutes(instance: FastifyInstance, measures: ReturnType<typeof measureService>) {
  const app = instance.withTypeProvider<Schemas>();
  const guard = { preHandler: app.requireUser };
  const aStep = { ...guard, schema: { params: idParams('logId', 'measureId', 'stepId') } };

  for (const [suffix, done] of [
    ['done', true],
    ['undo', false],
  ] as const) {
    app.post(`/logs/:logId/measures/:measureId/steps/:stepId/${suffix}`, aStep, async (request, reply) => {
      const { logId, measureId, stepId } = request.params;
      const a = await request.measureAccess(logId, measureId, 'measure.step');
      const result = await measures.markStep(request, a, stepId, done);
      if (result === 'missing') throw new NotFoundError();
      if (result === 'evaluated')
        return reply.code(409).page('measures/steps-locked', { logId: a.log.id, measureId: a.measure.id });
      const fallback = `/logs/${a.log.id}#measure-${a.measure.id}`;
      return reply.redirect(back(asBody(request.body).returnTo, fallback, done ? 'step' : 'unstep'), 303);
    });
  }
}
