/**
 * Each person's language in what is sent to them, through a real SMTP server on 127.0.0.1: two people
 * who chose different languages (English and nynorsk) are invited to the same meeting and each gets the e-mail and the
 * calendar file (SUMMARY, DESCRIPTION) in their own language, with Content-Language; the notices and
 * an invitation to someone who has not chosen (their family's language) likewise; a person who turned
 * meeting e-mails off gets none. The expected texts are read from the locale files.
 */
import t from 'tap';
import { simpleParser } from 'mailparser';
import ICAL from 'ical.js';
import { Agent, signIn, testApp, type TestApp } from './helpers/app.js';
import { startCatcher, type Catcher, type CaughtMessage } from '../src/features/notifications/catcher.js';
import { JOBS_SCHEMA } from '../src/plugins/jobs.js';
import { catalogue, type Locale } from '../src/i18n/index.js';
import { osloDate, addDays, isoToParts } from '../src/lib/dates.js';
import { idaLogId, userId } from './plan-fixture.js';

const GUARDIAN = 'foresatt@stafett.example';
const ACTOR = 'aktor@stafett.example';
const HOLDER = 'stafettholder@stafett.example';
/** The second person's language: nynorsk. */
const OTHER: Locale = 'nn';
const msg = (locale: Locale, key: string) => {
  const text = catalogue(locale)[key];
  if (text === undefined) throw new Error(`no ${key} in ${locale}`);
  return text;
};
/** A message's fixed text before its first argument ("Du er invitert til et møte {when}." → "Du er invitert til et møte"). */
const lead = (locale: Locale, key: string) => msg(locale, key).split('{')[0]!.trim();

async function site(t: Parameters<typeof testApp>[0]): Promise<TestApp & { catcher: Catcher }> {
  const catcher = await startCatcher();
  t.teardown(() => catcher.close());
  const app = await testApp(t, {
    SMTP_URL: catcher.url,
    NOTIFY_RETRY_DELAY_SECONDS: '1',
    JOBS_POLL_SECONDS: '1',
    BASE_URL: 'https://stafett.example.no',
  });
  await app.app.jobs.start();
  return { ...app, catcher };
}

async function mailTo(catcher: Catcher, address: string, subject?: string): Promise<CaughtMessage> {
  for (let i = 0; i < 120; i++) {
    const found = catcher.messages.find(
      (m) => m.envelopeTo.includes(address) && (subject === undefined || m.subject === subject),
    );
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no e-mail to ${address}${subject ? ` with subject "${subject}"` : ''}`);
}

/** Waits until the queue has nothing left to do (created, retried or running). */
async function queueDone(db: TestApp['db'], queue: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const { rows } = await db.raw(
      `SELECT count(*)::int AS n FROM ${JOBS_SCHEMA}.job WHERE name = ? AND state IN ('created', 'retry', 'active')`,
      [queue],
    );
    if (rows[0].n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`queue ${queue} never emptied`);
}

async function parsed(message: CaughtMessage) {
  const mail = await simpleParser(Buffer.from(message.raw, 'latin1'));
  const file = mail.attachments.find((a) => a.filename?.endsWith('.ics'));
  const event = file
    ? new ICAL.Component(ICAL.parse(file.content.toString('utf8'))).getFirstSubcomponent('vevent')
    : null;
  return { mail, event, contentLanguage: String(mail.headers.get('content-language') ?? '') };
}

/** Plans a meeting in Ida's log tomorrow with these people (the form takes one field per person). */
async function planMeeting(agent: Agent, logId: number, people: number[]): Promise<string> {
  const form = await agent.get(`/logs/${logId}/meetings/new`);
  const token = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
  const day = isoToParts(addDays(osloDate(new Date()), 1));
  const fields = new URLSearchParams({
    _csrf: agent.csrfToken,
    formToken: token,
    participants_form: '1',
    'date-day': day.day,
    'date-month': day.month,
    'date-year': day.year,
    dateTime: '10:00',
    duration: '60',
    mode: 'video',
    place: 'https://meet.example/abc',
    purpose: 'Avtale tiltak.',
  });
  for (const id of people) fields.append('participants', String(id));
  const created = await agent.app.inject({
    method: 'POST',
    url: `/logs/${logId}/meetings`,
    headers: { cookie: agent.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: fields.toString(),
  });
  if (created.statusCode !== 303) throw new Error(`planning a meeting answered ${created.statusCode}`);
  return created.headers.location as string;
}

t.test('a meeting invitation reaches each person in the language they chose', async (t) => {
  const { app, db, catcher } = await site(t);
  const logId = await idaLogId(db);
  const anne = await userId(db, GUARDIAN);
  const tor = await userId(db, ACTOR);

  // The guardian chooses English on her own page; the actor has chosen the other language.
  const guardian = new Agent(app);
  await signIn(guardian, GUARDIAN);
  await guardian.get('/account');
  t.equal((await guardian.post('/account/language', { lang: 'en' })).statusCode, 303);
  await db('users').where({ id: tor }).update({ locale: OTHER });

  const holder = new Agent(app);
  await signIn(holder, HOLDER);
  const url = await planMeeting(holder, logId, [anne, tor]);

  const cases: [string, Locale][] = [
    [GUARDIAN, 'en'],
    [ACTOR, OTHER],
  ];
  for (const [address, locale] of cases) {
    const message = await mailTo(catcher, address);
    const { mail, event, contentLanguage } = await parsed(message);
    t.equal(mail.subject, msg(locale, 'meeting.mail.request.subject'), `${address}: subject in ${locale}`);
    t.match(mail.text ?? '', lead(locale, 'meeting.mail.request.body'), `${address}: body in ${locale}`);
    t.match(mail.text ?? '', msg(locale, 'mail.signature'), `${address}: signed in ${locale}`);
    t.match(
      mail.text ?? '',
      msg(locale, `meeting.mode.video`),
      `${address}: the kind of meeting in ${locale}`,
    );
    t.match(mail.text ?? '', lead(locale, 'mail.preferences'), `${address}: where to turn them off`);
    t.equal(contentLanguage, locale, `${address}: Content-Language ${locale}`);
    t.equal(event?.getFirstPropertyValue('summary'), msg(locale, 'meeting.ics.title'), `${address}: SUMMARY`);
    t.match(
      String(event?.getFirstPropertyValue('description')),
      lead(locale, 'meeting.ics.description'),
      `${address}: DESCRIPTION in ${locale}`,
    );
  }
  const english = (await mailTo(catcher, GUARDIAN)).text;
  t.notMatch(english, lead('nb', 'meeting.mail.request.body'), 'no bokmål in the English e-mail');

  // The actor turns meeting e-mails off; the cancellation then reaches only the guardian.
  const actor = new Agent(app);
  await signIn(actor, ACTOR);
  const prefs = await actor.get('/notifications');
  t.match(prefs.body, /value="meeting" checked/, 'meeting e-mails are a choice on the preferences page');
  const kinds = [...prefs.body.matchAll(/name="enabled" type="checkbox" value="([a-z_]+)"/g)]
    .map((m) => m[1]!)
    .filter((k) => k !== 'meeting');
  const off = new URLSearchParams({ _csrf: actor.csrfToken, prefs_form: '1' });
  for (const k of kinds) off.append('enabled', k);
  const saved = await app.inject({
    method: 'POST',
    url: '/notifications',
    headers: { cookie: actor.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: off.toString(),
  });
  t.equal(saved.statusCode, 303);

  await holder.get(`${url}/cancel`);
  t.equal((await holder.post(`${url}/cancel`, { reason: 'Flyttet.' })).statusCode, 303);
  const cancelled = await mailTo(catcher, GUARDIAN, msg('en', 'meeting.mail.cancel.subject'));
  t.match(cancelled.text, lead('en', 'meeting.mail.cancel.body'), 'the cancellation in English');
  await queueDone(db, 'meeting.email');
  t.notOk(
    catcher.messages.some(
      (m) => m.envelopeTo.includes(ACTOR) && m.subject === msg(OTHER, 'meeting.mail.cancel.subject'),
    ),
    'no cancellation to the person who turned meeting e-mails off',
  );
});

t.test('notices and invitations are written in each recipient’s language', async (t) => {
  const { app, db, catcher } = await site(t);
  const logId = await idaLogId(db);
  const anne = await userId(db, GUARDIAN);
  const tor = await userId(db, ACTOR);
  await db('users').where({ id: anne }).update({ locale: 'en' });
  await db('users').where({ id: tor }).update({ locale: OTHER });

  await app.services.notifications.notify({ kind: 'deadline_soon', userIds: [anne, tor], logId });
  for (const [address, locale] of [
    [GUARDIAN, 'en'],
    [ACTOR, OTHER],
  ] as [string, Locale][]) {
    const message = await mailTo(catcher, address, msg(locale, 'mail.deadline_soon.subject'));
    t.match(message.text, msg(locale, 'mail.deadline_soon.body'), `${address}: the notice in ${locale}`);
    t.equal((await parsed(message)).contentLanguage, locale);
  }

  // Ida's father has not chosen a language: his invitation follows the family (Anne chose English).
  const father = await db('users as u')
    .join('child_guardians as g', 'g.user_id', 'u.id')
    .whereNot('u.id', anne)
    .whereIn('g.child_id', db('logs').where({ id: logId }).select('child_id'))
    .first('u.id', 'u.email');
  t.ok(father, 'Ida has a second guardian');
  await db('users')
    .where({ id: father.id })
    .update({ locale: null, email: 'far@stafett.example', activated_at: null });
  await app.db.transaction((trx) => app.services.invitations.invite(trx, father.id, null));
  const invitation = await mailTo(catcher, 'far@stafett.example');
  t.equal(invitation.subject, msg('en', 'mail.invitation.subject'), 'the family’s language');

  // Once he has signed in, an empty choice may be a deliberate bokmål from before languages were
  // stored: the installation's default, not the other parent's English.
  await db('users').where({ id: father.id }).update({ activated_at: new Date() });
  await app.services.notifications.notify({ kind: 'deadline_soon', userIds: [father.id], logId });
  const notice = await mailTo(catcher, 'far@stafett.example', msg('nb', 'mail.deadline_soon.subject'));
  t.equal((await parsed(notice)).contentLanguage, 'nb', 'signed in: not the family’s language');

  // Someone outside any family who has not chosen: the installation's default.
  const leader = await db('users').where({ email: 'leder@stafett.example' }).first('id');
  await db('users').where({ id: leader.id }).update({ locale: null });
  await app.services.notifications.notify({ kind: 'weekly_glimmer', userIds: [leader.id] });
  const weekly = await mailTo(catcher, 'leder@stafett.example');
  t.equal(weekly.subject, msg('nb', 'mail.weekly_glimmer.subject'), 'bokmål, the default');
});
