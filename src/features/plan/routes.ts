/**
 * The plan's pages: concerns, goals (and the decision after evaluation), measures (and their steps) and
 * evaluations, each in its own routes file. The plan itself is shown on the log page (features/logs).
 */
import type { FastifyInstance } from 'fastify';
import concernRoutes from './concern-routes.js';
import goalRoutes from './goal-routes.js';
import measureRoutes from './measure-routes.js';
import evaluationRoutes from './evaluation-routes.js';

export default async function planRoutes(app: FastifyInstance) {
  await app.register(concernRoutes);
  await app.register(goalRoutes);
  await app.register(measureRoutes);
  await app.register(evaluationRoutes);
}
