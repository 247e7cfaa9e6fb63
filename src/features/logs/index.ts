/**
 * The logs feature's public entry: its plugin (the log page registry, the logs service built once, the
 * routes), and what other features use: the registry's types, the page sections they load themselves
 * (meeting mode, the print), the plan tree and its types, and the consent state.
 *
 *   await app.register(logs, { accounts, invitations, notify });   // app.ts: what logs needs from others
 *   app.logPage.register({ id: 'glimmers.section', … });            // another feature's plugin
 *   await app.logs.createLog(request, values, parsed);              // another feature's route
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import logRoutes from './routes.js';
import { logPagePlugin } from './registry.js';
import { logsService, type LogsDeps, type LogsService } from './service.js';

export type {
  LogPageRegistry,
  LogPageSection,
  LogSlot,
  LogView,
  LoadedLogPage,
  MyLogsSection,
} from './registry.js';
export type { LogsDeps, LogsService } from './service.js';
export { loadSections, pageContext, section, type PageContext } from './sections.js';
export { planSection, type PlanPage } from './plan-section.js';
export { planRepository } from './plan-repository.js';
export type { ConcernView, GoalView, MeasureView } from './tree.js';
export { consentState, type ConsentState } from './hints.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The logs service (features/logs/service.ts), built once. */
    logs: LogsService;
  }
}

export default fp<LogsDeps>(
  async (app: FastifyInstance, deps) => {
    await app.register(logPagePlugin);
    app.decorate('logs', logsService(app, deps));
    await app.register(logRoutes);
  },
  { name: 'logs' },
);
