/** The home feature's public entry: its routes. */
export { default } from './routes.js';
export { homeRepository } from './repository.js';
