/**
 * The auth feature's public entry: signing in and out (the routes plugin), and what other features use
 * for accounts: invitations (made when a leader adds staff or a holder registers a guardian), identity
 * numbers registered on accounts, and deactivating an account.
 */
export { default } from './routes.js';
export { authService } from './service.js';
export { accountService, type AccountService } from './account-service.js';
export { invitationService, type InvitationService } from './invitation-service.js';
export type { InvitationStatus } from './token-repository.js';
export { authRepository } from './repository.js';
export { accountRepository } from './account-repository.js';
export { tokenRepository } from './token-repository.js';
