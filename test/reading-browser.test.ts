/**
 * How the pages read to a screen-reader user, a keyboard user and a family, in real Chromium with
 * JavaScript off and on (axe clean on every page state, and every page checked at 320 px by the
 * helpers):
 * - a failed post puts focus on the error summary when JavaScript runs; fields in error, and each of
 *   day, month and year of a date in error, are marked invalid and described by the message;
 * - the log page's headings mirror it: Oppmerksomheter → each concern → "Mål: …" → "Tiltak: …" →
 *   Tiltakstrapp; the session notice and dialog come after the page's own content; a measure visibly
 *   sits under its goal;
 * - the family page: "Hvem gjør hva" and "Tiltakstrapp" are headings; the young person is spoken to as
 *   "du"; holder, actor and family see the same status word for the same measure;
 * - the staff page of a unit does not scroll sideways at 320 px;
 * - the print says what its date is: when the goal should be reached.
 */
import t from 'tap';
import type { Page } from 'puppeteer';
import { translator } from '../src/i18n/index.js';
import {
  browserApp,
  expectAxeClean,
  goto,
  reflowProblem,
  signInBrowser,
  type BrowserApp,
} from './helpers/browser.js';
import { idaLogId } from './plan-fixture.js';

type Assert = Parameters<typeof expectAxeClean>[0];
const axe = (t: unknown, page: Page, label: string) => expectAxeClean(t as Assert, page, label);
const nb = translator('nb');

interface Heading {
  level: number;
  text: string;
  id: string;
}

/** The headings in main, in document order, with the text a screen reader reads. */
const headingsOf = (page: Page) =>
  page.$$eval('main h1, main h2, main h3, main h4, main h5, main h6', (all) =>
    all
      .filter((h) => h.closest('[hidden], dialog:not([open])') === null)
      .map((h) => ({
        level: Number(h.tagName.slice(1)),
        text: (h.textContent ?? '').replace(/\s+/g, ' ').trim(),
        id: h.id,
      })),
  );

/** No level is skipped going down, and the page starts with its one h1. */
function outlineProblems(headings: Heading[]): string[] {
  const problems: string[] = [];
  if (headings[0]?.level !== 1) problems.push(`the first heading is not the h1: ${headings[0]?.text}`);
  if (headings.filter((h) => h.level === 1).length !== 1) problems.push('not exactly one h1');
  headings.forEach((h, i) => {
    const before = headings[i - 1];
    if (before && h.level > before.level + 1)
      problems.push(`h${before.level} "${before.text}" is followed by h${h.level} "${h.text}"`);
  });
  return problems;
}

const mainText = (page: Page) => page.$eval('main', (m) => (m as HTMLElement).innerText.replace(/\s+/g, ' '));

async function submit(page: Page, selector = 'main form[novalidate] button[type="submit"]') {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function signedIn(site: BrowserApp, javascript: boolean, email: string) {
  const page = await site.newPage({ javascript });
  await signInBrowser(page, email);
  return page;
}

for (const javascript of [false, true]) {
  const js = `JavaScript ${javascript ? 'on' : 'off'}`;

  t.test(`${js}: a failed post is announced and its fields are marked`, async (t) => {
    const site = await browserApp(t);
    const page = await signedIn(site, javascript, 'stafettholder@stafett.example');
    await goto(page, '/logs/new');
    for (const part of ['day', 'month', 'year'])
      await page.$eval(`#consentValidUntil-${part}`, (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#childFirstName', 'Mira');
    await submit(page);
    t.match(await page.title(), /^Feil: /);

    const focused = await page.evaluate(() => document.activeElement?.id ?? '');
    if (javascript) t.equal(focused, 'error-summary', 'focus is on the error summary, as on GOV.UK');
    else t.not(focused, 'error-summary', 'without JavaScript the browser keeps its own focus');

    const summary = await page.$eval('#error-summary', (el) => (el as HTMLElement).innerText);
    t.match(summary, 'Skriv inn datoen samtykket gjelder til', 'the date error reads as a sentence');
    t.notMatch(summary, /Skriv inn samtykket gjelder til/);

    const field = await page.$eval('#childNationalId', (el) => ({
      invalid: el.getAttribute('aria-invalid'),
      describedBy: el.getAttribute('aria-describedby') ?? '',
    }));
    t.equal(field.invalid, 'true', 'a text field in error is aria-invalid');
    t.match(field.describedBy, /\bchildNationalId-error\b/);

    for (const part of ['day', 'month', 'year']) {
      const input = await page.$eval(`#consentValidUntil-${part}`, (el) => ({
        invalid: el.getAttribute('aria-invalid'),
        describedBy: (el.getAttribute('aria-describedby') ?? '').split(/\s+/),
      }));
      t.equal(input.invalid, 'true', `the ${part} of the date in error is aria-invalid`);
      t.ok(input.describedBy.includes('consentValidUntil-error'), `the ${part} is described by the error`);
    }
    const fine = await page.$eval('#childFirstName', (el) => [
      el.getAttribute('aria-invalid'),
      (el as HTMLInputElement).value,
    ]);
    t.same(fine, [null, 'Mira'], 'a field without an error is not marked, and keeps its text');
    await axe(t, page, 'create log with errors');

    // The error summary's link leads to the date's first field.
    await page.click('#error-summary a[href="#consentValidUntil-day"]');
    t.equal(await page.evaluate(() => document.activeElement?.id), 'consentValidUntil-day');
  });

  t.test(`${js}: the log page's headings mirror the page`, async (t) => {
    const site = await browserApp(t);
    const page = await signedIn(site, javascript, 'stafettholder@stafett.example');
    const logId = await idaLogId(site.db);
    // A staircase on one of Ida's measures.
    const measure = await site.db('measures').where({ log_id: logId }).orderBy('id').first('id');
    await site.db('measure_steps').insert(
      ['Ida går til porten.', 'Ida går inn alene.'].map((text, i) => ({
        measure_id: measure.id,
        position: i + 1,
        text,
        done: i === 0,
      })),
    );
    await goto(page, `/logs/${logId}`);
    const headings = await headingsOf(page);
    t.same(outlineProblems(headings), [], 'one h1 first, no level skipped');

    const concerns = headings.findIndex((h) => h.id === 'concerns');
    t.equal(headings[concerns]?.level, 2, '"Oppmerksomheter" is an h2');
    const concernTitles = await page.$$eval('main .concern > .card__header > .card__title', (all) =>
      all.map((h) => h.tagName),
    );
    t.ok(concernTitles.length >= 2, 'the log has concerns');
    t.ok(
      concernTitles.every((tag) => tag === 'H3'),
      'each concern is a level below "Oppmerksomheter"',
    );
    const goals = headings.filter((h) => /^goal-\d+-title$/.test(h.id));
    const measures = headings.filter((h) => /^measure-\d+-title$/.test(h.id));
    t.ok(goals.length >= 2 && measures.length >= 4, 'goals and measures are headings');
    t.ok(
      goals.every((h) => h.level === 4 && h.text.startsWith('Mål: ')),
      'a goal heading is an h4 that says "Mål:"',
    );
    t.ok(
      measures.every((h) => h.level === 5 && h.text.startsWith('Tiltak: ')),
      'a measure heading is an h5 that says "Tiltak:"',
    );
    t.ok(
      headings.some((h) => h.level === 6 && h.text === nb('measure.label.steps')),
      '"Tiltakstrapp" is a heading under its measure',
    );

    const order = await page.evaluate(() => {
      const main = document.querySelector('main')!;
      const h1 = main.querySelector('h1')!;
      const dialogTitle = document.getElementById('session-warning-title');
      const notice = document.getElementById('session-notice');
      const follows = (a: Node | null) =>
        a !== null && (h1.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
      return {
        first: main.firstElementChild?.id ?? main.firstElementChild?.tagName ?? '',
        dialogAfterH1: follows(dialogTitle),
        noticeAfterH1: follows(notice),
        noticeExists: notice !== null,
      };
    });
    t.ok(order.noticeExists, 'the page says when the session ends');
    t.not(order.first, 'session-notice', 'the session notice is not the first thing in main');
    t.ok(order.noticeAfterH1, 'the session notice comes after the h1');
    t.ok(order.dialogAfterH1, "the session dialog's heading comes after the page's h1");

    // A measure looks different from a goal and sits under it.
    const looks = await page.evaluate(() => {
      const goal = document.querySelector('.goal .goal__main')!;
      const measure = document.querySelector('.goal .goal__measures .measure')!;
      const g = getComputedStyle(goal);
      const m = getComputedStyle(measure);
      return {
        indent: measure.getBoundingClientRect().left - goal.getBoundingClientRect().left,
        sameAccent: g.borderTopColor === m.borderTopColor,
      };
    });
    t.ok(looks.indent >= 10, `a measure is indented under its goal (${looks.indent} px)`);
    t.notOk(looks.sameAccent, 'a measure has another accent colour than a goal');
    await axe(t, page, 'log page');

    if (javascript) {
      // The htmx answer to a failed inline edit: focus on its error summary, the field marked.
      const goalId = goals[0]!.id.replace(/-title$/, '').replace(/^goal-/, '');
      await page.waitForSelector(`#goal-${goalId}-main a[href$="/edit"]`, { visible: true });
      await page.click(`#goal-${goalId}-main a[href$="/edit"]`);
      await page.waitForSelector(`#goal-${goalId}-text`);
      await page.$eval(`#goal-${goalId}-text`, (el) => ((el as HTMLTextAreaElement).value = ''));
      await page.click(`#goal-${goalId}-main button[type="submit"]`);
      await page.waitForFunction(
        (id) => document.activeElement?.id === id,
        {},
        `goal-${goalId}-error-summary`,
      );
      t.equal(
        await page.$eval(`#goal-${goalId}-text`, (el) => el.getAttribute('aria-invalid')),
        'true',
        'after the swap the field in error is aria-invalid',
      );
      t.same(outlineProblems(await headingsOf(page)), [], 'the inline form keeps the outline');
      await axe(t, page, 'goal edit in place with errors');
    }
  });

  t.test(`${js}: family pages: headings, "du" to the young person, one set of status words`, async (t) => {
    const site = await browserApp(t);
    const logId = await idaLogId(site.db);
    const measure = await site.db('measures').where({ log_id: logId, responsible: 'guardians' }).first();
    await site.db('measure_steps').insert(
      ['Mor ringer legen.', 'Mor og Ida går til legen.'].map((text, i) => ({
        measure_id: measure.id,
        position: i + 1,
        text,
        done: false,
      })),
    );
    const actorMeasure = await site.db('measures').where({ log_id: logId, responsible: 'actor' }).first();
    const word = nb(`measure.status.${actorMeasure.status as 'ongoing'}`);

    const guardian = await signedIn(site, javascript, 'foresatt@stafett.example');
    await goto(guardian, `/logs/${logId}`);
    const headings = await headingsOf(guardian);
    t.same(outlineProblems(headings), [], 'one h1 first, no level skipped');
    t.ok(
      headings.some((h) => h.level === 5 && h.text === nb('family.whoDoesWhat')),
      '"Hvem gjør hva" is a heading under its goal',
    );
    t.ok(
      headings.some((h) => h.level === 6 && h.text === nb('measure.label.steps')),
      '"Tiltakstrapp" is a heading',
    );
    const familyItem = await guardian.$eval(`#measure-${actorMeasure.id}`, (el) => el.textContent ?? '');
    t.match(familyItem, word, `the family reads "${word}"`);
    await axe(t, guardian, 'family log page');

    const holder = await signedIn(site, javascript, 'stafettholder@stafett.example');
    await goto(holder, `/logs/${logId}`);
    const holderTag = await holder.$eval(`#measure-${actorMeasure.id} .card__header .tag`, (el) =>
      (el.textContent ?? '').trim(),
    );
    t.equal(holderTag, word, 'the holder reads the same word');

    const actor = await signedIn(site, javascript, 'aktor@stafett.example');
    await goto(actor, '/actor');
    t.match(await mainText(actor), `${word}`, 'the actor reads the same word');
    await goto(actor, `/logs/${logId}/measures/${actorMeasure.id}/follow-up`);
    t.match(await mainText(actor), word, 'also on the follow-up page');
    await axe(t, actor, 'actor follow-up');

    const youth = await signedIn(site, javascript, 'ungdom@stafett.example');
    await goto(youth, '/family');
    const youthLog = await youth.$eval('main h2 a', (a) => a.getAttribute('href') ?? '');
    await goto(youth, youthLog);
    const perLogId = Number(youthLog.split('/')[2]);
    const perMeasure = await site.db('measures').where({ log_id: perLogId }).first();
    // Make the measure due, so the question to the family is shown too.
    await site
      .db('measures')
      .where({ id: perMeasure.id })
      .update({ deadline: site.db.raw('current_date') });
    await goto(youth, youthLog);
    const text = await mainText(youth);
    t.match(text, nb('family.due.title.youth'), 'asked "Hva mener du"');
    t.notMatch(text, /\b(dere|deres|Dere|Deres)\b/, 'the young person is never spoken to as "dere"');
    t.same(outlineProblems(await headingsOf(youth)), [], 'the youth page has a sound outline');
    await axe(t, youth, 'youth log page');
  });

  t.test(`${js}: a unit's staff page fits 320 px; the print names the goal's date`, async (t) => {
    const site = await browserApp(t);
    const leader = await signedIn(site, javascript, 'leder@stafett.example');
    const unit = await site.db('units').where({ name: 'Solbakken skole' }).first('id');
    await goto(leader, `/units/${unit.id}/staff`);
    t.equal(await reflowProblem(leader), null, 'no sideways scrolling at 320 px');
    await axe(t, leader, 'staff page');

    const holder = await signedIn(site, javascript, 'stafettholder@stafett.example');
    const logId = await idaLogId(site.db);
    await goto(holder, `/logs/${logId}/print`);
    const print = await mainText(holder);
    t.match(print, `${nb('print.targetDate')}:`, 'the goal line says when the goal should be reached');
    t.notMatch(print, /Tidspunkt/);
  });
}
