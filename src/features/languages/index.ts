/** The languages feature's public entry: which language to write to a person, a family or a print. */
export { languagesService, type LanguagesService } from './service.js';
export { languagesRepository } from './repository.js';
