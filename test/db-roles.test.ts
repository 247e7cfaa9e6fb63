/**
 * The two database roles, the way `npm start` opens the database: the embedded database by default, and
 * the README's recipe for an own server (an owner that is not a superuser, DATABASE_OWNER_URL for the
 * migrations, DATABASE_URL for the application). In both the application connects as a role that is no
 * superuser, owns nothing but pg-boss's schema, and still does its work (jobs included).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { loadConfig } from '../src/config.js';
import { freePort } from '../src/db/embedded.js';
import { createDb, type Db } from '../src/db/knex.js';
import { currentRole, grantApplicationRole, withLogin } from '../src/db/roles.js';
import { openDatabase, SINGLE_ROLE_WARNING } from '../src/db/setup.js';
import { dropDatabase, onServer, uniqueName, withDatabase } from './helpers/db.js';
import { sharedDatabase, testConfig } from './helpers/app.js';
import { buildApp } from '../src/app.js';

/** What the application role is and owns, seen from the owner's side. */
async function standing(owner: Db, role: string) {
  const superuser = (await owner.raw('SELECT rolsuper FROM pg_roles WHERE rolname = ?', [role])).rows[0]
    .rolsuper as boolean;
  const owned = (
    await owner.raw(
      `SELECT n.nspname AS schema, count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE pg_get_userbyid(c.relowner) = ? AND n.nspname <> 'pg_toast' GROUP BY 1 ORDER BY 1`,
      [role],
    )
  ).rows.map((r: { schema: string }) => r.schema);
  const auditPrivileges = (
    await owner.raw(
      `SELECT p FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE']) p
        WHERE has_table_privilege(?, 'public.audit_events', p)`,
      [role],
    )
  ).rows.map((r: { p: string }) => r.p);
  const createInPublic = (await owner.raw(`SELECT has_schema_privilege(?, 'public', 'CREATE') AS c`, [role]))
    .rows[0].c as boolean;
  return { superuser, owned, auditPrivileges, createInPublic };
}

/** The app on this pool queues a job (pg-boss in its own schema) and reads a page's worth of data. */
async function appWorks(t: Test, db: Db, url: string) {
  const app = await buildApp({ config: testConfig({ DATABASE_URL: url }), db });
  try {
    await app.ready();
    const job = await app.jobs.send('notification.email', { kind: 'weekly_glimmer', userId: 1, logId: null });
    t.ok(job, 'a job is queued');
    t.equal((await app.inject({ url: '/login' })).statusCode, 200, 'the login page answers');
  } finally {
    await app.close();
  }
}

t.test('by default (embedded database) the app connects as a role that owns nothing', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'stafett-roles-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const config = loadConfig({
    NODE_ENV: 'test',
    EMBEDDED_DB_DIR: path.join(dir, 'postgres'),
    EMBEDDED_DB_PORT: String(await freePort()),
  });
  const warnings: string[] = [];
  const database = await openDatabase(config, (message) => warnings.push(message));
  t.teardown(() => database.close());
  t.ok((await database.migrate()).length > 0, 'migrated');
  await database.seed();
  t.same(warnings, [], 'no warning');
  const role = await currentRole(database.db);
  t.equal(role, 'stafett_app', 'the app connects as stafett_app');
  const owner = database.embedded!;
  const ownerDb = createDb(owner.url('stafett'), 1);
  t.teardown(() => ownerDb.destroy());
  t.same(
    await standing(ownerDb, role),
    {
      superuser: false,
      owned: ['pgboss'],
      auditPrivileges: ['SELECT', 'INSERT'],
      createInPublic: false,
    },
    "no superuser; owns only pg-boss's tables; adds and reads audit rows only; cannot create in public",
  );
  await appWorks(t, database.db, withLogin(owner.url('stafett'), 'stafett_app', 'stafett-local-app'));
  t.same(await database.migrate(), [], 'a second start migrates nothing and grants again without error');
});

t.test("the README's recipe for an own server: an owner that is no superuser, two URLs", async (t) => {
  const server = withDatabase((await sharedDatabase()).url, 'postgres');
  const suffix = uniqueName('').slice(1);
  const ownerRole = `own_${suffix}`;
  const appRole = `app_${suffix}`;
  const name = `stafett_${suffix}`;
  await onServer(server, async (client) => {
    await client.query(`CREATE ROLE ${ownerRole} LOGIN PASSWORD 'owner-secret'`);
    await client.query(`CREATE ROLE ${appRole} LOGIN PASSWORD 'app-secret'`);
    await client.query(`GRANT ${appRole} TO ${ownerRole}`);
    await client.query(`CREATE DATABASE ${name} OWNER ${ownerRole}`);
  });
  t.teardown(async () => {
    await dropDatabase(server, name);
    await onServer(server, async (client) => {
      await client.query(`DROP ROLE IF EXISTS ${appRole}`);
      await client.query(`DROP ROLE IF EXISTS ${ownerRole}`);
    });
  });
  const ownerUrl = withLogin(withDatabase(server, name), ownerRole, 'owner-secret');
  const appUrl = withLogin(withDatabase(server, name), appRole, 'app-secret');
  const warnings: string[] = [];
  const database = await openDatabase(
    loadConfig({ NODE_ENV: 'test', DATABASE_URL: appUrl, DATABASE_OWNER_URL: ownerUrl }),
    (message) => warnings.push(message),
  );
  t.teardown(() => database.close());
  t.ok((await database.migrate()).length > 0, 'the owner migrated');
  await database.seed();
  t.same(warnings, [], 'no warning');
  t.equal(await currentRole(database.db), appRole, 'the app connects as the application role');
  const ownerDb = createDb(ownerUrl, 2);
  t.teardown(() => ownerDb.destroy());
  t.same(
    await standing(ownerDb, appRole),
    {
      superuser: false,
      owned: ['pgboss'],
      auditPrivileges: ['SELECT', 'INSERT'],
      createInPublic: false,
    },
    "no superuser; owns only pg-boss's tables; adds and reads audit rows only; cannot create in public",
  );
  await appWorks(t, database.db, appUrl);
  t.same(await database.migrate(), [], 'the next start migrates nothing and grants again without error');
  await Promise.all([grantApplicationRole(ownerDb, appRole), grantApplicationRole(ownerDb, appRole)]);
  t.pass('two instances starting at once grant without colliding');
});

t.test('DATABASE_URL alone: one role migrates and connects, with a warning', async (t) => {
  const server = withDatabase((await sharedDatabase()).url, 'postgres');
  const name = uniqueName('stafett_single');
  await onServer(server, (client) => client.query(`CREATE DATABASE ${name}`));
  t.teardown(() => dropDatabase(server, name));
  const warnings: string[] = [];
  const database = await openDatabase(
    loadConfig({ NODE_ENV: 'test', DATABASE_URL: withDatabase(server, name) }),
    (message) => warnings.push(message),
  );
  t.teardown(() => database.close());
  await database.migrate();
  t.same(warnings, [SINGLE_ROLE_WARNING], 'the start warns that the trail is only as safe as that role');
});

t.test('DATABASE_OWNER_URL must be a postgres URL and comes with DATABASE_URL', async (t) => {
  t.throws(
    () => loadConfig({ DATABASE_OWNER_URL: 'postgres://o@db/stafett' }),
    /only used with DATABASE_URL/,
  );
  t.throws(
    () => loadConfig({ DATABASE_URL: 'postgres://a@db/stafett', DATABASE_OWNER_URL: 'mysql://o@db/stafett' }),
    /DATABASE_OWNER_URL must start with postgres/,
  );
  t.equal(
    loadConfig({ DATABASE_URL: 'postgres://a@db/s', DATABASE_OWNER_URL: 'postgres://o@db/s' })
      .databaseOwnerUrl,
    'postgres://o@db/s',
  );
});
