/**
 * The foundation in real Chromium, with JavaScript off and on: sign in through the form, and axe-core
 * finds nothing on the login page, its error state, the start page and the 404 page.
 */
import t from 'tap';
import type { Page } from 'puppeteer';
import { translator } from '../src/i18n/index.js';
import { browserApp, expectAxeClean, goto, pageProblems, signInBrowser } from './helpers/browser.js';

const nb = translator('nb');

/** The page's problems since the last call: script errors, CSP refusals, failed requests. */
function problemsSince(page: Page) {
  let seen = 0;
  return () => {
    const all = pageProblems(page);
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh;
  };
}

t.test('the axe check itself finds violations, with JavaScript off too', async (t) => {
  const site = await browserApp(t);
  const page = await site.newPage({ javascript: false });
  await goto(page, '/login');
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.src = '/public/missing.png';
    document.querySelector('main')?.append(img);
  });
  const reported: string[] = [];
  const recorder = {
    pass: () => t.fail('a page with an unlabelled image passed'),
    fail: (message: string) => reported.push(message),
  };
  await expectAxeClean(recorder, page, 'probe', { htmlCheck: false });
  t.equal(reported.length, 1, 'one failure');
  t.match(reported[0], /image-alt \[critical\]/, 'names the rule and its impact');
  t.match(reported[0], /\n\s+main > img|\n\s+img/, 'names the failing element');
  t.match(reported[0], /JavaScript off/);
  t.equal(page.isJavaScriptEnabled(), false, 'JavaScript is off again afterwards');
  t.equal(
    await page.evaluate(() => document.querySelectorAll('script[src]').length > 0 && !('htmx' in window)),
    true,
    "the page's own scripts did not run",
  );
});

t.test('the same check finds a page too wide for 320 px and a field in error left unmarked', async (t) => {
  const site = await browserApp(t);
  const page = await site.newPage({ javascript: false });
  await goto(page, '/login');
  await page.evaluate(() => {
    const main = document.querySelector('main')!;
    const wide = document.createElement('p');
    wide.id = 'too-wide';
    wide.style.width = '600px';
    wide.textContent = 'Bred';
    main.append(wide);
    const group = document.querySelector('#email')!.closest('.form-group')!;
    const message = document.createElement('p');
    message.className = 'error-message';
    message.id = 'email-error';
    message.textContent = 'Skriv inn e-postadressen din';
    group.insertBefore(message, group.querySelector('#email'));
  });
  const reported: string[] = [];
  await expectAxeClean({ pass: () => {}, fail: (message: string) => reported.push(message) }, page, 'probe');
  t.match(
    reported.join('\n'),
    /reflow: .* scrolls sideways at 320 px: scrollWidth \d+; past the edge: p#too-wide/,
  );
  t.match(reported.join('\n'), /input#email is in error \(#email-error\) without aria-invalid="true"/);
  t.match(reported.join('\n'), /input#email is not described by #email-error/);
  t.equal(page.viewport()?.width, 800, 'the page is laid out at its own width again');
});

for (const javascript of [false, true]) {
  t.test(`JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const site = await browserApp(t);
    const page = await site.newPage({ javascript });
    const newProblems = problemsSince(page);

    await t.test('login page', async (t) => {
      const response = await goto(page, '/login');
      t.equal(response?.status(), 200);
      t.equal(await page.title(), `${nb('login.title')} – ${nb('app.name')}`);
      t.equal(await page.$eval('html', (html) => html.lang), 'nb');
      t.same(newProblems(), [], 'no script errors, CSP refusals or failed requests');
      const stylesheetApplied = await page.$eval('.skip-link', (link) => {
        const box = link.getBoundingClientRect();
        return (
          box.bottom <= 0 || box.right <= 0 || box.width <= 1 || getComputedStyle(link).position !== 'static'
        );
      });
      t.ok(stylesheetApplied, 'the stylesheet is applied (the skip link is out of sight until focused)');
      await expectAxeClean(t, page, 'login page');
    });

    await t.test('login with empty fields: focusable error summary linking to the fields', async (t) => {
      await goto(page, '/login');
      await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] [type="submit"]')]);
      t.equal(await page.title(), `${nb('error.titlePrefix')}${nb('login.title')} – ${nb('app.name')}`);
      const summary = await page.$eval('#error-summary', (el) => ({
        tabIndex: (el as HTMLElement).tabIndex,
        links: [...el.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        text: el.textContent ?? '',
      }));
      t.same(summary.links, ['#email', '#password'], 'links to both fields, in order');
      t.match(summary.text, nb('login.error.email'));
      t.equal(summary.tabIndex, -1, 'focusable by script without entering the tab order');
      const focused = await page.$eval('#error-summary', (el) => {
        (el as HTMLElement).focus();
        return document.activeElement === el;
      });
      t.ok(focused, 'the error summary can take focus');
      await page.click('#error-summary a[href="#password"]');
      t.equal(
        await page.evaluate(() => document.activeElement?.id),
        'password',
        'the link takes you to the field',
      );
      t.same(newProblems(), [], 'no script errors, CSP refusals or failed requests');
      await expectAxeClean(t, page, 'login with errors');
    });

    await t.test('sign in as the stafettholder and see the start page', async (t) => {
      await signInBrowser(page, 'stafettholder@stafett.example');
      t.equal(new URL(page.url()).pathname, '/');
      t.equal(
        await page.$eval('h1', (h1) => h1.textContent?.trim()),
        nb('home.welcome', { name: 'Helga Nilsen' }),
      );
      t.equal(await page.$$eval('h1', (all) => all.length), 1, 'one h1');
      t.ok(await page.$('main#main-content'), 'a main landmark the skip link points to');
      t.same(newProblems(), [], 'no script errors, CSP refusals or failed requests');
      await expectAxeClean(t, page, 'start page');
    });

    await t.test('the 404 page', async (t) => {
      const response = await goto(page, '/finnes-ikke');
      t.equal(response?.status(), 404);
      t.equal(await page.$eval('h1', (h1) => h1.textContent?.trim()), nb('error.404.title'));
      t.same(newProblems(), [], 'no script errors, CSP refusals or failed requests');
      await expectAxeClean(t, page, '404 page');
    });

    await t.test('log out through the header button', async (t) => {
      await goto(page, '/');
      await Promise.all([page.waitForNavigation(), page.click('form[action="/logout"] [type="submit"]')]);
      t.equal(new URL(page.url()).pathname, '/login');
      t.match(await page.$eval('main', (main) => main.textContent ?? ''), nb('login.loggedOut'));
      const again = await goto(page, '/');
      t.equal(new URL(page.url()).pathname, '/login', 'the start page now asks for signing in');
      t.equal(again?.status(), 200);
    });
  });
}
