/** The relay's public entry: what other features may use. */
export { deletePassiveLogAsSystem } from './lifecycle-service.js';
