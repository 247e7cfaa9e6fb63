/**
 * Meeting rules beyond planning: cancelling a planned meeting with a reason, the child as a participant,
 * a transfer handing the coming meetings to the new holder (the old one stays only if chosen), and the
 * phase changed in meeting mode with htmx (the part swapped in place) and without (a redirect).
 */
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { osloDate, addDays, isoToParts } from '../src/lib/dates.js';
import { idaLogId, userId, HX } from './plan-fixture.js';

const tomorrow = isoToParts(addDays(osloDate(new Date()), 1));
const HOLDER = 'stafettholder@stafett.example';
const LEADER = 'leder@stafett.example';
const TEACHER = 'laerer@stafett.example';

function meetingForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    participants_form: '1',
    'date-day': tomorrow.day,
    'date-month': tomorrow.month,
    'date-year': tomorrow.year,
    dateTime: '10:00',
    duration: '60',
    mode: 'in_person',
    place: 'Møterom 2, Solbakken skole',
    purpose: 'Se på fraværet og avtale tiltak sammen.',
    ...overrides,
  };
}

async function as(t: { teardown(fn: () => unknown): void }, email: string) {
  const site = await testApp(t);
  const agent = new Agent(site.app);
  await signIn(agent, email);
  // The tests in this file share one database: no meeting left running by an earlier test.
  await site.db('meetings').where({ status: 'running' }).update({ status: 'closed' });
  return { ...site, agent };
}

async function plan(agent: Agent, logId: number, overrides: Record<string, string> = {}): Promise<string> {
  const form = await agent.get(`/logs/${logId}/meetings/new`);
  const token = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
  const created = await agent.post(
    `/logs/${logId}/meetings`,
    meetingForm({ formToken: token, ...overrides }),
  );
  if (created.statusCode !== 303) throw new Error(`planning answered ${created.statusCode}`);
  return created.headers.location as string;
}

t.test(
  'a planned meeting is cancelled with a reason; then it cannot be started, edited or cancelled again',
  async (t) => {
    const { agent, db } = await as(t, HOLDER);
    const logId = await idaLogId(db);
    const url = await plan(agent, logId);
    const id = Number(url.split('/').pop());

    const show = await agent.get(url);
    t.match(show.body, new RegExp(`href="${url}/cancel"`), 'the meeting page offers to cancel it');
    const form = await agent.get(`${url}/cancel`);
    t.equal(form.statusCode, 200);
    t.match(form.body, /Hvorfor avlyses møtet\?/);

    const empty = await agent.post(`${url}/cancel`, { reason: '   ' });
    t.equal(empty.statusCode, 422, 'a reason is required');
    t.match(empty.body, /href="#reason"/, 'the error summary links to the field');
    t.match(empty.body, /Skriv hvorfor møtet avlyses/);
    const long = 'x'.repeat(2001);
    const tooLong = await agent.post(`${url}/cancel`, { reason: long });
    t.equal(tooLong.statusCode, 422, 'too long');
    t.match(tooLong.body, new RegExp(long), 'the typed text comes back');
    t.equal((await db('meetings').where({ id }).first('status')).status, 'planned', 'still planned');

    const cancelled = await agent.post(`${url}/cancel`, { reason: 'Foresatte er syke, vi finner ny tid.' });
    t.equal(cancelled.statusCode, 303);
    t.equal(cancelled.headers.location, url);
    const row = await db('meetings').where({ id }).first();
    t.equal(row.status, 'cancelled');
    t.equal(row.cancel_reason, 'Foresatte er syke, vi finner ny tid.');
    t.ok(row.cancelled_at, 'when');
    t.ok(row.cancelled_by, 'and by whom');
    t.ok(await db('audit_events').where({ action: 'meeting.cancel', object_id: id }).first(), 'audited');

    const after = await agent.get(url);
    t.match(after.body, /Møtet er avlyst/);
    t.match(after.body, /Foresatte er syke, vi finner ny tid\./, 'the reason is on the meeting page');
    t.notMatch(after.body, /action="[^"]*\/start"/, 'no start button');
    t.notMatch(after.body, new RegExp(`href="${url}/(edit|cancel)"`), 'no edit or cancel link');
    t.match((await agent.get(`/logs/${logId}/meetings`)).body, /Avlyst/, 'the list says cancelled');

    t.equal((await agent.post(`${url}/start`)).headers.location, url, 'cannot be started');
    t.equal((await agent.get(`${url}/edit`)).statusCode, 303, 'cannot be edited');
    t.equal((await agent.post(url, meetingForm())).statusCode, 303, 'nor saved');
    t.equal((await agent.get(`${url}/cancel`)).statusCode, 303, 'nor cancelled again');
    t.equal((await agent.post(`${url}/cancel`, { reason: 'igjen' })).statusCode, 303);
    t.equal(
      (await db('meetings').where({ id }).first()).cancel_reason,
      row.cancel_reason,
      'reason unchanged',
    );

    const ics = await agent.get(`${url}/invitation`);
    t.match(ics.body, /METHOD:CANCEL/, 'the calendar file removes it from calendars');
    t.match(ics.body, /STATUS:CANCELLED/);
    t.notMatch(ics.body, /syke/, 'without the reason');
    t.notMatch(ics.body, /Ida/, 'and without the child');
  },
);

t.test('only the holder cancels; a running meeting cannot be cancelled', async (t) => {
  const { agent, db, app } = await as(t, HOLDER);
  const logId = await idaLogId(db);
  const url = await plan(agent, logId);
  const guardian = new Agent(app);
  await signIn(guardian, 'foresatt@stafett.example');
  const got = await guardian.get(`${url}/cancel`);
  t.ok([403, 404].includes(got.statusCode), `a guardian cannot open the form (${got.statusCode})`);
  await guardian.get('/');
  const posted = await guardian.post(`${url}/cancel`, { reason: 'Nei' });
  t.ok([403, 404].includes(posted.statusCode), `nor post it (${posted.statusCode})`);

  await agent.post(`${url}/start`);
  t.equal((await agent.post(`${url}/cancel`, { reason: 'Avlyst' })).statusCode, 303);
  t.equal(
    (
      await db('meetings')
        .where({ id: Number(url.split('/').pop()) })
        .first('status')
    ).status,
    'running',
    'a running meeting is not cancelled',
  );
  await agent.post(`${url}/mode/leave`);
});

t.test(
  'the child can be a participant: chosen in the form, shown as the child, kept when edited',
  async (t) => {
    const { agent, db } = await as(t, HOLDER);
    const logId = await idaLogId(db);
    const form = await agent.get(`/logs/${logId}/meetings/new`);
    t.match(form.body, /name="child" type="checkbox" value="yes"/, 'the form asks about the child');
    t.match(form.body, /fra 1\. klasse/, 'with the guide’s advice');
    const url = await plan(agent, logId, { child: 'yes' });
    const id = Number(url.split('/').pop());
    const rows = await db('meeting_participants').where({ meeting_id: id, is_child: true });
    t.equal(rows.length, 1, 'one participant is the child');
    t.equal(rows[0].name, 'Ida');
    const page = await agent.get(url);
    t.match(page.body, /Ida, barnet \/ eleven/, 'shown as the child');

    const edit = await agent.get(`${url}/edit`);
    t.match(edit.body, /name="child" type="checkbox" value="yes" checked/, 'ticked when edited');
    const version = /name="version" value="(\d+)"/.exec(edit.body)![1]!;
    const saved = await agent.post(url, meetingForm({ version }));
    t.equal(saved.statusCode, 303);
    t.equal(
      (await db('meeting_participants').where({ meeting_id: id, is_child: true })).length,
      0,
      'unticked: the child is no longer a participant',
    );
  },
);

t.test(
  'a transfer: the new holder takes the old one’s place in coming meetings; the old stays only if chosen',
  async (t) => {
    const teacher = await as(t, TEACHER);
    const { db, app } = teacher;
    const ella = (
      await db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .where('c.first_name', 'Ella')
        .first('l.id')
    ).id as number;
    const nina = await userId(db, TEACHER);
    const lars = await userId(db, LEADER);
    const coming = Number((await plan(teacher.agent, ella, { participants: String(nina) })).split('/').pop());
    const past = Number((await plan(teacher.agent, ella, { participants: String(nina) })).split('/').pop());
    await db('meetings')
      .where({ id: past })
      .update({ starts_at: new Date(Date.now() - 7 * 86_400_000) });
    const people = (id: number) =>
      db('meeting_participants')
        .where({ meeting_id: id })
        .whereNotNull('user_id')
        .orderBy('user_id')
        .pluck('user_id');
    t.same(await people(coming), [nina]);

    // The leader takes the log over (to themself: accepted at once), without keeping Nina in the meetings.
    const leader = new Agent(app);
    await signIn(leader, LEADER);
    await leader.get(`/logs/${ella}/transfer/to?kind=internal`);
    const sent = await leader.post(`/logs/${ella}/transfers`, {
      kind: 'internal',
      receiver: String(lars),
      reason: 'Nina har sluttet.',
    });
    t.equal(sent.statusCode, 303);
    t.same(await people(coming), [lars], 'the old holder is no longer a participant of the coming meeting');
    t.same(await people(past), [nina], 'a meeting already held is left as it was');

    // Back to Nina, and this time Lars chooses to stay in the meetings.
    const details = await leader.get(`/logs/${ella}/transfer/to?kind=internal`);
    t.match(details.body, /name="stayInMeetings"/, 'the transfer form asks');
    const back = await leader.post(`/logs/${ella}/transfers`, {
      kind: 'internal',
      receiver: String(nina),
      reason: 'Nina er tilbake.',
      stayInMeetings: 'yes',
    });
    t.equal(back.statusCode, 303);
    const transferUrl = back.headers.location as string;
    await teacher.agent.get(transferUrl);
    t.equal((await teacher.agent.post(`${transferUrl}/accept`)).statusCode, 303, 'Nina accepts');
    t.same(
      await people(coming),
      [nina, lars].sort((a, b) => a - b),
      'chosen: the old holder stays',
    );
    // Editing the meeting offers the former holder (no longer in the log) ticked, and keeps him.
    const meetingUrl = `/logs/${ella}/meetings/${coming}`;
    const edit = await teacher.agent.get(`${meetingUrl}/edit`);
    t.match(edit.body, new RegExp(`value="${lars}" checked`), 'the former holder is offered, ticked');
    const version = /name="version" value="(\d+)"/.exec(edit.body)![1]!;
    const saved = await teacher.agent.post(meetingUrl, meetingForm({ version, participants: String(lars) }));
    t.equal(saved.statusCode, 303);
    t.same(await people(coming), [lars], 'kept or left out on purpose');
  },
);

t.test(
  'the phase: with htmx the meeting part is answered at once; without JavaScript a redirect',
  async (t) => {
    const { agent, db } = await as(t, HOLDER);
    const logId = await idaLogId(db);
    const url = await plan(agent, logId);
    await agent.post(`${url}/start`);
    const mode = await agent.get(`${url}/mode`);
    t.match(mode.body, /data-hx-post="[^"]*\/phase"/, 'the phase form is enhanced');
    t.match(mode.body, /data-hx-select="#meeting-layout"/);

    const plain = await agent.post(`${url}/phase`, { phase: 'current_situation' });
    t.equal(plain.statusCode, 303, 'without JavaScript: a redirect to the page');
    t.match(plain.headers.location as string, /\/mode#meeting-phase$/);

    const hx = await agent.post(`${url}/phase`, { phase: 'concerns_goals' }, { headers: HX });
    t.equal(hx.statusCode, 200, 'with htmx: the page at once');
    t.match(hx.body, /id="meeting-layout"[^>]*data-focus="#meeting-phase-title"/, 'focus goes to the phase');
    t.match(hx.body, /data-announce="Fasen er endret\."/);
    t.match(hx.body, /id="meeting-phase-title"[^>]*><span class="caption">Fase 3/);
    const id = Number(url.split('/').pop());
    t.equal((await db('meetings').where({ id }).first('current_phase')).current_phase, 'concerns_goals');
    await agent.post(`${url}/mode/leave`);
    await db('meetings').where({ id }).update({ status: 'closed' });
  },
);
