/** The guardians feature's public entry: the routes of a log's guardians page. */
export { default } from './routes.js';
export { guardiansService, type GuardiansService } from './service.js';
export { guardiansRepository } from './repository.js';
