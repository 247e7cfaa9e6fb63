/**
 * Every interface language besides bokmål, walked in real Chromium with JavaScript off: the demo holder
 * signs in, chooses the language with the switch in the header (POST /language), and opens Ida's log,
 * a meeting, its calendar invitation, the print view, a PDF made from it and a help page (with the
 * language's own help text when it has one). On each page <html lang> is the language, axe finds
 * nothing, the page answers 200 (a missing message throws outside production, so a missing key would be
 * a 500) and a text from that language's own message file is shown. The PDF's /Lang and XMP language
 * are the language too. The languages come from src/i18n/locales.ts, so a new one is walked as it
 * lands. One database and one browser for the whole file.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { Page } from 'puppeteer';
import { browserApp, expectAxeClean, goto, signInBrowser } from './helpers/browser.js';
import { readPdfStructure } from './helpers/pdf-structure.js';
import { idaLogId, userId } from './plan-fixture.js';
import { DEFAULT_LOCALE, LOCALES, catalogue, type Locale } from '../src/i18n/index.js';
import { viewsDir } from '../src/plugins/views.js';

const HOLDER = 'stafettholder@stafett.example';

/** A message as the page shows it: the text of a message without arguments, spaces collapsed. */
function message(locale: Locale, key: string): string {
  const text = catalogue(locale)[key];
  if (text === undefined) throw new Error(`${locale} has no ${key}`);
  return text.replace(/\s+/g, ' ').trim();
}

/** The first paragraph of a help text in the language's own template, or null when it has none. */
function helpOpening(locale: Locale, slug: string): string | null {
  const file = path.join(viewsDir, 'help', locale, `${slug}.eta`);
  if (!existsSync(file)) return null;
  const first = /<p[^>]*>([\s\S]*?)<\/p>/.exec(readFileSync(file, 'utf8'))![1]!;
  return first
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const mainText = (page: Page) =>
  page.$eval('body', (body) => (body.textContent ?? '').replace(/\s+/g, ' ').trim());

const htmlLang = (page: Page) => page.$eval('html', (html) => html.getAttribute('lang'));

async function submit(page: Page, selector: string) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
  return response;
}

t.test('every language besides bokmål: log, meeting and print with JavaScript off', async (t) => {
  const site = await browserApp(t);
  const logId = await idaLogId(site.db);
  const holderId = await userId(site.db, HOLDER);
  const [meeting] = await site
    .db('meetings')
    .insert({
      log_id: logId,
      starts_at: new Date(Date.now() + 7 * 24 * 3600 * 1000),
      purpose: 'Oppfølging',
      status: 'planned',
      created_by: holderId,
    })
    .returning('id');

  const others = LOCALES.filter((l) => l !== DEFAULT_LOCALE);
  t.ok(others.length >= 2, `languages to walk: ${others.join(', ')}`);

  for (const locale of others) {
    t.test(locale, async (t) => {
      const page = await site.newPage({ javascript: false });
      await page.setViewport({ width: 1024, height: 800 });
      // The switch stores the choice with the account; each language starts from none stored.
      await site.db('users').where({ email: HOLDER }).update({ locale: null });
      await signInBrowser(page, HOLDER);
      t.equal(await htmlLang(page), DEFAULT_LOCALE, 'bokmål before choosing');

      // The switch in the header: a plain form post, back to the same page.
      const switched = await submit(page, `form[action="/language"] button[name="lang"][value="${locale}"]`);
      t.equal(switched?.status(), 200, 'the switch leads back to a page');
      t.equal(await htmlLang(page), locale, `<html lang="${locale}"> after choosing`);

      const pages: [label: string, path: string, key: string][] = [
        ['log page', `/logs/${logId}`, 'log.concerns'],
        ['meeting page', `/logs/${logId}/meetings/${meeting.id}`, 'meeting.agenda.intro'],
        ['print view', `/logs/${logId}/print`, 'print.view.intro'],
      ];
      for (const [label, path, key] of pages) {
        const response = await goto(page, path);
        t.equal(response?.status(), 200, `${label}: 200, no missing message`);
        t.equal(await htmlLang(page), locale, `${label}: <html lang="${locale}">`);
        const expected = message(locale, key);
        t.not(expected, message(DEFAULT_LOCALE, key), `${label}: ${key} differs from bokmål`);
        t.ok((await mainText(page)).includes(expected), `${label}: shows «${expected}» (${key})`);
        await expectAxeClean(t, page, `${locale}: ${label}`);
      }

      // A PDF made from the print view, downloaded with the same session.
      const made = await submit(page, `form[action="/logs/${logId}/prints"] button`);
      t.equal(made?.status(), 200, 'the PDF is made');
      t.equal(await htmlLang(page), locale, `PDF archive: <html lang="${locale}">`);
      await expectAxeClean(t, page, `${locale}: PDF archive`);
      const printId = new URL(page.url()).searchParams.get('made');
      t.ok(printId, 'the archive names the PDF just made');
      const cookies = await page.cookies();
      const download = await fetch(`${site.baseUrl}/logs/${logId}/prints/${printId}/download`, {
        headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
      });
      t.equal(download.status, 200, 'the PDF downloads');
      const pdf = await readPdfStructure(new Uint8Array(await download.arrayBuffer()));
      t.equal(pdf.info.Language, locale, `the PDF's /Lang is ${locale}`);
      t.equal(pdf.xmp.get('dc:language'), locale, `the PDF's XMP language is ${locale}`);
      const tagged = pdf.taggedText.replace(/\s+/g, ' ');
      t.ok(tagged.includes(message(locale, 'print.holder')), 'the PDF has the heading in the language');

      // The calendar invitation from the meeting page.
      const ics = await fetch(`${site.baseUrl}/logs/${logId}/meetings/${meeting.id}/invitation`, {
        headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
      });
      t.equal(ics.status, 200, 'the invitation downloads');
      const calendar = (await ics.text()).replace(/\r?\n[ \t]/g, '').replace(/\\([,;\\])/g, '$1');
      const described = message(locale, 'meeting.ics.description').split('{url}')[0]!;
      t.ok(calendar.includes(`DESCRIPTION:${described}`), `the invitation says «${described}…»`);
      t.match(
        calendar,
        new RegExp(`^PRODID:.*//${locale.toUpperCase()}\\r?$`, 'm'),
        'PRODID names the language',
      );

      // A help page: its heading from the catalogue, its text from the language's own template.
      const help = await goto(page, '/help/concerns');
      t.equal(help?.status(), 200, 'help page: 200');
      t.equal(await htmlLang(page), locale, `help page: <html lang="${locale}">`);
      const helpText = await mainText(page);
      t.ok(
        helpText.includes(message(locale, 'help.concerns.title')),
        'help page: the heading in the language',
      );
      const opening = helpOpening(locale, 'concerns');
      if (opening)
        t.ok(helpText.includes(opening), `help page: the language's own text («${opening.slice(0, 40)}…»)`);
      await expectAxeClean(t, page, `${locale}: help page`);
    });
  }
});

t.test(
  'with JavaScript on, the session notice tells the time on the 24-hour clock in every language',
  async (t) => {
    const site = await browserApp(t);
    const logId = await idaLogId(site.db);
    for (const locale of LOCALES) {
      await site.db('users').where({ email: HOLDER }).update({ locale });
      const page = await site.newPage({ javascript: true });
      await signInBrowser(page, HOLDER);
      await goto(page, `/logs/${logId}`);
      t.equal(await htmlLang(page), locale, `${locale}: the stored language`);
      // session.js rewrites the notice at once from the page's Intl tag (a browser may lack a locale's data).
      const notice = await page.$eval('#session-notice', (p) => p.textContent ?? '');
      t.match(notice, /\b\d{2}[:.]\d{2}\b/, `${locale}: «${notice.trim()}» has hours and minutes`);
      t.notMatch(notice, /\b[AP]M\b/i, `${locale}: no AM/PM`);
      await page.close();
    }
    await site.db('users').where({ email: HOLDER }).update({ locale: null });
  },
);
