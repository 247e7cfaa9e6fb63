/**
 * Each person's language, through the routes: chosen on the person's own page and stored with the
 * account, followed in a new browser after sign-in, kept in step with the header switch; the header
 * switch before sign-in; the log's print in the language chosen on the print form; the meeting's
 * print in the family's language when they chose one, else the holder's; the PDF's /Lang matching its
 * text; built-in concern categories translated, one written by an administrator shown as written.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { catalogue, type Locale } from '../src/i18n/index.js';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import { idaLogId, userId } from './plan-fixture.js';
import { startCatcher, type Catcher, type CaughtMessage } from '../src/features/notifications/catcher.js';

const GUARDIAN = 'foresatt@stafett.example';
const HOLDER = 'stafettholder@stafett.example';
const msg = (locale: Locale, key: string) => catalogue(locale)[key]!;
const htmlLang = (body: string) => /<html lang="([a-z]+)"/.exec(body)?.[1];

function pdfText(pdf: Buffer): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'stafett-lang-'));
  try {
    const file = path.join(folder, 'plan.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
async function mailTo(catcher: Catcher, address: string, subject: string): Promise<CaughtMessage> {
  for (let i = 0; i < 120; i++) {
    const found = catcher.messages.find((m) => m.envelopeTo.includes(address) && m.subject === subject);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no e-mail to ${address} with subject "${subject}"`);
}

async function mailSite(t: Parameters<typeof testApp>[0]) {
  const catcher = await startCatcher();
  t.teardown(() => catcher.close());
  const site = await testApp(t, {
    SMTP_URL: catcher.url,
    NOTIFY_RETRY_DELAY_SECONDS: '1',
    JOBS_POLL_SECONDS: '1',
    BASE_URL: 'https://stafett.example.no',
  });
  await site.app.jobs.start();
  return { ...site, catcher };
}
const pdfLang = (pdf: Buffer) => /\/Lang \(([a-z-]+)\)/.exec(pdf.toString('latin1'))?.[1];

t.test('a person chooses their language on their own page; it follows them and the switch', async (t) => {
  const { app, db } = await testApp(t);
  const anne = await userId(db, GUARDIAN);

  // Before sign-in the header switch works with the cookie alone.
  const browser = new Agent(app);
  await browser.get('/login');
  const switched = await browser.post('/language', { lang: 'en', returnTo: '/login' });
  t.equal(switched.statusCode, 303);
  t.equal(htmlLang((await browser.follow(switched)).body), 'en', 'English before sign-in');
  t.equal((await db('users').where({ id: anne }).first('locale')).locale, null, 'nothing stored');

  // Signed in, without a stored choice: the browser's language stays and becomes the account's.
  await signIn(browser, GUARDIAN);
  t.equal((await db('users').where({ id: anne }).first('locale')).locale, 'en', 'stored at sign-in');
  const account = await browser.get('/account');
  t.equal(account.statusCode, 200);
  t.equal(htmlLang(account.body), 'en');
  t.match(account.body, /<form method="post" action="\/account\/language"/, 'a plain form');
  t.match(account.body, /name="lang" type="radio" value="en" checked/, 'the current language is chosen');
  t.match(account.body, /<label class="label radios__label" for="lang" lang="nb">Norsk \(bokmål\)<\/label>/);

  // A bad value: 422, the error next to the field, nothing stored.
  const bad = await browser.post('/account/language', { lang: 'xx' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, msg('en', 'account.language.error'));
  t.match(bad.body, /aria-invalid="true"/);
  t.equal((await db('users').where({ id: anne }).first('locale')).locale, 'en', 'not changed');
  t.equal((await browser.post('/account/language', { lang: 'nb' }, { csrf: false })).statusCode, 403);

  // Bokmål chosen on the page: stored, and the pages follow it although the cookie said English.
  const saved = await browser.post('/account/language', { lang: 'nb' });
  t.equal(saved.statusCode, 303);
  const after = await browser.follow(saved);
  t.equal(htmlLang(after.body), 'nb');
  t.match(after.body, msg('nb', 'account.language.saved'));
  t.equal((await db('users').where({ id: anne }).first('locale')).locale, 'nb');

  // The header switch while signed in updates the account.
  await browser.post('/language', { lang: 'en', returnTo: '/account' });
  t.equal((await db('users').where({ id: anne }).first('locale')).locale, 'en', 'the switch stores it');
  await browser.post('/language', { lang: 'zz', returnTo: '/account' });
  t.equal((await db('users').where({ id: anne }).first('locale')).locale, 'en', 'not a language: kept');

  // A new browser (no cookie) follows the stored choice after sign-in, over its own cookie.
  const other = new Agent(app);
  await other.get('/login');
  await other.post('/language', { lang: 'nb', returnTo: '/login' });
  t.equal(htmlLang((await other.get('/login')).body), 'nb', 'bokmål before sign-in in that browser');
  const home = await signIn(other, GUARDIAN);
  t.equal(htmlLang(home.body), 'en', 'the account’s choice after sign-in');
});

t.test('built-in concern categories are translated; one written by an administrator is not', async (t) => {
  const { app, db } = await testApp(t);
  const logId = await idaLogId(db);
  const concern = await db('concerns').where({ log_id: logId }).whereNotNull('category_id').first();
  const category = await db('concern_categories').where({ id: concern.category_id }).first();
  t.ok(category.code, 'the demo categories are built-in ones');
  const agent = new Agent(app);
  await signIn(agent, HOLDER);
  await agent.post('/language', { lang: 'en', returnTo: '/' });
  const english = msg('en', `category.${category.code}`);
  let page = await agent.get(`/logs/${logId}`);
  t.match(page.body, `<span class="tag tag--blue">${english}</span>`, 'in English');
  t.notMatch(page.body, `<span class="tag tag--blue">${category.label}</span>`);

  await db('concern_categories').where({ id: category.id }).update({ code: null, label: 'Egen kategori' });
  page = await agent.get(`/logs/${logId}`);
  t.match(page.body, '<span class="tag tag--blue">Egen kategori</span>', 'as written');
  const form = await agent.get(`/logs/${logId}/concerns/new`);
  t.match(form.body, '>Egen kategori</option>');
  const builtIn = await db('concern_categories').whereNotNull('code').first('code');
  t.match(form.body, `>${msg('en', `category.${builtIn.code}`)}</option>`, 'the built-in ones translated');
});

// The tests in this file share one database: each starts with nobody's language chosen.
const noChoices = (db: Awaited<ReturnType<typeof testApp>>['db']) => db('users').update({ locale: null });

t.test('the log’s print is in the language chosen on the print form', async (t) => {
  const { app, db } = await testApp(t);
  await noChoices(db);
  const logId = await idaLogId(db);
  const agent = new Agent(app);
  await signIn(agent, HOLDER);
  const list = await agent.get(`/logs/${logId}/prints`);
  t.match(list.body, /name="lang" type="radio" value="nb" checked/, 'the interface language by default');
  t.match(list.body, /name="lang" type="radio" value="en"/, 'English offered');

  const made = await agent.post(`/logs/${logId}/prints`, { reason: 'yearly', lang: 'en' });
  t.equal(made.statusCode, 303);
  t.equal(htmlLang((await agent.follow(made)).body), 'nb', 'the pages stay in bokmål');
  const id = /made=(\d+)/.exec(made.headers.location as string)![1];
  const pdf = (await agent.get(`/logs/${logId}/prints/${id}/download`)).rawPayload;
  t.equal(pdfLang(pdf), 'en', 'the PDF says English');
  const text = pdfText(pdf);
  t.match(text, /Page 1 of \d+/, 'and is in English');
  t.match(text, msg('en', 'planType.stafettlogg'));
  t.notMatch(text, /Side 1 av/);

  // Nothing (or something unknown) posted: the interface language.
  const plain = await agent.post(`/logs/${logId}/prints`, { reason: 'yearly', lang: 'zz' });
  const plainId = /made=(\d+)/.exec(plain.headers.location as string)![1];
  const nb = (await agent.get(`/logs/${logId}/prints/${plainId}/download`)).rawPayload;
  t.equal(pdfLang(nb), 'nb');
  t.match(pdfText(nb), /Side 1 av \d+/);
});

/** Plans, starts and closes a meeting in Ida's log; returns the meeting's stored print. */
async function closeMeeting(agent: Agent, logId: number): Promise<Buffer> {
  const form = await agent.get(`/logs/${logId}/meetings/new`);
  const token = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
  const day = isoToParts(addDays(osloDate(new Date()), 1));
  const created = await agent.post(`/logs/${logId}/meetings`, {
    formToken: token,
    participants_form: '1',
    'date-day': day.day,
    'date-month': day.month,
    'date-year': day.year,
    dateTime: '10:00',
    duration: '60',
    mode: 'in_person',
    place: 'Møterom 2',
    purpose: 'Tiltak.',
  });
  if (created.statusCode !== 303) throw new Error(`planning answered ${created.statusCode}`);
  const url = created.headers.location as string;
  await agent.post(`${url}/start`);
  await agent.get(`${url}/close`);
  const closed = await agent.post(`${url}/close`, { planNext: 'no' });
  if (closed.statusCode !== 303)
    throw new Error(`closing answered ${closed.statusCode}: ${closed.body.slice(0, 300)}`);
  const done = await agent.get(closed.headers.location as string);
  const link = /href="(\/logs\/\d+\/prints\/\d+\/download)"/.exec(done.body);
  if (!link) throw new Error('no print link after closing');
  const pdf = (await agent.get(link[1]!)).rawPayload;
  await agent.post(`${url}/mode/leave`);
  return pdf;
}

t.test(
  'the meeting’s print is in the family’s language when they chose one, else the holder’s',
  async (t) => {
    const { app, db } = await testApp(t);
    const logId = await idaLogId(db);
    await db('meetings').where({ status: 'running' }).update({ status: 'closed' });
    const holder = await userId(db, HOLDER);
    const agent = new Agent(app);
    await signIn(agent, HOLDER);

    // The guardian chose English; the holder works in bokmål.
    await db('users').where({ email: GUARDIAN }).update({ locale: 'en' });
    const family = await closeMeeting(agent, logId);
    t.equal(pdfLang(family), 'en', 'the family’s language');
    t.match(pdfText(family), /Page 1 of \d+/);

    // No one in the family chose: the holder's stored choice.
    await db('users')
      .whereIn('id', db('log_guardians').where({ log_id: logId }).select('user_id'))
      .update({ locale: null });
    await db('users')
      .whereIn(
        'id',
        db('child_guardians')
          .whereIn('child_id', db('logs').where({ id: logId }).select('child_id'))
          .select('user_id'),
      )
      .update({ locale: null });
    await db('users').where({ id: holder }).update({ locale: 'en' });
    const holders = await closeMeeting(agent, logId);
    t.equal(pdfLang(holders), 'en', 'the holder’s choice');
    await db('users').where({ id: holder }).update({ locale: 'nb' });
    const nb = await closeMeeting(agent, logId);
    t.equal(pdfLang(nb), 'nb');
    t.match(pdfText(nb), /Side 1 av \d+/);
  },
);

t.test('a language chosen before sign-in is stored with the account at sign-in', async (t) => {
  const { app, db, catcher } = await mailSite(t);
  await noChoices(db);
  const anne = await userId(db, GUARDIAN);
  const browser = new Agent(app);
  await browser.get('/login');
  await browser.post('/language', { lang: 'en', returnTo: '/login' });
  t.equal((await db('users').where({ id: anne }).first('locale')).locale, null, 'not before sign-in');
  await signIn(browser, GUARDIAN);
  t.equal((await db('users').where({ id: anne }).first('locale')).locale, 'en', 'stored at sign-in');

  // What is sent to her now comes in English.
  await app.services.notifications.notify({
    kind: 'deadline_soon',
    userIds: [anne],
    logId: await idaLogId(db),
  });
  const notice = await mailTo(catcher, GUARDIAN, msg('en', 'mail.deadline_soon.subject'));
  t.match(notice.text, msg('en', 'mail.deadline_soon.body'));

  // A choice already stored is not overwritten by the cookie of another browser.
  const other = new Agent(app);
  await other.get('/login');
  await other.post('/language', { lang: 'nn', returnTo: '/login' });
  await signIn(other, GUARDIAN);
  t.equal((await db('users').where({ id: anne }).first('locale')).locale, 'en', 'the stored choice kept');

  // No cookie, or one that names no language: nothing stored.
  const holder = await userId(db, HOLDER);
  await signIn(new Agent(app), HOLDER);
  t.equal((await db('users').where({ id: holder }).first('locale')).locale, null, 'no cookie: not chosen');
});

t.test('a password reset asked for from an English page comes in English', async (t) => {
  const { app, db, catcher } = await mailSite(t);
  await noChoices(db);
  const browser = new Agent(app);
  await browser.get('/login');
  await browser.post('/language', { lang: 'en', returnTo: '/password/forgot' });
  await browser.get('/password/forgot');
  const asked = await browser.post('/password/forgot', { email: HOLDER });
  t.equal(asked.statusCode, 200);
  const mail = await mailTo(catcher, HOLDER, msg('en', 'mail.reset.subject'));
  t.match(mail.text, msg('en', 'mail.reset.notYou'));
  const holder = await userId(db, HOLDER);
  t.equal((await db('users').where({ id: holder }).first('locale')).locale, null, 'nothing stored');
});
