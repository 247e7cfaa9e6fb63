/**
 * npm run bench:pdf — how long the PDF of a full plan takes (5 concerns, 12 goals, 30 measures), cold
 * (the first print starts the browser), on the page kept ready (production starts the browser with the
 * app) and warm (median of N), and a meeting's close as a whole (agreements saved, the meeting closed,
 * its PDF made and archived, the answer sent), each against the log page as baseline in the same run:
 * absolute times on shared machines are noise, the ratio is what to compare.
 *
 *   npm run bench:pdf                       # a throw-away embedded PostgreSQL
 *   DATABASE_URL=postgres://… npm run bench:pdf   # a throw-away database on that server
 *   npm run bench:pdf -- --runs 30 --out /tmp/plan.pdf
 *
 * Not a test: it prints figures and asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { exitOnSignals } from '../src/lifecycle.js';
import { DEMO_PASSWORD } from '../seeds/01_organisation.js';
import { createTestDatabase, startTestServer, type TestServer } from '../test/helpers/db.js';
import { DEFAULT_LOCALE, translator } from '../src/i18n/index.js';
import { systemAccess } from '../src/plugins/access/index.js';
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

type Client = Awaited<ReturnType<typeof signedIn>>;

/**
 * A meeting planned, started and its agreements written (not timed), then closed, as the person
 * running it does: the agreements saved, and the close (the meeting closed, its PDF made and archived,
 * the answer sent). Returns both times in ms.
 */
async function meetingClose(client: Client, logId: number): Promise<{ agreements: number; close: number }> {
  const form = await client.get(`/logs/${logId}/meetings/new`);
  const formToken = /name="formToken" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const tomorrow = new Date(Date.now() + 86_400_000);
  const created = await client.post(`/logs/${logId}/meetings`, {
    formToken,
    'date-day': String(tomorrow.getUTCDate()),
    'date-month': String(tomorrow.getUTCMonth() + 1),
    'date-year': String(tomorrow.getUTCFullYear()),
    dateTime: '10:00',
    duration: '60',
    mode: 'in_person',
    place: 'Møterom 2',
    purpose: 'Se på planen sammen.',
  });
  if (created.statusCode !== 303) throw new Error(`planning a meeting answered ${created.statusCode}`);
  const meeting = created.headers.location as string;
  await client.post(`${meeting}/start`, {});
  await client.post(`${meeting}/phase`, { phase: 'summary' }); // where the agreements are written
  const mode = await client.get(`${meeting}/mode`);
  const version = /name="version" value="(\d+)"/.exec(mode.body)?.[1] ?? '';
  await client.get(`${meeting}/close`);

  const t0 = process.hrtime.bigint();
  const saved = await client.post(`${meeting}/agreements`, {
    version,
    agreements: 'Mor ringer fastlegen innen fredag. Skolen sender ukeplanen hver fredag.',
  });
  const agreements = ms(t0);
  if (saved.statusCode !== 303) throw new Error(`saving the agreements answered ${saved.statusCode}`);
  const t1 = process.hrtime.bigint();
  const closed = await client.post(`${meeting}/close`, {});
  const close = ms(t1);
  if (closed.statusCode !== 303) throw new Error(`closing answered ${closed.statusCode}`);
  await client.post(`${meeting}/mode/leave`, {});
  return { agreements, close };
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
    IDENTITY_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: database.appUrl,
    PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH,
    // The baseline is the log page loaded and rendered, as a print always is (not served from the cache).
    LOG_PAGE_CACHE_MB: '0',
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

    // The meeting close as a whole, by another person's session (meeting mode is per session).
    const chair = await signedIn(app, 'stafettholder@stafett.example');
    await meetingClose(chair, logId);
    const agreements: number[] = [];
    const closes: number[] = [];
    for (let i = 0; i < Math.max(5, Math.floor(runs / 2)); i += 1) {
      const took = await meetingClose(chair, logId);
      agreements.push(took.agreements);
      closes.push(took.close);
    }
    const whole = agreements.map((a, i) => a + closes[i]!);

    // As production starts: the browser started and a page opened with the app, before the first print.
    const readyApp = await buildApp({ config, db: database.appDb, logger: false });
    let firstOnReady = 0;
    try {
      await readyApp.ready();
      await readyApp.pdf.warm?.();
      const other = await signedIn(readyApp, 'stafettholder@stafett.example');
      await other.get(`/logs/${logId}/prints`);
      const t0 = process.hrtime.bigint();
      const res = await other.post(`/logs/${logId}/prints`, { reason: 'yearly' });
      firstOnReady = ms(t0);
      if (res.statusCode !== 303) throw new Error(`making the PDF answered ${res.statusCode}`);
    } finally {
      await readyApp.close();
    }

    // The render alone: the same document straight to Chromium (no database, no archive, no audit), warm.
    const prints = app.services.prints;
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
      ['PDF first, on the page kept ready', firstOnReady, firstOnReady / base],
      ['PDF warm, median (target ≤ 120 ms)', median(warm), median(warm) / base],
      ['PDF warm, p90', p90(warm), p90(warm) / base],
      ['render alone (Chromium only), warm median', median(renderOnly), median(renderOnly) / base],
      ['meeting: save agreements, median', median(agreements), median(agreements) / base],
      ['meeting: close (PDF made, archived), median', median(closes), median(closes) / base],
      ['meeting close as a whole, median (≤ 400 ms)', median(whole), median(whole) / base],
    ];
    console.log(
      `\nPDF of a full plan (5 concerns, 12 goals, 30 measures): ${pdf.length} bytes, ${runs} warm runs, ${whole.length} meeting closes`,
    );
    console.log(
      `load average (1 / 5 / 15 min) at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} on ${os.cpus().length} cores`,
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
