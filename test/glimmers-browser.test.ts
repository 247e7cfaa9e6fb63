/**
 * Between meetings in real Chromium, with JavaScript off and on: the guardian posts a glimmer, the actor
 * posts one tied to their concern, the holder writes a log note with a PDF attached; each appears to
 * exactly the people who may see it (signed in as each role), and axe finds nothing on any page state.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { ElementHandle, Page } from 'puppeteer';
import type { Db } from '../src/db/knex.js';
import {
  browserApp,
  expectAxeClean,
  goto,
  pageProblems,
  signInBrowser,
  type BrowserApp,
} from './helpers/browser.js';
import { tinyPdf } from './notes-fixtures.js';

const HOLDER = 'stafettholder@stafett.example';
const ACTOR = 'aktor@stafett.example';
const GUARDIAN = 'foresatt@stafett.example';
const TEACHER = 'laerer@stafett.example';
const YOUTH = 'ungdom@stafett.example';

async function idaLog(db: Db) {
  const log = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ida')
    .first('l.id');
  const concerns = await db('concerns').where({ log_id: log.id }).orderBy('position').pluck('id');
  const teacher = await db('users').where({ email: TEACHER }).first('id');
  if (
    !(await db('measures').where({ responsible_user_id: teacher.id, concern_id: concerns[1] }).first('id'))
  ) {
    const goal = await db('goals').where({ concern_id: concerns[1] }).first('id', 'created_by');
    await db('measures').insert({
      log_id: log.id,
      concern_id: concerns[1],
      goal_id: goal.id,
      text: 'Kontaktlæreren snakker med Ida hver mandag.',
      responsible: 'actor',
      responsible_user_id: teacher.id,
      start_date: '2026-01-01',
      deadline: '2099-01-01',
      created_by: goal.created_by,
    });
  }
  return { logId: log.id as number, absence: concerns[0] as number, mood: concerns[1] as number };
}

async function submit(page: Page, button: ElementHandle | null, javascript: boolean, waitFor?: string) {
  if (!button) throw new Error('no submit button');
  if (javascript && waitFor) {
    await button.click();
    await page.waitForSelector(waitFor);
    // The answer may be a whole new page: its elements exist before its scripts (htmx, a module) have
    // run, so a click right away would not be enhanced. Wait until the page has loaded.
    await page.waitForFunction(() => document.readyState === 'complete');
  } else {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  }
}

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Waits until focus is on the element with this id (app.js moves it after htmx settles). */
async function focusedOn(page: Page, id: string | RegExp): Promise<string> {
  const pattern = typeof id === 'string' ? `^${id}$` : id.source;
  await page
    .waitForFunction((p) => new RegExp(p).test(document.activeElement?.id ?? ''), { timeout: 3000 }, pattern)
    .catch(() => {});
  return activeId(page);
}

/** Script errors and CSP refusals; the intended 422 of an htmx form is not a problem. */
const scriptProblems = (page: Page) => pageProblems(page).filter((m) => /^(script error|console)/.test(m));

for (const javascript of [false, true]) {
  const mode = javascript ? 'JS på' : 'JS av';
  t.test(`JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const site: BrowserApp = await browserApp(t);
    const ida = await idaLog(site.db);
    const folder = await mkdtemp(path.join(os.tmpdir(), 'stafett-upload-'));
    t.teardown(() => rm(folder, { recursive: true, force: true }));
    const pdfPath = path.join(folder, 'Fraværsoversikt.pdf');
    await writeFile(pdfPath, tinyPdf());
    const texts = {
      guardian: `Ida syklet til skolen selv (${mode}).`,
      actor: `Ida kom presis hele uka (${mode}).`,
      note: `Notat om søvn og humør (${mode}).`,
    };

    await t.test('the guardian posts a glimmer; an empty one gets a linked error', async (t) => {
      const page = await site.newPage({ javascript });
      await signInBrowser(page, GUARDIAN);
      await goto(page, `/logs/${ida.logId}`);
      await expectAxeClean(t, page, 'log page with the glimmer form');

      await submit(
        page,
        await page.$('#glimmers form button[type="submit"]'),
        javascript,
        '#glimmer-error-summary',
      );
      if (javascript) {
        t.equal(new URL(page.url()).pathname, `/logs/${ida.logId}`, 'no reload');
        t.equal(
          await focusedOn(page, 'glimmer-error-summary'),
          'glimmer-error-summary',
          'focus on the error summary',
        );
      } else {
        t.match(await page.title(), /^Feil: /);
      }
      t.ok(await page.$('a[href="#glimmer-text"]'), 'the error links to the field');
      await expectAxeClean(t, page, 'glimmer error state');

      await page.type('#glimmer-text', texts.guardian);
      await submit(
        page,
        await page.$('form[action$="/glimmers"] button[type="submit"]'),
        javascript,
        `xpath/.//p[contains(., "${texts.guardian}")]`,
      );
      if (javascript) {
        t.equal(new URL(page.url()).pathname, `/logs/${ida.logId}`, 'posted without a reload');
        t.match(
          await focusedOn(page, /^glimmer-\d+-title$/),
          /^glimmer-\d+-title$/,
          'focus on the new glimmer',
        );
        await page
          .waitForFunction(
            () => document.getElementById('status-region')?.textContent === 'Lysglimtet er delt.',
            { timeout: 3000 },
          )
          .catch(() => {});
        t.equal(
          await page.$eval('#status-region', (el) => el.textContent),
          'Lysglimtet er delt.',
          'announced',
        );
        t.equal(
          await page.$eval('#glimmer-text', (el) => (el as HTMLTextAreaElement).value),
          '',
          'a fresh form',
        );
      } else {
        t.match(new URL(page.url()).hash, /^#glimmer-\d+$/, 'back on the log page at the glimmer');
      }
      t.ok((await page.content()).includes(texts.guardian));
      await expectAxeClean(t, page, 'log page after posting');
      t.same(scriptProblems(page), [], 'no script errors or CSP refusals');
    });

    await t.test('the actor posts a glimmer tied to their concern, and edits it', async (t) => {
      const page = await site.newPage({ javascript });
      await signInBrowser(page, ACTOR);
      await goto(page, `/logs/${ida.logId}`);
      await page.select('#glimmer-concernId', String(ida.absence));
      await page.type('#glimmer-text', texts.actor);
      await submit(
        page,
        await page.$('form[action$="/glimmers"] button[type="submit"]'),
        javascript,
        `xpath/.//p[contains(., "${texts.actor}")]`,
      );
      t.ok((await page.content()).includes(texts.actor));
      const item = await page.$(
        `xpath/.//li[contains(@class, "glimmer")][.//p[contains(., "${texts.actor}")]]`,
      );
      const id = await item!.evaluate((el) => el.id);
      const editLink = await item!.$('a[href$="/edit"]');
      if (javascript) {
        await editLink!.click();
        await page.waitForSelector(`#${id} form`);
        t.equal(await focusedOn(page, `${id}-form-title`), `${id}-form-title`, 'the inline form takes focus');
      } else {
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), editLink!.click()]);
        t.match(new URL(page.url()).pathname, /\/edit$/);
      }
      await expectAxeClean(t, page, 'glimmer edit');
      await page.$eval(`#${id}-text`, (el) => {
        (el as HTMLTextAreaElement).value += ' Bra!';
      });
      await submit(
        page,
        await page.$(`form[action$="/${id.replace('glimmer-', 'glimmers/')}"] button[type="submit"]`),
        javascript,
        `xpath/.//p[contains(., "Bra!")]`,
      );
      if (javascript)
        t.equal(await focusedOn(page, `${id}-title`), `${id}-title`, 'focus back on the saved glimmer');
      t.ok((await page.content()).includes(`${texts.actor} Bra!`));
      t.same(scriptProblems(page), [], 'no script errors or CSP refusals');
    });

    await t.test('the holder writes a log note with a PDF attached', async (t) => {
      const page = await site.newPage({ javascript });
      await signInBrowser(page, HOLDER);
      await goto(page, `/logs/${ida.logId}`);
      await Promise.all([page.waitForNavigation(), page.click(`a[href="/logs/${ida.logId}/notes/new"]`)]);
      await expectAxeClean(t, page, 'new log note');
      await submit(
        page,
        await page.$(`form[action="/logs/${ida.logId}/notes"] button[type="submit"]`),
        false,
      );
      t.match(await page.title(), /^Feil: /);
      await expectAxeClean(t, page, 'new log note with errors');
      await page.select('#note-concernId', String(ida.mood));
      await page.type('#note-text', texts.note);
      const input = (await page.$('#note-file')) as ElementHandle<HTMLInputElement>;
      await input.uploadFile(pdfPath);
      await submit(
        page,
        await page.$(`form[action="/logs/${ida.logId}/notes"] button[type="submit"]`),
        false,
      );
      t.match(new URL(page.url()).hash, /^#note-\d+$/, 'back on the log page at the note');
      t.ok((await page.content()).includes(texts.note));
      const link = await page.$eval('a[href*="/attachments/"]', (a) => a.textContent);
      t.equal(link, 'Fraværsoversikt.pdf', 'the attachment is listed under its name');
      await expectAxeClean(t, page, 'log page with the note');
    });

    await t.test('each appears to exactly the people who may see it', async (t) => {
      const expected: Record<string, { guardian: boolean; actor: boolean; note: boolean }> = {
        [HOLDER]: { guardian: true, actor: true, note: true },
        [GUARDIAN]: { guardian: true, actor: true, note: true },
        [ACTOR]: { guardian: true, actor: true, note: false },
        [TEACHER]: { guardian: true, actor: false, note: true },
      };
      for (const [email, want] of Object.entries(expected)) {
        const page = await site.newPage({ javascript });
        await signInBrowser(page, email);
        await goto(page, `/logs/${ida.logId}`);
        const html = await page.content();
        t.same(
          {
            guardian: html.includes(texts.guardian),
            actor: html.includes(`${texts.actor} Bra!`),
            note: html.includes(texts.note),
          },
          want,
          `${email} sees exactly what they may`,
        );
        await goto(page, '/glimmers');
        const feed = await page.content();
        t.equal(feed.includes(texts.actor), want.actor, `${email}: the feed agrees`);
        if (email === GUARDIAN) {
          await expectAxeClean(t, page, 'glimmer feed');
          for (const url of ['/notes', '/notifications']) {
            await goto(page, url);
            await expectAxeClean(t, page, url);
          }
        }
      }
      const youth = await site.newPage({ javascript });
      await signInBrowser(youth, YOUTH);
      const response = await goto(youth, `/logs/${ida.logId}`);
      t.equal(response?.status(), 404, "Per does not see Ida's log");
    });
  });
}
