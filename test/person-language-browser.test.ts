/**
 * Choosing one's language on one's own page, in real Chromium with JavaScript off (and on): the radios
 * and the button work as a plain form, the page then speaks the chosen language (lang on <html>), says
 * it is saved, and axe-core finds nothing; signing in from another browser brings the choice along.
 */
import t from 'tap';
import type { Page } from 'puppeteer';
import { browserApp, expectAxeClean, goto, signInBrowser } from './helpers/browser.js';
import { catalogue } from '../src/i18n/index.js';

const GUARDIAN = 'foresatt@stafett.example';
const htmlLang = (page: Page) => page.$eval('html', (html) => html.getAttribute('lang'));

for (const javascript of [false, true]) {
  t.test(
    `the language is chosen on the account page (JavaScript ${javascript ? 'on' : 'off'})`,
    async (t) => {
      const site = await browserApp(t);
      await site.db('users').where({ email: GUARDIAN }).update({ locale: null });
      const page = await site.newPage({ javascript });
      await signInBrowser(page, GUARDIAN);
      await goto(page, '/account');
      t.equal(await htmlLang(page), 'nb');
      t.equal(
        await page.$eval('#lang', (input) => (input as HTMLInputElement).checked),
        true,
        'bokmål chosen',
      );
      await expectAxeClean(t, page, 'account page');

      await page.click('#lang-en');
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.click('form[action="/account/language"] button[type="submit"]'),
      ]);
      t.equal(new URL(page.url()).pathname, '/account');
      t.equal(await htmlLang(page), 'en', 'the page is now in English');
      t.match(
        await page.$eval('[role="status"]', (el) => el.textContent ?? ''),
        catalogue('en')['account.language.saved']!,
      );
      t.equal(await page.$eval('#lang-en', (input) => (input as HTMLInputElement).checked), true);
      await expectAxeClean(t, page, 'account page, language saved');
      t.equal((await site.db('users').where({ email: GUARDIAN }).first('locale')).locale, 'en', 'stored');

      // Another browser: the choice comes along at sign-in.
      const other = await site.newPage({ javascript });
      await goto(other, '/login');
      t.equal(await htmlLang(other), 'nb', 'bokmål before sign-in');
      await signInBrowser(other, GUARDIAN);
      t.equal(await htmlLang(other), 'en', 'English after sign-in');
    },
  );
}
