/**
 * Who may do what with a log, asked of the request. The access service is built once here; routes and
 * services ask `request.logAccess(logId, action)` (or `measureAccess`, `mayReadLog`). A refusal answers
 * 404 after a 'denied:<action>' audit row; an allowed GET is recorded as a read (policy in policy.ts,
 * the relationship in service.ts, its SQL in repository.ts).
 */
import fp from 'fastify-plugin';
import { oneStatement, type Parts, type Results } from '../../db/one-statement.js';
import { accessRepository } from './repository.js';
import type { Action, Target } from './policy.js';
import { accessService, type LogAccess, type MeasureAccess, type RequireOptions } from './service.js';

/** What a route may ask besides the action: a target within the log, or parts loaded with the check. */
export interface LogAccessOptions<P extends Parts> extends RequireOptions<P> {
  /** The concern (or measure) the action is about. */
  target?: Target;
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The log as this person may use it for `action` (default 'log.read'), or NotFoundError after a
     * 'denied:<action>' audit row. `options.also` parts come back in the check's own statement; with
     * `options.deferRead` the read row of a GET waits for the page's statement (app.takeAudit).
     */
    logAccess<P extends Parts = Record<never, never>>(
      logId: unknown,
      action?: Action,
      options?: LogAccessOptions<P>,
    ): Promise<LogAccess & { also: Results<P> }>;
    /** A measure of the log, in a concern the person sees, that they may do `action` on (default 'concern.read'); else 404 (audited). */
    measureAccess(logId: unknown, measureId: unknown, action?: Action): Promise<MeasureAccess>;
    /** Whether this person may open the log: for offering a link to it. Writes no audit row. */
    mayReadLog(logId: number): Promise<boolean>;
  }
}

export default fp(
  async (app) => {
    const access = accessService({
      repository: accessRepository(app.db),
      oneStatement: (parts) => oneStatement(app.db, parts),
      now: app.now,
      config: app.config,
      audit: app.audit,
      deferAudit: app.deferAudit,
    });
    app.decorateRequest('logAccess', function (logId, action = 'log.read', options = {}) {
      const { target, ...rest } = options;
      return access.requireFor(this, logId, action, rest, target);
    });
    app.decorateRequest('measureAccess', function (logId, measureId, action = 'concern.read') {
      return access.requireMeasure(this, logId, measureId, action);
    });
    app.decorateRequest('mayReadLog', function (logId) {
      return access.mayRead(this, logId);
    });
  },
  { name: 'access', dependencies: ['config', 'audit'] },
);

export { can, type Action, type Relationship, type Target } from './policy.js';
export {
  isFamily,
  NotFoundError,
  parseId,
  roleOf,
  systemAccess,
  type LogAccess,
  type MeasureAccess,
} from './service.js';
export type { LogRow, MeasureRow } from './repository.js';
