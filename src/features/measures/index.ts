/**
 * The measures feature's public entry: its routes (measures and their steps), its service, and the form
 * and view helpers the evaluations pages reuse for a corrected measure.
 */
export { default } from './routes.js';
export { measureService, type MeasureService } from './service.js';
export {
  measureFieldIds,
  measureValues,
  parseMeasure,
  type MeasureInput,
  type MeasureValues,
} from './form.js';
export type { ActorOption, MeasureRow } from './repository.js';
export { measureFormView, responsibleName } from './view.js';
