/**
 * The meeting journey in real Chromium, with JavaScript off and on: the holder plans a meeting in Ida's
 * log, runs it in meeting mode (axe clean, no link out of the log, no identity number), adds a measure
 * from it, records agreements and the family's evaluation, closes it and downloads the PDF.
 * SCREENSHOTS=<folder> saves the meeting mode and the closed page as PNGs for a look.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { Page } from 'puppeteer';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import { browserApp, expectAxeClean, goto, pageProblems, signInBrowser } from './helpers/browser.js';
import { idaLogId } from './plan-fixture.js';

const shots = process.env.SCREENSHOTS ?? '';

async function submit(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

/**
 * Moves to a phase: without JavaScript the form posts and the page loads again; with it htmx swaps the
 * meeting part in place (no navigation) and focus goes to the phase's heading.
 */
async function toPhase(page: Page, phase: string, javascript: boolean) {
  const button = `button[name="phase"][value="${phase}"]`;
  if (!javascript) return submit(page, button);
  await page.click(button);
  await page.waitForFunction(
    (p) =>
      document.querySelector('#meeting-phase')?.getAttribute('data-phase') === p &&
      document.activeElement?.id === 'meeting-phase-title',
    { timeout: 10_000 },
    phase,
  );
}

async function fill(page: Page, selector: string, value: string) {
  await page.$eval(selector, (el) => {
    (el as HTMLInputElement).value = '';
  });
  await page.type(selector, value);
}

/**
 * Every link and form target on the page, except in-page anchors and the session warning's "continue"
 * (it extends the session and comes back to the same page).
 */
async function targets(page: Page): Promise<string[]> {
  return page.$$eval('a[href], form[action]', (els) =>
    els
      .map((el) => el.getAttribute(el.tagName === 'A' ? 'href' : 'action') ?? '')
      .filter((h) => !h.startsWith('#') && h !== '/session/extend'),
  );
}

for (const javascript of [false, true]) {
  t.test(`a meeting from plan to PDF, JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const site = await browserApp(t);
    const logId = await idaLogId(site.db);
    const nationalId = (
      await site
        .db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .where('l.id', logId)
        .first('c.national_id')
    ).national_id as string;
    const page = await site.newPage({ javascript });
    await page.setViewport({ width: 1280, height: 900 });
    await signInBrowser(page, 'stafettholder@stafett.example');

    // ---- plan the meeting from the log page ----
    await goto(page, `/logs/${logId}`);
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/logs/${logId}/meetings/new"]`)]);
    await expectAxeClean(t, page, 'plan a meeting');
    await submit(page, 'form[action$="/meetings"] button[type="submit"]');
    t.match(await page.title(), /^Feil: /, 'an empty form comes back with errors');
    await expectAxeClean(t, page, 'plan a meeting, errors');
    const day = isoToParts(addDays(osloDate(new Date()), 2));
    await fill(page, '#date-day', day.day);
    await fill(page, '#date-month', day.month);
    await fill(page, '#date-year', day.year);
    await fill(page, '#dateTime', '13:30');
    await fill(page, '#place', 'Møterom 2, Solbakken skole');
    await fill(page, '#purpose', 'Se på fraværet sammen og avtale tiltak.');
    await fill(page, '#otherName1', 'Kari Berg');
    await fill(page, '#otherRole1', 'PPT-rådgiver');
    await submit(page, 'form[action$="/meetings"] button[type="submit"]');
    t.match(
      new URL(page.url()).pathname,
      new RegExp(`^/logs/${logId}/meetings/\\d+$`),
      'lands on the meeting page',
    );
    const meetingPath = new URL(page.url()).pathname;
    t.match(await page.$eval('main', (m) => m.textContent ?? ''), /Kari Berg, PPT-rådgiver/);
    await expectAxeClean(t, page, 'meeting page');

    // ---- meeting mode ----
    await submit(page, `form[action="${meetingPath}/start"] button`);
    t.equal(new URL(page.url()).pathname, `${meetingPath}/mode`);
    const checkMode = async (label: string) => {
      t.equal(await page.$eval('body', (b) => b.className), 'meeting-mode', `${label}: meeting mode layout`);
      t.equal(await page.$('header, nav.nav, footer'), null, `${label}: no header, navigation or footer`);
      const inLog = (h: string) =>
        h === `/logs/${logId}` ||
        (/^[/#?]/.test(h.slice(`/logs/${logId}`.length)) && h.startsWith(`/logs/${logId}`));
      const outside = (await targets(page)).filter((h) => !inLog(h));
      t.same(outside, [], `${label}: no link or form leads out of the log`);
      const text = await page.$eval('body', (b) => b.innerText);
      t.notOk(text.includes(nationalId), `${label}: no identity number`);
      await expectAxeClean(t, page, label);
    };
    await checkMode('meeting mode, welcome');
    t.match(
      await page.$eval('[aria-current="step"]', (el) => el.textContent ?? ''),
      /Velkommen/,
      'the current phase is marked',
    );
    if (shots)
      await page.screenshot({
        path: path.join(shots, `meeting-mode-${javascript ? 'js' : 'nojs'}.png`),
        fullPage: false,
      });
    await page.setViewport({ width: 320, height: 640 });
    t.ok(
      await page.evaluate(() => document.documentElement.scrollWidth <= 320),
      'no horizontal scrolling at 320 px',
    );
    await page.setViewport({ width: 1280, height: 900 });
    await toPhase(page, 'current_situation', javascript);
    await toPhase(page, 'concerns_goals', javascript);
    await toPhase(page, 'measures', javascript);
    t.match(await page.$eval('#meeting-phase-title', (el) => el.textContent ?? ''), /Valg av tiltak/);

    // ---- a measure from meeting mode, with the plan's own form ----
    const goalId = await page.$eval('section.goal', (el) => el.id.replace('goal-', ''));
    await Promise.all([
      page.waitForNavigation(),
      page.click(`a[href="/logs/${logId}/goals/${goalId}/measures/new"]`),
    ]);
    await checkMode('new measure, in meeting mode');
    const deadline = isoToParts(addDays(osloDate(new Date()), 21));
    await page.type('#measure-new-text', 'Mor og Ida går sammen til skolen mandag morgen.');
    await page.click('input[name="responsible"][value="guardians"]');
    await page.type('input[name="deadline_day"]', deadline.day);
    await page.type('input[name="deadline_month"]', deadline.month);
    await page.type('input[name="deadline_year"]', deadline.year);
    await submit(page, `form[action="/logs/${logId}/goals/${goalId}/measures"] button[type="submit"]`);
    const back = new URL(page.url());
    t.equal(back.pathname, `${meetingPath}/mode`, 'after saving, back in meeting mode');
    t.match(back.hash, /^#measure-\d+$/, 'at the new measure');
    t.match(
      await page.$eval('.meeting-plan', (el) => el.textContent ?? ''),
      /Mor og Ida går sammen til skolen mandag morgen\./,
    );

    if (javascript) {
      // The same inline editing as on the log page: the goal's form swaps in and out in place.
      await page.click(`#goal-${goalId}-main .card__actions a[data-hx-get]`);
      await page.waitForSelector(`#goal-${goalId}-main form`);
      t.equal(new URL(page.url()).pathname, `${meetingPath}/mode`, 'inline edit stays on the page');
      await expectAxeClean(t, page, 'meeting mode, goal edited inline');
      await page.click(`#goal-${goalId}-main form button[type="submit"]`);
      const focused = await page
        .waitForFunction((id) => document.activeElement?.id === id, { timeout: 5000 }, `goal-${goalId}-title`)
        .then(
          () => true,
          () => false,
        );
      t.ok(focused, 'after saving, focus is on the saved goal');
    }

    // ---- summary: agreements and the next meeting ----
    await toPhase(page, 'summary', javascript);
    const next = isoToParts(addDays(osloDate(new Date()), 30));
    await page.type('#agreements', 'Skolen sender fraværsoversikt hver fredag.');
    await page.type('#next-day', next.day);
    await page.type('#next-month', next.month);
    await page.type('#next-year', next.year);
    await page.type('#nextTime', '9');
    await submit(page, `form[action="${meetingPath}/agreements"] button`);
    t.match(await page.$eval('.status-banner', (el) => el.textContent ?? ''), /Avtalene er lagret/);
    await checkMode('meeting mode, summary');
    if (shots)
      await page.screenshot({
        path: path.join(shots, `meeting-summary-${javascript ? 'js' : 'nojs'}.png`),
        fullPage: true,
      });

    // ---- closing: the family's evaluation, then close and print ----
    await toPhase(page, 'closing', javascript);
    await Promise.all([page.waitForNavigation(), page.click(`a[href="${meetingPath}/evaluation"]`)]);
    await checkMode('family evaluation');
    await page.click('input[name="respondent"][value="guardian"]');
    await page.click('input[name="said_what_wanted"][value="5"]');
    await page.click('input[name="respected"][value="4"]');
    await page.type('#couldBeDifferent', 'Litt kortere møte neste gang.');
    await submit(page, `form[action="${meetingPath}/evaluation"] button[type="submit"]`);
    t.match(await page.$eval('.status-banner', (el) => el.textContent ?? ''), /Evalueringen er lagret/);
    await Promise.all([page.waitForNavigation(), page.click(`a[href="${meetingPath}/close"]`)]);
    await checkMode('close the meeting');
    await submit(page, `form[action="${meetingPath}/close"] button[type="submit"]`);
    t.equal(new URL(page.url()).pathname, `${meetingPath}/closed`);
    await checkMode('meeting closed');
    if (shots)
      await page.screenshot({ path: path.join(shots, `meeting-closed-${javascript ? 'js' : 'nojs'}.png`) });

    // ---- the PDF, offered at once ----
    const href = await page.$eval('#download-pdf', (a) => a.getAttribute('href') ?? '');
    const cookie = (await page.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const response = await fetch(new URL(href, site.baseUrl), { headers: { cookie } });
    t.equal(response.status, 200);
    t.equal(response.headers.get('content-type'), 'application/pdf');
    t.match(
      response.headers.get('content-disposition') ?? '',
      /^attachment; filename="stafett-plan-\d+-\d{4}-\d{2}-\d{2}-mote\.pdf"$/,
    );
    const pdf = Buffer.from(await response.arrayBuffer());
    const folder = mkdtempSync(path.join(os.tmpdir(), 'stafett-meeting-pdf-'));
    try {
      writeFileSync(path.join(folder, 'plan.pdf'), pdf);
      const text = execFileSync('pdftotext', ['-raw', path.join(folder, 'plan.pdf'), '-'], {
        encoding: 'utf8',
      }).replace(/\s+/g, ' ');
      t.match(
        text,
        /Mor og Ida går sammen til skolen mandag morgen\./,
        'the measure added in the meeting is in the PDF',
      );
      t.match(text, /Skolen sender fraværsoversikt hver fredag\./, "the meeting's agreements are in the PDF");
      t.match(text, /Kari Berg, PPT-rådgiver/, 'participants are in the PDF');
      t.notOk(text.includes(nationalId), 'no identity number in the PDF');
      if (shots) writeFileSync(path.join(shots, `meeting-${javascript ? 'js' : 'nojs'}.pdf`), pdf);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }

    // ---- leaving meeting mode is a deliberate action ----
    await submit(page, `form[action="${meetingPath}/mode/leave"] button`);
    t.equal(new URL(page.url()).pathname, meetingPath);
    t.not(await page.$('header'), null, 'outside meeting mode the header is back');
    await goto(page, `/logs/${logId}`);
    t.equal(new URL(page.url()).pathname, `/logs/${logId}`, 'the log page is the log page again');
    // The drafts feature saves typed text in the background; a save cut short by a page change is not ours.
    const problems = pageProblems(page).filter((p) => !/^request failed: .*\/drafts$/.test(p));
    t.same(problems, [], 'no script errors, CSP refusals or failed requests');
  });
}
