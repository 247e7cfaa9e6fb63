/**
 * npm run db:backup [-- --file <path>]     a backup in pg_dump's custom format, as the owner role
 * npm run db:restore -- --file <path>      restores one into a new, empty database, then the grants
 *
 * The database is DATABASE_OWNER_URL (or DATABASE_URL's, without it), or the embedded database: a running
 * one is read where it runs (the app need not stop for a backup); otherwise it is started for the task.
 * A backup goes to .data/backups/stafett-<time>.dump unless --file says otherwise; it is written to a
 * temporary name and checked with pg_restore --list before it gets its own. A restore refuses a database
 * that already has tables; it restores without the dump's owners and grants (the restoring owner owns
 * everything), then runs the migrations and grants the application role exactly what it needs, as a start
 * does. pg_dump / pg_restore must be of the server's major version or newer (src/db/pg-tools.ts).
 */
import { execFile } from 'node:child_process';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/knex.js';
import { runningEmbedded } from '../src/db/embedded.js';
import { pgTool } from '../src/db/pg-tools.js';
import { openDatabase } from '../src/db/setup.js';
import { exitOnSignals } from '../src/lifecycle.js';

const run = promisify(execFile);
const command = process.argv[2];
const fileArg = (() => {
  const at = process.argv.indexOf('--file');
  return at > 0 ? process.argv[at + 1] : undefined;
})();

/** The connection string without its password, and the password for PGPASSWORD (not in the process list). */
function split(url: string): { url: string; password: string } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), password };
}

async function serverMajor(url: string): Promise<number> {
  const db = createDb(url, 1);
  try {
    const { rows } = await db.raw('SHOW server_version_num');
    return Math.floor(Number(rows[0].server_version_num) / 10000);
  } finally {
    await db.destroy();
  }
}

async function pg(tool: 'pg_dump' | 'pg_restore', url: string, args: string[]) {
  const found = await pgTool(tool, await serverMajor(url));
  const { url: bare, password } = split(url);
  return run(found.path, [...args, `--dbname=${bare}`], {
    env: { ...process.env, PGPASSWORD: password },
    maxBuffer: 64 * 1024 * 1024,
  });
}

async function backup(): Promise<void> {
  const config = loadConfig();
  let url = config.databaseOwnerUrl || config.databaseUrl;
  let close = async () => {};
  if (!url) {
    const running = await runningEmbedded(config.embeddedDbDir, 'stafett');
    if (running) url = running;
    else {
      const database = await openDatabase(config, () => {});
      exitOnSignals(() => database.close());
      url = database.ownerUrl;
      close = () => database.close();
    }
  }
  try {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const file = path.resolve(fileArg ?? path.join('.data', 'backups', `stafett-${stamp}.dump`));
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.partial`;
    try {
      await pg('pg_dump', url, ['--format=custom', '--no-password', `--file=${partial}`]);
      const restore = await pgTool('pg_restore', await serverMajor(url));
      await run(restore.path, ['--list', partial], { maxBuffer: 64 * 1024 * 1024 });
      await rename(partial, file);
    } finally {
      await rm(partial, { force: true });
    }
    console.log(`Backup written: ${file} (${(await stat(file)).size} bytes, pg_dump custom format)`);
  } finally {
    await close();
  }
}

async function restore(): Promise<void> {
  if (!fileArg) throw new Error('usage: npm run db:restore -- --file <backup.dump>');
  const file = path.resolve(fileArg);
  await stat(file);
  const config = loadConfig();
  if (!config.databaseUrl && (await runningEmbedded(config.embeddedDbDir, 'stafett')))
    throw new Error('The embedded database is in use: stop Stafett before restoring into it.');
  const database = await openDatabase(config, () => {});
  exitOnSignals(() => database.close());
  try {
    const { rows } = await database.owner.raw(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname IN ('public', 'pgboss')",
    );
    if (rows[0].n > 0)
      throw new Error(
        'A backup is restored into a new, empty database only, and this one has tables. Create one ' +
          '(CREATE DATABASE stafett_restored OWNER stafett_owner) and point DATABASE_URL and ' +
          'DATABASE_OWNER_URL (or EMBEDDED_DB_DIR) at it.',
      );
    await pg('pg_restore', database.ownerUrl, [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      '--no-password',
      file,
    ]);
    const applied = await database.migrate(); // newer migrations, then the application role's grants
    console.log(
      `Restored ${file}${applied.length ? `, then applied ${applied.length} newer migrations` : ''}; ` +
        'the application role has its grants.',
    );
  } finally {
    await database.close();
  }
}

try {
  if (command === 'backup') await backup();
  else if (command === 'restore') await restore();
  else throw new Error('usage: db-backup.ts backup [--file F] | restore --file F');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
