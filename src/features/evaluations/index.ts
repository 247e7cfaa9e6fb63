/** The evaluations feature's public entry: its routes and its service. */
export { default } from './routes.js';
export { evaluationService, type EvaluationService } from './service.js';
