/**
 * Retention: the nightly job that removes what has had its time (see service.ts), declared with the jobs
 * plugin at RETENTION_CRON (Europe/Oslo). The service is built once, here.
 */
import type { FastifyInstance } from 'fastify';
import { deletePassiveLogAsSystem } from '../relay/index.js';
import { retentionRepository } from './repository.js';
import { retentionService, type RetentionDeps } from './service.js';

export const RETENTION_QUEUE = 'retention.nightly';
export { EXPIRED_ROWS } from './repository.js';
export { retentionService, type RetentionService } from './service.js';

/** What the service needs, from the app. */
export function retentionDeps(app: FastifyInstance): RetentionDeps {
  return {
    repository: retentionRepository(app.db),
    ownerDb: app.ownerDb,
    config: app.config,
    now: app.now,
    log: app.log,
    deletePassiveLog: (logId) => deletePassiveLogAsSystem(app, logId),
  };
}

export default async function retention(app: FastifyInstance) {
  const service = retentionService(retentionDeps(app));
  app.jobs.queue<object>({
    name: RETENTION_QUEUE,
    cron: app.config.retentionCron,
    retryLimit: 2,
    work: async () => {
      await service.run();
    },
  });
}
