/** The notifications feature's public entry: its routes, and the app's one mailer for other features' e-mails. */
export { default } from './routes.js';
export { mailerFor, type Mailer, type OutgoingMail } from './mailer.js';
export { notificationsService, type Notice, type NotificationsService } from './service.js';
export { notificationsRepository, wantsEmail, type NotificationsRepository } from './repository.js';
