/** npm run db:migrate | db:seed — against DATABASE_URL, or the embedded database when it is not set. */
import { loadConfig } from '../src/config.js';
import { openDatabase, isEmpty } from '../src/db/setup.js';
import { exitOnSignals } from '../src/lifecycle.js';

const command = process.argv[2];
const config = loadConfig();
const database = await openDatabase(config);
exitOnSignals(() => database.close()); // Ctrl-C: stop the embedded database cleanly
try {
  const applied = await database.migrate();
  console.log(applied.length ? `Applied ${applied.length} migrations.` : 'Database schema is up to date.');
  if (command === 'seed') {
    if (config.isProduction)
      throw new Error('Demo data is never seeded in production (NODE_ENV=production).');
    if (await isEmpty(database.db)) {
      await database.seed();
      console.log('Demo data seeded. Every demo account has the password "stafett-demo".');
    } else {
      console.log('The database already has people in it: demo data was not seeded.');
    }
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.close();
}
