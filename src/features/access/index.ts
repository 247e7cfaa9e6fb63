/** The access feature's public entry for other features: the not-found answer and id parsing. */
export { NotFoundError, parseId } from './service.js';
