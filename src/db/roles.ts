/**
 * Two database roles. The owner runs the migrations and owns every table; the application connects as a
 * role that owns nothing in the public schema and holds only the grants it needs, so it cannot replace
 * the audit trail's trigger function, disable its triggers, switch event triggers off, create tables, or
 * change and remove audit rows (only INSERT and SELECT there). pg-boss keeps its queue tables in its own
 * schema ("pgboss"), where it creates a table per queue: the application role may create in that schema
 * and owns what is in it, and nothing else. The grants are applied again after every migration, so new
 * tables are covered.
 */
import type { Knex } from 'knex';
import PgBoss from 'pg-boss';
import type { Db } from './knex.js';

/** The application role of the embedded database (and of the test databases). */
export const LOCAL_APP_ROLE = 'stafett_app';
export const LOCAL_APP_PASSWORD = 'stafett-local-app';

/** Tables the application has no business with. */
const OWNER_ONLY_TABLES = ['knex_migrations', 'knex_migrations_lock'];
/** Append-only: the application may add and read rows, never change or remove them. */
const APPEND_ONLY_TABLES = ['audit_events'];
/** pg-boss's schema (src/plugins/jobs.ts uses the same name). */
const JOBS_SCHEMA = 'pgboss';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The role a pool logs in as. */
export async function currentRole(db: Db): Promise<string> {
  const { rows } = await db.raw('SELECT current_user AS name');
  return rows[0].name as string;
}

/** The same connection string with another user and password. */
export function withLogin(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** Creates a login role that owns nothing, or resets its password (the owner must have CREATEROLE). */
export async function ensureLoginRole(owner: Db, name: string, password: string): Promise<void> {
  const literal = (await owner.raw('SELECT quote_literal(?) AS v', [password])).rows[0].v as string;
  const exists = await owner.raw('SELECT 1 FROM pg_roles WHERE rolname = ?', [name]);
  if (exists.rows.length === 0) {
    try {
      await owner.raw(
        `CREATE ROLE ${ident(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${literal}`,
      );
      return;
    } catch (error) {
      // Another process made it first (test runs against one server): fall through and set the password.
      if ((error as { code?: string }).code !== '42710' && (error as { code?: string }).code !== '23505')
        throw error;
    }
  }
  await owner.raw(`ALTER ROLE ${ident(name)} LOGIN PASSWORD ${literal}`);
}

function connectionStringOf(db: Db): string {
  const connection = (db.client as { config?: { connection?: unknown } }).config?.connection;
  const value =
    typeof connection === 'string'
      ? connection
      : (connection as { connectionString?: string } | undefined)?.connectionString;
  if (!value) throw new Error('the owner database connection has no connection string');
  return value;
}

/**
 * pg-boss's schema, installed or brought up to date by the owner: creating a schema needs CREATE on the
 * database, which the application does not have. pg-boss takes its own advisory lock for this.
 */
async function installJobsSchema(owner: Db): Promise<void> {
  const boss = new PgBoss({
    connectionString: connectionStringOf(owner),
    schema: JOBS_SCHEMA,
    application_name: 'stafett-migrate',
    max: 1,
    migrate: true,
    supervise: false,
    schedule: false,
  });
  boss.on('error', () => {}); // start() rejects with the same error
  try {
    await boss.start();
  } finally {
    await boss.stop({ graceful: false, wait: true, close: true });
  }
}

/**
 * Everything in pg-boss's schema goes to the application role, which may also create there, so that
 * pg-boss can add a table for each new queue at run time (attaching it to pgboss.job needs that table's
 * owner). The schema itself stays the owner's: a new schema owner would need CREATE on the database.
 */
async function handOverJobsSchema(trx: Knex.Transaction, app: string, appRole: string): Promise<void> {
  const schema = ident(JOBS_SCHEMA);
  await trx.raw(`GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${app}`);
  const relations = await trx.raw(
    `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
        AND pg_get_userbyid(c.relowner) <> ?
        AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.refobjid <> c.oid
                    AND d.deptype IN ('a', 'i')))`,
    [JOBS_SCHEMA, appRole],
  );
  for (const r of relations.rows as { name: string; kind: string }[]) {
    const what =
      r.kind === 'S' ? 'SEQUENCE' : r.kind === 'v' ? 'VIEW' : r.kind === 'm' ? 'MATERIALIZED VIEW' : 'TABLE';
    await trx.raw(`ALTER ${what} ${schema}.${ident(r.name)} OWNER TO ${app}`);
  }
  const types = await trx.raw(
    `SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = ? AND t.typtype IN ('e', 'd') AND pg_get_userbyid(t.typowner) <> ?`,
    [JOBS_SCHEMA, appRole],
  );
  for (const r of types.rows as { name: string }[]) {
    await trx.raw(`ALTER TYPE ${schema}.${ident(r.name)} OWNER TO ${app}`);
  }
  const functions = await trx.raw(
    `SELECT p.oid::regprocedure::text AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = ? AND pg_get_userbyid(p.proowner) <> ?`,
    [JOBS_SCHEMA, appRole],
  );
  for (const r of functions.rows as { signature: string }[]) {
    await trx.raw(`ALTER ROUTINE ${r.signature} OWNER TO ${app}`);
  }
}

/** Gives the application role exactly what it needs; run by the owner after every migration. */
export async function grantApplicationRole(owner: Db, appRole: string): Promise<void> {
  const ownerRole = await currentRole(owner);
  if (ownerRole === appRole) throw new Error('the application role must not be the owner role');
  const role = await owner.raw('SELECT rolsuper FROM pg_roles WHERE rolname = ?', [appRole]);
  if (role.rows.length === 0) throw new Error(`the application role "${appRole}" does not exist`);
  if (role.rows[0].rolsuper) {
    throw new Error(
      `the application role "${appRole}" is a superuser: it could switch the audit trail's protection off`,
    );
  }
  await installJobsSchema(owner);
  const app = ident(appRole);
  await owner.transaction(async (trx) => {
    // One instance at a time (several may start together): concurrent GRANTs on one object collide.
    await trx.raw("SELECT pg_advisory_xact_lock(hashtext('stafett.application_role'))");
    // The public schema: use it, never create in it (PostgreSQL before 15 let everyone create there).
    await trx.raw(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await trx.raw(`REVOKE CREATE ON SCHEMA public FROM ${app}`);
    await trx.raw(`GRANT USAGE ON SCHEMA public TO ${app}`);
    // Rows of ordinary tables: read and write; sequences: next value only.
    await trx.raw(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`);
    await trx.raw(`REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${app}`);
    await trx.raw(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
    for (const table of OWNER_ONLY_TABLES) {
      if ((await trx.raw('SELECT to_regclass(?) AS t', [`public.${table}`])).rows[0].t)
        await trx.raw(`REVOKE ALL ON TABLE public.${ident(table)} FROM ${app}`);
    }
    for (const table of APPEND_ONLY_TABLES) {
      await trx.raw(`REVOKE UPDATE, DELETE, TRUNCATE ON TABLE public.${ident(table)} FROM ${app}, PUBLIC`);
      await trx.raw(`GRANT SELECT, INSERT ON TABLE public.${ident(table)} TO ${app}`);
    }
    await handOverJobsSchema(trx, app, appRole);
  });
  await assertOwnsNothing(owner, appRole);
}

/** The application role must own nothing outside pg-boss's schema (a table's owner can switch its triggers off). */
async function assertOwnsNothing(owner: Db, appRole: string): Promise<void> {
  const { rows } = await owner.raw(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE pg_get_userbyid(c.relowner) = ? AND n.nspname NOT IN (?, 'pg_toast') AND n.nspname NOT LIKE 'pg%temp%'
      UNION ALL
     SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE pg_get_userbyid(p.proowner) = ? AND n.nspname <> ?
      UNION ALL
     SELECT nspname FROM pg_namespace WHERE pg_get_userbyid(nspowner) = ? AND nspname <> ?
      LIMIT 5`,
    [appRole, JOBS_SCHEMA, appRole, JOBS_SCHEMA, appRole, JOBS_SCHEMA],
  );
  if (rows.length > 0) {
    throw new Error(
      `the application role "${appRole}" owns ${rows.map((r: { name: string }) => r.name).join(', ')}: ` +
        'run the migrations as the owner role (DATABASE_OWNER_URL) and let the application role own nothing',
    );
  }
}
