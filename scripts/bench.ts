/**
 * npm run bench — how fast the log page of a realistic plan is (QUALITY.md: 5 concerns, 12 goals,
 * 30 measures, 40 glimmers), against /healthz (no database work) and the login page (a template, no
 * child data) measured in the same run. Absolute figures on shared machines are noise: compare ratios.
 *
 *   npm run bench                              # a throw-away embedded PostgreSQL
 *   DATABASE_URL=postgres://… npm run bench    # a throw-away database on that server
 *   npm run bench -- --seconds 10 --connections 10
 *
 * Not a test: it prints figures and asserts nothing. Load goes to 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { exitOnSignals } from '../src/lifecycle.js';
import { DEMO_PASSWORD } from '../seeds/01_organisation.js';
import { createTestDatabase, startTestServer, type TestServer } from '../test/helpers/db.js';
import { createFullPlan } from './full-plan.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1] ?? fallback) : fallback;
};
const seconds = Math.min(60, Math.max(1, arg('seconds', 5)));
const connections = Math.min(100, Math.max(1, arg('connections', 10)));

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
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    SESSION_KEY: randomBytes(32).toString('hex'),
    IDENTITY_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: database.appUrl,
    SECURE_COOKIES: 'false',
  });
  const app = await buildApp({ config, db: database.appDb, logger: false });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    // Sign in once through the real form; reuse the session cookie for every request.
    const loginPage = await fetch(`${address}/login`);
    const cookie = (loginPage.headers.getSetCookie()[0] ?? '').split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]*)"/.exec(await loginPage.text())?.[1] ?? '';
    const login = await fetch(`${address}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        _csrf: csrf,
        email: 'stafettholder@stafett.example',
        password: DEMO_PASSWORD,
      }),
    });
    const session = (login.headers.getSetCookie()[0] ?? '').split(';')[0]!;
    const check = await fetch(`${address}/logs/${logId}`, { headers: { cookie: session } });
    const html = await check.text();
    if (check.status !== 200 || !html.includes('Fin uke 40'))
      throw new Error(`log page answered ${check.status}`);

    const run = async (path: string, headers: Record<string, string> = {}) => {
      const result = await autocannon({ url: `${address}${path}`, connections, duration: seconds, headers });
      if (result.non2xx > 0) throw new Error(`${path}: ${result.non2xx} answers were not 2xx`);
      return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
    };
    const health = await run('/healthz');
    const loginRender = await run('/login');
    const logPage = await run(`/logs/${logId}`, { cookie: session });

    // One render in-process, without HTTP or concurrency: the time a single person waits.
    const single: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      const t0 = process.hrtime.bigint();
      await app.inject({ method: 'GET', url: `/logs/${logId}`, headers: { cookie: session } });
      single.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    single.sort((a, b) => a - b);

    console.log(
      `\nLog page of a full plan (5 concerns, 12 goals, 30 measures, 40 glimmers, ${Math.round(html.length / 1024)} KiB HTML)`,
    );
    console.log(`autocannon, ${connections} connections, ${seconds} s each, on 127.0.0.1:\n`);
    const rows: [string, typeof health][] = [
      ['/healthz (no database)', health],
      ['/login (template only)', loginRender],
      ['/logs/:id (full plan, signed in)', logPage],
    ];
    for (const [label, r] of rows) {
      console.log(
        `  ${label.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms   ×${(r.rps / health.rps).toFixed(2)} of /healthz`,
      );
    }
    console.log(
      `\n  one log page in-process (inject, sequential): median ${single[25]!.toFixed(1)} ms, p90 ${single[45]!.toFixed(1)} ms\n`,
    );
  } finally {
    await app.close();
  }
} finally {
  await database.close();
  await server?.stop();
}
