/**
 * Statistics for leaders and the municipality (issue 13): the public entry. The default export is the
 * routes plugin, with the service built once when it is registered.
 */
import type { FastifyInstance } from 'fastify';
import { statisticsRepository } from './repository.js';
import statisticsRoutes from './routes.js';
import { statisticsService } from './service.js';

export default async function statistics(app: FastifyInstance) {
  const service = statisticsService({
    repository: statisticsRepository(app.db),
    now: () => app.now(),
    audit: (request, entry) => app.audit(request, entry),
  });
  await app.register(statisticsRoutes(service));
}

export { COVERAGE_GOAL } from './figures.js';
export { statisticsService, type StatisticsService } from './service.js';
