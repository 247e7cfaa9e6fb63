/**
 * The printed plan's public entry: its routes (registered in app.ts right after meetings), and the print
 * service other features use to store a print (meetings, the relay).
 */
export { default } from './routes.js';
export {
  printFilename,
  printsService,
  type ArchivedPrint,
  type PrintActor,
  type PrintReason,
  type PrintsService,
} from './service.js';
export { printsRepository, type PrintsRepository } from './repository.js';
