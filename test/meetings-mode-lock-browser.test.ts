/**
 * Meeting mode on the projector, in real Chromium with JavaScript off and on: nothing of the session is
 * shown (no notice, no timeout warning: with JavaScript the page keeps the session alive instead, here
 * with a one-minute idle limit so the warning would come within seconds), a typed address lands on the
 * meeting-mode page, and axe finds nothing. After leaving, the notice is back.
 */
import t from 'tap';
import type { Page } from 'puppeteer';
import { addDays, osloDate } from '../src/lib/dates.js';
import { browserApp, expectAxeClean, goto, pageProblems, signInBrowser } from './helpers/browser.js';
import { HOLDER, idaLogId } from './plan-fixture.js';

async function submit(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}
const path = (page: Page) => new URL(page.url()).pathname;
const visible = (page: Page, selector: string) =>
  page.$eval(selector, (el) => {
    const box = (el as HTMLElement).getBoundingClientRect();
    return !(el as HTMLElement).hidden && box.width > 0 && box.height > 0;
  });

for (const javascript of [false, true]) {
  t.test(`meeting mode shows nothing of the session, JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const site = await browserApp(t, { SESSION_IDLE_MINUTES: '1' });
    await site.db('meetings').where({ status: 'running' }).update({ status: 'closed' });
    const logId = await idaLogId(site.db);
    const holder = await site.db('users').where({ email: HOLDER }).first('id');
    const [meeting] = await site
      .db('meetings')
      .insert({
        log_id: logId,
        starts_at: new Date(`${addDays(osloDate(site.clock.now()), 0)}T08:00:00Z`),
        duration_minutes: 60,
        purpose: 'Se på fraværet sammen.',
        place: 'Møterom 2',
        created_by: holder.id,
      })
      .returning('id');
    const base = `/logs/${logId}/meetings/${meeting.id}`;
    const page = await site.newPage({ javascript });
    await signInBrowser(page, HOLDER);
    await goto(page, base);
    t.ok(await visible(page, '#session-notice'), 'before meeting mode, the session notice is shown');
    await submit(page, `form[action="${base}/start"] button[type="submit"]`);
    t.equal(path(page), `${base}/mode`);
    t.equal(await visible(page, '#session-notice'), false, 'no session notice on the projector');
    t.equal(
      await page.$eval('#session-warning', (d) => (d as HTMLDialogElement).open),
      false,
      'no timeout warning',
    );
    await expectAxeClean(t, page, 'meeting mode');
    if (javascript) {
      // The warning would open 5 seconds after the page with this idle limit: the page extends instead.
      const extended = await page.waitForResponse((r) => r.url().endsWith('/session/extend'), {
        timeout: 15_000,
      });
      t.equal(extended.status(), 200, 'the session is kept alive in the background');
      t.equal(
        await page.$eval('#session-warning', (d) => (d as HTMLDialogElement).open),
        false,
        'and the warning stays closed',
      );
      t.equal(await visible(page, '#session-notice'), false);
    }

    for (const typed of ['/logs', '/', `/logs/${logId}/audit`]) {
      await goto(page, typed);
      t.equal(path(page), `${base}/mode`, `${typed} answers with the meeting-mode page`);
    }
    await expectAxeClean(t, page, 'meeting mode after a typed address');

    await goto(page, `${base}/mode/leave`);
    await submit(page, `form[action="${base}/mode/leave"] button[type="submit"]`);
    await goto(page, '/logs');
    t.equal(path(page), '/logs', 'after leaving, addresses work again');
    t.ok(await visible(page, '#session-notice'), 'and the session notice is back');
    t.same(
      pageProblems(page).filter((p) => !/^request failed: .*\/drafts$/.test(p)),
      [],
      'no script errors, CSP refusals or failed requests',
    );
  });
}
