/** Graceful shutdown: requests in flight finish, new ones are refused, and the process exits 0. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { onShutdownSignals } from '../src/lifecycle.js';
import { sharedDatabase, testApp } from './helpers/app.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

t.test('shutdown lets the slow request finish, refuses new ones, exits 0', async (t) => {
  let slowStarted!: () => void;
  const slowRunning = new Promise<void>((resolve) => (slowStarted = resolve));
  const { app } = await testApp(
    t,
    {},
    {
      routes: (app) =>
        app.get('/slow', async () => {
          slowStarted();
          await new Promise((resolve) => setTimeout(resolve, 500));
          return 'finished';
        }),
    },
  );
  const address = await app.listen({ port: 0, host: '127.0.0.1' });

  let exitCode: number | undefined;
  let cleanedUp = false;
  const shutdown = withoutNewSignalListeners(() =>
    onShutdownSignals(
      app,
      async () => {
        cleanedUp = true;
      },
      (code) => {
        exitCode = code;
      },
    ),
  );

  const slow = fetch(`${address}/slow`).then(async (r) => ({ status: r.status, body: await r.text() }));
  await slowRunning;
  const started = Date.now();
  const closing = shutdown();

  const late = await fetch(`${address}/healthz`, { headers: { connection: 'close' } }).then(
    (r) => r.status,
    (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
  );
  t.ok(
    late === 503 || late === 'ECONNREFUSED' || late === 'ECONNRESET',
    `a new request is refused (${late})`,
  );

  const finished = await slow;
  t.equal(finished.status, 200, 'the request in flight finished');
  t.equal(finished.body, 'finished');
  await closing;
  t.equal(exitCode, 0, 'exit code 0');
  t.ok(cleanedUp, 'the cleanup (database) ran');
  t.ok(Date.now() - started < 5000, 'closed promptly');
  t.equal(shutdown(), closing, 'a second signal does not start a second shutdown');
});

/** Starts `node --import tsx src/server.ts` and resolves with its address once it listens. */
function startServer(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /Stafett kjører på (http:\/\/\S+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    });
  });
  return { child, listening, exited, output: () => output };
}

t.test('the real server exits 0 on SIGTERM', async (t) => {
  const database = await sharedDatabase();
  const server = startServer({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL: database.appUrl,
    DATABASE_OWNER_URL: database.url,
    SESSION_KEY: 'c'.repeat(64),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
  });
  t.teardown(() => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  });
  const base = await server.listening;
  const health = await fetch(`${base}/healthz`);
  t.equal(health.status, 200, '/healthz answers');
  t.same(await health.json(), { status: 'ok' });
  const login = await fetch(`${base}/login`);
  t.equal(login.status, 200, 'the login page answers');
  t.notMatch(await login.text(), 'stafett-demo', 'no demo accounts shown in production');

  server.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    server.exited,
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 15_000))),
  ]);
  clearTimeout(timer);
  t.ok(exit, 'the server stopped within 15 seconds');
  t.same(exit, { code: 0, signal: null }, `exit code 0 (output:\n${server.output()})`);
});
