/** The relay's public entry: what other features may use. */
export { deletePassiveLogAsSystem, type LifecycleService } from './lifecycle-service.js';
