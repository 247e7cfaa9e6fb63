/**
 * The relay's other pages in real Chromium, JavaScript off and on, axe on each page and error state:
 * close (holder), reopen and delete (leader) and the archive of deleted logs, new consent, withdrawal of
 * consent (guardian), export, and import (upload, bad file, consent form). Set RELAY_SCREENSHOTS=<folder>
 * to keep a picture of each page.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { Page } from 'puppeteer';
import { Agent, signIn } from './helpers/app.js';
import { browserApp, expectAxeClean, goto, pageProblems, signInBrowser } from './helpers/browser.js';

type Assert = Parameters<typeof expectAxeClean>[0];
const EXPECTED = /^request failed: .*\/drafts$/;

async function submit(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function check(test: unknown, page: Page, label: string) {
  const t = test as Assert & { same(a: unknown, b: unknown, m?: string): unknown };
  const shots = process.env.RELAY_SCREENSHOTS;
  if (shots) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const name = `${page.isJavaScriptEnabled() ? 'js' : 'nojs'}-${label.replace(/\W+/g, '-')}.png`;
    await page.screenshot({
      path: path.join(shots, name),
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

for (const javascript of [false, true]) {
  t.test(`relay pages with JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const site = await browserApp(t);
    const { db } = site;
    // Off: Ella's log (held by Nina Lund); on: Noah's (held by Siri Dahl). Both at Solbakken skole, led by Lars Bakke.
    const child = javascript ? 'Noah' : 'Ella';
    const holderEmail = javascript ? 'superbruker@stafett.example' : 'laerer@stafett.example';
    const logId = (
      await db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .where('c.first_name', child)
        .first('l.id')
    ).id as number;
    const holder = await site.newPage({ javascript });
    const leader = await site.newPage({ javascript });
    const guardian = await site.newPage({ javascript });
    await signInBrowser(holder, holderEmail);
    await signInBrowser(leader, 'leder@stafett.example');
    await signInBrowser(guardian, 'foresatt@stafett.example');

    await t.test('export, with its errors', async (t) => {
      await goto(holder, `/logs/${logId}`);
      await submit(holder, `a[href="/logs/${logId}/export"]`);
      await check(t, holder, 'export');
      await submit(holder, '#download-json');
      t.equal(await holder.$$eval('#error-summary a', (a) => a.length), 3);
      await check(t, holder, 'export with errors');
    });

    await t.test('import: upload, a bad file, then the consent form with its errors', async (t) => {
      const agent = new Agent(site.app);
      await signIn(agent, holderEmail);
      await agent.get(`/logs/${logId}/export`);
      const concernIds = await db('concerns').where({ log_id: logId }).pluck('id');
      const body = new URLSearchParams({
        _csrf: agent.csrfToken,
        reason: 'Familien flytter.',
        consentConfirmed: 'yes',
        download: 'json',
      });
      for (const id of concernIds) body.append('concernIds', String(id));
      const exported = await site.app.inject({
        method: 'POST',
        url: `/logs/${logId}/export`,
        headers: { cookie: agent.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      });
      const folder = await mkdtemp(path.join(os.tmpdir(), 'relay-'));
      const good = path.join(folder, 'eksport.json');
      const bad = path.join(folder, 'feil.json');
      await writeFile(good, exported.body);
      await writeFile(bad, '{"format":"annet"}');

      await goto(holder, '/logs');
      await submit(holder, 'a[href="/logs/import"]');
      await check(t, holder, 'import: upload');
      const input = await holder.$('#file');
      await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(bad);
      await submit(holder, 'form[action="/logs/import"] button[type="submit"]');
      t.match(
        await holder.$eval('#error-summary', (e) => e.textContent ?? ''),
        /ikke en eksportfil fra Stafett/,
      );
      await check(t, holder, 'import: a bad file');
      const again = await holder.$('#file');
      await (again as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(good);
      await submit(holder, 'form[action="/logs/import"] button[type="submit"]');
      t.match(new URL(holder.url()).pathname, /^\/logs\/import\/[0-9a-f-]{36}$/);
      await check(t, holder, 'import: consent form');
      await submit(holder, 'main form[action^="/logs/import/"] button[type="submit"]');
      t.ok((await holder.$$eval('#error-summary a', (a) => a.length)) >= 3, 'errors for the missing fields');
      await check(t, holder, 'import: consent form with errors');
    });

    await t.test("new consent, with its errors; the guardian's withdrawal page", async (t) => {
      await goto(holder, `/logs/${logId}/consents/new`);
      await check(t, holder, 'new consent');
      await holder.$eval('#consentGivenOn-day', (e) => ((e as HTMLInputElement).value = ''));
      await submit(holder, `form[action="/logs/${logId}/consents"] button[type="submit"]`);
      await check(t, holder, 'new consent with errors');
      const ida = (
        await db('logs as l')
          .join('children as c', 'c.id', 'l.child_id')
          .where('c.first_name', 'Ida')
          .first('l.id')
      ).id;
      await goto(guardian, `/logs/${ida}/consents/withdraw`);
      await check(t, guardian, 'withdraw consent (guardian)');
      await goto(holder, `/logs/${logId}/consents/withdraw`);
      await submit(holder, `form[action="/logs/${logId}/consents/withdraw"] button[type="submit"]`);
      await check(t, holder, 'withdraw consent (holder) with an error');
    });

    await t.test('close, with its errors; reopen; close again; delete; the archive', async (t) => {
      await goto(holder, `/logs/${logId}`);
      await submit(holder, `a[href="/logs/${logId}/close"]`);
      await check(t, holder, 'close');
      const close = `form[action="/logs/${logId}/close"] button[type="submit"]`;
      await submit(holder, close);
      await check(t, holder, 'close with errors');
      await holder.type('#reason', 'Familien og skolen er enige om at loggen kan avsluttes.');
      await holder.click('#agreed');
      await submit(holder, close);
      await check(t, holder, 'the closed log (holder)');

      await goto(leader, `/logs/${logId}`);
      await check(t, leader, 'the closed log (leader)');
      await submit(leader, `a[href="/logs/${logId}/reopen"]`);
      await check(t, leader, 'reopen');
      await submit(leader, `form[action="/logs/${logId}/reopen"] button[type="submit"]`);
      await check(t, leader, 'reopen with errors');
      await leader.click('#consentBy');
      await leader.type('#consentName', 'Geir Berg');
      await leader.click('#consentServices-school');
      await leader.click('#consentConfirmed');
      await submit(leader, `form[action="/logs/${logId}/reopen"] button[type="submit"]`);
      t.equal(new URL(leader.url()).pathname, `/logs/${logId}`);
      t.equal((await db('logs').where({ id: logId }).first()).status, 'active', 'reopened');

      await goto(holder, `/logs/${logId}/close`);
      await holder.type('#reason', 'Avsluttet igjen.');
      await holder.click('#agreed');
      await submit(holder, close);
      await goto(leader, `/logs/${logId}`);
      await submit(leader, `a[href="/logs/${logId}/delete"]`);
      await check(t, leader, 'delete: confirm');
      await submit(leader, `form[action="/logs/${logId}/delete"] button[type="submit"]`);
      t.equal(new URL(leader.url()).pathname, '/archive');
      t.match(await leader.$eval('main', (e) => e.textContent ?? ''), new RegExp(`${child} `));
      await check(t, leader, 'the archive of deleted logs');
    });
  });
}
