/** The access feature's pages: by role (actor, family, unit leader, administrator), read grants, the audit trail, sessions. */
import type { FastifyInstance } from 'fastify';
import actorRoutes from './actor.js';
import adminRoutes from './admin.js';
import auditPageRoutes from './audit-page.js';
import familyRoutes from './family.js';
import grantRoutes from './grants.js';
import sessionRoutes from './session-routes.js';
import unitRoutes from './unit.js';
import staffAccountRoutes from './staff-accounts.js';

export default async function accessRoutes(app: FastifyInstance) {
  // On the staff log page: the actor's own measures, read grants, who has seen the log (from the plan).
  app.logPage.register({
    id: 'access.links',
    views: ['log'],
    order: 10,
    slot: 'links',
    partial: '/access/_log-links',
    parts: () => ({}),
    build: () => ({}),
  });
  await app.register(sessionRoutes);
  await app.register(actorRoutes);
  await app.register(familyRoutes);
  await app.register(grantRoutes);
  await app.register(auditPageRoutes);
  await app.register(unitRoutes);
  await app.register(staffAccountRoutes);
  await app.register(adminRoutes);
}
