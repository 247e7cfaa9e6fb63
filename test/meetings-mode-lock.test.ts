/**
 * Rule 12: while meeting mode is on, every page other than that meeting's pages (and the plan's own
 * forms in that log), the exit action and sign-out answers with the meeting-mode page. Typed addresses,
 * other logs, prints, posts and htmx requests all land there, and no other child's name is ever in an
 * answer. Leaving on purpose makes everything normal again.
 */
import t from 'tap';
import { Agent, signIn, testApp, type Response } from './helpers/app.js';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import { HOLDER, idaLogId } from './plan-fixture.js';

const tomorrow = isoToParts(addDays(osloDate(new Date()), 1));

async function setup(t: Parameters<typeof testApp>[0]) {
  const site = await testApp(t);
  const agent = new Agent(site.app);
  await signIn(agent, HOLDER);
  await site.db('meetings').where({ status: 'running' }).update({ status: 'closed' });
  const logId = await idaLogId(site.db);
  const form = await agent.get(`/logs/${logId}/meetings/new`);
  const created = await agent.post(`/logs/${logId}/meetings`, {
    formToken: /name="formToken" value="([^"]+)"/.exec(form.body)![1]!,
    'date-day': tomorrow.day,
    'date-month': tomorrow.month,
    'date-year': tomorrow.year,
    dateTime: '10:00',
    duration: '60',
    mode: 'in_person',
    place: 'Møterom 2',
    purpose: 'Se på fraværet sammen.',
  });
  const meeting = String(created.headers.location);
  const started = await agent.post(`${meeting}/start`);
  if (started.statusCode !== 303) throw new Error(`start answered ${started.statusCode}`);
  const modeUrl = `${meeting}/mode`;
  const holderId = (await site.db('users').where({ email: HOLDER }).first('id')).id as number;
  const otherLog = (await site.db('logs').where({ holder_id: holderId }).whereNot({ id: logId }).first('id'))
    ?.id as number | undefined;
  const others = (
    await site
      .db('children as c')
      .join('logs as l', 'l.child_id', 'c.id')
      .whereNot('l.id', logId)
      .select('c.first_name')
  ).map((c) => c.first_name as string);
  return { ...site, agent, logId, meeting, modeUrl, otherLog, others };
}

/** Follows redirects as a browser would; returns every answer on the way. */
async function visit(agent: Agent, first: Response): Promise<Response[]> {
  const seen = [first];
  let last = first;
  while (last.statusCode === 303 && seen.length < 5) {
    last = await agent.follow(last);
    seen.push(last);
  }
  return seen;
}

t.test('meeting mode answers every other address with the meeting-mode page', async (t) => {
  const { agent, db, logId, meeting, modeUrl, otherLog, others } = await setup(t);
  t.ok(otherLog, 'the holder has another log to try');
  t.ok(others.length > 0);
  const goal = await db('goals').where({ log_id: logId }).first('id');
  const otherGoal = await db('goals').where({ log_id: otherLog }).first('id');

  const typed = [
    '/',
    '/logs',
    '/logs/new',
    `/logs/${otherLog}`,
    `/logs/${otherLog}/goals/${otherGoal.id}/edit`,
    `/logs/${otherLog}/meetings`,
    `/logs/${logId}/print`,
    `/logs/${logId}/prints`,
    `/logs/${logId}/audit`,
    `/logs/${logId}/grants`,
    `/logs/${logId}/meetings`,
    '/unit',
    '/actor',
    '/notes',
    '/glimmers',
    '/notifications',
    '/archive',
    '/no-such-page',
    `/drafts?path=/logs/${otherLog}/notes`,
  ];
  for (const url of typed) {
    const answers = await visit(agent, await agent.get(url));
    t.equal(answers[0]!.statusCode, 303, `${url}: redirected`);
    t.equal(answers[0]!.headers.location, modeUrl, `${url}: to the meeting-mode page`);
    t.equal(answers.at(-1)!.statusCode, 200);
    t.match(answers.at(-1)!.body, /<body class="meeting-mode">/);
    for (const answer of answers)
      for (const name of others) t.notMatch(answer.body, new RegExp(`\\b${name}\\b`), `${url}: no ${name}`);
  }

  const posted = await agent.post(`/logs/${otherLog}/glimmers`, { text: 'Skrevet i møtemodus.' });
  t.equal(posted.statusCode, 303, 'a post elsewhere is not carried out');
  t.equal(posted.headers.location, modeUrl);
  t.equal((await db('glimmers').where({ text: 'Skrevet i møtemodus.' })).length, 0);
  const hx = await agent.get(`/logs/${otherLog}`, { 'hx-request': 'true' });
  t.equal(hx.headers['hx-redirect'], modeUrl, 'htmx is told to load the meeting-mode page');
  t.equal(hx.body, '');

  // What stays open: the meeting's pages, the plan's own forms in this log, the exit, keep-alive.
  for (const url of [
    modeUrl,
    `${meeting}/mode/leave`,
    `${meeting}/evaluation`,
    `/logs/${logId}/goals/${goal.id}/measures/new`,
    `/logs/${logId}/concerns/new`,
    `/logs/${logId}/print?meeting=${meeting.split('/').pop()}`,
  ]) {
    const page = await agent.get(url);
    t.equal(page.statusCode, 200, `${url} is open`);
    t.match(page.body, /<body class="meeting-mode">/, `${url} in meeting mode`);
  }
  t.equal(
    (await agent.get(`/logs/${logId}`)).headers.location,
    modeUrl,
    'the log page leads to the mode page',
  );
  t.equal((await agent.get('/healthz')).statusCode, 200);
  t.equal((await agent.get('/public/css/app.css')).statusCode, 200);
  const extended = await agent.post('/session/extend', {}, { headers: { accept: 'application/json' } });
  t.equal(extended.statusCode, 200, 'the keep-alive works');

  const left = await agent.post(`${meeting}/mode/leave`);
  t.equal(left.statusCode, 303);
  const logs = await agent.get('/logs');
  t.equal(logs.statusCode, 200, 'after leaving, addresses work again');
  t.match(logs.body, /<header/);
  t.equal((await agent.get(`/logs/${otherLog}`)).statusCode, 200);
});

t.test('sign-out works in meeting mode, and a new sign-in starts without it', async (t) => {
  const { agent, modeUrl } = await setup(t);
  t.equal((await agent.get('/logs')).headers.location, modeUrl);
  const out = await agent.post('/logout');
  t.equal(out.statusCode, 303);
  t.match(String(out.headers.location), /^\/login/);
  await signIn(agent, HOLDER);
  t.equal((await agent.get('/logs')).statusCode, 200);
});

t.test('the projector shows nothing of the session', async (t) => {
  const { agent, modeUrl } = await setup(t);
  const mode = await agent.get(modeUrl);
  t.match(mode.body, /<p class="session-notice" id="session-notice" hidden/, 'the notice is not shown');
  t.match(mode.body, /data-keep-alive-until="\d+"/, 'the page keeps the session alive instead');
});

t.test('a meeting that is gone does not keep anyone in meeting mode', async (t) => {
  const { agent, db, meeting, modeUrl } = await setup(t);
  await db('meetings')
    .where({ id: Number(meeting.split('/').pop()) })
    .delete();
  const answers = await visit(agent, await agent.get('/logs'));
  t.equal(answers[0]!.headers.location, modeUrl);
  t.equal(answers.at(-1)!.statusCode, 404, 'the mode page is not found');
  t.equal((await agent.get('/logs')).statusCode, 200, 'and meeting mode has ended');
});
