/** The Knex connection (PostgreSQL), the migrations and the demo seeds, from the sources or from the build. */
import { createHash } from 'node:crypto';
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
  const db = knex({
    client: 'pg',
    connection: { connectionString, connectionTimeoutMillis: 3000, statement_timeout: 15000 },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 4000,
  });
  usePreparedStatements(db);
  return db;
}

/** The query option that asks for a prepared statement (see prepared()). */
const PREPARE = 'stafettPrepare';
/**
 * At most this many prepared statements on one connection; later texts run unprepared. PostgreSQL
 * keeps each one's plan in the connection's memory: about 1.2 MB for the log page's statement.
 */
const MAX_PREPARED_PER_CONNECTION = 20;

/**
 * Marks a query that runs on every page (the session, the access decision, the page's one statement)
 * to run as a named prepared statement: PostgreSQL parses and plans its text once per connection and
 * keeps the plan, rather than planning it again on each request. For the log page's statement (some
 * 400 plan nodes) planning took four times as long as running it. The name is taken from the SQL
 * text, so the same text is the same statement, and what the statement means does not change: pg
 * sends the values untyped either way, so PostgreSQL infers the same parameter types. Only outside
 * transactions (a transaction's queries run as they are).
 */
export function prepared<Q extends Knex.QueryBuilder>(query: Q): Q {
  return query.options({ [PREPARE]: true }) as Q;
}

const statementNames = new Map<string, string>();
const statementName = (sql: string) => {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `s_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    if (statementNames.size < 1000) statementNames.set(sql, name);
  }
  return name;
};

interface QueryObject {
  sql: string;
  options?: Record<string, unknown>;
}

function usePreparedStatements(db: Db): void {
  const client = db.client as { _query(connection: object, obj: QueryObject): Promise<unknown> };
  const run = client._query.bind(client);
  const named = new WeakMap<object, Set<string>>();
  client._query = (connection, obj) => {
    if (obj.options?.[PREPARE]) {
      const options = { ...obj.options };
      delete options[PREPARE];
      let names = named.get(connection);
      if (!names) named.set(connection, (names = new Set()));
      const name = statementName(obj.sql);
      if (names.has(name) || names.size < MAX_PREPARED_PER_CONNECTION) {
        names.add(name);
        options.name = name;
      }
      obj.options = options;
    }
    return run(connection, obj);
  };
}

/** A value given to a compiled query when it runs (see compiled()). */
class Placeholder {
  constructor(readonly name: string) {}
}
/** p('name'): the placeholder of a value, typed as the value it stands for. */
export type Placeholders<V> = <K extends keyof V & string>(name: K) => V[K];

/**
 * A query turned into SQL once and run with new values each time. Knex rebuilds a query's SQL on
 * every run, quoting each identifier again; for the log page's statement (some twenty sub-selects)
 * that was a tenth of the page's CPU. `build` makes the query from placeholders, once, on the first
 * call; each call answers a raw query with that SQL and the call's values in the placeholders' places:
 *
 *   const goalsOf = compiled<{ logId: number }>(db, (p) => db('goals').where('log_id', p('logId')).select('*'));
 *   await goalsOf({ logId: 7 });
 *
 * A placeholder is one value: a list goes in as one array (`whereRaw('?? = any(?)', ['id', p('ids')])`),
 * not through whereIn, whose SQL has one `?` per element.
 */
export function compiled<V extends Record<string, unknown>>(
  db: Db,
  build: (p: Placeholders<V>) => Knex.QueryBuilder | Knex.Raw,
): (values: V) => Knex.Raw {
  let made: { sql: string; bindings: readonly unknown[] } | undefined;
  return (values) => {
    if (made === undefined) {
      const p = ((name: string) => new Placeholder(name)) as unknown as Placeholders<V>;
      const { sql, bindings } = build(p).toSQL();
      // Knex reads the SQL again for its `?`s: each must be one of the bindings, and nothing else.
      if ((sql.match(/\?\??/g) ?? []).length !== bindings.length || sql.includes('??'))
        throw new Error(`compiled(): the SQL's question marks are not its bindings: ${sql}`);
      made = { sql, bindings };
    }
    return db.raw(
      made.sql,
      made.bindings.map((b) => (b instanceof Placeholder ? values[b.name] : b)) as Knex.RawBinding[],
    );
  };
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
