/**
 * An evaluation that loses a race, in real Chromium with JavaScript off and on: someone else evaluates
 * the measure while this person types; the 409 page shows what was saved beside what was typed (in
 * fields to copy from), and a misregistered correction that lost can still be saved as a new measure.
 * axe-core finds nothing on either conflict page.
 */
import t from 'tap';
import type { Page } from 'puppeteer';
import { translator } from '../src/i18n/index.js';
import { addDays, osloDate } from '../src/lib/dates.js';
import { Agent, signIn } from './helpers/app.js';
import { browserApp, expectAxeClean, goto, pageProblems, signInBrowser } from './helpers/browser.js';
import { dateFields, HOLDER, idaLogId, tokenIn } from './plan-fixture.js';

const nb = translator('nb');
type Assert = Parameters<typeof expectAxeClean>[0];
const axe = (t: unknown, page: Page, label: string) => expectAxeClean(t as Assert, page, label);

async function submit(page: Page, selector: string) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
  return response;
}

for (const javascript of [false, true]) {
  t.test(`an evaluation that lost a race, JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const site = await browserApp(t);
    const logId = await idaLogId(site.db);
    const today = osloDate(site.clock.now());
    const other = new Agent(site.app);
    await signIn(other, HOLDER);
    const goal = await site
      .db('goals as g')
      .join('concerns as c', 'c.id', 'g.concern_id')
      .where('c.log_id', logId)
      .first('g.id');

    async function newMeasure(text: string): Promise<number> {
      const form = await other.get(`/logs/${logId}/goals/${goal.id}/measures/new`);
      const created = await other.post(`/logs/${logId}/goals/${goal.id}/measures`, {
        token: tokenIn(form.body),
        text,
        responsible: 'child',
        ...dateFields('start', today),
        ...dateFields('deadline', addDays(today, 14)),
      });
      return Number(String(created.headers.location).split('#measure-')[1]);
    }

    async function evaluateElsewhere(id: number, familyView: string) {
      const form = await other.get(`/logs/${logId}/measures/${id}/evaluate`);
      const saved = await other.post(`/logs/${logId}/measures/${id}/evaluate`, {
        token: tokenIn(form.body),
        happened: 'yes',
        effect: 'worked',
        family_effect: 'worked',
        family_view: familyView,
        comment: '',
        next_step: 'end',
      });
      t.equal(saved.statusCode, 303, 'the other evaluation is saved');
    }

    const page = await site.newPage({ javascript });
    await signInBrowser(page, HOLDER);

    await t.test('evaluate: the conflict page shows both evaluations', async (t) => {
      const id = await newMeasure('Ida tegner hvordan dagen var.');
      await goto(page, `/logs/${logId}/measures/${id}/evaluate`);
      await page.click('#evaluation-happened');
      await page.click('#evaluation-effect');
      await page.click('#evaluation-family-effect-did_not_work');
      await page.type('#evaluation-family-view', 'Ida syns tegningene var kjedelige.');
      await page.type('#evaluation-comment', 'Prøvd tre ganger.');
      await page.click('#evaluation-next-step-change');
      await evaluateElsewhere(id, 'Mor syns tegningene hjalp.');
      const response = await submit(page, 'main form[novalidate] button[type="submit"]');
      t.equal(response?.status(), 409);
      const main = await page.$eval('main', (m) => m.textContent ?? '');
      t.match(main, nb('plan.conflict.title'));
      t.match(main, 'Mor syns tegningene hjalp.', 'what was saved');
      t.equal(
        await page.$eval('#evaluation-family-view', (el) => (el as HTMLTextAreaElement).value),
        'Ida syns tegningene var kjedelige.',
        'what was typed, in a field to copy from',
      );
      t.equal(
        await page.$eval('#evaluation-comment', (el) => (el as HTMLTextAreaElement).value),
        'Prøvd tre ganger.',
      );
      await axe(t, page, 'evaluation conflict page');
    });

    await t.test('misregistered: the conflict page saves the correction as a new measure', async (t) => {
      const id = await newMeasure('Ida sykler til skolen.');
      await goto(page, `/logs/${logId}/measures/${id}/misregistered`);
      const text = `#measure-${id}-fix-text`;
      await page.$eval(text, (el) => ((el as HTMLTextAreaElement).value = ''));
      await page.type(text, 'Ida går til skolen med en venn.');
      await page.type(`#measure-${id}-fix-reason`, 'Hun har ingen sykkel.');
      await evaluateElsewhere(id, 'Syklingen gikk bra.');
      const response = await submit(page, 'main form[novalidate] button[type="submit"]');
      t.equal(response?.status(), 409);
      const main = await page.$eval('main', (m) => m.textContent ?? '');
      t.match(main, 'Syklingen gikk bra.', 'the saved evaluation');
      t.match(main, 'Hun har ingen sykkel.', 'the reason typed');
      t.equal(
        await page.$eval('#measure-new-text', (el) => (el as HTMLTextAreaElement).value),
        'Ida går til skolen med en venn.',
      );
      await axe(t, page, 'misregistered conflict page');
      const saved = await submit(page, 'main form[novalidate] button[type="submit"]');
      t.equal(saved?.status(), 200);
      const created = await site
        .db('measures')
        .where({ text: 'Ida går til skolen med en venn.', goal_id: goal.id })
        .orderBy('id', 'desc')
        .first();
      t.ok(created, 'the correction is saved as a new measure');
      t.equal(new URL(page.url()).hash, `#measure-${created?.id}`);
      t.same(
        pageProblems(page).filter((p) => !/^request failed: .*\/drafts$/.test(p)),
        [],
        'no script errors, CSP refusals or failed requests',
      );
    });
  });
}
