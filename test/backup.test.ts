/**
 * npm run db:backup / db:restore with pg_dump and pg_restore (custom format), for DATABASE_URL with
 * DATABASE_OWNER_URL: a seeded database with some use in it is backed up as the owner, restored into a new
 * empty database, and the two compared (row counts of every table, a checksum of the audit trail); the
 * restored database serves the app as the application role, whose grants were applied again. Runs on
 * Debian's PostgreSQL server, whose version Debian's client programs can read.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDb, type Db } from '../src/db/knex.js';
import { withLogin } from '../src/db/roles.js';
import { openDatabase } from '../src/db/setup.js';
import { Agent, signIn, testConfig } from './helpers/app.js';
import { onServer, withDatabase } from './helpers/db.js';
import { startDebianPostgres } from './helpers/debian-postgres.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = (args: string[], env: Record<string, string>) =>
  promisify(execFile)('npm', args, {
    cwd: root,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', ...env },
    timeout: 180_000,
  }).then(
    (r) => ({ code: 0, output: r.stdout + r.stderr }),
    (e: Error & { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? 1,
      output: `${e.stdout}${e.stderr}`,
    }),
  );

/** Row counts of every table in public and pgboss, and a checksum of the audit trail in id order. */
async function fingerprint(db: Db) {
  const tables = (
    await db.raw(
      `SELECT schemaname || '.' || tablename AS name FROM pg_tables
        WHERE schemaname IN ('public', 'pgboss') ORDER BY 1`,
    )
  ).rows.map((r: { name: string }) => r.name as string);
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [schema, name] = table.split('.');
    counts[table] = Number((await db.raw(`SELECT count(*)::int AS n FROM "${schema}"."${name}"`)).rows[0].n);
  }
  const audit = (
    await db.raw(
      `SELECT md5(string_agg(a::text, '|' ORDER BY a.id)) AS sum, count(*)::int AS n FROM audit_events a`,
    )
  ).rows[0];
  return { counts, audit };
}

t.test('back up a seeded database, restore it into a new one, and compare', async (t) => {
  const server = await startDebianPostgres();
  t.teardown(() => server.stop());
  const folder = await mkdtemp(path.join(os.tmpdir(), 'stafett-backup-'));
  t.teardown(() => rm(folder, { recursive: true, force: true }));

  // The README's recipe: an owner that is no superuser, an application role that owns nothing.
  await onServer(server.url, async (client) => {
    await client.query(`CREATE ROLE stafett_owner LOGIN PASSWORD 'owner-secret'`);
    await client.query(`CREATE ROLE stafett_app LOGIN PASSWORD 'app-secret'`);
    await client.query(`GRANT stafett_app TO stafett_owner`);
    await client.query(`CREATE DATABASE stafett OWNER stafett_owner`);
    await client.query(`CREATE DATABASE stafett_restored OWNER stafett_owner`);
  });
  const urls = (name: string) => ({
    DATABASE_OWNER_URL: withLogin(withDatabase(server.url, name), 'stafett_owner', 'owner-secret'),
    DATABASE_URL: withLogin(withDatabase(server.url, name), 'stafett_app', 'app-secret'),
  });
  const source = urls('stafett');
  const target = urls('stafett_restored');

  const database = await openDatabase(loadConfig({ NODE_ENV: 'test', ...source }), () => {});
  t.teardown(() => database.close());
  await database.migrate();
  await database.seed();
  // Some use: sign-ins, pages read (audit rows), a glimmer, a queued job.
  const app = await buildApp({ config: testConfig(source), db: database.db });
  t.teardown(() => app.close());
  const agent = new Agent(app);
  await signIn(agent, 'stafettholder@stafett.example');
  const logs = await agent.get('/logs');
  const logId = /href="\/logs\/(\d+)"/.exec(logs.body)![1]!;
  await agent.get(`/logs/${logId}`);
  const form = await agent.get(`/logs/${logId}/glimmers/new`);
  const formToken = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
  t.equal(
    (await agent.post(`/logs/${logId}/glimmers`, { formToken, text: 'Gikk fint i dag.' })).statusCode,
    303,
  );
  await app.jobs.send('notification.email', { kind: 'weekly_glimmer', userId: 1, logId: null });
  await app.close();

  const file = path.join(folder, 'stafett.dump');
  const made = await npm(['run', 'db:backup', '--', '--file', file], source);
  t.equal(made.code, 0, `npm run db:backup succeeds:\n${made.output}`);
  t.match(made.output, /Backup written: .*stafett\.dump/);
  const header = Buffer.alloc(5);
  const { open } = await import('node:fs/promises');
  const handle = await open(file);
  await handle.read(header, 0, 5, 0);
  await handle.close();
  t.equal(header.toString(), 'PGDMP', "pg_dump's custom format");
  t.ok((await stat(file)).size > 10_000, 'with the data in it');

  const restored = await npm(['run', 'db:restore', '--', '--file', file], target);
  t.equal(restored.code, 0, `npm run db:restore succeeds:\n${restored.output}`);

  const before = await fingerprint(database.owner);
  const restoredOwner = createDb(target.DATABASE_OWNER_URL, 2);
  t.teardown(() => restoredOwner.destroy());
  const after = await fingerprint(restoredOwner);
  t.ok(before.counts['public.audit_events']! > 0, 'the audit trail has rows');
  t.same(after.counts, before.counts, 'the same rows in every table');
  t.same(after.audit, before.audit, 'the audit trail is the same, row for row');

  // The restored database serves the app as the application role, with its grants applied again.
  const restoredApp = createDb(target.DATABASE_URL, 2);
  t.teardown(() => restoredApp.destroy());
  const again = await buildApp({ config: testConfig(target), db: restoredApp });
  t.teardown(() => again.close());
  const person = new Agent(again);
  await signIn(person, 'stafettholder@stafett.example');
  t.match((await person.get(`/logs/${logId}`)).body, 'Gikk fint i dag.', 'the glimmer is there');
  await t.rejects(restoredApp('audit_events').delete(), /permission denied/, 'audit rows stay append-only');
  const owned = await restoredOwner.raw(
    `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'stafett_owner'`,
  );
  t.equal(owned.rows[0].n, 0, 'the owner owns every table');

  const twice = await npm(['run', 'db:restore', '--', '--file', file], target);
  t.not(twice.code, 0, `restoring into a database with tables is refused (exit ${twice.code})`);
  t.match(twice.output, /new, empty database/);
});

t.test('the database scripts exit non-zero when they fail', async (t) => {
  const unreachable = { DATABASE_URL: 'postgres://app:pw@127.0.0.1:9/none' };
  for (const script of ['db:migrate', 'db:backup']) {
    const result = await npm(['run', script], unreachable);
    t.not(result.code, 0, `npm run ${script} against a database that is not there: exit ${result.code}`);
  }
  const missing = await npm(['run', 'db:restore', '--', '--file', '/nonexistent.dump'], unreachable);
  t.not(missing.code, 0, 'db:restore of a file that is not there');
});
