/**
 * Statistics for leaders and the municipality (issue 13): the public entry. The default export is the
 * routes plugin, given the service built once in src/services.ts.
 */
import type { FastifyInstance } from 'fastify';
import statisticsRoutes from './routes.js';

export default async function statistics(app: FastifyInstance) {
  await app.register(statisticsRoutes(app.services.statistics));
}

export { COVERAGE_GOAL } from './figures.js';
export { statisticsService, type StatisticsService } from './service.js';
export { statisticsRepository } from './repository.js';
