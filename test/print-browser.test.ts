/**
 * The print pages in real Chromium with JavaScript off and on, axe on each: the HTML print view (also
 * as printed: no navigation or buttons), the archive of PDFs after making one, the meetings list, leaving
 * meeting mode, and the error page when no PDF can be made.
 */
import path from 'node:path';
import t from 'tap';
import type { Page } from 'puppeteer';
import { browserApp, expectAxeClean, goto, signInBrowser } from './helpers/browser.js';
import { idaLogId } from './plan-fixture.js';

const shots = process.env.SCREENSHOTS ?? '';

async function submit(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

for (const javascript of [false, true]) {
  t.test(`print pages, JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const site = await browserApp(t);
    const logId = await idaLogId(site.db);
    const page = await site.newPage({ javascript });
    await page.setViewport({ width: 1024, height: 800 });
    await signInBrowser(page, 'stafettholder@stafett.example');

    await goto(page, `/logs/${logId}`);
    await expectAxeClean(t, page, 'log page with the meetings box');
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/logs/${logId}/print"]`)]);
    t.match(await page.$eval('h1', (h) => h.textContent ?? ''), /Stafettlogg for Ida Hagen/);
    await expectAxeClean(t, page, 'HTML print view');
    await page.emulateMediaType('print');
    const hidden = await page.$$eval(
      'nav, .header__tools, .print-toolbar, .button, .skip-link, .session-notice',
      (els) => els.every((el) => getComputedStyle(el).display === 'none'),
    );
    t.ok(hidden, 'printed: no navigation, toolbar or buttons');
    if (shots)
      await page.screenshot({
        path: path.join(shots, `print-view-${javascript ? 'js' : 'nojs'}.png`),
        fullPage: true,
      });
    await page.emulateMediaType('screen');

    await submit(page, `form[action="/logs/${logId}/prints"] button`);
    t.equal(new URL(page.url()).pathname, `/logs/${logId}/prints`);
    t.match(await page.$eval('.status-banner', (el) => el.textContent ?? ''), /PDF-en er laget og lagret/);
    await expectAxeClean(t, page, 'PDF archive, just made');

    await goto(page, `/logs/${logId}/meetings`);
    await expectAxeClean(t, page, 'meetings list');

    const [meeting] = await site
      .db('meetings')
      .insert({
        log_id: logId,
        starts_at: new Date(),
        purpose: 'Oppfølging',
        status: 'running',
        current_phase: 'closing',
        started_at: new Date(),
        created_by: (await site.db('users').where({ email: 'stafettholder@stafett.example' }).first('id')).id,
      })
      .returning('id');
    await goto(page, `/logs/${logId}/meetings/${meeting.id}/mode`);
    await expectAxeClean(t, page, 'meeting mode, closing');
    await Promise.all([
      page.waitForNavigation(),
      page.click(`a[href="/logs/${logId}/meetings/${meeting.id}/mode/leave"]`),
    ]);
    await expectAxeClean(t, page, 'leave meeting mode?');
    await Promise.all([
      page.waitForNavigation(),
      page.click(`a[href="/logs/${logId}/meetings/${meeting.id}/mode"]`),
    ]);
    t.equal(
      new URL(page.url()).pathname,
      `/logs/${logId}/meetings/${meeting.id}/mode`,
      'staying is one click',
    );
    await Promise.all([
      page.waitForNavigation(),
      page.click(`a[href="/logs/${logId}/meetings/${meeting.id}/evaluation"]`),
    ]);
    await submit(page, `form[action$="/evaluation"] button[type="submit"]`);
    t.match(await page.title(), /^Feil: /);
    await expectAxeClean(t, page, 'family evaluation with errors');
    await site.db('meetings').where({ id: meeting.id }).update({ status: 'closed' });
  });
}

t.test('the error page when no PDF can be made', async (t) => {
  const site = await browserApp(t, { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' });
  const logId = await idaLogId(site.db);
  const page = await site.newPage({ javascript: false });
  await signInBrowser(page, 'stafettholder@stafett.example');
  await goto(page, `/logs/${logId}/print`);
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.click(`form[action="/logs/${logId}/prints"] button`),
  ]);
  t.equal(response?.status(), 503);
  await expectAxeClean(t, page, 'PDF failed');
  await Promise.all([page.waitForNavigation(), page.click(`a.button[href="/logs/${logId}/print"]`)]);
  t.equal(new URL(page.url()).pathname, `/logs/${logId}/print`, 'the HTML print view instead');
});
