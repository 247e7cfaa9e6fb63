/** The glimmers feature's public entry: its routes and its service. */
export { default } from './routes.js';
export { glimmersService, type GlimmersService } from './service.js';
export { glimmersRepository } from './repository.js';
