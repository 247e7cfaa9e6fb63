/** The Knex connection (PostgreSQL), the migrations and the demo seeds, from the sources or from the build. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import type { Country } from '../domain/country.js';

// The code's own root: the project folder when it runs as TypeScript, dist/ when compiled (npm run build).
const here = fileURLToPath(import.meta.url);
const codeRoot = path.resolve(path.dirname(here), '../..');
/** '.ts' when running the sources (tsx), '.js' when running the build. */
const codeExtension = path.extname(here) === '.js' ? '.js' : '.ts';
export const migrationsDir = path.join(codeRoot, 'migrations');
export const seedsDir = path.join(codeRoot, 'seeds');

/**
 * Knex records every applied migration by its file name, extension included. A migration keeps the
 * name of its TypeScript source (`…_plan.ts`) whether it runs from migrations/ under tsx or compiled
 * from dist/migrations/ under plain node, so development and production builds agree on what has run.
 */
export const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    const files = await readdir(migrationsDir);
    return files
      .filter((file) => file.endsWith(codeExtension) && !file.endsWith('.d.ts'))
      .map((file) => `${file.slice(0, -codeExtension.length)}.ts`)
      .sort();
  },
  getMigrationName: (name) => name,
  getMigration: (name) =>
    import(pathToFileURL(path.join(migrationsDir, `${name.slice(0, -'.ts'.length)}${codeExtension}`)).href),
};

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
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}

/** The demo data of the installation's country: seeds/ for Norway, seeds/dk/ for Denmark. */
export async function seed(db: Db, country: Country = 'NO'): Promise<void> {
  const directory = country === 'DK' ? path.join(seedsDir, 'dk') : seedsDir;
  await db.seed.run({ directory, loadExtensions: [codeExtension] });
}
