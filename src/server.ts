/** Start: read config, open the database, migrate, seed a new embedded database, listen, shut down gracefully. */
import {
  ConfigError,
  LOCAL_IDP_CLIENTS,
  loadConfig,
  unknownVariableWarnings,
  type Config,
} from './config.js';
import { openDatabase, isEmpty } from './db/setup.js';
import { buildApp } from './app.js';
import { onShutdownSignals } from './lifecycle.js';
import { safeError } from './lib/safe-error.js';
import * as norwegianDemo from '../seeds/01_organisation.js';
import * as danishDemo from '../seeds/dk/01_organisation.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  for (const warning of unknownVariableWarnings(process.env)) console.warn(warning);
  if (!config.databaseUrl)
    console.log('Ingen DATABASE_URL: starter innebygd PostgreSQL i', config.embeddedDbDir);
  const database = await openDatabase(config);
  const applied = await database.migrate(); // as the owner role, then the app role's grants
  if (applied.length) console.log(`Migrerte databasen (${applied.length} nye migreringer).`);
  let seeded = false;
  if (config.training) {
    // A practice installation starts every day from the demo data alone.
    await database.resetDemo();
    seeded = true;
    console.log('Kursløsning: demodataene er lastet inn på nytt, og lastes inn på nytt hver natt kl. 03.');
  } else if (database.embedded && !config.isProduction && (await isEmpty(database.db))) {
    await database.seed();
    seeded = true;
    const at = new Date().toLocaleString('nb-NO', { timeZone: 'Europe/Oslo' });
    console.log(`Første start: databasen var tom, så demodata ble lagt inn nå (${at}).`);
  } else if (database.embedded && !config.isProduction) {
    console.log('Demodata ble lagt inn ved første start; det du har endret siden, er beholdt.');
  }

  // Development with no sign-in provider configured: the local one, like ID-porten's test environment.
  const idp = config.localIdp ? await startLocalIdp(config) : null;
  const app = await buildApp({
    config,
    db: database.db,
    ownerDb: database.owner,
    resetDemo: database.resetDemo,
  });
  if (idp) app.addHook('onClose', () => idp.close());
  await app.jobs.start(); // background jobs (e-mail notices), after migrations; stopped when the app closes
  onShutdownSignals(app, database.close);
  const address = await app.listen({ port: config.port, host: config.host });
  const shown = address.replace('127.0.0.1', 'localhost');
  console.log(`\nStafett kjører på ${shown}`);
  if (idp)
    console.log(
      `Lokal testinnlogging (ID-porten og kommunens innlogging) på ${idp.issuer}: velg en demoperson eller skriv et ${config.country === 'DK' ? 'CPR-nummer' : 'syntetisk fødselsnummer'}.`,
    );
  if (seeded || (database.embedded && !config.isProduction)) {
    const demo = demoOf(config);
    console.log(`\nDemokontoer (passord: ${demo.DEMO_PASSWORD}):`);
    for (const account of demo.DEMO_ACCOUNTS) console.log(`  ${account.email.padEnd(32)} ${account.role}`);
  }
  console.log('\nStopp med Ctrl-C.');
}

/** The demo accounts and test people of the installation's country (seeds/, seeds/dk/). */
function demoOf(config: Config) {
  return config.country === 'DK' ? danishDemo : norwegianDemo;
}

/** The local identity provider, loaded only in development (oidc-provider is a development dependency). */
async function startLocalIdp(config: Config) {
  const { startLocalIdp: start } = await import('./dev-idp/index.js');
  const local = config.localIdp!;
  const client = (kind: 'idporten' | 'municipal') => ({
    kind,
    ...LOCAL_IDP_CLIENTS[kind],
    redirectUris: [`${config.baseUrl}/login/${kind}/callback`],
    postLogoutRedirectUris: [`${config.baseUrl}/logged-out`],
  });
  return start({
    port: local.port,
    host: config.host,
    issuer: local.issuer,
    clients: [client('idporten'), client('municipal')],
    people: demoOf(config).demoTestPeople(),
    country: config.country,
  });
}

main().catch((error) => {
  // Without the error's values: a failed migration's detail can quote a row.
  console.error('Stafett kunne ikke starte:', safeError(error).stack);
  process.exit(1);
});
