/**
 * Help and legal pages in real Chromium, JavaScript off and on, axe on every page: the "?" in the header
 * leads to help from every page (signed out, signed in, each topic), the footer to the accessibility
 * statement (with the municipality's uustatus.no link) and the privacy page (with the controller), and
 * the two dead ends are gone: the actor's "Mine logger" leads to their measures, and the guardian's
 * child's name opens the child's log.
 */
import t from 'tap';
import type { Page } from 'puppeteer';
import { Agent } from './helpers/app.js';
import { browserApp, expectAxeClean, goto, pageProblems, signInBrowser } from './helpers/browser.js';
import { HELP_TOPICS } from '../src/features/help/index.js';

type Assert = Parameters<typeof expectAxeClean>[0] & {
  ok(a: unknown, m?: string): unknown;
  same(a: unknown, b: unknown, m?: string): unknown;
  equal(a: unknown, b: unknown, m?: string): unknown;
  match(a: unknown, b: RegExp, m?: string): unknown;
};

const STATEMENT = 'https://uustatus.no/nb/erklaringer/publisert/00000000-demo-kommune-stafett';
const CONTACT = 'Demo kommune, personvernombudet, personvern@demo.kommune.example';
const EXPECTED = /^request failed: .*\/drafts$/;

async function follow(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function check(test: unknown, page: Page, label: string) {
  const t = test as Assert;
  // Reflow: no sideways scrolling at 320 CSS px.
  const viewport = page.viewport();
  await page.setViewport({ width: 320, height: 640 });
  t.ok(
    await page.evaluate(() => document.documentElement.scrollWidth <= 320),
    `${label}: no horizontal scrolling at 320 px`,
  );
  if (viewport) await page.setViewport(viewport);
  t.same(
    pageProblems(page).filter((p) => !EXPECTED.test(p)),
    [],
    `${label}: no script errors or refused requests`,
  );
  await expectAxeClean(t, page, label);
}

const text = (page: Page, selector: string) =>
  page.$eval(selector, (el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());

for (const javascript of [false, true]) {
  t.test(`help and legal pages with JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const site = await browserApp(t, { ACCESSIBILITY_STATEMENT_URL: STATEMENT, PRIVACY_CONTACT: CONTACT });

    // Signed out: the "?" on the sign-in page leads to help, and every topic is one link away.
    const visitor = await site.newPage({ javascript });
    await goto(visitor, '/login');
    await follow(visitor, 'header a[href="/help"]');
    t.equal(new URL(visitor.url()).pathname, '/help');
    t.equal(await text(visitor, 'h1'), 'Hjelp');
    await check(t, visitor, 'help index, signed out');
    const listed = await visitor.$$eval('main a[href^="/help/"]', (as) =>
      as.map((a) => a.getAttribute('href')),
    );
    t.same(
      listed,
      HELP_TOPICS.map((topic) => `/help/${topic.slug}`),
      'the index links every topic',
    );
    for (const topic of HELP_TOPICS) {
      await goto(visitor, `/help/${topic.slug}`);
      t.match(await text(visitor, 'h1'), /^Hjelp \S/, `${topic.slug}: its own heading`);
      await check(t, visitor, `help: ${topic.slug}`);
    }
    await goto(visitor, '/help/goals');
    t.match(await text(visitor, 'main'), /A \+ B \+ C: Ella arbeider med lekser/, 'goals teach A + B + C');
    await goto(visitor, '/help/concerns');
    t.match(await text(visitor, 'main'), /verb framfor adjektiv/, 'concerns teach verbs over adjectives');
    await goto(visitor, '/help/measures');
    t.match(await text(visitor, 'main'), /i tjenesten.*hjemme.*barnet selv/, 'measures in three places');
    await goto(visitor, '/help/maintaining-factors');
    t.match(await text(visitor, 'main'), /Å utvikle gode tiltak/, 'the tool is named');

    // The footer: the accessibility statement with the municipality's link, and the privacy page.
    await follow(visitor, 'footer a[href="/accessibility"]');
    t.equal(await text(visitor, 'h1'), 'Tilgjengelighetserklæring');
    t.equal(
      await visitor.$eval('#statement-link', (a) => a.getAttribute('href')),
      STATEMENT,
      'the configured statement on uustatus.no',
    );
    await check(t, visitor, 'accessibility statement');
    await follow(visitor, 'footer a[href="/privacy"]');
    t.equal(await text(visitor, 'h1'), 'Personvern');
    t.equal(await text(visitor, '#privacy-contact'), CONTACT, 'the configured controller');
    const privacy = await text(visitor, 'main');
    for (const part of [
      'Hva som lagres',
      'Hvorfor',
      'Hvem ser opplysningene',
      'Hvor lenge',
      'Familiens rettigheter',
    ])
      t.match(privacy, new RegExp(part), `privacy says: ${part}`);
    t.match(privacy, /etter 30 minutter uten bruk/, 'the session limit as configured');
    await check(t, visitor, 'privacy');

    // In English, the texts are English.
    await follow(visitor, 'header button[name="lang"][value="en"]');
    await goto(visitor, '/help/staircase');
    t.equal(await text(visitor, 'h1'), 'Help Staircase');
    t.match(await text(visitor, 'main'), /Walk into the schoolyard alone/);
    await check(t, visitor, 'help in English');

    // In Danish, the texts are Danish, and so are the accessibility statement and the privacy page.
    await follow(visitor, 'header button[name="lang"][value="da"]');
    await goto(visitor, '/help/staircase');
    t.equal(await visitor.$eval('html', (h) => h.lang), 'da');
    t.equal(await text(visitor, 'h1'), 'Hjælp Tiltagstrappe');
    t.match(await text(visitor, 'main'), /Gå ind i skolegården alene/);
    await check(t, visitor, 'help in Danish');
    await goto(visitor, '/accessibility');
    t.equal(
      await visitor.$eval('#statement-link', (a) => a.getAttribute('href')),
      STATEMENT,
      'the configured statement, in Danish too',
    );
    t.match(await text(visitor, 'main'), /Sådan er Stafett lavet/);
    await check(t, visitor, 'accessibility statement in Danish');
    await goto(visitor, '/privacy');
    const privatliv = await text(visitor, 'main');
    for (const part of ['Hvad der gemmes', 'Hvem ser oplysningerne', 'Familiens rettigheder'])
      t.match(privatliv, new RegExp(part), `the privacy page in Danish says: ${part}`);
    t.match(privatliv, /efter 30 minutter uden brug/, 'the session limit as configured');
    await check(t, visitor, 'privacy in Danish');

    // Signed in as an actor: "?" is on every page; "Mine logger" leads to their measures.
    const actor = await site.newPage({ javascript });
    await signInBrowser(actor, 'aktor@stafett.example');
    await follow(actor, 'header a[href="/help"]');
    t.equal(new URL(actor.url()).pathname, '/help', 'help from the start page when signed in');
    await goto(actor, '/logs');
    await check(t, actor, "the actor's Mine logger");
    await follow(actor, '#actor-measures a');
    t.equal(new URL(actor.url()).pathname, '/actor');
    t.ok((await actor.$$('main a[href$="/follow-up"]')).length > 0, 'their measures are listed there');

    // A guardian: the child's name on the start page opens the child's log.
    const guardian = await site.newPage({ javascript });
    await signInBrowser(guardian, 'foresatt@stafett.example');
    await goto(guardian, '/');
    await check(t, guardian, "the guardian's start page");
    await follow(guardian, 'main a[href^="/logs/"]');
    t.match(new URL(guardian.url()).pathname, /^\/logs\/\d+$/);
    t.match(await text(guardian, 'h1'), /Ida/, "the child's log");
  });
}

t.test('without configuration the pages say what is missing, never a broken link', async (t) => {
  const site = await browserApp(t);
  const agent = new Agent(site.app);
  const statement = await agent.get('/accessibility');
  t.equal(statement.statusCode, 200);
  t.match(statement.body, /id="statement-missing"/);
  t.notMatch(statement.body, /id="statement-link"/);
  const privacy = await agent.get('/privacy');
  t.match(privacy.body, /id="privacy-contact-missing"/);
});
