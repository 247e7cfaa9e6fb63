/**
 * Retention: the nightly job that removes what has had its time (see service.ts), declared with the jobs
 * plugin at RETENTION_CRON (Europe/Oslo). The service is built once, in src/services.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { LifecycleService } from '../relay/index.js';
import { purgeAuditRowsBefore } from '../../db/audit-retention.js';
import type { RetentionRepository } from './repository.js';
import type { RetentionDeps } from './service.js';

export const RETENTION_QUEUE = 'retention.nightly';
export { EXPIRED_ROWS, retentionRepository, type RetentionRepository } from './repository.js';
export { retentionService, type RetentionService } from './service.js';

/**
 * What the service needs: its repository (built in src/services.ts), the app's decorations and the
 * relay's deletion of a passive log.
 */
export function retentionDeps(
  deps: Pick<FastifyInstance, 'ownerDb' | 'config' | 'now' | 'log'> & { repository: RetentionRepository },
  lifecycle: Pick<LifecycleService, 'deletePassiveAsSystem'>,
): RetentionDeps {
  const owner = deps.ownerDb;
  return {
    repository: deps.repository,
    purgeAuditRowsBefore: owner ? (before) => purgeAuditRowsBefore(owner, before) : null,
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
