/**
 * The relay: handing the log on (transfer, export and import), closing it (passive), reopening and
 * deleting it, and consent over time. Registered in app.ts with one line; its nightly job (consent
 * notices, yearly prints) is declared with the jobs plugin here, its sections of the log page and my logs
 * with the log page registry (hooks.ts).
 */
import type { FastifyInstance } from 'fastify';
import transferRoutes from './transfer-routes.js';
import lifecycleRoutes from './lifecycle-routes.js';
import consentRoutes from './consent-routes.js';
import exchangeRoutes from './exchange-routes.js';
import { scheduleDaily } from './schedule.js';
import { registerRelaySections } from './hooks.js';

export default async function relayRoutes(app: FastifyInstance) {
  await app.register(transferRoutes);
  await app.register(lifecycleRoutes);
  await app.register(consentRoutes);
  await app.register(exchangeRoutes);
  scheduleDaily(app);
  registerRelaySections(app);
}
