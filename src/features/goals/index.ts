/**
 * The goals feature's public entry: its routes (goals and the decision after evaluation), its service,
 * and the plan helpers the measures, evaluations and meeting pages share: the plan page's locals, the
 * goal view, the form helpers (fields.ts) and the once-per-form-token rule (once.ts).
 */
export { default } from './routes.js';
export { goalService, type GoalService } from './service.js';
export { auditRead, loadGoalView, logAnchor, planLocals, type PlanLocals } from './plan-view.js';
export type { GoalRow } from './repository.js';
export { exampleYear, type ConflictRow } from './view.js';
export {
  checkChoice,
  checkDate,
  checkText,
  dateParts,
  idValue,
  inFieldOrder,
  isUniqueViolation,
  version,
} from './fields.js';
export { newFormToken, once, postedToken, Refused, type OnceResult } from './once.js';
