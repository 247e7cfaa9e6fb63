/**
 * The logs feature's public entry: its routes, its service, and what other features use of a log: the
 * plan tree's repository, the create-log form (the relay's import makes a log too), consent helpers.
 * (The log page's sections, sections.ts and plan-section.ts, are imported directly until the log page
 * gathers them through a registry: through this entry they would make an import cycle with the routes.)
 */
export { default } from './routes.js';
export { logsService, type LogsService } from './service.js';
export { planRepository } from './plan-repository.js';
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
