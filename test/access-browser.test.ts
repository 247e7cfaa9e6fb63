/**
 * Access in real Chromium: text posted after the session expired comes back after the same person signs
 * in again, and not to someone else (JavaScript off, a one-minute idle limit and a clock the test
 * moves); axe finds nothing on the views of the actor, the family, the young person and the leader,
 * with JavaScript off and on; the timeout warning (JavaScript on) is accessible and "Fortsett" works;
 * drafts are saved while typing and offered again.
 */
import t from 'tap';
import type { Page } from 'puppeteer';
import { browserApp, expectAxeClean, goto, pageProblems, signInBrowser } from './helpers/browser.js';
import { accessPeople, buildWorld, EMAIL } from './helpers/access-world.js';

const MINUTE = 60_000;

async function submit(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}
const text = (page: Page) => page.$eval('main', (main) => main.textContent ?? '');
const path = (page: Page) => new URL(page.url()).pathname;

t.test(
  'JavaScript off: a form sent after the session expired comes back to the same person only',
  async (t) => {
    const site = await browserApp(t, { SESSION_IDLE_MINUTES: '1' });
    const people = await accessPeople(site.db);
    const world = await buildWorld(site.db, people);
    const page = await site.newPage({ javascript: false });
    const comment = 'Mia kom presis hver dag denne uka, og hun spiste frokost på skolen.';

    await signInBrowser(page, EMAIL.actorIn);
    await goto(page, `/logs/${world.logId}/measures/${world.measureA}/follow-up`);
    t.match(
      await text(page),
      /Økten din avsluttes kl\. \d\d[:.]\d\d/,
      'without JavaScript the page says when the session ends',
    );
    await page.type('#comment', comment);
    site.clock.advance(2 * MINUTE);
    await submit(page, `form[action$="/comments"] [type="submit"]`);
    t.equal(path(page), '/login', 'sent to sign in again');
    t.match(await text(page), /Det du skrev i skjemaet er tatt vare på/, 'told that the text is kept');
    await expectAxeClean(t, page, 'login after expiry');

    await page.type('#email', EMAIL.holder);
    await page.type('#password', 'stafett-demo');
    await submit(page, 'form[action="/login"] [type="submit"]');
    t.equal(path(page), '/', 'someone else signs in and lands on the start page');
    t.notMatch(await page.content(), /presis hver dag/, 'without the kept text');
    await goto(page, '/form-restore');
    t.equal(path(page), '/', 'nothing to restore for them');
    await submit(page, 'form[action="/logout"] [type="submit"]');

    await signInBrowser(page, EMAIL.actorIn);
    t.equal(path(page), '/form-restore', 'the same person gets the form back');
    t.equal(
      await page.$eval('textarea[name="comment"]', (el) => (el as HTMLTextAreaElement).value),
      comment,
      'filled in',
    );
    await expectAxeClean(t, page, 'the kept form');
    await submit(page, 'form[action$="/comments"] [type="submit"]');
    t.equal(path(page), `/logs/${world.logId}/measures/${world.measureA}/follow-up`, 'sent and saved');
    t.match(await text(page), /presis hver dag/, 'the comment is there');
    t.same(pageProblems(page), [], 'no failed requests or script errors');
  },
);

const views: {
  role: keyof typeof EMAIL;
  label: string;
  paths: (w: Awaited<ReturnType<typeof buildWorld>>) => string[];
}[] = [
  {
    role: 'actorIn',
    label: 'actor',
    paths: (w) => ['/actor', `/logs/${w.logId}`, `/logs/${w.logId}/measures/${w.measureA}/follow-up`],
  },
  {
    role: 'guardian',
    label: 'guardian',
    paths: (w) => [
      '/family',
      `/logs/${w.logId}`,
      `/logs/${w.logId}/measures/${w.measureA}/family-view`,
      `/logs/${w.logId}/audit`,
    ],
  },
  { role: 'youth', label: 'youth', paths: (w) => ['/family', `/logs/${w.logId}`] },
  {
    role: 'leader',
    label: 'leader',
    paths: (w) => [`/units/${w.unitId}`, `/units/${w.unitId}/staff`, `/logs/${w.logId}/audit`],
  },
  { role: 'holder', label: 'holder', paths: (w) => [`/logs/${w.logId}/grants`] },
  { role: 'admin', label: 'administrator', paths: () => ['/admin'] },
];

for (const javascript of [false, true]) {
  t.test(
    `axe with JavaScript ${javascript ? 'on' : 'off'}: the views of actor, family, youth, leader`,
    async (t) => {
      const site = await browserApp(t);
      const people = await accessPeople(site.db);
      const world = await buildWorld(site.db, people);
      for (const view of views) {
        const page = await site.newPage({ javascript });
        await signInBrowser(page, EMAIL[view.role]);
        for (const p of view.paths(world)) {
          const response = await goto(page, p);
          t.equal(response?.status(), 200, `${view.label}: ${p}`);
          t.equal(await page.$$eval('h1', (all) => all.length), 1, 'one h1');
          await expectAxeClean(t, page, `${view.label} ${p}`);
        }
        if (view.role === 'guardian') {
          await goto(page, `/logs/${world.logId}/measures/${world.measureA}/family-view`);
          await submit(page, 'form[action$="/family-view"] [type="submit"]');
          t.match(await page.title(), /^Feil: /, 'the error state');
          await expectAxeClean(t, page, 'family view with errors');
        }
        t.same(pageProblems(page), [], `${view.label}: no failed requests or script errors`);
      }
    },
  );
}

t.test('JavaScript on: the timeout warning before the idle limit, and "Fortsett"', async (t) => {
  // A one-minute idle limit: the warning comes 5 seconds after the page (two minutes before, normally).
  const site = await browserApp(t, { SESSION_IDLE_MINUTES: '1' });
  const people = await accessPeople(site.db);
  const world = await buildWorld(site.db, people);
  const page = await site.newPage({ javascript: true });
  await signInBrowser(page, EMAIL.actorIn);
  await goto(page, `/logs/${world.logId}/measures/${world.measureA}/follow-up`);
  t.equal(
    await page.$eval('#session-warning', (d) => (d as HTMLDialogElement).open),
    false,
    'no warning at first',
  );
  await page.waitForSelector('#session-warning[open]', { timeout: 15_000 });
  t.pass('the warning opens before the session ends');
  t.equal(
    await page.evaluate(() => document.activeElement?.getAttribute('data-session-continue')),
    '',
    'focus is on "Fortsett"',
  );
  t.match(
    await page.$eval('#session-warning', (d) => d.textContent ?? ''),
    /Du blir logget ut kl\. \d\d[:.]\d\d/,
  );
  await expectAxeClean(t, page, 'the timeout warning');

  site.clock.advance(20_000);
  const extended = page.waitForResponse((r) => r.url().endsWith('/session/extend'));
  await page.click('[data-session-continue]');
  t.equal((await extended).status(), 200, '"Fortsett" reaches the server');
  await page.waitForFunction(() => !(document.getElementById('session-warning') as HTMLDialogElement).open);
  t.pass('the warning closes');
  const touched = await site
    .db('sessions')
    .where({ user_id: people.ids.actorIn, last_seen_at: site.clock.now() })
    .whereNull('ended_at')
    .first('id');
  t.ok(touched, 'the server knows the person is there');
  await page.waitForFunction(() =>
    (document.getElementById('status-region')?.textContent ?? '').includes('forlenget'),
  );
  t.pass('and the status region says the session is extended');
  t.same(pageProblems(page), [], 'no failed requests or script errors');
});

t.test('JavaScript on: long texts are saved as drafts while typing and offered again', async (t) => {
  const site = await browserApp(t);
  const people = await accessPeople(site.db);
  const world = await buildWorld(site.db, people);
  const page = await site.newPage({ javascript: true });
  await signInBrowser(page, EMAIL.actorIn);
  const url = `/logs/${world.logId}/measures/${world.measureA}/follow-up`;
  await goto(page, url);
  await page.type('#comment', 'Et utkast som ikke er sendt inn ennå, om uka til Mia.');
  await page.waitForResponse((r) => r.url().endsWith('/drafts') && r.request().method() === 'POST', {
    timeout: 10_000,
  });
  t.equal(
    (await site.db('drafts').where({ user_id: people.ids.actorIn }).select('field')).length,
    1,
    'saved on the server',
  );
  await goto(page, url);
  await page.waitForFunction(() =>
    (document.getElementById('comment') as HTMLTextAreaElement).value.includes('utkast'),
  );
  t.pass('offered again when the form is opened');
  t.match(
    await page.$eval('#comment', (el) => el.getAttribute('aria-describedby') ?? ''),
    /comment-draft/,
    'with a note tied to the field',
  );
  await expectAxeClean(t, page, 'a form with a draft');
  await submit(page, 'form[action$="/comments"] [type="submit"]');
  t.equal(
    (await site.db('drafts').where({ user_id: people.ids.actorIn }).select('field')).length,
    0,
    'gone once the form is sent',
  );
  t.same(pageProblems(page), [], 'no failed requests or script errors');
});
