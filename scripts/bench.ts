/**
 * npm run bench — how fast the log page of a realistic plan is (QUALITY.md: 5 concerns, 12 goals,
 * 30 measures, 40 glimmers), against /healthz (no template, one `select 1`) and the login page (a
 * template, no child data) measured in the same run. Absolute figures on shared machines are noise:
 * compare the ratios. Prints, from one run:
 *
 *   - req/s, p50 and p99 at N connections for /healthz, /login and the log page (compressed, as a
 *     browser asks), and the log page uncompressed (what compressing costs), each as a ratio of
 *     /healthz. The log page is measured twice: as it is served while the log is unchanged (from the
 *     log page cache, features/logs/page-cache.ts) and as the first read after a change is served
 *     (each request asks for another address, `?n=…`, so each one is loaded, rendered and kept). The
 *     routes take turns for several rounds and the medians are shown, so a change in the machine's load
 *     hits every route alike (the load average is printed too);
 *   - bytes on the wire for a first and a repeat visit to the log page in Chromium (the page and every
 *     file it loads, headers included) and the static requests each makes;
 *   - SQL queries per log page (plugins/query-count), from the cache and after a change;
 *   - production: seconds from `node dist/src/server.js` to /healthz 200 on an existing database, and
 *     the server's resident memory after 1,000 log pages (builds first when dist/ is older than the
 *     sources).
 *
 *   npm run bench                              # a throw-away embedded PostgreSQL
 *   DATABASE_URL=postgres://… npm run bench    # a throw-away database on that server
 *   npm run bench -- --seconds 5 --connections 10 --rounds 3
 *
 * Not a test: it prints figures and asserts nothing. Load goes to 127.0.0.1 only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { exitOnSignals } from '../src/lifecycle.js';
import { launchChromium } from '../src/lib/chromium.js';
import { projectRoot } from '../src/lib/project-root.js';
import { DEMO_PASSWORD } from '../seeds/01_organisation.js';
import { createTestDatabase, startTestServer, type TestServer } from '../test/helpers/db.js';
import { createFullPlan } from './full-plan.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1] ?? fallback) : fallback;
};
const seconds = Math.min(60, Math.max(1, arg('seconds', 5)));
const connections = Math.min(100, Math.max(1, arg('connections', 10)));
const rounds = Math.min(10, Math.max(1, arg('rounds', 3)));
/** What browsers send. */
const BROWSER_ENCODINGS = 'gzip, deflate, br';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

/** Signs in through the real form; returns the session cookie. */
async function signIn(address: string, email: string): Promise<string> {
  const loginPage = await fetch(`${address}/login`);
  const cookie = (loginPage.headers.getSetCookie()[0] ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]*)"/.exec(await loginPage.text())?.[1] ?? '';
  const login = await fetch(`${address}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email, password: DEMO_PASSWORD }),
  });
  if (login.status !== 303) throw new Error(`sign-in answered ${login.status}`);
  return (login.headers.getSetCookie()[0] ?? '').split(';')[0]!;
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
}

/**
 * autocannon at `url`. `eachNew`: every request asks for another address (`?n=1`, `?n=2`, …), which the
 * log page cache keeps apart, so each one is a miss, loaded and rendered, as the first read after a change.
 */
async function hammer(
  url: string,
  headers: Record<string, string>,
  options: { amount?: number; eachNew?: boolean } = {},
) {
  let n = 0;
  const path = new URL(url).pathname;
  const result = await autocannon({
    url,
    connections,
    headers,
    ...(options.eachNew
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => ({ ...request, path: `${path}?n=${(n += 1)}` }),
            },
          ],
        }
      : {}),
    ...(options.amount ? { amount: options.amount } : { duration: seconds }),
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} answers were not 2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/**
 * A first and a repeat visit in Chromium: bytes on the wire (headers included, as Chromium counts
 * them) and the static requests that reach the server (a revalidation answered 304 counts too).
 */
async function visits(address: string, url: string, session: string, staticRequests: () => string[]) {
  const chromium = await launchChromium(process.env.PUPPETEER_EXECUTABLE_PATH ?? '');
  try {
    const page = await chromium.browser.newPage();
    const [name, value] = session.split('=') as [string, string];
    await page.setCookie({ name, value, url: address });
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    let bytes = 0;
    let decoded = 0;
    const received = new Map<string, number>();
    cdp.on('Network.dataReceived', (e) =>
      received.set(e.requestId, (received.get(e.requestId) ?? 0) + e.dataLength),
    );
    cdp.on('Network.loadingFinished', (e) => {
      bytes += e.encodedDataLength;
      decoded += received.get(e.requestId) ?? 0;
    });
    const visit = async () => {
      bytes = 0;
      decoded = 0;
      const before = staticRequests().length;
      await page.goto(`${address}${url}`, { waitUntil: 'networkidle0' });
      return { bytes, decoded, statics: staticRequests().slice(before) };
    };
    await cdp.send('Network.clearBrowserCache');
    const first = await visit();
    const repeat = await visit();
    return { first, repeat };
  } finally {
    await chromium.close();
  }
}

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The newest modification time of the files under these folders (and files). */
function newest(paths: string[]): number {
  let latest = 0;
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const entry of readdirSync(p)) walk(path.join(p, entry));
    else latest = Math.max(latest, s.mtimeMs);
  };
  for (const p of paths) walk(path.join(projectRoot, p));
  return latest;
}

/** dist/ as `npm run build` makes it from the current sources: built again when older. */
function ensureBuild(): void {
  const built = path.join(projectRoot, 'dist', 'src', 'server.js');
  const sources = newest([
    'src',
    'migrations',
    'seeds',
    'public',
    'scripts',
    'package.json',
    'tsconfig.build.json',
  ]);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  console.log('  dist/ is missing or older than the sources: npm run build …');
  const build = spawnSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('npm run build failed');
}

/** Resident memory of a process (Linux), in bytes: [now, peak]. */
function memoryOf(pid: number): [number, number] {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return [field('VmRSS'), field('VmHWM')];
}

/** Starts the build under plain node against the database; seconds to /healthz 200, memory after N pages. */
async function production(env: Record<string, string>, logId: number, pages: number) {
  ensureBuild();
  const port = await freePort();
  const address = `http://127.0.0.1:${port}`;
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist', 'src', 'server.js')], {
    cwd: projectRoot,
    env: { ...process.env, ...env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    let up = false;
    while (!up) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
      if (Number(process.hrtime.bigint() - t0) > 60e9) throw new Error('the server did not answer in 60 s');
      up = await fetch(`${address}/healthz`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (!up) await new Promise((r) => setTimeout(r, 10));
    }
    const startSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const [atStart] = memoryOf(child.pid!);
    const session = await signIn(address, 'stafettholder@stafett.example');
    await hammer(
      `${address}/logs/${logId}`,
      { cookie: session, 'accept-encoding': BROWSER_ENCODINGS },
      { amount: pages },
    );
    const [after, peak] = memoryOf(child.pid!);
    return { startSeconds, atStart, after, peak };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

let server: TestServer | null = null;
const serverUrl = process.env.DATABASE_URL?.trim() || (server = await startTestServer()).url;
const database = await createTestDatabase(serverUrl);
// Ctrl-C: drop the throw-away database and stop its server rather than leave them running.
exitOnSignals(async () => {
  await database.close();
  await server?.stop();
});
try {
  const logId = await createFullPlan(database.db);
  const log = await database.db('logs').where({ id: logId }).first('holder_id', 'unit_id');
  await database.db('glimmers').insert(
    Array.from({ length: 40 }, (_, i) => ({
      log_id: logId,
      author_id: log.holder_id,
      author_role: 'holder',
      text: `Fin uke ${i + 1}: Maja var på skolen hver dag og spiste lunsj med venner.`,
    })),
  );
  const env = {
    LOG_LEVEL: 'silent',
    SESSION_KEY: randomBytes(32).toString('hex'),
    IDENTITY_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: database.appUrl,
    SECURE_COOKIES: 'false',
  };
  const config = loadConfig({ NODE_ENV: 'production', ...env });
  const loadAtStart = load();
  const app = await buildApp({ config, db: database.appDb, logger: false });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    // Production keeps a PDF page ready: let the browser finish starting before anything is measured.
    await app.pdf.warm?.();
    const session = await signIn(address, 'stafettholder@stafett.example');
    const url = `/logs/${logId}`;
    const plain = await fetch(`${address}${url}`, {
      headers: { cookie: session, 'accept-encoding': 'identity' },
    });
    const html = await plain.text();
    if (plain.status !== 200 || !html.includes('Fin uke 40'))
      throw new Error(`log page answered ${plain.status}`);
    const compressed = await app.inject({ url, headers: { cookie: session, 'accept-encoding': 'br' } });
    const brBytes = compressed.rawPayload.length;

    // The routes take turns, so each meets the same load; the medians of the rounds are shown.
    const browser = { cookie: session, 'accept-encoding': BROWSER_ENCODINGS };
    // The log page as an unchanged log's page is served (from the cache), and as the first read after
    // a change is (every request a miss: loaded, rendered and kept).
    const routes: [string, string, Record<string, string>, boolean][] = [
      ['/healthz (one select 1)', '/healthz', { 'accept-encoding': BROWSER_ENCODINGS }, false],
      ['/login (template, no child data)', '/login', { 'accept-encoding': BROWSER_ENCODINGS }, false],
      ['/logs/:id full plan, compressed', url, browser, false],
      ['  after every change (a miss each)', url, browser, true],
      ['/logs/:id full plan, uncompressed', url, { cookie: session }, false],
      ['  after every change (a miss each)', url, { cookie: session }, true],
    ];
    const results = routes.map(() => [] as Run[]);
    for (let round = 0; round < rounds; round += 1) {
      for (const [i, [, path, headers, eachNew]] of routes.entries())
        results[i]!.push(await hammer(`${address}${path}`, headers, { eachNew }));
    }
    const ratios = results.map((runs) => median(runs.map((r, round) => r.rps / results[0]![round]!.rps)));

    // One page in-process, without HTTP or concurrency: the time a single person waits.
    const sequential = async (eachNew: boolean) => {
      const times: number[] = [];
      for (let i = 0; i < 50; i += 1) {
        const t0 = process.hrtime.bigint();
        await app.inject({ method: 'GET', url: eachNew ? `${url}?single=${i}` : url, headers: browser });
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      return times.sort((a, b) => a - b);
    };
    const single = await sequential(false);
    const singleUncached = await sequential(true);
    const loadAfterLoad = load();

    const statics: string[] = [];
    app.server.on('request', (request: { url?: string }) => {
      if (request.url?.startsWith('/public/')) statics.push(request.url);
    });
    const wire = await visits(address, url, session, () => statics);

    // The same requests through an app that counts its queries (a second instance: the counting
    // keeps an AsyncLocalStorage context, which would slow the runs above).
    const counting = await buildApp({ config, db: database.appDb, logger: false, countQueries: true });
    const queries: Record<string, string> = {};
    const counted = async (path: string) => {
      const value = (await counting.inject({ url: path, headers: { cookie: session } })).headers[
        'x-query-count'
      ];
      return value === undefined ? 'n/a' : String(value);
    };
    for (const [label, path] of [
      ['log page', url],
      ['/login', '/login'],
      ['/healthz', '/healthz'],
    ] as const) {
      await counting.inject({ url: path, headers: { cookie: session } });
      queries[label] = await counted(path);
    }
    // After a change: a glimmer edited (its log's version moves), then the page.
    await database.db('glimmers').where({ log_id: logId }).orderBy('id').limit(1).update({ text: 'Endret.' });
    queries['log page after a change'] = await counted(url);
    await counting.close();

    const prod = await production({ ...env, DATABASE_OWNER_URL: database.url }, logId, 1000);

    console.log(`\nStafett bench: ${os.cpus().length} cores, Node ${process.version}`);
    console.log(
      `load average (1 / 5 / 15 min): ${loadAtStart} at start, ${loadAfterLoad} after the load runs, ${load()} at the end`,
    );
    console.log(
      `\nLog page of a full plan (5 concerns, 12 goals, 30 measures, 40 glimmers): ${kb(Buffer.byteLength(html))} HTML, ${kb(brBytes)} with brotli`,
    );
    console.log(
      `autocannon, ${connections} connections, ${rounds} rounds × ${seconds} s per route taking turns; medians:\n`,
    );
    console.log(`  ${''.padEnd(36)}   req/s    p50 ms   p99 ms   req/s ×/healthz`);
    for (const [i, [label]] of routes.entries()) {
      const runs = results[i]!;
      const r = {
        rps: median(runs.map((x) => x.rps)),
        p50: median(runs.map((x) => x.p50)),
        p99: median(runs.map((x) => x.p99)),
      };
      console.log(
        `  ${label.padEnd(36)} ${r.rps.toFixed(0).padStart(7)}   ${String(r.p50).padStart(6)}   ${String(r.p99).padStart(6)}   ×${ratios[i]!.toFixed(3)}`,
      );
    }
    console.log(
      `\n  one log page in-process (inject, sequential, compressed): median ${single[25]!.toFixed(1)} ms, p90 ${single[45]!.toFixed(1)} ms; after every change (a miss): median ${singleUncached[25]!.toFixed(1)} ms, p90 ${singleUncached[45]!.toFixed(1)} ms`,
    );
    console.log(`\nBytes on the wire, log page in Chromium (HTML + every file it loads, headers included):`);
    console.log(
      `  first visit (empty cache)  ${kb(wire.first.bytes).padStart(9)} on the wire (${kb(wire.first.decoded)} uncompressed), ${wire.first.statics.length} static requests`,
    );
    console.log(
      `  repeat visit               ${kb(wire.repeat.bytes).padStart(9)} on the wire, ${wire.repeat.statics.length} static requests`,
    );
    console.log(
      `\nSQL queries per request: log page ${queries['log page']} (${queries['log page after a change']} after a change), /login ${queries['/login']}, /healthz ${queries['/healthz']} (target for the log page: 4)`,
    );
    console.log(`\nProduction (node dist/src/server.js, NODE_ENV=production, existing database):`);
    console.log(`  start to /healthz 200         ${prod.startSeconds.toFixed(2)} s`);
    console.log(
      `  resident memory               ${(prod.atStart / 1e6).toFixed(0)} MB at start, ${(prod.after / 1e6).toFixed(0)} MB after 1,000 log pages (peak ${(prod.peak / 1e6).toFixed(0)} MB; Chromium, kept warm, is separate)\n`,
    );
  } finally {
    await app.close();
  }
} finally {
  await database.close();
  await server?.stop();
}
