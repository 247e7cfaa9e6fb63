/**
 * Meetings in real Chromium, JavaScript off and on, axe clean: the holder plans a meeting with the child
 * as a participant, cancels it with a reason (a missing reason comes back with the error beside the
 * field), and in meeting mode moves between phases — with JavaScript the page is not reloaded and focus
 * goes to the new phase; without it the form posts and the page loads again.
 */
import t from 'tap';
import type { Page } from 'puppeteer';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import { browserApp, expectAxeClean, goto, pageProblems, signInBrowser } from './helpers/browser.js';
import { idaLogId } from './plan-fixture.js';

async function submit(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function planMeeting(page: Page, logId: number, days: number, child: boolean): Promise<string> {
  await goto(page, `/logs/${logId}/meetings/new`);
  const day = isoToParts(addDays(osloDate(new Date()), days));
  await page.type('#date-day', day.day);
  await page.type('#date-month', day.month);
  await page.type('#date-year', day.year);
  await page.type('#dateTime', '13:30');
  await page.type('#place', 'Møterom 2, Solbakken skole');
  await page.type('#purpose', 'Se på skoledagen sammen.');
  if (child) await page.click('#child');
  await submit(page, 'form[action$="/meetings"] button[type="submit"]');
  return new URL(page.url()).pathname;
}

const noReflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= 320);

for (const javascript of [false, true]) {
  t.test(
    `cancel a meeting, the child taking part, phases — JavaScript ${javascript ? 'on' : 'off'}`,
    async (t) => {
      const site = await browserApp(t);
      // The tests share one database: no meeting left running by an earlier test.
      await site.db('meetings').where({ status: 'running' }).update({ status: 'closed' });
      const logId = await idaLogId(site.db);
      const page = await site.newPage({ javascript });
      await page.setViewport({ width: 1280, height: 900 });
      await signInBrowser(page, 'stafettholder@stafett.example');

      // ---- the child as a participant ----
      await goto(page, `/logs/${logId}/meetings/new`);
      t.match(await page.$eval('#child-hint', (el) => el.textContent ?? ''), /fra 1\. klasse/);
      await expectAxeClean(t, page, 'plan a meeting, with the child');
      const meetingPath = await planMeeting(page, logId, 3, true);
      t.match(meetingPath, new RegExp(`^/logs/${logId}/meetings/\\d+$`));
      t.match(
        await page.$eval('main', (m) => m.textContent ?? ''),
        /Ida, barnet \/ eleven/,
        'the child takes part',
      );

      // ---- cancel it ----
      await submit(page, `a[href="${meetingPath}/cancel"]`);
      await expectAxeClean(t, page, 'cancel a meeting');
      await submit(page, `form[action="${meetingPath}/cancel"] button[type="submit"]`);
      t.match(await page.title(), /^Feil: /, 'no reason: back with an error');
      t.match(await page.$eval('#reason-error', (el) => el.textContent ?? ''), /Skriv hvorfor møtet avlyses/);
      await expectAxeClean(t, page, 'cancel a meeting, error');
      await page.type('#reason', 'Foresatte er bortreist.');
      await submit(page, `form[action="${meetingPath}/cancel"] button[type="submit"]`);
      t.equal(new URL(page.url()).pathname, meetingPath, 'back on the meeting page');
      const text = await page.$eval('main', (m) => m.textContent ?? '');
      t.match(text, /Møtet er avlyst/);
      t.match(text, /Foresatte er bortreist\./);
      t.equal(await page.$(`form[action="${meetingPath}/start"]`), null, 'no start button any more');
      await expectAxeClean(t, page, 'a cancelled meeting');
      await page.setViewport({ width: 320, height: 640 });
      t.ok(await noReflow(page), 'no horizontal scrolling at 320 px');
      await page.setViewport({ width: 1280, height: 900 });

      // ---- phases in meeting mode ----
      const running = await planMeeting(page, logId, 1, false);
      await submit(page, `form[action="${running}/start"] button`);
      t.equal(new URL(page.url()).pathname, `${running}/mode`);
      await page.evaluate(() => {
        (window as unknown as { notReloaded: boolean }).notReloaded = true;
      });
      const button = 'button[name="phase"][value="current_situation"]';
      if (javascript) {
        await page.click(button);
        await page.waitForFunction(
          () =>
            document.querySelector('#meeting-phase')?.getAttribute('data-phase') === 'current_situation' &&
            document.activeElement?.id === 'meeting-phase-title',
          { timeout: 10_000 },
        );
        t.equal(
          await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded ?? false),
          true,
          'the page was not reloaded',
        );
        t.pass('focus is on the new phase');
      } else {
        await submit(page, button);
        t.equal(
          await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded ?? false),
          false,
          'the page loaded again',
        );
        t.match(new URL(page.url()).pathname, /\/mode$/);
      }
      t.match(await page.$eval('#meeting-phase-title', (el) => el.textContent ?? ''), /Nåsituasjon|Fase 2/);
      t.match(
        await page.$eval('[aria-current="step"]', (el) => el.textContent ?? ''),
        /./,
        'the step is marked',
      );
      await expectAxeClean(t, page, 'meeting mode after a phase change');
      await page.setViewport({ width: 320, height: 640 });
      t.ok(await noReflow(page), 'no horizontal scrolling at 320 px');

      await goto(page, `${running}/mode/leave`);
      await submit(page, `form[action="${running}/mode/leave"] button[type="submit"]`);
      await site.db('meetings').where({ status: 'running' }).update({ status: 'closed' });
      t.same(pageProblems(page), [], 'no script errors or failed requests');
    },
  );
}
