/** Consent paperwork: the consent form and information letter in eight languages, and the signed form. */
export { default } from './routes.js';
export { consentPapersService, type ConsentPapersService } from './service.js';
export { consentPapersRepository } from './repository.js';
