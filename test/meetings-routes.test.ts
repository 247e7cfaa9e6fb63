/** Meetings: planning, the meeting page, the invitation, meeting mode, agreements, evaluation, closing. */
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { osloDate, addDays, isoToParts } from '../src/lib/dates.js';

const tomorrow = isoToParts(addDays(osloDate(new Date()), 1));

async function idaLogId(db: import('knex').Knex): Promise<number> {
  const row = await db('logs as l').join('children as c', 'c.id', 'l.child_id').where('c.first_name', 'Ida').first('l.id');
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
  const evaluated = await agent.post(`${meetingUrl}/evaluation`, { formToken: evalToken, respondent: 'guardian', said_what_wanted: '5', respected: '4', couldBeDifferent: 'Kortere møte.' });
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
  const list = await agent.get(`/logs/${logId}/meetings`);
  t.equal(list.statusCode, 200, list.body.slice(0, 3000));
  const prints = await agent.get(`/logs/${logId}/prints`);
  t.equal(prints.statusCode, 200, prints.body.slice(0, 3000));
});
