/**
 * The consent paperwork's page in real Chromium, JavaScript off and on: reached from the log page, the
 * holder's print and upload forms, an upload refused next to the field, a signed form uploaded and
 * listed; the family's page with the list only. axe on every page state (and the Nu HTML checker at the
 * end of the file). One app and one browser for the file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { ElementHandle, Page } from 'puppeteer';
import { browserApp, expectAxeClean, goto, signInBrowser } from './helpers/browser.js';
import { idaLogId } from './plan-fixture.js';
import { tinyPdf } from './notes-fixtures.js';

const HOLDER = 'stafettholder@stafett.example';
const GUARDIAN = 'foresatt@stafett.example';

const site = await browserApp(t);
const logId = await idaLogId(site.db);
const folder = await mkdtemp(path.join(os.tmpdir(), 'stafett-signed-'));
t.teardown(() => rm(folder, { recursive: true, force: true }));

const click = async (page: Page, selector: string) =>
  Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);

for (const javascript of [false, true]) {
  t.test(`JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    await t.test('the holder: print and upload forms, an error next to the field, an upload', async (t) => {
      const page = await site.newPage({ javascript });
      await signInBrowser(page, HOLDER);
      await goto(page, `/logs/${logId}`);
      await click(page, `a[href="/logs/${logId}/consent-papers"]`);
      t.equal(new URL(page.url()).pathname, `/logs/${logId}/consent-papers`, 'reached from the log page');
      t.equal(await page.$eval('html', (h) => h.lang), 'nb');
      t.same(
        await page.$$eval('#language option', (options) => options.map((o) => o.lang || o.value)),
        ['nb', 'nn', 'en', 'da', 'pl', 'uk', 'ar', 'so'],
        'the eight languages, each option marked with its language',
      );
      await expectAxeClean(t, page, 'consent paperwork (holder)');

      // An upload without a file: the message next to the field.
      await click(page, 'form[enctype="multipart/form-data"] button[type="submit"]');
      t.match(await page.title(), /^Feil: /);
      t.ok(await page.$('#signed-file-error'), 'the message is next to the file field');
      t.ok(await page.$('a[href="#signed-file"]'), 'the error summary links to it');
      await expectAxeClean(t, page, 'consent paperwork, upload refused');

      const file = path.join(folder, `Signert samtykke ${javascript ? 'JS' : 'uten JS'}.pdf`);
      await writeFile(file, tinyPdf());
      const input = (await page.$('#signed-file')) as ElementHandle<HTMLInputElement>;
      await input.uploadFile(file);
      await click(page, 'form[enctype="multipart/form-data"] button[type="submit"]');
      t.match(page.url(), /#signed-\d+$/, 'back on the page at the stored form');
      t.ok(await page.$('.status-banner'), 'told that it is stored');
      t.ok(
        (
          await page.$$eval('a[href*="/consent-papers/signed/"]', (links) => links.map((a) => a.textContent))
        ).includes(path.basename(file)),
        'listed under its name',
      );
      await expectAxeClean(t, page, 'consent paperwork with a signed form');
    });

    await t.test('the family: the signed forms, nothing to print or upload', async (t) => {
      const page = await site.newPage({ javascript });
      await signInBrowser(page, GUARDIAN);
      await goto(page, `/logs/${logId}`);
      await click(page, `a[href="/logs/${logId}/consent-papers"]`);
      t.equal(
        new URL(page.url()).pathname,
        `/logs/${logId}/consent-papers`,
        'reached from the family’s page',
      );
      t.equal(await page.$('#language'), null, 'no print form');
      t.equal(await page.$('#signed-file'), null, 'no upload form');
      t.ok(await page.$('a[href*="/consent-papers/signed/"]'), 'the signed forms to download');
      await expectAxeClean(t, page, 'consent paperwork (guardian)');
    });
  });
}
