/**
 * The logs feature's public entry: its plugin (the log page registry and the routes), and what other
 * features use: the registry's types, the page sections they load themselves (meeting mode, the print),
 * the plan tree and its types, the create-log form (the relay's import makes a log too) and the consent
 * state. The logs service is built once with the others (src/services.ts).
 *
 *   app.logPage.register({ id: 'glimmers.section', … });   // another feature's plugin
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import logRoutes from './routes.js';
import { logPagePlugin } from './registry.js';

export type {
  LogPageRegistry,
  LogPageSection,
  LogSlot,
  LogView,
  LoadedLogPage,
  MyLogsSection,
} from './registry.js';
export { logsService, type LogsDeps, type LogsService } from './service.js';
export { loadSections, pageContext, section, type PageContext, type RunStatement } from './sections.js';
export { planSection, type PlanPage } from './plan-section.js';
export { logsRepository } from './repository.js';
export { planRepository } from './plan-repository.js';
export type { ConcernView, GoalView, MeasureView } from '../../domain/plan-tree.js';
export {
  checkConsent,
  dateMessage,
  parseCreateLog,
  textMessage,
  type ConsentFields,
  type CreateLogParsed,
  type CreateLogValues,
} from './form.js';
export { consentState, type ConsentState } from './hints.js';

export default fp(
  async (app: FastifyInstance) => {
    await app.register(logPagePlugin);
    await app.register(logRoutes);
  },
  { name: 'logs' },
);
