/**
 * Taking access away asks first, in real Chromium with JavaScript off and on: the leader unticks every
 * role of a staff member, is asked, says no (nothing changes), then yes; the holder's "withdraw" of a
 * read grant and the administrator's "remove as leader" lead to a question too. axe finds nothing on
 * any of the pages.
 */
import t from 'tap';
import type { Page } from 'puppeteer';
import { browserApp, expectAxeClean, goto, pageProblems, signInBrowser } from './helpers/browser.js';
import { accessPeople, buildWorld, EMAIL } from './helpers/access-world.js';

async function submit(page: Page, selector: string) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
  return response;
}
const path = (page: Page) => new URL(page.url()).pathname;
const h1 = (page: Page) => page.$eval('h1', (h) => h.textContent ?? '');

for (const javascript of [false, true]) {
  t.test(`removing access asks first, JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const site = await browserApp(t);
    const people = await accessPeople(site.db);
    const world = await buildWorld(site.db, people);
    const roles = () =>
      site
        .db('unit_memberships')
        .where({ unit_id: world.unitId, user_id: people.ids.superuser })
        .first('may_hold', 'may_be_actor', 'is_superuser');

    await t.test('a staff member’s roles', async (t) => {
      const page = await site.newPage({ javascript });
      await signInBrowser(page, EMAIL.leader);
      const member = `/units/${world.unitId}/staff/${people.ids.superuser}`;
      await goto(page, member);
      await expectAxeClean(t, page, 'staff member');
      for (const box of await page.$$('input[name="flags"]:checked')) await box.click();
      await submit(page, 'main form[novalidate] button[type="submit"]');
      t.match(await h1(page), 'Ta bort alle rollene til Sofie Super?', 'asked first');
      await expectAxeClean(t, page, 'confirm taking every role away');
      await submit(page, `main a.button--secondary[href="${member}"]`);
      t.equal(path(page), member, 'no: back to the member');
      t.same(await roles(), { may_hold: false, may_be_actor: true, is_superuser: true }, 'nothing changed');
      for (const box of await page.$$('input[name="flags"]:checked')) await box.click();
      await submit(page, 'main form[novalidate] button[type="submit"]');
      await submit(page, 'main form button.button--warning');
      t.equal(path(page), `/units/${world.unitId}/staff`, 'yes: saved');
      t.same(await roles(), { may_hold: false, may_be_actor: false, is_superuser: false });
      t.same(pageProblems(page), [], 'no failed requests or script errors');
    });

    await t.test('a read grant', async (t) => {
      const page = await site.newPage({ javascript });
      await signInBrowser(page, EMAIL.holder);
      await goto(page, `/logs/${world.logId}/grants`);
      await submit(page, `a[href="/logs/${world.logId}/grants/${world.grantId}/withdraw"]`);
      t.match(await h1(page), 'Anders Ansatt');
      await expectAxeClean(t, page, 'confirm withdrawing a read grant');
      await submit(page, 'main form button.button--warning');
      t.equal(path(page), `/logs/${world.logId}/grants`);
      t.not((await site.db('read_grants').where({ id: world.grantId }).first()).withdrawn_at, null);
      t.same(pageProblems(page), []);
    });

    await t.test('a leader', async (t) => {
      const page = await site.newPage({ javascript });
      await signInBrowser(page, EMAIL.admin);
      await goto(page, `/admin/units/${world.unitId}`);
      await submit(page, `a[href="/admin/units/${world.unitId}/leaders/${people.ids.leader}/remove"]`);
      t.match(await h1(page), 'Lene Leder');
      await expectAxeClean(t, page, 'confirm removing a leader');
      await submit(page, 'main a.button--secondary');
      t.equal(path(page), `/admin/units/${world.unitId}`, 'no: back to the unit');
      t.same(pageProblems(page), []);
    });
  });
}
