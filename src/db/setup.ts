/**
 * Opening the database the way `npm start` does: DATABASE_URL, or the embedded server. Two roles: the
 * owner migrates (and seeds) and owns the tables; the application's pool (`db`) logs in as a role that
 * owns nothing (src/db/roles.ts). The embedded database makes that role itself; with DATABASE_URL the
 * owner is DATABASE_OWNER_URL's role (without it, DATABASE_URL's role migrates too, with a warning).
 */
import type { Config } from '../config.js';
import { createDb, migrate, seed, type Db } from './knex.js';
import { startEmbedded, type EmbeddedDb } from './embedded.js';
import { resetDemoData } from './demo.js';
import {
  currentRole,
  ensureLoginRole,
  grantApplicationRole,
  LOCAL_APP_PASSWORD,
  LOCAL_APP_ROLE,
  withLogin,
} from './roles.js';

export interface OpenDatabase {
  /** The application's pool. */
  db: Db;
  /** The owner's pool (the same as db when one role does both) and its connection string. */
  owner: Db;
  ownerUrl: string;
  embedded: EmbeddedDb | null;
  /** As the owner: runs the migrations, then grants the application role what it needs. */
  migrate: () => Promise<string[]>;
  /** As the owner: loads the demo data (the country's: COUNTRY). */
  seed: () => Promise<void>;
  /** As the owner: empties the product's tables and loads the demo data again (a practice installation). */
  resetDemo: () => Promise<void>;
  close: () => Promise<void>;
}

export const SINGLE_ROLE_WARNING =
  'DATABASE_OWNER_URL is not set: the application connects as the role that owns the tables, so it ' +
  "could switch the audit trail's protection off. Run it as a role that owns nothing (see the README).";

/** Migrations as the owner, then the application role's grants (again, so new tables are covered). */
export async function migrateAs(owner: Db, app: Db): Promise<string[]> {
  const applied = await migrate(owner);
  if (owner !== app) await grantApplicationRole(owner, await currentRole(app));
  return applied;
}

export async function openDatabase(
  config: Config,
  warn: (message: string) => void = (message) => console.warn(message),
): Promise<OpenDatabase> {
  let embedded: EmbeddedDb | null = null;
  let url = config.databaseUrl;
  let ownerUrl = config.databaseOwnerUrl || url;
  let owner: Db | null = null;
  if (!url) {
    embedded = await startEmbedded({ dir: config.embeddedDbDir, port: config.embeddedDbPort });
    await embedded.createDatabase('stafett');
    ownerUrl = embedded.url('stafett');
    owner = createDb(ownerUrl, 2);
    await ensureLoginRole(owner, LOCAL_APP_ROLE, LOCAL_APP_PASSWORD);
    url = withLogin(ownerUrl, LOCAL_APP_ROLE, LOCAL_APP_PASSWORD);
  }
  const db = createDb(url);
  if (ownerUrl === url) warn(SINGLE_ROLE_WARNING);
  owner ??= ownerUrl === url ? db : createDb(ownerUrl, 2);
  const ownerDb = owner;
  return {
    db,
    owner: ownerDb,
    ownerUrl,
    embedded,
    migrate: () => migrateAs(ownerDb, db),
    seed: () => seed(ownerDb, config.country),
    resetDemo: () => resetDemoData(ownerDb, config.country),
    close: async () => {
      await db.destroy();
      if (ownerDb !== db) await ownerDb.destroy();
      await embedded?.stop();
    },
  };
}

export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db('users').count<{ count: number }[]>('* as count').first();
  return Number(row?.count ?? 0) === 0;
}
