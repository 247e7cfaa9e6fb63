/**
 * npm run bench:stats — how fast the statistics pages are on a city-sized municipality (30,000 logs over
 * 200 units, scripts/large-municipality.ts; generated first if the database does not have it): the
 * unit page (one unit of ~150 logs) and the municipality page (every unit), against /healthz in the same
 * run. Prints each page's median and 95th percentile over sequential requests (the time one leader
 * waits), their ratio to /healthz, and throughput under autocannon. With --explain it also prints
 * EXPLAIN (ANALYZE, BUFFERS) for each statistics query of the municipality page.
 *
 *   npm run bench:stats                                  # the embedded database (.data/postgres)
 *   DATABASE_URL=postgres://… npm run bench:stats        # that database
 *   npm run bench:stats -- --requests 100 --seconds 5 --explain
 *
 * Not a test: it prints figures and asserts nothing. Load goes to 127.0.0.1 only. Absolute times on a
 * shared machine are noise: compare the ratios.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { isEmpty, openDatabase } from '../src/db/setup.js';
import { exitOnSignals } from '../src/lifecycle.js';
import { DEMO_PASSWORD } from '../seeds/01_organisation.js';
import { LARGE, largeCounts, seedLarge } from './large-municipality.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1] ?? fallback) : fallback;
};
const requests = Math.min(1000, Math.max(10, arg('requests', 60)));
const seconds = Math.min(60, Math.max(1, arg('seconds', 5)));
const connections = Math.min(50, Math.max(1, arg('connections', 4)));
const explain = process.argv.includes('--explain');

const env = loadConfig();
const database = await openDatabase(env);
exitOnSignals(() => database.close());

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

try {
  await database.migrate();
  if (await isEmpty(database.db)) await database.seed();
  console.log(`${LARGE.municipality}: generating if missing …`);
  const world = await seedLarge(database.owner, (line) => console.log(line));
  const counts = await largeCounts(database.owner, world.municipalityId);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    SESSION_KEY: randomBytes(32).toString('hex'),
    IDENTITY_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://embedded.invalid/stafett',
    SECURE_COOKIES: 'false',
    LOGIN_MAX_FAILURES: '1000',
  });
  const app = await buildApp({ config, db: database.db, logger: false });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const signIn = async (email: string) => {
      const page = await fetch(`${address}/login`);
      const cookie = (page.headers.getSetCookie()[0] ?? '').split(';')[0]!;
      const csrf = /name="_csrf" value="([^"]*)"/.exec(await page.text())?.[1] ?? '';
      const login = await fetch(`${address}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, email, password: DEMO_PASSWORD }),
      });
      if (login.status !== 303) throw new Error(`sign-in as ${email} answered ${login.status}`);
      return (login.headers.getSetCookie()[0] ?? '').split(';')[0]!;
    };
    const admin = await signIn(LARGE.admin);
    const leader = await signIn(LARGE.leader);
    const unitPath = `/units/${world.leaderUnitIds[0]}/statistics`;
    const pages = [
      { label: '/healthz (no statistics)', path: '/healthz', cookie: '' },
      { label: `unit page (${unitPath})`, path: unitPath, cookie: leader },
      { label: 'municipality page (/statistics)', path: '/statistics', cookie: admin },
    ];
    for (const p of pages.slice(1)) {
      const check = await fetch(`${address}${p.path}`, { headers: { cookie: p.cookie } });
      const html = await check.text();
      if (check.status !== 200 || !html.includes('stats-table'))
        throw new Error(`${p.path} answered ${check.status}`);
    }

    // Sequential requests: the time one person waits. Each page in turn, so load drifts evenly.
    const times = pages.map(() => [] as number[]);
    for (let i = 0; i < 5; i++)
      for (const p of pages) await fetch(`${address}${p.path}`, { headers: { cookie: p.cookie } });
    for (let i = 0; i < requests; i++) {
      for (const [k, p] of pages.entries()) {
        const t0 = process.hrtime.bigint();
        const response = await fetch(`${address}${p.path}`, { headers: { cookie: p.cookie } });
        await response.arrayBuffer();
        times[k]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
    const stats = times.map((list) => {
      const sorted = [...list].sort((a, b) => a - b);
      return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
    });

    // Throughput under concurrent load.
    const throughput: number[] = [];
    for (const p of pages) {
      const result = await autocannon({
        url: `${address}${p.path}`,
        connections,
        duration: seconds,
        headers: p.cookie ? { cookie: p.cookie } : {},
      });
      if (result.non2xx > 0) throw new Error(`${p.path}: ${result.non2xx} answers were not 2xx`);
      throughput.push(result.requests.average);
    }

    console.log(
      `\n${LARGE.municipality}: ${Object.entries(counts)
        .map(([k, v]) => `${Number(v).toLocaleString('en-GB')} ${k.replace('_', ' ')}`)
        .join(', ')}`,
    );
    console.log(
      `${requests} sequential requests per page; then autocannon, ${connections} connections, ${seconds} s each:\n`,
    );
    pages.forEach((p, k) => {
      const s = stats[k]!;
      console.log(
        `  ${p.label.padEnd(40)} median ${s.median.toFixed(1).padStart(6)} ms  p95 ${s.p95.toFixed(1).padStart(6)} ms` +
          `  ×${(s.median / stats[0]!.median).toFixed(1).padStart(5)} of /healthz` +
          `   ${throughput[k]!.toFixed(0).padStart(6)} req/s (×${(throughput[k]! / throughput[0]!).toFixed(3)})`,
      );
    });
    const municipality = stats[2]!.median;
    console.log(
      `\n  municipality page median ${municipality.toFixed(1)} ms: ${municipality <= 100 ? 'within' : 'OVER'} the 100 ms target\n`,
    );

    if (explain) {
      // The municipality page's own queries, captured from one request, each explained with its bindings.
      const captured: { sql: string; bindings: unknown[] }[] = [];
      let capturing = true;
      database.db.on('query', (q: { sql: string; bindings?: unknown[] }) => {
        // Requests still running from the load test also pass here: keep the first of each query.
        const name = /\/\* (statistics:[\w-]+) \*\//.exec(q.sql)?.[1];
        if (capturing && name && !captured.some((c) => c.sql.includes(`/* ${name} */`)))
          captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
      });
      await fetch(`${address}/statistics`, { headers: { cookie: admin } }).then((r) => r.arrayBuffer());
      capturing = false;
      for (const q of captured) {
        const name = /\/\* (statistics:[\w-]+) \*\//.exec(q.sql)?.[1] ?? '?';
        const { rows } = await database.db.raw(
          // knex reports the SQL with PostgreSQL's numbered placeholders; raw() takes ? in the same order.
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${q.sql.replace(/\$\d+/g, '?')}`,
          q.bindings as never,
        );
        const lines = (rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']);
        console.log(`---- ${name}: ${lines.find((l) => l.startsWith('Execution Time')) ?? ''}`);
        for (const line of lines) console.log(`  ${line}`);
      }
    }
  } finally {
    await app.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
} finally {
  await database.close();
}
