/**
 * npm run bench:pdf — how long the PDF of a full plan takes (5 concerns, 12 goals, 30 measures), cold
 * (the first print starts the browser) and warm (median of N), against the log page as baseline in the
 * same run: absolute times on shared machines are noise, the ratio is what to compare.
 *
 *   npm run bench:pdf                       # a throw-away embedded PostgreSQL
 *   DATABASE_URL=postgres://… npm run bench:pdf   # a throw-away database on that server
 *   npm run bench:pdf -- --runs 30 --out /tmp/plan.pdf
 *
 * Not a test: it prints figures and asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { exitOnSignals } from '../src/lifecycle.js';
import { DEMO_PASSWORD } from '../seeds/01_organisation.js';
import { createTestDatabase, startTestServer, type TestServer } from '../test/helpers/db.js';
import { DEFAULT_LOCALE, translator } from '../src/i18n/index.js';
import { printsService, systemAccess } from '../src/features/prints/service.js';
import { createFullPlan } from './full-plan.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const runs = Math.max(3, Number(arg('runs', '20')));
const out = arg('out', '');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))]!;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** A signed-in client for inject: cookies and the CSRF token of the last page. */
async function signedIn(app: FastifyInstance, email: string) {
  const cookies = new Map<string, string>();
  let csrf = '';
  const remember = <R extends { headers: Record<string, unknown>; body: string }>(res: R): R => {
    const set = res.headers['set-cookie'];
    for (const line of (Array.isArray(set) ? set : set ? [set] : []) as string[]) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    csrf = /name="_csrf" value="([^"]*)"/.exec(res.body)?.[1] ?? csrf;
    return res;
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const get = async (url: string) =>
    remember(await app.inject({ method: 'GET', url, headers: { cookie: cookie() } }));
  const post = async (url: string, form: Record<string, string>) =>
    remember(
      await app.inject({
        method: 'POST',
        url,
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
      }),
    );
  await get('/login');
  const login = await post('/login', { email, password: DEMO_PASSWORD });
  if (login.statusCode !== 303) throw new Error(`sign-in answered ${login.statusCode}`);
  return { get, post };
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
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SESSION_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: database.appUrl,
    PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH,
  });
  const app = await buildApp({ config, db: database.appDb, logger: false });
  await app.ready();
  try {
    const client = await signedIn(app, 'stafettholder@stafett.example');
    const page = await client.get(`/logs/${logId}`);
    if (page.statusCode !== 200) throw new Error(`log page answered ${page.statusCode}`);

    // Baseline: the log page of the same plan, warmed up.
    for (let i = 0; i < 10; i += 1) await client.get(`/logs/${logId}`);
    const baseline: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const t0 = process.hrtime.bigint();
      await client.get(`/logs/${logId}`);
      baseline.push(ms(t0));
    }
    const printView: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const t0 = process.hrtime.bigint();
      await client.get(`/logs/${logId}/print`);
      printView.push(ms(t0));
    }

    // Cold: the first PDF of the process starts the browser. Made through the route, stored in the archive.
    const make = async () => {
      const t0 = process.hrtime.bigint();
      const res = await client.post(`/logs/${logId}/prints`, { reason: 'yearly' });
      const took = ms(t0);
      if (res.statusCode !== 303) throw new Error(`making the PDF answered ${res.statusCode}`);
      return took;
    };
    const cold = await make();
    const warm: number[] = [];
    for (let i = 0; i < runs; i += 1) warm.push(await make());

    // The render alone: the same document straight to Chromium (no database, no archive, no audit), warm.
    const prints = printsService(app);
    const view = await prints.printView(
      { t: translator(DEFAULT_LOCALE), locale: DEFAULT_LOCALE },
      systemAccess(logId),
    );
    const html = await prints.documentHtml(view);
    const renderOnly: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const t0 = process.hrtime.bigint();
      await app.pdf.render(
        { html },
        { header: view.title, footer: { left: 'Laget nå', pages: 'Side {page} av {total}' } },
      );
      renderOnly.push(ms(t0));
    }
    const last = (await prints.list(logId, { limit: 1 }))[0]!;
    const pdf = (await prints.pdf(logId, last.id))!;
    if (out) writeFileSync(out, pdf);

    const base = median(baseline);
    const rows: [string, number, number | null][] = [
      ['log page (baseline), median', base, null],
      ['HTML print view, median', median(printView), median(printView) / base],
      ['PDF cold (browser start + render + store)', cold, cold / base],
      ['PDF warm, median', median(warm), median(warm) / base],
      ['PDF warm, p90', p90(warm), p90(warm) / base],
      ['render alone (Chromium only), warm median', median(renderOnly), median(renderOnly) / base],
    ];
    console.log(
      `\nPDF of a full plan (5 concerns, 12 goals, 30 measures): ${pdf.length} bytes, ${runs} warm runs`,
    );
    for (const [label, value, ratio] of rows) {
      console.log(
        `  ${label.padEnd(44)} ${value.toFixed(1).padStart(8)} ms${ratio === null ? '' : `   ×${ratio.toFixed(1)} baseline`}`,
      );
    }
    console.log(`  browsers launched: ${app.pdf.stats().launches}${out ? `; PDF written to ${out}` : ''}\n`);
  } finally {
    await app.close();
  }
} finally {
  await database.close();
  await server?.stop();
}
