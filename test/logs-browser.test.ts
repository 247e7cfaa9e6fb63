/**
 * A new log from nothing, in real Chromium with JavaScript off and on: the create form (with its error
 * state), consent, a concern, two goals and three measures (service, home, child); with JavaScript a
 * goal is then edited in place. axe-core finds nothing on any page or state.
 */
import t from 'tap';
import type { Page } from 'puppeteer';
import { syntheticNationalId } from '../seeds/01_organisation.js';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import { browserApp, expectAxeClean, goto, signInBrowser } from './helpers/browser.js';
import { userId } from './plan-fixture.js';

type Assert = Parameters<typeof expectAxeClean>[0];
const axe = (t: unknown, page: Page, label: string) => expectAxeClean(t as Assert, page, label);

async function submit(page: Page) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click('main form[novalidate] button[type="submit"]'),
  ]);
}

async function typeDate(page: Page, name: string, iso: string, separator = '-') {
  const parts = isoToParts(iso);
  for (const [part, value] of [
    ['day', parts.day],
    ['month', parts.month],
    ['year', parts.year],
  ] as const) {
    const selector =
      separator === '-' ? `#${name}-${part}` : part === 'day' ? `#${name}` : `#${name}-${part}`;
    await page.$eval(selector, (el) => ((el as HTMLInputElement).value = ''));
    await page.type(selector, value);
  }
}

const hashId = (page: Page, prefix: string) => Number(new URL(page.url()).hash.replace(`#${prefix}-`, ''));

for (const javascript of [false, true]) {
  t.test(`a new log, end to end, with JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const site = await browserApp(t);
    const page = await site.newPage({ javascript });
    const today = osloDate(site.clock.now());
    const first = javascript ? 'Mira' : 'Jonas';
    await signInBrowser(page, 'stafettholder@stafett.example');

    await goto(page, '/logs');
    await axe(t, page, 'my logs');
    await Promise.all([page.waitForNavigation(), page.click('main a[href="/logs/new"]')]);
    await axe(t, page, 'create log');
    await page.$eval('#consentValidUntil-day', (el) => ((el as HTMLInputElement).value = ''));
    await submit(page);
    t.match(await page.title(), /^Feil: /, 'errors are in the title');
    t.ok(await page.$('#error-summary a[href="#childNationalId"]'), 'the summary links to the field');
    await axe(t, page, 'create log with errors');

    await page.type('#childNationalId', syntheticNationalId('2016-09-14', javascript ? 40 : 41));
    await page.type('#childFirstName', first);
    await page.type('#childLastName', 'Nyhus');
    await page.type('#guardian1Name', 'Liv Nyhus');
    await page.type('#guardian1Email', `liv.nyhus.${javascript ? 'on' : 'off'}@example.com`);
    await page.click('#level-2');
    await page.click('#consentBy');
    await page.type('#consentName', 'Liv Nyhus');
    await typeDate(page, 'consentValidUntil', addDays(today, 365));
    await page.click('#consentServices-school');
    await page.click('#consentConfirmed');
    await page.type('#startupNote', `${first} gruer seg til skolen om morgenen.`);
    await submit(page);
    const logId = Number(new URL(page.url()).pathname.split('/')[2]);
    t.ok(logId > 0, 'the log is made and opened');
    t.match(await page.$eval('h1', (h) => h.textContent ?? ''), `${first} Nyhus`);
    await axe(t, page, 'new log page');

    await Promise.all([page.waitForNavigation(), page.click(`main a[href="/logs/${logId}/concerns/new"]`)]);
    await axe(t, page, 'new concern');
    await page.type('#title', `${first} kommer for sent tre dager i uka og sier hun er kvalm om morgenen.`);
    await page.type('#successIndicator', `${first} kommer tidsnok alle dager i tre uker.`);
    await submit(page);
    const concernId = hashId(page, 'concern');
    t.ok(concernId > 0, 'the concern is made');

    const goalIds: number[] = [];
    for (const [text, owner] of [
      [`${first} er på skolen klokka 8.15 hver dag.`, 'goal-new-owner'],
      [`${first} sier at morgenene er gode.`, 'goal-new-owner-guardian'],
    ] as const) {
      await goto(page, `/logs/${logId}/concerns/${concernId}/goals/new`);
      await page.type('#goal-new-text', text);
      const ownerInput = (await page.$(`#${owner}`)) ?? (await page.$('#goal-new-owner'));
      await ownerInput!.click();
      await page.click('#goal-new-arena');
      await submit(page);
      goalIds.push(hashId(page, 'goal'));
    }
    t.equal(goalIds.filter((id) => id > 0).length, 2, 'two goals');
    await axe(t, page, 'log with two goals');

    const actor = await userId(site.db, 'aktor@stafett.example');
    const measureIds: number[] = [];
    for (const [text, responsible] of [
      ['Kontaktlæreren tar imot ved porten klokka 8.10.', 'actor'],
      ['Foresatte vekker klokka 7 og spiser frokost sammen.', 'guardians'],
      [`${first} legger fram klærne kvelden før.`, 'child'],
    ] as const) {
      await goto(page, `/logs/${logId}/goals/${goalIds[0]}/measures/new`);
      await page.type('#measure-new-text', text);
      await page.click(
        responsible === 'actor' ? '#measure-new-responsible' : `#measure-new-responsible-${responsible}`,
      );
      if (responsible === 'actor') await page.select('#measure-new-actor', String(actor));
      await typeDate(page, 'measure-new-deadline', addDays(today, 21), '');
      await submit(page);
      t.equal(new URL(page.url()).pathname, `/logs/${logId}`, `${responsible} measure saved`);
      measureIds.push(hashId(page, 'measure'));
    }
    const rows = await site.db('measures').where({ log_id: logId }).orderBy('id');
    t.same(
      rows.map((m) => m.responsible),
      ['actor', 'guardians', 'child'],
      'three measures, each with one responsible party',
    );
    const page1 = await page.$eval('main', (m) => m.textContent ?? '');
    t.notMatch(
      page1,
      /mangler et tiltak/,
      'no missing-measure hint once service, home and child are covered',
    );
    await axe(t, page, 'log with three measures');

    if (javascript) {
      const goalId = goalIds[1]!;
      const url = page.url();
      await page.waitForSelector(`#goal-${goalId}-main a[href$="/edit"]`, { visible: true });
      await page.click(`#goal-${goalId}-main a[href$="/edit"]`);
      await page.waitForSelector(`#goal-${goalId}-text`);
      t.equal(page.url(), url, 'the form opens in place');
      await axe(t, page, 'goal edit form open in place');
      await page.$eval(`#goal-${goalId}-text`, (el) => ((el as HTMLTextAreaElement).value = ''));
      await page.type(`#goal-${goalId}-text`, `${first} og mor har rolige morgener fem dager i uka.`);
      await page.click(`#goal-${goalId}-main button[type="submit"]`);
      await page.waitForFunction(() => document.getElementById('status-region')?.textContent === 'Lagret');
      t.equal(page.url(), url, 'saved without leaving the page');
      t.match((await site.db('goals').where({ id: goalId }).first()).text, /rolige morgener/);
      await axe(t, page, 'goal saved in place');
    }
  });
}
