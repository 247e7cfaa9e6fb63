/** Start: read config, open the database, migrate, seed a new embedded database, listen, shut down gracefully. */
import { ConfigError, loadConfig } from './config.js';
import { openDatabase, isEmpty } from './db/setup.js';
import { buildApp } from './app.js';
import { onShutdownSignals } from './lifecycle.js';
import { safeError } from './lib/safe-error.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../seeds/01_organisation.js';

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
  }

  const app = await buildApp({ config, db: database.db, resetDemo: database.resetDemo });
  await app.jobs.start(); // background jobs (e-mail notices), after migrations; stopped when the app closes
  onShutdownSignals(app, database.close);
  const address = await app.listen({ port: config.port, host: config.host });
  const shown = address.replace('127.0.0.1', 'localhost');
  console.log(`\nStafett kjører på ${shown}`);
  if (seeded || (database.embedded && !config.isProduction)) {
    console.log(`\nDemokontoer (passord: ${DEMO_PASSWORD}):`);
    for (const account of DEMO_ACCOUNTS) console.log(`  ${account.email.padEnd(32)} ${account.role}`);
  }
  console.log('\nStopp med Ctrl-C.');
}

main().catch((error) => {
  // Without the error's values: a failed migration's detail can quote a row.
  console.error('Stafett kunne ikke starte:', safeError(error).stack);
  process.exit(1);
});
