/**
 * How many SQL round trips a page costs (QUALITY.md "Fast on small machines": a page costs a few
 * queries, the log page at most 4). Counted per request by plugins/query-count, on a full plan
 * (5 concerns, 12 goals, 30 measures, 40 glimmers, as `npm run bench` measures it).
 *
 * A log page is three statements for every role: the session with the person and their memberships
 * (plugins/session), the access check with everything the decision needs (features/access), and
 * the page itself: every section (features/logs/sections.ts) and the read's audit row in one
 * statement (src/db/one-statement.ts); or, for an unchanged log's page from the cache, the audit row
 * alone. The print view and meeting mode are built the same way (their
 * meeting comes with the access check); my logs is the session and one statement.
 *
 * The bounds below are today's counts, so no page can get more expensive unnoticed; the most any of
 * these pages may ever cost is 4 (TARGET).
 */
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { QUERY_COUNT_HEADER } from '../src/plugins/query-count/index.js';
import { createFullPlan } from '../scripts/full-plan.js';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';

/** Today's counts, as upper bounds (before the pages loaded in one statement: 16 to 21, my logs 5). */
const BOUND = {
  logHolderFromCache: 3,
  logHolder: 3,
  logActor: 3,
  logLeader: 3,
  logSuperuser: 3,
  familyGuardian: 3,
  familyYouth: 3,
  printView: 3,
  myLogs: 2,
  meetingMode: 3,
};
const TARGET = 4;

t.test('queries per page, for every role that reads a log', async (t) => {
  const { app, db, clock } = await testApp(t, {}, { countQueries: true });
  const logId = await createFullPlan(db);
  const log = await db('logs').where({ id: logId }).first('holder_id', 'unit_id');
  await db('glimmers').insert(
    Array.from({ length: 40 }, (_, i) => ({
      log_id: logId,
      author_id: log.holder_id,
      author_role: 'holder',
      text: `Fin uke ${i + 1}: Maja var på skolen hver dag.`,
    })),
  );
  // The school's leader and superuser lead the log's unit too, so each role reads the same plan.
  const userId = async (email: string) => (await db('users').where({ email }).first('id')).id as number;
  await db('unit_memberships').insert([
    { unit_id: log.unit_id, user_id: await userId('leder@stafett.example'), title: 'Leder', is_leader: true },
    {
      unit_id: log.unit_id,
      user_id: await userId('superbruker@stafett.example'),
      title: 'Superbruker',
      is_superuser: true,
    },
  ]);
  const perLog = (
    await db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.first_name', 'Per')
      .first('l.id')
  ).id as number;

  // The counter itself: /healthz sends exactly one statement (select 1), and nothing is left over.
  for (let i = 0; i < 2; i += 1) {
    const health = await app.inject({ url: '/healthz' });
    t.equal(health.headers[QUERY_COUNT_HEADER], '1', '/healthz counts one query');
  }

  const agents = new Map<string, Agent>();
  const as = async (email: string) => {
    let agent = agents.get(email);
    if (!agent) {
      agent = new Agent(app);
      await signIn(agent, email);
      agents.set(email, agent);
    }
    return agent;
  };
  const counted: [string, number, number][] = [];
  /**
   * Asks twice (the first may fill a cache) and checks the second answer's count against the bound.
   * The second comes 20 seconds later, so the session's last_seen_at is due to be moved on (at most
   * every 15 s): that write is part of the count too.
   */
  const count = async (
    label: keyof typeof BOUND,
    email: string,
    url: string,
    mustShow: RegExp,
    audited: string[] = [],
    between?: () => Promise<unknown>,
  ) => {
    const agent = await as(email);
    await agent.get(url);
    clock.advance(20_000);
    await between?.();
    const last = ((await db('audit_events').max('id as id').first())?.id as number | null) ?? 0;
    const res = await agent.get(url);
    // The audit rows are still written, one per read, now in the page's own statement.
    const rows = await db('audit_events').where('id', '>', last).orderBy('id').pluck('action');
    t.same(rows, audited, `${label}: the read is in the audit trail (${audited.join(', ') || 'no row'})`);
    t.equal(res.statusCode, 200, `${label}: ${url} answers 200`);
    t.match(res.body, mustShow, `${label}: the page shows what it should`);
    const queries = Number(res.headers[QUERY_COUNT_HEADER]);
    t.ok(Number.isInteger(queries) && queries > 0, `${label}: the answer says how many queries it took`);
    t.ok(
      queries <= BOUND[label] && queries <= TARGET,
      `${label}: ${queries} queries, at most ${BOUND[label]} (today's count; never more than ${TARGET})`,
    );
    counted.push([label, queries, BOUND[label]]);
  };

  const read = ['log.read'];
  // An unchanged log's page comes from the log page cache (features/logs/page-cache.ts): the session,
  // the access check with the versions, the audit row.
  await count('logHolderFromCache', 'stafettholder@stafett.example', `/logs/${logId}`, /Fin uke 40/, read);
  // Every other log page is counted as it is loaded and rendered: after a change to the log (a write to
  // the log's row moves its version), so the counted request is not served from the cache.
  const change = (id: number) => () => db('logs').where({ id }).update({ updated_at: clock.now() });
  await count(
    'logHolder',
    'stafettholder@stafett.example',
    `/logs/${logId}`,
    /Fin uke 40/,
    read,
    change(logId),
  );
  await count('logActor', 'aktor@stafett.example', `/logs/${logId}`, /Maja/, read, change(logId));
  await count('logLeader', 'leder@stafett.example', `/logs/${logId}`, /Maja/, read, change(logId));
  await count('logSuperuser', 'superbruker@stafett.example', `/logs/${logId}`, /Maja/, read, change(logId));
  await count('familyGuardian', 'foresatt@stafett.example', `/logs/${logId}`, /Maja/, read, change(logId));
  await count('familyYouth', 'ungdom@stafett.example', `/logs/${perLog}`, /Per/, read, change(perLog));
  await count('printView', 'stafettholder@stafett.example', `/logs/${logId}/print`, /Maja/, [
    'log.read',
    'print.read',
  ]);
  await count('myLogs', 'stafettholder@stafett.example', '/logs', /Maja/);

  // Meeting mode: a meeting planned for tomorrow, started now.
  const holder = await as('stafettholder@stafett.example');
  const form = await holder.get(`/logs/${logId}/meetings/new`);
  const tomorrow = isoToParts(addDays(osloDate(new Date()), 1));
  const created = await holder.post(`/logs/${logId}/meetings`, {
    formToken: /name="formToken" value="([^"]+)"/.exec(form.body)![1]!,
    'date-day': tomorrow.day,
    'date-month': tomorrow.month,
    'date-year': tomorrow.year,
    dateTime: '10:00',
    duration: '60',
    mode: 'in_person',
    place: 'Møterom 2',
    purpose: 'Se på planen sammen.',
  });
  t.equal(created.statusCode, 303, 'the meeting is planned');
  const meetingUrl = created.headers.location as string;
  t.equal((await holder.post(`${meetingUrl}/start`)).statusCode, 303, 'and started');
  await count('meetingMode', 'stafettholder@stafett.example', `${meetingUrl}/mode`, /meeting-mode/, [
    'log.read',
    'meeting.mode',
  ]);

  t.comment(
    `queries per page (target ${TARGET}):\n${counted.map(([l, n, b]) => `  ${l.padEnd(16)} ${String(n).padStart(3)}   (bound ${b})`).join('\n')}`,
  );
});
