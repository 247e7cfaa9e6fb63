/**
 * The plan feature's public entry: concerns, goals, measures and evaluations (their routes as one plugin,
 * their services), and what other features use of them: the plan page's locals (meeting mode) and the
 * plan forms' field checks.
 */
export { default } from './routes.js';
export { concernService, type ConcernService } from './concern-service.js';
export { goalService, type GoalService } from './goal-service.js';
export { measureService, type MeasureService } from './measure-service.js';
export { evaluationService, type EvaluationService } from './evaluation-service.js';
export { auditRead, loadGoalView, logAnchor, planLocals, type PlanLocals } from './plan-view.js';
export { concernRepository } from './concern-repository.js';
export { goalRepository, type GoalRow } from './goal-repository.js';
export { measureRepository, type ActorOption } from './measure-repository.js';
export { exampleYear, type ConflictRow } from './goal-view.js';
export { planChoice, planDate, planText } from './goal-form.js';
export {
  measureFieldIds,
  measureValues,
  parseMeasure,
  type MeasureInput,
  type MeasureValues,
} from './measure-form.js';
export { measureFormView, responsibleName } from './measure-view.js';
