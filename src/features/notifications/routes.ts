/** E-mail notice preferences for each person, the notification jobs, and the development mail page. */
import type { FastifyInstance } from 'fastify';
import { mailerFor } from './mailer.js';
import { parsePreferences } from './form.js';
import { declareNotificationJobs } from './worker.js';
import { queryStrings, type Schemas } from '../../lib/route-schemas.js';

export default async function notificationRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const service = app.services.notifications;
  const mailer = mailerFor(app);
  declareNotificationJobs(app, mailer);
  app.addHook('onClose', async () => mailer.close());
  const guard = { preHandler: app.requireUser };

  const page = { ...guard, schema: { querystring: queryStrings('saved') } };
  app.get('/notifications', page, async (request, reply) => {
    const { kinds, enabled } = await service.preferences(request.user!);
    const saved = request.query.saved === '1';
    return reply.page('notifications/preferences', { kinds, enabled, saved, errors: [] });
  });

  app.post('/notifications', guard, async (request, reply) => {
    // Unticked boxes are not posted: only the whole form (with its marker) may turn notices off.
    const { errors, input } = parsePreferences(request.body, request.t);
    if (!input) {
      const { kinds, enabled } = await service.preferences(request.user!);
      return reply.code(400).page('notifications/preferences', { kinds, enabled, saved: false, errors });
    }
    await service.savePreferences(request.user!, input.enabled);
    return reply.redirect('/notifications?saved=1', 303);
  });

  // Development only: what the local mail catcher received. Anywhere else the route does not exist (404).
  if (app.config.env === 'development') {
    app.get('/dev/mail', async (_request, reply) =>
      reply.page('notifications/dev-mail', {
        messages: mailer.caught(),
        smtpUrl: Boolean(app.config.smtpUrl),
      }),
    );
  }
}
