/**
 * Signing in as real people, in real Chromium against the local identity provider, with JavaScript off
 * (the flows need none) and on: a guardian registered on a new log signs in through "ID-porten" and
 * sees exactly that child's log; a staff member added by a leader signs in with the municipality's
 * login; an invited staff member sets a password; a password is reset by e-mail; a deactivated staff
 * member cannot sign in and their sessions are gone; sign-out ends the provider's session. axe-core
 * finds nothing on any new page (ours and the provider's), JavaScript off and on.
 */
import t from 'tap';
import type { Page } from 'puppeteer';
import { startCatcher, type Catcher, type CaughtMessage } from '../src/features/notifications/catcher.js';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import { demoNationalId, syntheticNationalId } from '../seeds/01_organisation.js';
import { freePort } from '../src/db/embedded.js';
import { expectAxeClean, goto, signInBrowser } from './helpers/browser.js';
import { signinApp, type SigninApp } from './helpers/signin.js';

type Assert = Parameters<typeof expectAxeClean>[0];
const axe = (t: unknown, page: Page, label: string) => expectAxeClean(t as Assert, page, label);

interface Site extends SigninApp {
  catcher: Catcher;
}

async function site(t: Parameters<typeof signinApp>[0]): Promise<Site> {
  const catcher = await startCatcher();
  t.teardown(() => catcher.close());
  const app = await signinApp(t, { SMTP_URL: catcher.url, JOBS_POLL_SECONDS: '1' });
  await app.app.jobs.start();
  return { ...app, catcher };
}

async function mailTo(catcher: Catcher, address: string): Promise<CaughtMessage> {
  for (let i = 0; i < 120; i++) {
    const found = catcher.messages.find((m) => m.envelopeTo.includes(address));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no e-mail to ${address}`);
}

const linkIn = (mail: CaughtMessage) => /(https?:\/\/\S+\?token=[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;

async function click(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

const path = (page: Page) => new URL(page.url()).pathname;
const text = (page: Page) => page.$eval('main', (m) => m.textContent ?? '');

/** At the provider's page: type a number (or address), keep or choose the level, sign in. */
async function atProvider(page: Page, typed: string, level?: 'idporten-loa-substantial') {
  await page.waitForSelector('#typed');
  await page.type('#typed', typed);
  if (level) await page.click(`#level-${level}`);
  await click(page, 'form[action$="/login"] button[type="submit"]');
}

async function typeDate(page: Page, name: string, iso: string) {
  const parts = isoToParts(iso);
  for (const part of ['day', 'month', 'year'] as const) {
    await page.$eval(`#${name}-${part}`, (el) => ((el as HTMLInputElement).value = ''));
    await page.type(`#${name}-${part}`, parts[part]);
  }
}

for (const javascript of [false, true]) {
  const js = javascript ? 'on' : 'off';

  t.test(
    `a guardian registered on a new log signs in with ID-porten and sees that child's log, then signs out of both (JavaScript ${js})`,
    async (t) => {
      const s = await site(t);
      const holder = await s.newPage({ javascript });
      await signInBrowser(holder, 'stafettholder@stafett.example');
      await goto(holder, '/logs/new');
      const today = osloDate(s.clock.now());
      const first = javascript ? 'Vilja' : 'Vetle';
      const guardianNumber = syntheticNationalId('1986-10-10', javascript ? 11 : 12);
      await holder.type('#childNationalId', syntheticNationalId('2015-05-15', javascript ? 51 : 52));
      await holder.type('#childFirstName', first);
      await holder.type('#childLastName', 'Viken');
      await holder.type('#guardian1Name', 'Vera Viken');
      await holder.type('#guardian1Email', `vera.viken.${js}@example.no`);
      await holder.type('#guardian1NationalId', guardianNumber);
      await axe(t, holder, 'create log with the guardian number field');
      await holder.click('#level-2');
      await holder.click('#consentBy');
      await holder.type('#consentName', 'Vera Viken');
      await typeDate(holder, 'consentValidUntil', addDays(today, 365));
      await holder.click('#consentServices-school');
      await holder.click('#consentConfirmed');
      await holder.type('#startupNote', `${first} sover lite.`);
      await click(holder, 'main form[novalidate] button[type="submit"]');
      const logId = Number(path(holder).split('/')[2]);
      t.ok(logId > 0, 'the log is made');
      const invitation = await mailTo(s.catcher, `vera.viken.${js}@example.no`);
      t.notMatch(invitation.raw, new RegExp(first), 'the invitation says nothing of the child');

      // The guardian's own browser.
      const guardian = await s.newPage({ javascript });
      await goto(guardian, '/login');
      await axe(t, guardian, 'sign-in page with its ways in');
      t.match(await text(guardian), /Logg inn med ID-porten/);
      t.match(await text(guardian), /Logg inn med kommunens innlogging/);
      await click(guardian, '#login-idporten');
      t.equal(new URL(guardian.url()).origin, s.idp.issuer, "at the provider's page");
      await axe(t, guardian, "the local provider's sign-in page");
      await click(guardian, 'form[action$="/login"] button[type="submit"]');
      t.match(await guardian.title(), /^Feil: /, 'nothing chosen: the provider says so');
      await axe(t, guardian, "the provider's page with an error");
      await atProvider(guardian, guardianNumber);
      t.equal(path(guardian), '/', 'back in Stafett, signed in');
      t.match(await text(guardian), /Vera Viken/);
      t.match(await text(guardian), new RegExp(`${first} Viken`), 'her child');
      await goto(guardian, '/family');
      const logs = await guardian.$$eval('main h2 a', (links) => links.map((a) => a.getAttribute('href')));
      t.same(logs, [`/logs/${logId}`], "exactly that child's log");
      await click(guardian, `main a[href="/logs/${logId}"]`);
      t.match(await guardian.$eval('h1', (h) => h.textContent ?? ''), new RegExp(first));
      await goto(
        guardian,
        `/logs/${(await s.db('logs as l').join('children as c', 'c.id', 'l.child_id').where('c.first_name', 'Ida').first('l.id')).id}`,
      );
      t.match(await guardian.title(), /Fant ikke siden/, "another child's log is not hers");

      await goto(guardian, '/account');
      await axe(t, guardian, 'own page with last sign-ins');
      t.match(await text(guardian), /ID-porten/);
      t.match(await text(guardian), /Høyt/);

      // Signing out: Stafett's session, then the provider's.
      await click(guardian, 'form[action="/logout"] button');
      if (!javascript) {
        t.equal(path(guardian), '/logout');
        t.match(await text(guardian), /Du er logget ut av Stafett/);
        await axe(t, guardian, 'signed out of Stafett, on to the provider');
        await click(guardian, '#provider-logout');
      } else if (new URL(guardian.url()).origin !== s.idp.issuer) {
        await guardian.waitForNavigation({ waitUntil: 'load' });
      }
      t.equal(new URL(guardian.url()).origin, s.idp.issuer, "at the provider's sign-out");
      await axe(t, guardian, "the provider's sign-out page");
      await click(guardian, 'button[form="op.logoutForm"]');
      t.equal(path(guardian), '/login', 'back at the sign-in page');
      t.match(await text(guardian), /Du er logget ut/);
      await click(guardian, '#login-idporten');
      t.ok(await guardian.$('#typed'), 'the provider asks who you are again: its session ended');
    },
  );
}

t.test(
  "a staff member added by a leader signs in with the municipality's login; another sets a password from the invitation",
  async (t) => {
    const s = await site(t);
    const leader = await s.newPage({ javascript: false });
    await signInBrowser(leader, 'leder@stafett.example');
    const school = await s.db('units').where({ name: 'Solbakken skole' }).first('id');
    await goto(leader, `/units/${school.id}/staff`);
    await leader.type('#email', 'mona.municipal@example.no');
    await leader.type('#name', 'Mona Kommune');
    await click(leader, 'main form[action$="/staff"] button[type="submit"]');
    t.match(await leader.title(), /^Feil: /, 'the identity number is needed');
    await axe(t, leader, 'staff page with an error on the identity number');
    await leader.type('#nationalId', syntheticNationalId('1982-02-02', 6));
    await click(leader, 'main form[action$="/staff"] button[type="submit"]');
    t.match(await text(leader), /Mona Kommune/);
    t.match(await text(leader), /ikke tatt i bruk/i);
    await axe(t, leader, 'staff page with someone not yet in');

    const mona = await s.newPage({ javascript: false });
    await goto(mona, '/login');
    await click(mona, '#login-municipal');
    await axe(t, mona, "the provider's page as the municipality's login");
    await atProvider(mona, 'mona.municipal@example.no');
    t.equal(path(mona), '/');
    t.match(await text(mona), /Mona Kommune/, "signed in with the municipality's login");

    // Another is invited and chooses a password.
    await goto(leader, `/units/${school.id}/staff`);
    await leader.type('#email', 'pia.passord@example.no');
    await leader.type('#name', 'Pia Passord');
    await leader.type('#nationalId', syntheticNationalId('1993-03-03', 7));
    await click(leader, 'main form[action$="/staff"] button[type="submit"]');
    const pia = await s.newPage({ javascript: false });
    await goto(pia, linkIn(await mailTo(s.catcher, 'pia.passord@example.no')));
    t.equal(path(pia), '/invitation');
    t.equal(new URL(pia.url()).search, '', 'the secret is out of the address bar');
    await axe(t, pia, 'invitation page');
    await pia.type('#password', 'kort');
    await pia.type('#passwordRepeat', 'kort');
    await click(pia, 'form[action="/invitation"] button');
    t.match(await pia.title(), /^Feil: /);
    await axe(t, pia, 'invitation page with errors');
    await pia.type('#password', 'vinter ved fjorden');
    await pia.type('#passwordRepeat', 'vinter ved fjorden');
    await click(pia, 'form[action="/invitation"] button');
    t.equal(path(pia), '/');
    t.match(await text(pia), /Pia Passord/, 'signed in');
    await click(pia, 'form[action="/logout"] button');
    await signInBrowser(pia, 'pia.passord@example.no', 'vinter ved fjorden');
    t.match(await text(pia), /Pia Passord/, 'and signs in with the password later');
  },
);

t.test('a password is reset by e-mail', async (t) => {
  const s = await site(t);
  const page = await s.newPage({ javascript: false });
  await goto(page, '/login');
  await click(page, 'a[href="/password/forgot"]');
  await axe(t, page, 'forgot password');
  await page.type('#email', 'aktor@stafett.example');
  await click(page, 'form[action="/password/forgot"] button');
  t.match(await text(page), /Hvis adressen hører til en konto/);
  await axe(t, page, 'forgot password, sent');
  await goto(page, linkIn(await mailTo(s.catcher, 'aktor@stafett.example')));
  t.equal(path(page), '/password/reset');
  await axe(t, page, 'new password');
  await page.type('#password', 'snø på taket i mai');
  await page.type('#passwordRepeat', 'snø på taket i mai');
  await click(page, 'form[action="/password/reset"] button');
  t.match(await text(page), /Tor Hansen/, 'signed in with the new password');
  await goto(page, linkIn(await mailTo(s.catcher, 'aktor@stafett.example')));
  t.match(await text(page), /Lenken er allerede brukt/, 'the link works once');
  await axe(t, page, 'a used link');
});

t.test('a deactivated staff member cannot sign in, and their sessions are gone', async (t) => {
  const s = await site(t);
  const teacher = await s.newPage({ javascript: false });
  await signInBrowser(teacher, 'laerer@stafett.example');
  const leader = await s.newPage({ javascript: false });
  await signInBrowser(leader, 'leder@stafett.example');
  const school = await s.db('units').where({ name: 'Solbakken skole' }).first('id');
  const nina = await s.db('users').where({ email: 'laerer@stafett.example' }).first('id');
  await goto(leader, `/units/${school.id}/staff/${nina.id}`);
  await click(leader, `a[href$="/staff/${nina.id}/deactivate"]`);
  await axe(t, leader, 'deactivate: the question');
  await click(leader, '#deactivate');
  t.match(await text(leader), /Nina Lund er deaktivert/);
  await axe(t, leader, 'member page of someone deactivated, with their logs');

  await teacher.reload({ waitUntil: 'load' });
  t.equal(path(teacher), '/login', 'her open session is gone');
  await teacher.type('#email', 'laerer@stafett.example');
  await teacher.type('#password', 'stafett-demo');
  await click(teacher, 'form[action="/login"] button');
  t.match(await text(teacher), /E-postadressen eller passordet er feil/, 'her password no longer works');
  await click(teacher, '#login-idporten');
  await atProvider(teacher, demoNationalId('laerer@stafett.example'));
  t.match(
    await text(teacher),
    /Du har ikke tilgang ennå — spør stafettholderen eller lederen din/,
    'nor ID-porten',
  );
  await axe(t, teacher, 'no access page');
});

for (const javascript of [false, true]) {
  t.test(`the other new pages are clean for axe (JavaScript ${javascript ? 'on' : 'off'})`, async (t) => {
    const s = await site(t);
    const holder = await s.newPage({ javascript });
    await signInBrowser(holder, 'stafettholder@stafett.example');
    const ida = await s
      .db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.first_name', 'Ida')
      .first('l.id');
    await goto(holder, `/logs/${ida.id}`);
    await click(holder, `a[href="/logs/${ida.id}/guardians"]`);
    await axe(t, holder, "the log's guardians");
    await holder.type('#nationalId', '123');
    await click(holder, 'main form[action$="/guardians"] button[type="submit"]');
    t.match(await holder.title(), /^Feil: /);
    await axe(t, holder, "the log's guardians with errors");
    const father = await s.db('users').where({ email: 'far@stafett.example' }).first('id');
    await goto(holder, `/logs/${ida.id}/guardians/${father.id}/remove`);
    await axe(t, holder, 'remove a guardian: the question');

    const person = await s.newPage({ javascript });
    await goto(person, '/login/idporten');
    await atProvider(person, syntheticNationalId('1999-09-09', 8), 'idporten-loa-substantial');
    t.match(await text(person), /høyere sikkerhetsnivå/);
    await axe(t, person, 'sign-in refused: level too low');

    // Someone with two accounts chooses.
    const nurse = await s
      .db('users')
      .where({ email: 'stafettholder@stafett.example' })
      .first('national_id_hash', 'municipality_id');
    await s.db('users').insert({
      municipality_id: nurse.municipality_id,
      email: `helga.${javascript}@example.no`,
      name: 'Helga Nilsen',
      kind: 'guardian',
      national_id_hash: nurse.national_id_hash,
    });
    const both = await s.newPage({ javascript });
    await goto(both, '/login/idporten');
    await atProvider(both, demoNationalId('stafettholder@stafett.example'));
    t.equal(path(both), '/login/choose');
    await axe(t, both, 'choose an account');
    await click(both, 'form[action="/login/choose"] button');
    await axe(t, both, 'choose an account, none chosen');

    const away = await signinApp(t, { IDPORTEN_ISSUER: `http://127.0.0.1:${await freePort()}` });
    const unreachable = await away.newPage({ javascript });
    await goto(unreachable, '/login/idporten');
    t.match(await text(unreachable), /svarer ikke akkurat nå/);
    await axe(t, unreachable, 'provider unreachable');
    await goto(unreachable, '/invitation?token=not-a-real-token-at-all-here');
    await axe(t, unreachable, 'a link that does not work');
  });
}
