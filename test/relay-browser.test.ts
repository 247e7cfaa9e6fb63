/**
 * The relay in real Chromium, with JavaScript off and then on: the holder sends the log to another unit
 * with one of its two concerns; a withdrawn and a declined transfer leave everything as it was; then the
 * receiving leader picks a holder, who accepts. Old and new holders see what they should at each step,
 * and axe-core finds nothing on any page. (Set RELAY_SCREENSHOTS=<folder> to keep a picture of each page.)
 */
import path from 'node:path';
import t from 'tap';
import type { Page } from 'puppeteer';
import type { Db } from '../src/db/knex.js';
import {
  browserApp,
  expectAxeClean,
  goto,
  pageProblems,
  signInBrowser,
  type BrowserApp,
} from './helpers/browser.js';
import { userId } from './plan-fixture.js';

type Assert = Parameters<typeof expectAxeClean>[0];
const HOLDER = 'stafettholder@stafett.example';
const LEADER = 'leder@stafett.example';
const TEACHER = 'laerer@stafett.example';
// Draft saving while typing (another feature) cancels superseded requests, which Chromium reports.
const EXPECTED = /^request failed: .*\/drafts$/;

async function submit(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function check(test: unknown, page: Page, label: string) {
  const t = test as Assert & { same(a: unknown, b: unknown, m?: string): unknown };
  const shots = process.env.RELAY_SCREENSHOTS;
  const js = page.isJavaScriptEnabled() ? 'js' : 'nojs';
  if (shots) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({
      path: path.join(shots, `${js}-${label.replace(/\W+/g, '-')}.png`),
      clip: { x: 0, y: 0, width: 800, height: Math.min(height, 1600) },
      captureBeyondViewport: true,
    });
  }
  t.same(
    pageProblems(page).filter((p) => !EXPECTED.test(p)),
    [],
    `${label}: no script errors or refused requests`,
  );
  await expectAxeClean(t, page, label);
}

async function snapshot(db: Db, logId: number) {
  return {
    log: await db('logs').where({ id: logId }).first('holder_id', 'unit_id', 'status', 'version'),
    logs: (await db('logs').count<{ count: number }[]>('* as count').first())!.count,
    concerns: await db('concerns').where({ log_id: logId }).orderBy('id').pluck('id'),
    measures: await db('measures').where({ log_id: logId }).orderBy('id').pluck('id'),
  };
}

/** Through the holder's pages: where to (another unit), which unit, the leader picks, one concern, consent. */
async function sendTransfer(
  test: unknown,
  page: Page,
  site: BrowserApp,
  logId: number,
  concernId: number,
  first: boolean,
) {
  const t = test as {
    equal(a: unknown, b: unknown, m?: string): unknown;
    match(a: unknown, b: unknown, m?: string): unknown;
  };
  await goto(page, `/logs/${logId}`);
  await submit(page, `a[href="/logs/${logId}/transfer"]`);
  if (first) await check(t, page, 'transfer: where to');
  const next = `form[action="/logs/${logId}/transfer/to"] button[type="submit"]`;
  await page.click('#kind-unit');
  await submit(page, next);
  if (first) await check(t, page, 'transfer: which unit');
  const school = (await site.db('units').where({ name: 'Solbakken skole' }).first('id')).id;
  await page.click(`label[for="${(await page.$(`#unitId-${school}`)) ? `unitId-${school}` : 'unitId'}"]`);
  await submit(page, next);
  const send = `form[action="/logs/${logId}/transfers"] button[type="submit"]`;
  if (first) {
    await submit(page, send);
    t.equal(
      await page.$eval('#error-summary', (e) => e.querySelectorAll('a').length),
      4,
      'the empty form: four errors, linked',
    );
    await check(t, page, 'transfer: details with errors');
  }
  await page.click('#receiver');
  await page.type('#reason', 'Ida trenger oppfølging av fraværet på skolen.');
  await page.click(`#concernIds${(await page.$(`#concernIds-${concernId}`)) ? `-${concernId}` : ''}`);
  await page.click('#consentConfirmed');
  await submit(page, send);
  t.match(new URL(page.url()).pathname, /^\/transfers\/\d+$/, 'the transfer page');
  return new URL(page.url()).pathname;
}

for (const javascript of [false, true]) {
  t.test(`a transfer to another unit with JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const site = await browserApp(t);
    const { db } = site;
    // Off: Ida's log (two concerns). On: Lise's log, given a second concern, as Ida's has been handed on.
    const child = javascript ? 'Lise' : 'Ida';
    const logId = (
      await db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .where('c.first_name', child)
        .where('l.status', 'active')
        .first('l.id')
    ).id as number;
    if (javascript) {
      await db('concerns').insert({
        log_id: logId,
        title: 'Lise er sliten i gymtimene.',
        position: 2,
        created_by: await userId(db, HOLDER),
      });
    }
    // The concern that goes is one the old holder has no measure in (else she stays an actor in the log).
    const ordered = await db('concerns').where({ log_id: logId }).orderBy('position').pluck('id');
    const [going, staying] = javascript ? [ordered[1], ordered[0]] : ordered;
    const holder = await site.newPage({ javascript });
    const leader = await site.newPage({ javascript });
    const teacher = await site.newPage({ javascript });
    await signInBrowser(holder, HOLDER);
    await signInBrowser(leader, LEADER);
    await signInBrowser(teacher, TEACHER);
    const before = await snapshot(db, logId);

    await t.test('withdrawn: everything as it was', async (t) => {
      const url = await sendTransfer(t, holder, site, logId, going!, true);
      await check(t, holder, 'transfer page, pending (holder)');
      await goto(holder, `/logs/${logId}`);
      t.match(
        await holder.$eval('#transfer', (e) => e.textContent ?? ''),
        /Loggen er sendt til lederen i Solbakken skole/,
      );
      await check(t, holder, 'log page with a pending transfer');
      await goto(holder, url);
      await submit(holder, `a[href="${url}/withdraw"]`);
      await check(t, holder, 'withdraw: confirm');
      await submit(holder, `form[action="${url}/withdraw"] button[type="submit"]`);
      t.equal(new URL(holder.url()).pathname, `/logs/${logId}`);
      t.equal(await holder.$('#transfer'), null, 'no pending transfer shown');
      t.same(await snapshot(db, logId), before);
    });

    await t.test('declined: everything as it was', async (t) => {
      const url = await sendTransfer(t, holder, site, logId, going!, false);
      await goto(leader, '/logs');
      t.match(await leader.$eval('main', (e) => e.textContent ?? ''), /Overføringer som venter på deg/);
      await check(t, leader, 'my logs with an incoming transfer (leader)');
      await submit(leader, `a[href="${url}"]`);
      await check(t, leader, 'transfer page (receiving leader)');
      await submit(leader, `a[href="${url}/decline"]`);
      const decline = `form[action="${url}/decline"] button[type="submit"]`;
      await submit(leader, decline);
      await check(t, leader, 'decline with an error');
      await leader.type('#declineReason', 'Vi har ikke kapasitet før jul.');
      await submit(leader, decline);
      t.match(await leader.$eval('main', (e) => e.textContent ?? ''), /Avslått av Lars Bakke/);
      await goto(holder, url);
      t.match(
        await holder.$eval('main', (e) => e.textContent ?? ''),
        /Vi har ikke kapasitet før jul\./,
        'the sender sees why',
      );
      await check(t, holder, 'transfer page, declined (holder)');
      t.same(await snapshot(db, logId), before);
    });

    await t.test(
      'the leader picks the holder, who accepts; the concern not chosen stays behind',
      async (t) => {
        const url = await sendTransfer(t, holder, site, logId, going!, false);
        await goto(leader, url);
        const nina = await userId(db, TEACHER);
        await leader.click(`#receiver-${nina}`);
        await submit(leader, `form[action="${url}/assign"] button[type="submit"]`);
        t.match(await leader.$eval('main', (e) => e.textContent ?? ''), /Nina Lund, Solbakken skole/);
        t.equal(
          (await db('logs').where({ id: logId }).first()).holder_id,
          await userId(db, HOLDER),
          'still pending: the old holder holds it',
        );

        await goto(teacher, '/logs');
        await check(t, teacher, 'my logs with a transfer to answer (new holder)');
        await submit(teacher, `a[href="${url}"]`);
        await check(t, teacher, 'transfer page (receiver)');
        const seen = await teacher.$eval('main', (e) => e.textContent ?? '');
        t.notMatch(seen, /Blir igjen/, 'the receiver does not see what stays behind');
        await submit(teacher, `form[action="${url}/accept"] button[type="submit"]`);
        t.equal(new URL(teacher.url()).pathname, `/logs/${logId}`, 'on the log, now its holder');
        t.match(await teacher.$eval('main', (e) => e.textContent ?? ''), /Nina Lund, Solbakken skole/);
        await check(t, teacher, 'log page (new holder)');

        const transfer = await db('transfers').where({ log_id: logId, status: 'accepted' }).first();
        t.same(
          await db('concerns').where({ log_id: logId }).pluck('id'),
          [going],
          'the chosen concern went along',
        );
        t.same(
          await db('concerns').where({ log_id: transfer.passive_log_id }).pluck('id'),
          [staying],
          'the other stayed behind',
        );
        await goto(holder, '/logs');
        const passive = await holder.$eval('#passive-logs + ul', (e) => e.innerHTML);
        t.match(passive, `href="/logs/${transfer.passive_log_id}"`, 'the old holder has the passive log');
        await check(t, holder, 'my logs after the transfer (old holder)');
        await goto(holder, `/logs/${transfer.passive_log_id}`);
        t.match(
          await holder.$eval('main', (e) => e.textContent ?? ''),
          /Oppmerksomheter som ble igjen ved en overføring/,
        );
        await check(t, holder, 'the passive log left behind (old holder)');
        const gone = await goto(holder, `/logs/${logId}`);
        t.equal(gone?.status(), 404, 'the old holder no longer reads the log handed on');
      },
    );
  });
}
