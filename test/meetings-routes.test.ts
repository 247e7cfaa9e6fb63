/** Meetings: planning, the meeting page, the invitation, meeting mode, agreements, evaluation, closing. */
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { osloDate, addDays, isoToParts } from '../src/lib/dates.js';

const tomorrow = isoToParts(addDays(osloDate(new Date()), 1));

async function idaLogId(db: import('knex').Knex): Promise<number> {
  const row = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ida')
    .first('l.id');
  return row.id as number;
}

function meetingForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'date-day': tomorrow.day,
    'date-month': tomorrow.month,
    'date-year': tomorrow.year,
    dateTime: '10:00',
    duration: '60',
    mode: 'in_person',
    place: 'Møterom 2, Solbakken skole',
    purpose: 'Se på fraværet og avtale tiltak sammen.',
    otherName1: 'Kari PPT',
    otherRole1: 'PPT-rådgiver',
    ...overrides,
  };
}

t.test('a holder plans a meeting, runs it in meeting mode and closes it with a PDF', async (t) => {
  const { app, db } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, 'stafettholder@stafett.example');
  const logId = await idaLogId(db);

  const log = await agent.get(`/logs/${logId}`);
  t.equal(log.statusCode, 200);
  t.match(log.body, /Møter og utskrifter/);

  const form = await agent.get(`/logs/${logId}/meetings/new`);
  t.equal(form.statusCode, 200, form.body.slice(0, 2000));
  const token = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
  const created = await agent.post(`/logs/${logId}/meetings`, meetingForm({ formToken: token }));
  t.equal(created.statusCode, 303, created.body.slice(0, 3000));
  const meetingUrl = created.headers.location as string;
  const page = await agent.get(meetingUrl);
  t.equal(page.statusCode, 200, page.body.slice(0, 3000));
  t.match(page.body, /Kari PPT/);

  const ics = await agent.get(`${meetingUrl}/invitation`);
  t.equal(ics.statusCode, 200);
  t.match(ics.headers['content-type'], /text\/calendar/);
  t.match(ics.body, /SUMMARY:Møte i Stafett/);
  t.notMatch(ics.body, /Ida/);

  const started = await agent.post(`${meetingUrl}/start`);
  t.equal(started.statusCode, 303, started.body.slice(0, 2000));
  const mode = await agent.get(started.headers.location as string);
  t.equal(mode.statusCode, 200, mode.body.slice(0, 4000));
  t.match(mode.body, /meeting-mode/);

  for (const phase of ['current_situation', 'concerns_goals', 'measures', 'summary']) {
    const moved = await agent.post(`${meetingUrl}/phase`, { phase });
    t.equal(moved.statusCode, 303);
  }
  const summary = await agent.get(`${meetingUrl}/mode`);
  t.equal(summary.statusCode, 200, summary.body.slice(0, 4000));
  const version = /name="version" value="(\d+)"/.exec(summary.body)![1]!;
  const next = isoToParts(addDays(osloDate(new Date()), 30));
  const saved = await agent.post(`${meetingUrl}/agreements`, {
    version,
    agreements: 'Mor ringer fastlegen innen fredag.',
    'next-day': next.day,
    'next-month': next.month,
    'next-year': next.year,
    nextTime: '09:00',
  });
  t.equal(saved.statusCode, 303, saved.body.slice(0, 4000));
  await agent.post(`${meetingUrl}/phase`, { phase: 'closing' });
  const evalForm = await agent.get(`${meetingUrl}/evaluation`);
  t.equal(evalForm.statusCode, 200, evalForm.body.slice(0, 3000));
  const evalToken = /name="formToken" value="([^"]+)"/.exec(evalForm.body)![1]!;
  const evaluated = await agent.post(`${meetingUrl}/evaluation`, {
    formToken: evalToken,
    respondent: 'guardian',
    said_what_wanted: '5',
    respected: '4',
    couldBeDifferent: 'Kortere møte.',
  });
  t.equal(evaluated.statusCode, 303, evaluated.body.slice(0, 3000));
  const close = await agent.get(`${meetingUrl}/close`);
  t.equal(close.statusCode, 200, close.body.slice(0, 3000));
  const closed = await agent.post(`${meetingUrl}/close`, { planNext: 'yes' });
  t.equal(closed.statusCode, 303);
  const done = await agent.get(closed.headers.location as string);
  t.equal(done.statusCode, 200, done.body.slice(0, 3000));
  const pdfLink = /href="(\/logs\/\d+\/prints\/\d+\/download)"/.exec(done.body);
  t.ok(pdfLink, done.body.slice(0, 3000));
  const pdf = await agent.get(pdfLink![1]!);
  t.equal(pdf.statusCode, 200);
  t.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  const show = await agent.get(meetingUrl);
  t.equal(show.statusCode, 200, show.body.slice(0, 3000));
  const printView = await agent.get(`/logs/${logId}/print?meeting=${meetingUrl.split('/').pop()}`);
  t.equal(printView.statusCode, 200, printView.body.slice(0, 3000));
  t.equal((await agent.post(`${meetingUrl}/mode/leave`)).statusCode, 303, 'meeting mode is left on purpose');
  const list = await agent.get(`/logs/${logId}/meetings`);
  t.equal(list.statusCode, 200, list.body.slice(0, 3000));
  const prints = await agent.get(`/logs/${logId}/prints`);
  t.equal(prints.statusCode, 200, prints.body.slice(0, 3000));
});

async function holderAgent(
  t: { teardown(fn: () => unknown): void },
  email = 'stafettholder@stafett.example',
) {
  const site = await testApp(t);
  const agent = new Agent(site.app);
  await signIn(agent, email);
  // The tests in this file share one database: no meeting left running by an earlier test.
  await site.db('meetings').where({ status: 'running' }).update({ status: 'closed' });
  return { ...site, agent, logId: await idaLogId(site.db) };
}

async function planMeeting(
  agent: Agent,
  logId: number,
  overrides: Record<string, string> = {},
): Promise<string> {
  const form = await agent.get(`/logs/${logId}/meetings/new`);
  const token = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
  const created = await agent.post(
    `/logs/${logId}/meetings`,
    meetingForm({ formToken: token, ...overrides }),
  );
  if (created.statusCode !== 303) throw new Error(`planning answered ${created.statusCode}`);
  return created.headers.location as string;
}

t.test('the planning form checks what was typed, keeps it, and links the errors to the fields', async (t) => {
  const { agent, logId } = await holderAgent(t);
  await agent.get(`/logs/${logId}/meetings/new`);
  const empty = await agent.post(`/logs/${logId}/meetings`, {
    duration: '60',
    mode: 'in_person',
    place: '',
    purpose: '',
  });
  t.equal(empty.statusCode, 422);
  t.match(empty.body, /<title>Feil: /);
  for (const href of ['#date-day', '#dateTime', '#place', '#purpose'])
    t.match(empty.body, new RegExp(`href="${href}"`), `error links to ${href}`);
  const bad = await agent.post(
    `/logs/${logId}/meetings`,
    meetingForm({
      dateTime: '25:61',
      'date-day': '31',
      'date-month': '2',
      otherName1: '',
      otherRole1: 'Lærer',
      purpose: 'Fravær og trivsel',
    }),
  );
  t.equal(bad.statusCode, 422);
  t.match(bad.body, /Klokkeslettet må være mellom 00:00 og 23:59/);
  t.match(bad.body, /Datoen må være en ekte dato/);
  t.match(bad.body, /href="#otherName1"/, 'a role without a name');
  t.match(bad.body, /Fravær og trivsel/, 'the typed text comes back');
  const phone = await agent.post(`/logs/${logId}/meetings`, meetingForm({ mode: 'phone', place: '' }));
  t.equal(phone.statusCode, 303, 'a phone meeting needs no place');
  const control = await agent.post(
    `/logs/${logId}/meetings`,
    meetingForm({ purpose: 'a\u0007b', participants: '999999' }),
  );
  t.equal(control.statusCode, 422);
  t.match(control.body, /href="#purpose"/);
  t.match(control.body, /href="#participants"/, 'only people in the log can be chosen');
});

t.test('a double-clicked submit plans one meeting; times are Oslo time', async (t) => {
  const { agent, db, logId } = await holderAgent(t);
  const before = await db('meetings').where({ log_id: logId }).pluck('id');
  const form = await agent.get(`/logs/${logId}/meetings/new`);
  const token = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
  const summer = meetingForm({
    formToken: token,
    'date-day': '15',
    'date-month': '6',
    'date-year': '2027',
    dateTime: '9.30',
  });
  const [first, second] = await Promise.all([
    agent.post(`/logs/${logId}/meetings`, summer),
    agent.post(`/logs/${logId}/meetings`, summer),
  ]);
  t.equal(first.statusCode, 303);
  t.equal(second.statusCode, 303);
  t.equal(first.headers.location, second.headers.location, 'both go to the same meeting');
  const rows = await db('meetings').where({ log_id: logId }).whereNotIn('id', before).select('starts_at');
  t.equal(rows.length, 1);
  t.equal((rows[0].starts_at as Date).toISOString(), '2027-06-15T07:30:00.000Z', '09:30 in Oslo summer time');
});

t.test('a meeting can be planned before the log has any concern', async (t) => {
  const { agent, db } = await holderAgent(t);
  const holder = (await db('users').where({ email: 'stafettholder@stafett.example' }).first('id')).id;
  const unit = (await db('unit_memberships').where({ user_id: holder, may_hold: true }).first('unit_id'))
    .unit_id;
  const municipality = (await db('users').where({ id: holder }).first('municipality_id')).municipality_id;
  const [child] = await db('children')
    .insert({ municipality_id: municipality, first_name: 'Tom', last_name: 'Tomt', birth_date: '2015-01-01' })
    .returning('id');
  const [log] = await db('logs')
    .insert({
      child_id: child.id,
      plan_type: 'stafettlogg',
      level: 1,
      holder_id: holder,
      unit_id: unit,
      startup_note: 'Ny.',
      created_by: holder,
    })
    .returning('id');
  await db('consents').insert({
    log_id: log.id,
    given_by: 'Foresatte',
    given_by_role: 'guardians',
    given_on: osloDate(new Date()),
    valid_until: addDays(osloDate(new Date()), 300),
    recorded_by: holder,
  });
  const url = await planMeeting(agent, log.id);
  const page = await agent.get(url);
  t.match(page.body, /Planen har ingen oppmerksomheter ennå/);
  await agent.post(`${url}/start`);
  const mode = await agent.get(`${url}/mode`);
  t.equal(mode.statusCode, 200);
  t.match(mode.body, /Planen har ingen oppmerksomheter ennå/);
  t.match(
    mode.body,
    new RegExp(`href="/logs/${log.id}/concerns/new"`),
    'concerns can be added from meeting mode',
  );
});

t.test('who may see and change meetings and prints', async (t) => {
  const { app, agent, db, logId } = await holderAgent(t);
  const url = await planMeeting(agent, logId);
  const meetingId = url.split('/').pop();

  const guardian = new Agent(app);
  await signIn(guardian, 'foresatt@stafett.example');
  t.equal((await guardian.get(`/logs/${logId}/meetings`)).statusCode, 200, 'a guardian sees the meetings');
  t.equal((await guardian.get(url)).statusCode, 200, 'and a meeting');
  t.equal((await guardian.get(`/logs/${logId}/print`)).statusCode, 200, 'and the print view');
  t.equal((await guardian.get(`/logs/${logId}/meetings/new`)).statusCode, 404, 'but does not plan meetings');
  t.equal((await guardian.post(`${url}/start`)).statusCode, 404, 'nor start them');
  t.equal(
    (await guardian.post(`/logs/${logId}/prints`, { reason: 'yearly' })).statusCode,
    404,
    'nor make archive prints',
  );

  const actor = new Agent(app);
  await signIn(actor, 'aktor@stafett.example');
  for (const path of [
    `/logs/${logId}/meetings`,
    url,
    `${url}/invitation`,
    `${url}/mode`,
    `/logs/${logId}/print`,
    `/logs/${logId}/prints`,
  ]) {
    t.equal(
      (await actor.get(path)).statusCode,
      404,
      `an actor who sees only some concerns gets 404 on ${path}`,
    );
  }
  const denied = await db('audit_events')
    .where({ log_id: logId, outcome: 'denied' })
    .count<{ count: number }[]>('* as count');
  t.ok(Number(denied[0]!.count) >= 6, 'refused attempts are audited');

  t.equal((await agent.get(`/logs/${logId}/meetings/999999`)).statusCode, 404, 'unknown meeting');
  t.equal((await agent.get(`/logs/${logId}/meetings/abc`)).statusCode, 404, 'not an id');
  const otherLog = (
    await db('logs')
      .whereNot({ id: logId })
      .where({
        holder_id: (await db('users').where({ email: 'stafettholder@stafett.example' }).first('id')).id,
      })
      .first('id')
  ).id;
  t.equal(
    (await agent.get(`/logs/${otherLog}/meetings/${meetingId}`)).statusCode,
    404,
    'a meeting through another log',
  );
  t.equal((await agent.post(`${url}/start`, { _csrf: 'wrong' })).statusCode, 403, 'no valid CSRF token: 403');
  const audit = await db('audit_events')
    .where({ log_id: logId, outcome: 'ok' })
    .whereLike('action', 'meeting.%')
    .pluck('action');
  t.ok(audit.includes('meeting.create') && audit.includes('meeting.list'), 'changes and reads are audited');
});

t.test('the invitation says nothing about the child', async (t) => {
  const { agent, logId } = await holderAgent(t);
  const url = await planMeeting(agent, logId, { purpose: 'Snakke om Idas magesmerter' });
  const ics = await agent.get(`${url}/invitation`);
  t.match(ics.headers['content-disposition'], /^attachment; filename="stafett-mote-\d{4}-\d{2}-\d{2}\.ics"$/);
  t.match(ics.body, /BEGIN:VEVENT/);
  t.match(ics.body, /DTSTART:\d{8}T\d{6}Z/);
  t.match(ics.body, /LOCATION:Møterom 2\\, Solbakken skole/);
  t.match(ics.body, new RegExp(`URL[^:]*:http://localhost:3000${url}`));
  t.notMatch(ics.body, /Ida|Hagen|magesmerter/, 'no name, no purpose');
});

t.test('meeting mode keeps the log on the projector until the holder leaves it', async (t) => {
  const { agent, db, logId } = await holderAgent(t);
  const url = await planMeeting(agent, logId);
  await agent.post(`${url}/start`);
  const log = await agent.get(`/logs/${logId}`);
  t.equal(log.statusCode, 303, 'the log page leads back to meeting mode');
  t.equal(log.headers.location, `${url}/mode`);
  const goalId = (await db('goals').where({ log_id: logId }).first('id')).id;
  const measureForm = await agent.get(`/logs/${logId}/goals/${goalId}/measures/new`);
  t.match(measureForm.body, /<body class="meeting-mode">/, "the plan's own forms show in meeting mode");
  t.notMatch(measureForm.body, /<header/, 'without the header');
  const otherLog = (
    await db('logs')
      .whereNot({ id: logId })
      .where({
        holder_id: (await db('users').where({ email: 'stafettholder@stafett.example' }).first('id')).id,
      })
      .first('id')
  ).id;
  const other = await agent.get(`/logs/${otherLog}`);
  t.equal(other.statusCode, 303, 'another log answers with the meeting-mode page (rule 12)');
  t.equal(other.headers.location, `${url}/mode`);
  const fragment = await agent.get(`/logs/${logId}`, { 'hx-request': 'true' });
  t.not(fragment.statusCode, 303, 'htmx requests are not redirected');

  const leave = await agent.get(`${url}/mode/leave`);
  t.equal(leave.statusCode, 200);
  t.match(leave.body, /Gå ut av møtemodus\?/);
  const left = await agent.post(`${url}/mode/leave`);
  t.equal(left.headers.location, url);
  t.equal((await agent.get(`/logs/${logId}`)).statusCode, 200, 'after leaving, the log page is itself again');
  t.equal((await agent.get(`/logs/${otherLog}`)).statusCode, 200, 'and other logs open again');
});

t.test(
  'one meeting runs at a time; agreements are saved against their version; evaluations are checked',
  async (t) => {
    const { app, agent, logId } = await holderAgent(t);
    const first = await planMeeting(agent, logId);
    const second = await planMeeting(agent, logId);
    await agent.post(`${first}/start`);
    t.equal(
      (await agent.post(`${second}/start`)).headers.location,
      `${first}/mode`,
      'in meeting mode, another meeting is not within reach',
    );
    // The same holder signed in elsewhere (not in meeting mode) is told a meeting is running.
    const elsewhere = new Agent(app);
    await signIn(elsewhere, 'stafettholder@stafett.example');
    const refused = await elsewhere.post(`${second}/start`);
    t.equal(refused.statusCode, 409);
    t.match(refused.body, /Et annet møte pågår/);

    await agent.post(`${first}/phase`, { phase: 'summary' });
    await agent.post(`${first}/phase`, { phase: 'nonsense' });
    const mode = await agent.get(`${first}/mode`);
    t.match(
      mode.body,
      /aria-current="step" class="is-current">\s*<span class="agenda-list__now">Nå:<\/span> Oppsummering/,
      'an unknown phase changes nothing',
    );
    const version = /name="version" value="(\d+)"/.exec(mode.body)![1]!;
    t.equal(
      (await agent.post(`${first}/agreements`, { version, agreements: 'Første versjon.' })).statusCode,
      303,
    );
    const stale = await agent.post(`${first}/agreements`, { version, agreements: 'Andre versjon.' });
    t.equal(stale.statusCode, 409, 'a stale version is a conflict');
    t.match(stale.body, /Første versjon\./);
    t.match(stale.body, /Andre versjon\./);
    const badNext = await agent.post(`${first}/agreements`, {
      version: String(Number(version) + 1),
      agreements: 'Ok.',
      'next-day': '3',
      'next-month': '',
      'next-year': '2027',
    });
    t.equal(badNext.statusCode, 422);
    t.match(badNext.body, /href="#next-day"/);
    t.match(badNext.body, /href="#nextTime"/);

    await agent.get(`${first}/evaluation`);
    const empty = await agent.post(`${first}/evaluation`, { respondent: 'guardian' });
    t.equal(empty.statusCode, 422);
    t.match(empty.body, /Svar på minst ett spørsmål/);
    const outOfScale = await agent.post(`${first}/evaluation`, { respondent: 'child', understood: '7' });
    t.equal(outOfScale.statusCode, 422);
    t.match(outOfScale.body, /href="#understood"/);
  },
);
