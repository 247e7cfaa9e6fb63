/** The access feature's public entry: its routes, and the per-log access check other features ask. */
export { default } from './routes.js';
export { accessService, isFamily, NotFoundError, parseId, type LogAccess } from './service.js';
