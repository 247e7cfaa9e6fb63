/**
 * The goals feature's public entry: its routes (goals and the decision after evaluation), its service,
 * and the plan helpers the measures, evaluations and meeting pages share: the plan page's locals, the
 * goal view, and the plan forms' field checks with the plan's words (form.ts).
 */
export { default } from './routes.js';
export { goalService, type GoalService } from './service.js';
export { auditRead, loadGoalView, logAnchor, planLocals, type PlanLocals } from './plan-view.js';
export type { GoalRow } from './repository.js';
export { exampleYear, type ConflictRow } from './view.js';
export { planChoice, planDate, planText } from './form.js';
