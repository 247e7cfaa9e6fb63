/**
 * Consent over time (rule 2), with the test clock: expired or withdrawn consent blocks writing (the log
 * can still be read) and asks the holder to renew or close; a guardian withdraws through a confirmation
 * page; new consent opens the log for writing again; notices go out 30 days before and at expiry, once;
 * the yearly PDF is made for every active log.
 */
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import type { Db } from '../src/db/knex.js';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import { makeYearlyPrints, sendConsentNotices, yearlyPrintsDue } from '../src/features/relay/schedule.js';
import { JOBS_SCHEMA } from '../src/plugins/jobs.js';
import { userId } from './plan-fixture.js';

const HOLDER = 'stafettholder@stafett.example';
const LEADER = 'leder@stafett.example';
const GUARDIAN = 'foresatt@stafett.example';

async function logOf(db: Db, child: string): Promise<number> {
  return (
    await db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.first_name', child)
      .orderBy('l.id')
      .first('l.id')
  ).id;
}

async function validUntil(db: Db, logId: number): Promise<string> {
  return (
    await db('consents')
      .where({ log_id: logId })
      .whereNull('withdrawn_at')
      .orderBy('valid_until', 'desc')
      .first('valid_until')
  ).valid_until;
}

function consentFields(today: string, name = 'Anne Hagen'): Record<string, string> {
  const given = isoToParts(today);
  const until = isoToParts(addDays(today, 365));
  return {
    consentBy: 'guardians',
    consentName: name,
    'consentGivenOn-day': given.day,
    'consentGivenOn-month': given.month,
    'consentGivenOn-year': given.year,
    'consentValidUntil-day': until.day,
    'consentValidUntil-month': until.month,
    'consentValidUntil-year': until.year,
    consentServices: 'health_station',
    consentConfirmed: 'yes',
  };
}

const formToken = (html: string) => /name="formToken" value="([^"]+)"/.exec(html)![1]!;

t.test('30 days before expiry: holder and leader are told, on their pages and once by notice', async (t) => {
  const { app, db, clock } = await testApp(t);
  const ella = await logOf(db, 'Ella');
  const until = await validUntil(db, ella);
  clock.set(`${addDays(until, -20)}T09:00:00Z`);
  const first = await sendConsentNotices(app);
  t.ok(first.expiring >= 1, 'expiring consents are noticed');
  const again = await sendConsentNotices(app);
  t.same(again, { expiring: 0, expired: 0 }, 'each notice goes out once');
  const ellaConsent = (await db('consents').where({ log_id: ella }).first('id')).id;
  t.ok(await db('consent_notices').where({ consent_id: ellaConsent, kind: 'expiring' }).first());
  const queued = await db.raw(
    `SELECT data FROM ${JOBS_SCHEMA}.job WHERE name = 'notification.email' AND data->>'kind' = 'consent_expiring' AND data->>'logId' = ?`,
    [String(ella)],
  );
  const told = queued.rows.map((r: { data: { userId: number } }) => r.data.userId).sort();
  t.same(
    told,
    [await userId(db, 'laerer@stafett.example'), await userId(db, LEADER)].sort(),
    'an e-mail notice is queued for the holder and the leader',
  );

  const leader = new Agent(app);
  await signIn(leader, LEADER);
  const list = await leader.get('/logs');
  t.match(list.body, /Samtykke som må følges opp i enheten din/, 'the leader sees it on their page');
  t.match(list.body, new RegExp(`href="/logs/${ella}#consent">Ella Berg`));
  const holder = new Agent(app);
  await signIn(holder, 'laerer@stafett.example');
  const page = await holder.get(`/logs/${ella}`);
  t.match(page.body, /Utløper/, 'the holder sees it on the log');
  t.match(page.body, `href="/logs/${ella}/consents/new"`, 'with the way to renew it');

  clock.set(`${addDays(until, 1)}T09:00:00Z`);
  const expired = await sendConsentNotices(app);
  t.ok(expired.expired >= 1, 'and once more when it has expired');
  t.ok(await db('consent_notices').where({ consent_id: ellaConsent, kind: 'expired' }).first());
});

t.test(
  'expired consent: the log can be read, not written; the holder renews it and can write again',
  async (t) => {
    const { app, db, clock } = await testApp(t);
    const ida = await logOf(db, 'Ida');
    const until = await validUntil(db, ida);
    clock.set(`${addDays(until, 2)}T09:00:00Z`);
    const today = osloDate(clock.now());
    const holder = new Agent(app);
    await signIn(holder, HOLDER);
    const page = await holder.get(`/logs/${ida}`);
    t.equal(page.statusCode, 200, 'still readable');
    t.match(page.body, /Samtykket gjelder ikke lenger/);
    t.match(page.body, `href="/logs/${ida}/consents/new"`, 'asked to renew');
    t.match(page.body, `href="/logs/${ida}/close"`, 'or to close');
    t.notMatch(page.body, `href="/logs/${ida}/concerns/new"`);
    t.equal((await holder.get(`/logs/${ida}/concerns/new`)).statusCode, 404, 'writing is blocked');
    const concern = (await db('concerns').where({ log_id: ida }).first('id')).id;
    t.equal((await holder.post(`/logs/${ida}/concerns/${concern}`, { title: 'Endret' })).statusCode, 404);
    t.equal((await holder.get(`/logs/${ida}/transfer`)).statusCode, 404, 'no transfer without consent');

    const form = await holder.get(`/logs/${ida}/consents/new`);
    t.equal(form.statusCode, 200);
    const bad = await holder.post(`/logs/${ida}/consents`, {
      formToken: formToken(form.body),
      ...consentFields(today),
      consentConfirmed: '',
    });
    t.equal(bad.statusCode, 422);
    t.match(bad.body, /href="#consentConfirmed"/);
    const renewed = await holder.post(`/logs/${ida}/consents`, {
      formToken: formToken(form.body),
      ...consentFields(today),
    });
    t.equal(renewed.statusCode, 303);
    t.equal(
      (await holder.get(`/logs/${ida}/concerns/new`)).statusCode,
      200,
      'writing again with new consent',
    );
    t.ok(await db('audit_events').where({ action: 'consent.create', log_id: ida }).first());
  },
);

t.test(
  'a guardian withdraws consent through a confirmation page: read yes, write no, for everyone',
  async (t) => {
    const { app, db } = await testApp(t);
    const ida = await logOf(db, 'Ida');
    const guardian = new Agent(app);
    await signIn(guardian, GUARDIAN);
    const own = await guardian.get(`/logs/${ida}`);
    t.match(
      own.body,
      `href="/logs/${ida}/consents/withdraw"`,
      'the family page links to "Trekk tilbake samtykke"',
    );
    const confirm = await guardian.get(`/logs/${ida}/consents/withdraw`);
    t.equal(confirm.statusCode, 200);
    t.match(confirm.body, /Trekk tilbake samtykke/);
    t.match(confirm.body, /Loggen kan fortsatt leses/);
    const withdrawn = await guardian.post(`/logs/${ida}/consents/withdraw`, { reason: '' });
    t.equal(withdrawn.statusCode, 303, 'a guardian need not give a reason');
    const consents = await db('consents').where({ log_id: ida }).select('withdrawn_at', 'withdrawn_by');
    t.ok(
      consents.every((c) => c.withdrawn_at),
      'every consent in force is withdrawn',
    );
    t.equal(
      (await guardian.post(`/logs/${ida}/consents/withdraw`, { reason: '' })).statusCode,
      303,
      'a second click is not an error',
    );
    t.equal((await guardian.get(`/logs/${ida}`)).statusCode, 200, 'the family still reads the log');

    const holder = new Agent(app);
    await signIn(holder, HOLDER);
    const page = await holder.get(`/logs/${ida}`);
    t.match(page.body, /Samtykket gjelder ikke lenger/, 'the holder is asked to renew or close');
    t.equal((await holder.get(`/logs/${ida}/concerns/new`)).statusCode, 404, 'the holder cannot write');
    t.equal((await holder.get(`/logs/${ida}/consents/withdraw`)).statusCode, 404, 'nothing left to withdraw');
    t.equal((await holder.get(`/logs/${ida}/close`)).statusCode, 200, 'but can close the log');
    t.ok(
      await db('audit_events').where({ action: 'consent.withdraw', log_id: ida, outcome: 'ok' }).first(),
      'audited',
    );
  },
);

t.test("the holder records a withdrawal on the family's word, saying whose", async (t) => {
  const { app, db } = await testApp(t);
  const lise = await logOf(db, 'Lise');
  const holder = new Agent(app);
  await signIn(holder, HOLDER);
  await holder.get(`/logs/${lise}/consents/withdraw`);
  const empty = await holder.post(`/logs/${lise}/consents/withdraw`, { reason: ' ' });
  t.equal(empty.statusCode, 422);
  t.match(empty.body, /href="#reason"/);
  t.equal(
    (await holder.post(`/logs/${lise}/consents/withdraw`, { reason: 'Mor ringte i dag og trakk samtykket.' }))
      .statusCode,
    303,
  );
  t.equal(
    (await db('consents').where({ log_id: lise }).first()).withdrawn_reason,
    'Mor ringte i dag og trakk samtykket.',
  );
  t.equal((await holder.get(`/logs/${lise}/concerns/new`)).statusCode, 404);
});

t.test('the yearly PDF is made for every active log, once a year', async (t) => {
  const { app, db, clock } = await testApp(t);
  t.same(await yearlyPrintsDue(app), [], 'nothing due for logs younger than a year');
  clock.set(new Date(clock.now().getTime() + 366 * 24 * 3600 * 1000));
  const active = await db('logs').where({ status: 'active' }).orderBy('id').pluck('id');
  t.same(await yearlyPrintsDue(app), active, 'a year on: every active log');
  t.equal(await makeYearlyPrints(app), active.length, 'a PDF each');
  const prints = await db('archive_prints').where({ reason: 'yearly' }).pluck('log_id');
  t.same(prints.sort(), [...active].sort());
  t.same(await yearlyPrintsDue(app), [], 'not again until next year');
});

t.test('the nightly relay job is scheduled with the jobs plugin', async (t) => {
  const { app, db } = await testApp(t);
  await app.jobs.start();
  const schedule = await db.raw(
    `SELECT name, cron, options->>'tz' AS tz FROM ${JOBS_SCHEMA}.schedule WHERE name = 'relay.daily'`,
  );
  t.same(schedule.rows, [{ name: 'relay.daily', cron: '15 3 * * *', tz: 'Europe/Oslo' }]);
});
