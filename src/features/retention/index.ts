/**
 * Retention: the nightly job that removes what has had its time (see service.ts), declared with the jobs
 * plugin at RETENTION_CRON (Europe/Oslo). The service is built once, in src/services.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { LifecycleService } from '../relay/index.js';
import { retentionRepository } from './repository.js';
import type { RetentionDeps } from './service.js';

export const RETENTION_QUEUE = 'retention.nightly';
export { EXPIRED_ROWS } from './repository.js';
export { retentionService, type RetentionService } from './service.js';

/** What the service needs: the app's decorations and the relay's deletion of a passive log. */
export function retentionDeps(
  deps: Pick<FastifyInstance, 'db' | 'ownerDb' | 'config' | 'now' | 'log'>,
  lifecycle: Pick<LifecycleService, 'deletePassiveAsSystem'>,
): RetentionDeps {
  return {
    repository: retentionRepository(deps.db),
    ownerDb: deps.ownerDb,
    config: deps.config,
    now: deps.now,
    log: deps.log,
    deletePassiveLog: (logId) => lifecycle.deletePassiveAsSystem(logId),
  };
}

export default async function retention(app: FastifyInstance) {
  const service = app.services.retention;
  app.jobs.queue<object>({
    name: RETENTION_QUEUE,
    cron: app.config.retentionCron,
    retryLimit: 2,
    work: async () => {
      await service.run();
    },
  });
}
