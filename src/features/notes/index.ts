/** Notes: the routes, and the upload checks other features use for their own PDF files. */
export { default } from './routes.js';
export { attachmentDisposition, looksLikePdf, safeFilename, type Upload } from './pdf.js';
export { formatSize, notesService, visibleConcerns, type NotesService } from './service.js';
export { notesRepository } from './repository.js';
