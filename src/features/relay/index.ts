/**
 * The relay's public entry: its routes (transfer, closing and reopening, consent, export and import),
 * its services (built once in src/services.ts), and the deletion of a passive log retention uses.
 */
export { default } from './routes.js';
export { transferService, type TransferService } from './transfer-service.js';
export { consentService, type ConsentService } from './consent-service.js';
export { deletePassiveLogAsSystem, lifecycleService, type LifecycleService } from './lifecycle-service.js';
export { exchangeService, type ExchangeService } from './exchange-service.js';
export { relayRepository, type RelayRepository } from './repository.js';
export { exchangeRepository, type ExchangeRepository } from './exchange-repository.js';
