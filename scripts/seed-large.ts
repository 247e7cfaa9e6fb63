/**
 * npm run seed:large — fills the database (DATABASE_URL, or the embedded one) with the demo data (when it
 * is empty) and a city-sized municipality for the statistics: scripts/large-municipality.ts. Safe to run
 * twice: a database that has the large municipality already is left as it is. Never in production.
 */
import { loadConfig } from '../src/config.js';
import { isEmpty, openDatabase } from '../src/db/setup.js';
import { exitOnSignals } from '../src/lifecycle.js';
import { LARGE, largeCounts, seedLarge } from './large-municipality.js';

const config = loadConfig();
if (config.isProduction) {
  console.error('Generated data is never loaded in production (NODE_ENV=production).');
  process.exit(1);
}
const database = await openDatabase(config);
exitOnSignals(() => database.close());
try {
  await database.migrate();
  if (await isEmpty(database.db)) {
    await database.seed();
    console.log('Demo data seeded.');
  }
  console.log(`${LARGE.municipality}:`);
  const world = await seedLarge(database.owner, (line) => console.log(line));
  if (!world.created) console.log('  already there: nothing added.');
  const counts = await largeCounts(database.owner, world.municipalityId);
  console.log(
    `  ${Object.entries(counts)
      .map(([k, v]) => `${Number(v).toLocaleString('en-GB')} ${k.replace('_', ' ')}`)
      .join(', ')}`,
  );
  console.log(`  Sign in as ${LARGE.admin} or ${LARGE.leader} (password "stafett-demo").`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.close();
}
