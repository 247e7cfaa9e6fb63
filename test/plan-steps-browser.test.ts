/**
 * The staircase in real Chromium, JavaScript off and on, axe on every page state: Noah's five steps (the
 * guide's first-grader) on the holder's log page ("Trinn 3 av 5"), a step marked done and undone, the
 * edit form that keeps the done steps, the family marking a step on their page, meeting mode and the
 * print view.
 */
import t from 'tap';
import type { Page } from 'puppeteer';
import { browserApp, expectAxeClean, goto, pageProblems, signInBrowser } from './helpers/browser.js';
import { formatDate, osloDate } from '../src/lib/dates.js';
import type { Db } from '../src/db/knex.js';

type Assert = Parameters<typeof expectAxeClean>[0] & {
  same(a: unknown, b: unknown, m?: string): unknown;
  equal(a: unknown, b: unknown, m?: string): unknown;
  match(a: unknown, b: RegExp, m?: string): unknown;
};
const EXPECTED = /^request failed: .*\/drafts$/;
const STEPS = [
  'Mor følger Noah helt inn i klasserommet.',
  'Mor følger Noah til skoleporten.',
  'Mor følger Noah til butikken, Noah går resten alene.',
  'Mor vinker fra vinduet, en voksen møter Noah ved skoleporten.',
  'Noah går alene hele veien.',
];

async function submit(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function check(test: unknown, page: Page, label: string) {
  const t = test as Assert;
  t.same(
    pageProblems(page).filter((p) => !EXPECTED.test(p)),
    [],
    `${label}: no script errors`,
  );
  await expectAxeClean(t, page, label);
}

const text = (page: Page, selector: string) =>
  page.$eval(selector, (el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());

/** Noah's log and his staircase as the seed has it: five steps, the first two done. */
async function noah(db: Db) {
  const logId = (
    await db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.first_name', 'Noah')
      .first('l.id')
  ).id as number;
  // No meeting left running from an earlier test: this one starts its own.
  await db('meetings').where({ log_id: logId }).delete();
  const measure = await db('measures').where({ log_id: logId }).first('id');
  await db('measures').where({ id: measure.id }).update({ text_written_at: new Date(), status: 'ongoing' });
  await db('measure_steps').where({ measure_id: measure.id }).delete();
  const day = osloDate(new Date());
  await db('measure_steps').insert(
    STEPS.map((text, i) => ({
      measure_id: measure.id,
      position: i,
      text,
      done: i < 2,
      done_on: i < 2 ? day : null,
    })),
  );
  return { logId, measureId: measure.id as number };
}

for (const javascript of [false, true]) {
  t.test(`the staircase with JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const site = await browserApp(t);
    const { db } = site;
    const { logId, measureId } = await noah(db);
    const progress = `#measure-${measureId}-progress`;
    const today = formatDate(osloDate(new Date()), 'nb');

    // ---- the holder's log page ----
    const holder = await site.newPage({ javascript });
    await signInBrowser(holder, 'superbruker@stafett.example');
    await goto(holder, `/logs/${logId}`);
    t.equal(await text(holder, progress), 'Trinn 3 av 5');
    t.match(await text(holder, `#measure-${measureId} [aria-current="step"]`), new RegExp(`^${STEPS[2]}`));
    await check(t, holder, 'log page with a staircase');
    await submit(holder, `#measure-${measureId} form[action$="/done"] button`);
    t.equal(new URL(holder.url()).hash, `#measure-${measureId}`, 'back at the measure');
    t.equal(await text(holder, progress), 'Trinn 4 av 5');
    t.match(await text(holder, '[role="status"].notice'), /Trinnet er merket som gjort/);
    t.match(
      await text(holder, `#measure-${measureId} .steps__step:nth-child(3)`),
      new RegExp(`gjort ${today.replace(/\./g, '\\.')}`),
      'the day it was done',
    );
    await check(t, holder, 'log page, a step marked done');
    await submit(holder, `#measure-${measureId} form[action$="/undo"] button`);
    t.equal(await text(holder, progress), 'Trinn 3 av 5', 'undone');
    await check(t, holder, 'log page, a step undone');

    // ---- editing keeps the done steps ----
    await goto(holder, `/logs/${logId}/measures/${measureId}/edit`);
    const p = `measure-${measureId}-`;
    t.same(
      await holder.$$eval(`[aria-labelledby="${p}steps-kept"] li`, (lis) =>
        lis.map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim()),
      ),
      [`${STEPS[0]} – gjort ${today}`, `${STEPS[1]} – gjort ${today}`],
      'the done steps are shown, not in the box',
    );
    t.equal(
      await holder.$eval(`#${p}steps`, (el) => (el as HTMLTextAreaElement).value),
      STEPS.slice(2).join('\n'),
    );
    await check(t, holder, 'edit form with done steps');
    await holder.$eval(`#${p}steps`, (el) => {
      (el as HTMLTextAreaElement).value = '';
    });
    await holder.type(`#${p}steps`, `${STEPS[2]}\nNoah går alene til butikken.\n${STEPS[3]}\n${STEPS[4]}`);
    await submit(holder, `form[action="/logs/${logId}/measures/${measureId}"] button[type="submit"]`);
    t.equal(new URL(holder.url()).pathname, `/logs/${logId}`, 'saved, back on the log');
    t.equal(await text(holder, progress), 'Trinn 3 av 6', 'the done steps kept, one step added');
    t.same(
      (await db('measure_steps').where({ measure_id: measureId }).orderBy('position')).map((s) => s.done),
      [true, true, false, false, false, false],
    );

    // ---- the family marks a step on their page ----
    const hash = (await db('users').where({ email: 'foresatt@stafett.example' }).first('password_hash'))
      .password_hash;
    await db('users').where({ email: 'noah.mor@stafett.example' }).update({ password_hash: hash });
    const mother = await site.newPage({ javascript });
    await signInBrowser(mother, 'noah.mor@stafett.example');
    await goto(mother, `/logs/${logId}`);
    t.equal(await text(mother, progress), 'Trinn 3 av 6', "on the family's page");
    await check(t, mother, "family's page with a staircase");
    await submit(mother, `#measure-${measureId} form[action$="/done"] button`);
    t.equal(await text(mother, progress), 'Trinn 4 av 6');
    t.match(await text(mother, '[role="status"].notice'), /Trinnet er merket som gjort/);
    await check(t, mother, "family's page, a step marked done");

    // ---- meeting mode and the print ----
    const [meeting] = await db('meetings')
      .insert({
        log_id: logId,
        starts_at: new Date(),
        purpose: 'Se hvordan trappen går.',
        created_by: (await db('users').where({ email: 'superbruker@stafett.example' }).first('id')).id,
      })
      .returning('id');
    const meetingPath = `/logs/${logId}/meetings/${meeting.id}`;
    await goto(holder, meetingPath);
    await submit(holder, `form[action="${meetingPath}/start"] button`);
    t.equal(new URL(holder.url()).pathname, `${meetingPath}/mode`);
    t.equal(await text(holder, progress), 'Trinn 4 av 6', 'in meeting mode');
    await check(t, holder, 'meeting mode with a staircase');
    await submit(holder, `#measure-${measureId} form[action$="/done"] button`);
    t.equal(new URL(holder.url()).pathname, `${meetingPath}/mode`, 'still in meeting mode');
    t.equal(await text(holder, progress), 'Trinn 5 av 6');
    await check(t, holder, 'meeting mode, a step marked done');
    await goto(holder, `${meetingPath}/mode/leave`);
    await submit(holder, `form[action="${meetingPath}/mode/leave"] button`);
    await goto(holder, `/logs/${logId}/print`);
    t.match(await text(holder, 'main'), /Tiltakstrapp: Trinn 5 av 6/, 'the print shows the progress');
    t.match(await text(holder, 'main'), new RegExp(`${STEPS[0]} \\(gjort ${today.replace(/\./g, '\\.')}\\)`));
    await check(t, holder, 'print view with a staircase');
  });
}
