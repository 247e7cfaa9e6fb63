/**
 * E-mail notices through a real SMTP server on 127.0.0.1 (smtp-server), sent by pg-boss jobs on the
 * test database: a guardian new to Stafett is invited to a new log and one already in Stafett hears of
 * it, a stopped mail server only delays the notice, no e-mail carries the child's name or identity
 * number, and each person can turn each kind off.
 */
import t, { type Test } from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { syntheticNationalId } from '../seeds/01_organisation.js';
import { osloDate, addDays, isoToParts } from '../src/lib/dates.js';
import { startCatcher, type Catcher } from '../src/features/notifications/catcher.js';
import { composeNotice } from '../src/features/notifications/message.js';
import { translator } from '../src/i18n/index.js';
import { NOTICE_KINDS } from '../src/features/notifications/kinds.js';
import { JOBS_SCHEMA } from '../src/plugins/jobs.js';
import { createDb } from '../src/db/knex.js';
import { freePort } from '../src/db/embedded.js';
import { identityNumbersIn } from './helpers/identity.js';

const today = osloDate(new Date());

function logForm(
  token: string,
  child: { first: string; last: string; id: string },
  guardian: { name: string; email: string },
): Record<string, string> {
  const given = isoToParts(today);
  const until = isoToParts(addDays(today, 365));
  return {
    formToken: token,
    childNationalId: child.id,
    childFirstName: child.first,
    childLastName: child.last,
    guardian1Name: guardian.name,
    guardian1Email: guardian.email,
    planType: 'stafettlogg',
    level: '1',
    consentBy: 'guardians',
    consentName: guardian.name,
    'consentGivenOn-day': given.day,
    'consentGivenOn-month': given.month,
    'consentGivenOn-year': given.year,
    'consentValidUntil-day': until.day,
    'consentValidUntil-month': until.month,
    'consentValidUntil-year': until.year,
    consentServices: 'health_station',
    consentConfirmed: 'yes',
    startupNote: 'Bekymring for søvn.',
  };
}

async function createLog(
  agent: Agent,
  child: { first: string; last: string; id: string },
  guardian: { name: string; email: string },
): Promise<number> {
  const form = await agent.get('/logs/new');
  const token = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
  const res = await agent.post('/logs', logForm(token, child, guardian));
  if (res.statusCode !== 303) throw new Error(`create log answered ${res.statusCode}`);
  return Number(/\/logs\/(\d+)/.exec(String(res.headers.location))![1]);
}

function noChildData(t: Test, text: string, child: { first: string; last: string; id: string }) {
  t.notOk(text.includes(child.first), 'no first name');
  t.notOk(text.includes(child.last), 'no last name');
  t.notOk(text.includes(child.id), 'no identity number');
  t.same(identityNumbersIn(text), [], 'no identity number at all');
}

t.test(
  'a new log: a guardian new to Stafett is invited, one already in Stafett gets the notice; a stopped mail server delays the notice, never loses it',
  async (t) => {
    let catcher: Catcher = await startCatcher();
    t.teardown(() => catcher.close());
    const port = catcher.port;
    const { app, db } = await testApp(t, {
      SMTP_URL: catcher.url,
      NOTIFY_RETRY_DELAY_SECONDS: '1',
      JOBS_POLL_SECONDS: '1',
      BASE_URL: 'https://stafett.example.no',
    });
    await app.jobs.start();
    const agent = new Agent(app);
    await signIn(agent, 'stafettholder@stafett.example');
    const vera = { name: 'Vera Varsel', email: 'vera.varsel@example.com' };

    // A guardian new to Stafett: an invitation with a single-use link, not a notice she could not use.
    const sara = { first: 'Saralinn', last: 'Epostesen', id: syntheticNationalId('2015-04-05', 21) };
    const started = Date.now();
    await createLog(agent, sara, vera);
    t.ok(Date.now() - started < 2000, 'creating the log does not wait for the mail server');
    const [invitation] = await catcher.waitFor(1, 15_000);
    t.same(invitation!.envelopeTo, [vera.email], 'to the guardian');
    t.equal(invitation!.subject, 'Invitasjon til Stafett', 'an invitation, not the "Ny logg" notice');
    t.match(invitation!.text, /Du er lagt til i Stafett/);
    t.match(invitation!.text, /Lenken kan brukes én gang/);
    const link = /https:\/\/stafett\.example\.no(\/invitation\?token=[A-Za-z0-9_-]+)/.exec(invitation!.text);
    t.ok(link, 'a link to take the account into use');
    t.notMatch(invitation!.text, /\/logs\/\d+/, 'no link to the log (nothing about the child)');
    noChildData(t, invitation!.raw, sara);
    noChildData(t, invitation!.text, sara);

    // The link works once: she chooses a password, and the same link then says it is used.
    const guest = new Agent(app);
    t.equal((await guest.get(link![1]!)).statusCode, 303, 'the link opens');
    t.equal((await guest.get('/invitation')).statusCode, 200, 'the invitation page');
    const password = 'Et langt og godt passord 42';
    const accepted = await guest.post('/invitation', { password, passwordRepeat: password });
    t.equal(accepted.statusCode, 303, 'a password chosen: signed in');
    const again = await new Agent(app).get(link![1]!);
    t.equal(again.statusCode, 410, 'the link cannot be used twice');
    t.match(again.body, /Lenken er allerede brukt/, 'and the page says it is used');
    t.equal(catcher.messages.length, 1, 'no "Ny logg" notice besides the invitation');

    // A guardian already in Stafett (Vera, now that her account is in use) gets the notice.
    const una = { first: 'Unalise', last: 'Varselsen', id: syntheticNationalId('2016-02-03', 27) };
    const unaLog = await createLog(agent, una, vera);
    const [, notice] = await catcher.waitFor(2, 15_000);
    t.same(notice!.envelopeTo, [vera.email], 'to the guardian');
    t.equal(notice!.subject, 'Ny logg i Stafett');
    t.match(notice!.text, /Det er opprettet en stafettlogg der du er registrert som foresatt\./);
    t.match(
      notice!.text,
      new RegExp(`https://stafett\\.example\\.no/logs/${unaLog}`),
      'a link to sign in and open the log',
    );
    t.notMatch(notice!.text, /token=/, 'no invitation link for someone already in Stafett');
    noChildData(t, notice!.raw, una);
    noChildData(t, notice!.text, una);

    // The mail server goes away: the notice waits and is retried.
    await catcher.close();
    const ola = { first: 'Olaviken', last: 'Retrysen', id: syntheticNationalId('2014-08-09', 23) };
    const second = await createLog(agent, ola, vera);
    const retrying = async () =>
      db
        .raw(
          `SELECT state, retry_count FROM ${JOBS_SCHEMA}.job WHERE name = 'notification.email' AND data->>'logId' = ?`,
          [String(second)],
        )
        .then((r) => r.rows[0]);
    let job = await retrying();
    for (let i = 0; i < 60 && !(job && job.retry_count > 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      job = await retrying();
    }
    t.ok(
      job && job.retry_count > 0 && ['retry', 'active', 'created'].includes(job.state),
      `the job failed and waits for a retry (${job?.state}, ${job?.retry_count})`,
    );

    catcher = await startCatcher({ port });
    const [late] = await catcher.waitFor(1, 30_000);
    t.same(late!.envelopeTo, [vera.email], 'the notice arrives once the server is back');
    t.equal(late!.subject, 'Ny logg i Stafett');
    noChildData(t, late!.raw, ola);
    let done = await retrying();
    for (let i = 0; i < 40 && done.state !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      done = await retrying();
    }
    t.equal(done.state, 'completed', 'and the job is done');
  },
);

t.test('each person can turn each kind off; the worker then skips it', async (t) => {
  const catcher = await startCatcher();
  t.teardown(() => catcher.close());
  const { app, db } = await testApp(t, {
    SMTP_URL: catcher.url,
    NOTIFY_RETRY_DELAY_SECONDS: '1',
    JOBS_POLL_SECONDS: '1',
  });
  const guardian = new Agent(app);
  await signIn(guardian, 'foresatt@stafett.example');
  const page = await guardian.get('/notifications');
  t.equal(page.statusCode, 200);
  t.match(page.body, /value="log_created" checked/);
  t.notMatch(page.body, /value="transfer"/, 'guardians are not offered staff notices');
  const saved = await guardian.post('/notifications', { prefs_form: '1', enabled: 'deadline_soon' });
  t.equal(saved.statusCode, 303);
  const after = await guardian.follow(saved);
  t.match(after.body, /Valgene dine er lagret\./);
  t.notMatch(after.body, /value="log_created" checked/);
  t.match(after.body, /value="deadline_soon" checked/);
  t.equal(
    (await guardian.post('/notifications', { enabled: 'deadline_soon' }, { csrf: false })).statusCode,
    403,
  );

  await app.jobs.start();
  const anne = await db('users').where({ email: 'foresatt@stafett.example' }).first('id');
  const ida = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ida')
    .first('l.id');
  await app.services.notifications.notify({ kind: 'log_created', userIds: [anne.id], logId: ida.id });
  await app.services.notifications.notify({ kind: 'deadline_soon', userIds: [anne.id], logId: ida.id });
  const [only] = await catcher.waitFor(1, 15_000);
  t.equal(only!.subject, 'Et tiltak skal snart evalueres', 'the kind still on arrives');
  await new Promise((resolve) => setTimeout(resolve, 2500));
  t.equal(catcher.messages.length, 1, 'the kind turned off does not');
});

t.test('deadlines and the weekly reminder are queued once per person and period', async (t) => {
  const { app, db, clock } = await testApp(t, { DEADLINE_NOTICE_DAYS: '3' });
  const service = app.services.notifications;
  const ida = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ida')
    .first('l.id');
  const measure = await db('measures')
    .where({ log_id: ida.id, responsible: 'actor' })
    .whereNot('status', 'evaluated')
    .first('id', 'responsible_user_id');
  await db('measures')
    .where({ id: measure.id })
    .update({ deadline: addDays(osloDate(clock.now()), 2) });
  const queued = await service.queueDeadlineNotices();
  t.ok(queued >= 1, 'the responsible party is notified');
  t.equal(await service.queueDeadlineNotices(), 0, 'and only once');
  const jobs = await db
    .raw(`SELECT data FROM ${JOBS_SCHEMA}.job WHERE name = 'notification.email'`)
    .then((r) => r.rows.map((x: { data: { kind: string; userId: number } }) => x.data));
  t.ok(
    jobs.some(
      (j: { kind: string; userId: number }) =>
        j.kind === 'deadline_soon' && j.userId === measure.responsible_user_id,
    ),
  );

  const weekly = await service.queueWeeklyReminders();
  t.ok(weekly >= 4, `everyone in an active log is reminded (${weekly})`);
  t.equal(await service.queueWeeklyReminders(), 0, 'once a week');
  clock.advance(7 * 24 * 3600 * 1000);
  t.equal(await service.queueWeeklyReminders(), weekly, 'and again the next week');
});

t.test('no notice text carries anything about a child; /dev/mail exists only in development', async (t) => {
  for (const kind of NOTICE_KINDS) {
    const { subject, text } = composeNotice(kind, 42, 'https://stafett.example.no', translator('nb'));
    t.ok(subject.length > 0 && text.includes('https://stafett.example.no/'), `${kind}: subject and link`);
    t.notMatch(text, /Ida|Hagen/, `${kind}: nothing about the child`);
    t.same(identityNumbersIn(text), [], `${kind}: no identity number`);
  }
  t.match(
    composeNotice('transfer', 42, 'https://s.example', translator('nb')).text,
    /https:\/\/s\.example\/logs\n/,
    'a transfer links to "Mine logger": the receiver cannot open the log before accepting',
  );
  t.match(
    composeNotice('measure_assigned', 42, 'https://s.example', translator('nb')).text,
    /https:\/\/s\.example\/logs\/42\n/,
  );
  const { app } = await testApp(t);
  t.equal((await app.inject({ method: 'GET', url: '/dev/mail' })).statusCode, 404, '404 outside development');
});

t.test(
  'a measure assigned to an actor queues one notice for that actor (not for a repeated submit)',
  async (t) => {
    const { app, db } = await testApp(t);
    const agent = new Agent(app);
    await signIn(agent, 'stafettholder@stafett.example');
    const ida = await db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.first_name', 'Ida')
      .first('l.id');
    const mood = await db('concerns').where({ log_id: ida.id }).orderBy('position').offset(1).first('id');
    const goal = await db('goals').where({ concern_id: mood.id }).first('id');
    const tor = await db('users').where({ email: 'aktor@stafett.example' }).first('id');
    const form = await agent.get(`/logs/${ida.id}/goals/${goal.id}/measures/new`);
    const start = isoToParts(today);
    const deadline = isoToParts(addDays(today, 21));
    const fields = {
      token: /name="token" value="([^"]+)"/.exec(form.body)?.[1] ?? '',
      text: 'Kontaktlæreren spør Ida hvordan friminuttene var, hver fredag.',
      responsible: 'actor',
      actor_id: String(tor.id),
      start_day: start.day,
      start_month: start.month,
      start_year: start.year,
      deadline_day: deadline.day,
      deadline_month: deadline.month,
      deadline_year: deadline.year,
    };
    const first = await agent.post(`/logs/${ida.id}/goals/${goal.id}/measures`, fields);
    const again = await agent.post(`/logs/${ida.id}/goals/${goal.id}/measures`, fields);
    t.equal(first.statusCode, 303);
    t.ok([303, 422].includes(again.statusCode), `the repeat answers ${again.statusCode}`);
    const jobs = await db
      .raw(
        `SELECT data FROM ${JOBS_SCHEMA}.job WHERE name = 'notification.email' AND data->>'kind' = 'measure_assigned'`,
      )
      .then((r) => r.rows);
    t.same(
      jobs.map((j: { data: unknown }) => j.data),
      [{ kind: 'measure_assigned', userId: tor.id, logId: ida.id }],
      'one notice, to the actor',
    );
  },
);

t.test('a measure handed to another actor on edit queues a notice for the new actor', async (t) => {
  const { app, db } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, 'stafettholder@stafett.example');
  // Ida's log is at level 2: staff from other units may be actors.
  const lise = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ida')
    .first('l.id');
  const mood = await db('concerns').where({ log_id: lise.id }).orderBy('position').offset(1).first('id');
  const goal = await db('goals').where({ concern_id: mood.id }).first('id');
  const helga = await db('users').where({ email: 'ppt@stafett.example' }).first('id');
  const tor = await db('users').where({ email: 'barnehage@stafett.example' }).first('id');
  const start = isoToParts(today);
  const deadline = isoToParts(addDays(today, 14));
  const form = await agent.get(`/logs/${lise.id}/goals/${goal.id}/measures/new`);
  const fields = {
    token: /name="token" value="([^"]+)"/.exec(form.body)?.[1] ?? '',
    text: 'PP-rådgiveren observerer Ida i friminuttet én gang i uka.',
    responsible: 'actor',
    actor_id: String(helga.id),
    start_day: start.day,
    start_month: start.month,
    start_year: start.year,
    deadline_day: deadline.day,
    deadline_month: deadline.month,
    deadline_year: deadline.year,
  };
  const created = await agent.post(`/logs/${lise.id}/goals/${goal.id}/measures`, fields);
  t.equal(created.statusCode, 303);
  const measureId = Number(/measure-(\d+)/.exec(String(created.headers.location))![1]);
  const count = async () =>
    (
      await db.raw(
        `SELECT count(*)::int AS n FROM ${JOBS_SCHEMA}.job WHERE name = 'notification.email' AND data->>'kind' = 'measure_assigned' AND data->>'userId' = ?`,
        [String(tor.id)],
      )
    ).rows[0].n as number;
  const before = await count();
  const edit = await agent.get(`/logs/${lise.id}/measures/${measureId}/edit`);
  const version = /name="version" value="(\d+)"/.exec(edit.body)![1]!;
  const saved = await agent.post(`/logs/${lise.id}/measures/${measureId}`, {
    ...fields,
    token: '',
    actor_id: String(tor.id),
    status: 'planned',
    version,
  });
  t.equal(saved.statusCode, 303);
  t.equal(await count(), before + 1, 'the new actor is told once');
});

t.test(
  'with the database unreachable, notify() neither throws nor hangs the page that called it',
  async (t) => {
    const db = createDb(`postgres://stafett:x@127.0.0.1:${await freePort()}/nowhere`);
    t.teardown(() => db.destroy());
    const { app } = await testApp(t, {}, { db });
    const started = Date.now();
    await app.services.notifications.notify({ kind: 'transfer', userIds: [1], logId: 1 });
    t.ok(Date.now() - started < 5000, `returned after ${Date.now() - started} ms`);
  },
);

t.test('mail settings are checked at start', async (t) => {
  const { loadConfig, ConfigError } = await import('../src/config.js');
  t.throws(
    () => loadConfig({ SMTP_URL: 'mail.example:25' }),
    ConfigError,
    'SMTP_URL must be an smtp:// or smtps:// URL',
  );
  t.throws(() => loadConfig({ MAIL_FROM: 'not an address' }), ConfigError);
  t.throws(() => loadConfig({ ATTACHMENT_MAX_MB: '500' }), ConfigError);
  const config = loadConfig({
    SMTP_URL: 'smtps://user:pass@mail.example:465',
    MAIL_FROM: 'Stafett <varsel@kommune.example>',
  });
  t.equal(config.smtpUrl, 'smtps://user:pass@mail.example:465');
  t.equal(config.attachmentMaxBytes, 5 * 1024 * 1024, '5 MB unless told otherwise');
});
