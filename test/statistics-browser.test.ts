/**
 * The statistics pages in real Chromium, JavaScript off and on: the leader's unit page and the municipal
 * administrator's page, the period form (a range typed, a bad date), the children form; axe on every
 * page and error state; each chart has its table; the page fits 320 px; a CSV link gives the table's
 * figures.
 */
import t from 'tap';
import { parse } from 'csv-parse/sync';
import type { Page } from 'puppeteer';
import { createClock } from './helpers/app.js';
import { browserApp, expectAxeClean, goto, pageProblems, signInBrowser } from './helpers/browser.js';
import { buildStatWorld, STAT_EMAIL, TODAY, type StatWorld } from './statistics-fixture.js';
import type { Db } from '../src/db/knex.js';

/** The world is built once per file (its database is shared by both runs). */
let built: Promise<StatWorld> | undefined;
const worldIn = (db: Db) => (built ??= buildStatWorld(db));

type Assert = Parameters<typeof expectAxeClean>[0];
const EXPECTED = /^request failed: .*\/drafts$/;

async function submit(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function check(test: unknown, page: Page, label: string) {
  const t = test as Assert & { same(a: unknown, b: unknown, m?: string): unknown };
  t.same(
    pageProblems(page).filter((p) => !EXPECTED.test(p)),
    [],
    `${label}: no script errors or refused requests`,
  );
  await expectAxeClean(t, page, label);
}

/** Every figure: a summary sentence, a table with rows, and a chart (aria-hidden) where there is one. */
async function figures(page: Page) {
  return page.$$eval('.stats-figure', (nodes) =>
    nodes.map((n) => ({
      id: n.id,
      summary: n.querySelector('.stats-figure__summary')?.textContent?.trim() ?? '',
      rows: n.querySelectorAll('tbody tr').length,
      chart: n.querySelector('.chart svg')?.getAttribute('aria-hidden') ?? null,
    })),
  );
}

for (const javascript of [false, true]) {
  t.test(`statistics with JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const site = await browserApp(t, {}, { clock: createClock(TODAY) });
    const world = await worldIn(site.db);

    // ---- the leader's unit page ----
    const leader = await site.newPage({ javascript });
    await signInBrowser(leader, STAT_EMAIL.leader1);
    await goto(leader, `/units/${world.u1}`);
    await submit(leader, `a[href="/units/${world.u1}/statistics"]`);
    t.equal(
      await leader.$eval('h1', (h) => h.textContent?.replace(/\s+/g, ' ').trim()),
      'Statistikk A skole',
    );
    const shown = await figures(leader);
    t.ok(shown.length >= 14, `${shown.length} figures`);
    for (const f of shown) {
      t.ok(f.summary.length > 10 && f.rows > 0, `${f.id}: a summary and a table`);
      t.equal(
        f.chart,
        'true',
        `${f.id}: a chart, hidden from screen readers (the table is its accessible form)`,
      );
    }
    t.equal(
      await leader.$eval(
        '#fig-measures',
        (f) => [...f.querySelectorAll('tbody tr')].map((r) => r.textContent?.replace(/\s+/g, ' ').trim())[1],
      ),
      'Over fristen uten evaluering nå under 5',
    );
    await check(t, leader, 'unit statistics');

    await leader.setViewport({ width: 320, height: 800 });
    t.ok(
      await leader.evaluate(() => document.documentElement.scrollWidth <= 320),
      'no sideways scrolling at 320 px',
    );
    await leader.setViewport({ width: 1000, height: 800 });

    // A range typed in the date boxes.
    await leader.click('#period-custom');
    for (const [id, value] of [
      ['from-day', '2'],
      ['from-month', '8'],
      ['from-year', '2025'],
      ['to-day', '10'],
      ['to-month', '2'],
      ['to-year', '2026'],
    ])
      await leader.type(`#${id}`, value);
    await submit(leader, '.stats-filters button[type="submit"]');
    t.match(await leader.$eval('.stats-period', (p) => p.textContent), /2\. august 2025–10\. februar 2026/);

    // A date that is not one: the error summary, the message at the field, the typed text kept.
    await leader.$eval('#to-day', (i) => ((i as HTMLInputElement).value = '31'));
    await leader.$eval('#to-month', (i) => ((i as HTMLInputElement).value = '2'));
    await submit(leader, '.stats-filters button[type="submit"]');
    t.match(await leader.title(), /^Feil: /);
    t.equal(await leader.$eval('#to-error', (e) => e.textContent?.includes('ekte dato')), true);
    t.equal(await leader.$eval('#to-day', (i) => (i as HTMLInputElement).value), '31');
    await check(t, leader, 'unit statistics, bad date');

    // The children form.
    await goto(leader, `/units/${world.u1}/statistics/children`);
    await leader.type('#children', 'mange');
    await submit(leader, 'form[action$="/children"] button[type="submit"]');
    t.equal(await leader.$eval('#children', (i) => (i as HTMLInputElement).value), 'mange');
    await check(t, leader, 'children per school year, bad number');
    await leader.$eval('#children', (i) => ((i as HTMLInputElement).value = ''));
    await leader.type('#children', '120');
    await submit(leader, 'form[action$="/children"] button[type="submit"]');
    t.match(await leader.$eval('.notice', (n) => n.textContent), /Antallet er lagret/);
    await check(t, leader, 'children per school year, saved');

    // ---- the municipal administrator ----
    const admin = await site.newPage({ javascript });
    await signInBrowser(admin, STAT_EMAIL.admin);
    await goto(admin, '/admin');
    await submit(admin, 'a[href="/statistics"]');
    t.equal(
      await admin.$eval('h1', (h) => h.textContent?.replace(/\s+/g, ' ').trim()),
      'Statistikk Testkommune',
    );
    const units = await admin.$$eval('#fig-logs-by-unit tbody tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim())),
    );
    t.same(units, [
      ['A skole', '12', 'under 5'],
      ['B barnehage', '5', '0'],
      ['C skole', '8', 'skjult'],
      ['Sum', '25', '9'],
    ]);
    await check(t, admin, 'municipality statistics');
    await admin.select('#district', String(world.districtB));
    await submit(admin, '.stats-filters button[type="submit"]');
    t.match(await admin.$eval('h1', (h) => h.textContent), /Bydel B, Testkommune/);
    await check(t, admin, 'district statistics');

    // The CSV link of a table gives its figures.
    const href = await admin.$eval('#fig-logs-by-unit a[download]', (a) => (a as HTMLAnchorElement).href);
    const cookies = (await admin.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const csv = Buffer.from(await (await fetch(href, { headers: { cookie: cookies } })).arrayBuffer());
    const records = parse(csv, { bom: true, delimiter: ';' }) as string[][];
    const tableRows = await admin.$$eval('#fig-logs-by-unit tbody tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')),
    );
    t.same(records.slice(1), tableRows, 'the CSV has the table’s figures');
  });
}
