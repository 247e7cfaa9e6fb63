import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knex, { type Knex } from 'knex';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const migrationsDir = path.join(root, 'migrations');
export const seedsDir = path.join(root, 'seeds');

// DATE columns come back as 'YYYY-MM-DD' strings, not JavaScript dates shifted by the time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// COUNT(*) and BIGINT ids fit comfortably in a JavaScript number for this product's sizes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export type Db = Knex;

export function createDb(connectionString: string, poolMax = 10): Db {
  return knex({
    client: 'pg',
    connection: { connectionString, connectionTimeoutMillis: 3000, statement_timeout: 15000 },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 4000,
  });
}

export async function migrate(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ directory: migrationsDir, loadExtensions: ['.ts'] })) as [
    number,
    string[],
  ];
  return applied;
}

export async function seed(db: Db): Promise<void> {
  await db.seed.run({ directory: seedsDir, loadExtensions: ['.ts'] });
}
