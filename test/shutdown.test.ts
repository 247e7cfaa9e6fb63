/**
 * Graceful shutdown: every request the server received is answered; a new connection gets 503 for a page
 * (so a load balancer sends it elsewhere) and an answer for a post until no new connection has come for a
 * moment, then new connections are refused; the process exits 0. In-process against the lifecycle, then the real thing: `npm start` in development
 * (embedded PostgreSQL) and in production (the build, under plain node), each in its own process group
 * under steady load from people with JavaScript off, stopped with SIGINT or SIGTERM to the whole group
 * as a terminal's Ctrl-C or a container stop sends it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { onShutdownSignals } from '../src/lifecycle.js';
import { freePort } from '../src/db/embedded.js';
import { createDb, migrate } from '../src/db/knex.js';
import { sharedDatabase, testApp } from './helpers/app.js';
import { dropDatabase, onServer, uniqueName, withDatabase } from './helpers/db.js';
import { startLoad, type Outcome } from './helpers/load.js';
import { dataFolder, descendants, startNpm } from './helpers/npm-process.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOLDER = 'stafettholder@stafett.example';

/** Runs fn and removes the SIGTERM/SIGINT listeners it added to this (test) process. */
function withoutNewSignalListeners<T>(fn: () => T): T {
  const before = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
  const result = fn();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.removeListener(signal, listener);
    }
  }
  return result;
}

/** One request on a connection of its own (no pool): status and headers. */
function alone(origin: string, method: string, path: string, body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const request = http.request(new URL(path, origin), { method, agent: false }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode!, headers: response.headers, body: text }),
        );
      });
      request.on('error', reject);
      request.end(body);
    },
  );
}

/** Sends one request on an open socket and resolves with the answer's head (status line and headers). */
function exchange(socket: net.Socket, text: string) {
  return new Promise<string>((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString();
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(received.slice(0, end))?.[1] ?? 0);
      if (Buffer.byteLength(received.slice(end + 4)) < length) return;
      socket.off('data', onData);
      resolve(received.slice(0, end));
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(text);
  });
}

t.test(
  'shutdown answers the request in flight and one not yet read, turns new page requests away, then refuses new connections, exits 0',
  async (t) => {
    let slowStarted!: () => void;
    const slowRunning = new Promise<void>((resolve) => (slowStarted = resolve));
    const { app } = await testApp(
      t,
      {},
      {
        routes: (app) =>
          app.get('/slow', async () => {
            slowStarted();
            await new Promise((resolve) => setTimeout(resolve, 1000));
            return 'finished';
          }),
      },
    );
    let exitCode: number | undefined;
    let cleanedUp = false;
    const shutdown = withoutNewSignalListeners(() =>
      onShutdownSignals(
        app,
        async () => {
          cleanedUp = true;
        },
        { exit: (code) => (exitCode = code), idleMs: 1000, quietMs: 300 },
      ),
    );
    const address = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));

    // A keep-alive connection, open and idle until just before the signal.
    const idle = net.connect(Number(address.port), address.hostname);
    await new Promise((resolve) => idle.once('connect', resolve));
    const idleAnswer = new Promise<string>((resolve) => {
      let text = '';
      idle.on('data', (chunk) => (text += chunk.toString()));
      idle.on('close', () => resolve(text));
      idle.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });

    const slow = fetch(`${address.origin}/slow`).then(async (r) => ({
      status: r.status,
      connection: r.headers.get('connection'),
      body: await r.text(),
    }));
    await slowRunning;
    // Its request leaves just before the signal: the server has not read it yet when it begins to stop.
    idle.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const closing = shutdown();

    const latePage = await alone(address.origin, 'GET', '/healthz');
    t.equal(latePage.status, 503, 'a page asked for on a new connection after the signal: 503');
    t.equal(latePage.headers['retry-after'], '1', 'with Retry-After');
    t.match(latePage.body, /Prøv igjen om et øyeblikk/, 'in words a person reads');
    const latePost = await alone(address.origin, 'POST', '/logout', '');
    t.equal(
      latePost.status,
      403,
      'a post on a new connection after the signal reaches the application (its CSRF check)',
    );
    // A browser's keep-alive connection opened after the signal stays open while the server listens,
    // so it does not open connection after connection; once the listener has closed, its next answer ends it.
    const browser = net.connect(Number(address.port), address.hostname);
    await new Promise((resolve) => browser.once('connect', resolve));
    const first = await exchange(browser, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    t.match(first, /^HTTP\/1\.1 503/, 'a keep-alive connection opened after the signal: 503 for a page');
    t.notMatch(first, /connection: close/i, 'and the connection stays open while the server listens');
    t.ok(app.server.listening, 'still listening while new connections come');

    while (app.server.listening) await new Promise((resolve) => setImmediate(resolve));
    const late = await fetch(`${address.origin}/healthz`).then(
      (r) => r.status,
      (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
    );
    t.equal(late, 'ECONNREFUSED', 'once no new connection came for a moment, a new connection is refused');
    const last = await exchange(browser, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    t.match(last, /connection: close/i, 'the open connection is ended after its next answer');
    browser.destroy();

    const finished = await slow;
    t.equal(finished.status, 200, 'the request in flight finished');
    t.equal(finished.body, 'finished');
    t.equal(finished.connection, 'close', 'and its connection closes after the answer');
    t.match(
      await idleAnswer,
      /^HTTP\/1\.1 200 OK/,
      'the open connection got its answer, and was closed once idle',
    );
    await closing;
    t.equal(exitCode, 0, 'exit code 0');
    t.ok(cleanedUp, 'the cleanup (database) ran');
    t.equal(shutdown(), closing, 'a second signal does not start a second shutdown');
  },
);

/** `npm start`; six simulated people sign in to one account at once, again and again: more tries in
 * flight for one account and address than the sign-in throttle lets through. */
const startUnderLoad = (t: Test, env: NodeJS.ProcessEnv) =>
  startNpm(t, ['start'], { LOGIN_MAX_FAILURES: '100', ...env });

async function within<T>(ms: number, promise: Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

const describe = (list: Outcome[]) =>
  list.map((o) => `${o.what}: ${o.status ?? o.error}`).join('\n') || '(none)';

/**
 * Puts load on the server, sends `signal` to npm's whole process group once the load is steady, and
 * checks: every request sent before the signal got an answer that is not an error; later ones were
 * answered or refused, never cut off; npm exits 0 within a minute.
 */
async function stopUnderLoad(
  t: Test,
  server: ReturnType<typeof startUnderLoad>,
  signal: 'SIGINT' | 'SIGTERM',
) {
  const base = await server.address;
  const load = startLoad(base, { people: 6, email: HOLDER });
  await load.answered(60);
  const signalAt = Date.now();
  process.kill(-server.pid, signal);
  const exit = await within(60_000, server.exited);
  const outcomes = await load.stop();

  const before = outcomes.filter((o) => o.sentAt !== null && o.sentAt < signalAt);
  const after = outcomes.filter((o) => !before.includes(o));
  const inFlight = before.filter((o) => o.endedAt >= signalAt);
  const unanswered = before.filter((o) => o.status === null);
  const failed = before.filter((o) => o.status !== null && o.status >= 500);
  const cutOff = after.filter((o) => o.status === null && o.error !== 'ECONNREFUSED');
  t.comment(
    `${signal}: ${before.length} requests sent before the signal (${inFlight.length} in flight), ` +
      `${before.length - unanswered.length} answered ` +
      `(${before.filter((o) => o.what.includes('PDF')).length} PDF prints), ${unanswered.length} unanswered, ` +
      `${failed.length} failed; after it ${after.filter((o) => o.status !== null).length} answered and ` +
      `${after.filter((o) => o.error === 'ECONNREFUSED').length} refused; npm exit ${JSON.stringify(exit)}`,
  );
  t.ok(inFlight.length > 0, 'requests were in flight when the signal came');
  t.same(unanswered, [], `every request sent before the signal got an answer:\n${describe(unanswered)}`);
  t.same(failed, [], `none of them failed:\n${describe(failed)}`);
  t.same(cutOff, [], `later requests were answered or refused, never cut off:\n${describe(cutOff)}`);
  t.same(exit, { code: 0, signal: null }, `npm exits 0 (output:\n${server.output()})`);
  t.notMatch(server.output(), /Force killing|error|Error/, 'nothing went wrong on the way down');
}

t.test(
  'npm start in development: Ctrl-C under load answers everything and stops the embedded database',
  async (t) => {
    const dataDir = await dataFolder(t, 'stafett-dev-');
    const dbPort = await freePort();
    const server = startUnderLoad(t, {
      NODE_ENV: 'development',
      EMBEDDED_DB_DIR: dataDir,
      EMBEDDED_DB_PORT: String(dbPort),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      ...(process.env.PUPPETEER_EXECUTABLE_PATH
        ? { PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH }
        : {}),
    });
    await within(120_000, server.address);
    t.match(
      server.output(),
      /Første start: databasen var tom, så demodata ble lagt inn nå \(\d/,
      'the start-up output says the demo data was loaded at this first start, and when',
    );
    t.ok(
      descendants(server.pid).some(
        (p) => p.args.includes('--import tsx') && p.args.includes('src/server.ts'),
      ),
      'development runs the TypeScript sources under node --import tsx',
    );

    await stopUnderLoad(t, server, 'SIGINT');

    const reachable = await new Promise<boolean>((resolve) => {
      const socket = net.connect(dbPort, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    t.notOk(reachable, 'the embedded database no longer accepts connections');
    t.notOk(existsSync(path.join(dataDir, 'postmaster.pid')), 'and left no postmaster.pid behind');
  },
);

t.test('production: the build, under plain node', async (t) => {
  const build = await promisify(execFile)('npm', ['run', 'build'], { cwd: root, timeout: 300_000 }).then(
    () => null,
    (error: Error & { stdout?: string; stderr?: string }) =>
      `${error.message}\n${error.stdout}\n${error.stderr}`,
  );
  t.equal(build, null, 'npm run build succeeds');
  t.ok(existsSync(path.join(root, 'dist/src/server.js')), 'and writes dist/src/server.js');
  if (build !== null) return;

  const database = await sharedDatabase();
  const env = {
    NODE_ENV: 'production',
    IDENTITY_KEY: 'e'.repeat(64),
    DATABASE_URL: database.appUrl,
    DATABASE_OWNER_URL: database.url,
    SESSION_KEY: 'c'.repeat(64),
    SECURE_COOKIES: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    ...(process.env.PUPPETEER_EXECUTABLE_PATH
      ? { PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH }
      : {}),
  };

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    await t.test(`npm start, ${signal} to the process group under load`, async (t) => {
      const server = startUnderLoad(t, env);
      const base = await server.address;
      const processes = descendants(server.pid);
      t.ok(
        processes.some((p) => p.args.endsWith('dist/src/server.js')),
        `the server runs the build (${processes.map((p) => p.args).join('; ')})`,
      );
      t.notOk(
        processes.some((p) => p.args.includes('tsx')),
        'no tsx anywhere in the process tree',
      );
      const login = await fetch(`${base}/login`);
      t.equal(login.status, 200, 'the login page answers');
      t.notMatch(await login.text(), 'stafett-demo', 'no demo accounts shown in production');
      await stopUnderLoad(t, server, signal);
    });
  }

  t.test('migrations from the build keep the names of their sources', async (t) => {
    const name = uniqueName('stafett_empty');
    await onServer(database.url, (client) => client.query(`CREATE DATABASE "${name}"`));
    const url = withDatabase(database.url, name);
    t.teardown(() => dropDatabase(database.url, name));

    const migrated = await promisify(execFile)('npm', ['run', 'db:migrate'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...env,
        DATABASE_URL: url,
        DATABASE_OWNER_URL: url,
      },
    });
    t.match(
      migrated.stdout,
      /Applied \d+ migrations/,
      'npm run db:migrate (production) migrates an empty database',
    );

    const db = createDb(url, 2);
    t.teardown(() => db.destroy());
    const sources = readdirSync(path.join(root, 'migrations'))
      .filter((file) => file.endsWith('.ts'))
      .sort();
    const recorded = (await db('knex_migrations').orderBy('id').pluck('name')) as string[];
    t.same(recorded, sources, 'knex recorded the TypeScript file names');
    t.same(await migrate(db), [], 'and the sources find nothing left to run');
  });
});
