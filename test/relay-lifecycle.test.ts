/**
 * Closing, reopening and deleting (rule 11), through the routes against real PostgreSQL: the holder
 * closes with the family and the log becomes passive and read-only; only the unit leader reopens (with
 * consent) or deletes, and only a passive log; the archive PDFs and the audit rows outlive the log.
 */
import t from 'tap';
import { Agent, signIn, testApp, type Teardown } from './helpers/app.js';
import type { Db } from '../src/db/knex.js';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import {
  ROWS_THAT_FOLLOW_A_CONCERN,
  ROWS_THAT_STAY_WITH_THE_LOG,
  relayRepository,
} from '../src/features/relay/repository.js';

const HOLDER = 'laerer@stafett.example'; // Nina Lund holds Ella's log at Solbakken skole
const LEADER = 'leder@stafett.example';
const SUPERUSER = 'superbruker@stafett.example';
const GUARDIAN = 'foresatt@stafett.example';

async function as(t: Teardown, email: string) {
  const site = await testApp(t);
  const agent = new Agent(site.app);
  await signIn(agent, email);
  return { ...site, agent };
}

async function ellaLogId(db: Db): Promise<number> {
  return (
    await db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.first_name', 'Ella')
      .orderBy('l.id')
      .first('l.id')
  ).id;
}

const formToken = (html: string) => /name="formToken" value="([^"]+)"/.exec(html)![1]!;

function dateFields(name: string, iso: string): Record<string, string> {
  const p = isoToParts(iso);
  return { [`${name}-day`]: p.day, [`${name}-month`]: p.month, [`${name}-year`]: p.year };
}

function consentFields(today: string): Record<string, string> {
  return {
    consentBy: 'guardians',
    consentName: 'Geir Berg',
    ...dateFields('consentGivenOn', today),
    ...dateFields('consentValidUntil', addDays(today, 365)),
    consentServices: 'school',
    consentConfirmed: 'yes',
  };
}

async function close(agent: Agent, logId: number, today: string) {
  const page = await agent.get(`/logs/${logId}/close`);
  return agent.post(`/logs/${logId}/close`, {
    formToken: formToken(page.body),
    reason: 'Ella gjør leksene selv nå. Familien og skolen er enige om å avslutte.',
    ...dateFields('closedOn', today),
    agreed: 'yes',
  });
}

t.test(
  'the holder closes the log with the family: passive, read-only, still listed, a closing PDF',
  async (t) => {
    const holder = await as(t, HOLDER);
    const { db, app, clock } = holder;
    const today = osloDate(clock.now());
    const ella = await ellaLogId(db);

    const leader = new Agent(app);
    await signIn(leader, LEADER);
    t.equal((await leader.get(`/logs/${ella}/close`)).statusCode, 404, 'only the holder closes');

    const page = await holder.agent.get(`/logs/${ella}/close`);
    t.equal(page.statusCode, 200);
    const empty = await holder.agent.post(`/logs/${ella}/close`, {
      formToken: formToken(page.body),
      ...dateFields('closedOn', addDays(today, 3)),
    });
    t.equal(empty.statusCode, 422);
    t.match(empty.body, /href="#reason"/);
    t.match(empty.body, /href="#closedOn-day"/);
    t.match(empty.body, /kan ikke være fram i tid/);
    t.match(empty.body, /href="#agreed"/);
    t.equal((await db('logs').where({ id: ella }).first()).status, 'active');

    const token = formToken(page.body);
    const fields = {
      formToken: token,
      reason: 'Ella klarer leksene selv nå.',
      ...dateFields('closedOn', today),
      agreed: 'yes',
    };
    const first = await holder.agent.post(`/logs/${ella}/close`, fields);
    const again = await holder.agent.post(`/logs/${ella}/close`, fields);
    t.equal(first.statusCode, 303);
    t.equal(again.statusCode, 303, 'a double click is not an error');
    t.equal(again.headers.location, first.headers.location);
    t.equal(
      (await db('log_closures').where({ log_id: ella }).count<{ count: number }[]>('* as count').first())!
        .count,
      1,
      'closed once',
    );
    const log = await db('logs').where({ id: ella }).first();
    t.equal(log.status, 'passive');
    t.equal(log.closed_reason, 'Ella klarer leksene selv nå.');
    const prints = await db('archive_prints').where({ log_id: ella, reason: 'closing' }).select('pdf');
    t.equal(prints.length, 1, 'one closing PDF stored');
    t.equal(prints[0]!.pdf.subarray(0, 5).toString(), '%PDF-');

    const view = await holder.agent.get(`/logs/${ella}`);
    t.match(view.body, /Loggen er avsluttet/);
    t.match(view.body, /Ella klarer leksene selv nå\./);
    t.notMatch(view.body, `/logs/${ella}/concerns/new`, 'nothing to write');
    t.notMatch(view.body, `/logs/${ella}/close"`, 'not closed twice');
    const concern = (await db('concerns').where({ log_id: ella }).first('id')).id;
    t.equal((await holder.agent.get(`/logs/${ella}/concerns/new`)).statusCode, 404, 'passive: read-only');
    t.equal(
      (await holder.agent.post(`/logs/${ella}/concerns/${concern}`, { title: 'Endret' })).statusCode,
      404,
    );
    const list = await holder.agent.get('/logs');
    const passiveSection = list.body.slice(list.body.indexOf('id="passive-logs"'));
    t.match(passiveSection, `href="/logs/${ella}">Ella Berg`, 'still in "my logs", under passive');
  },
);

t.test("only the leader reopens a passive log, registering the family's new consent", async (t) => {
  const leader = await as(t, LEADER);
  const { db, app, clock } = leader;
  const today = osloDate(clock.now());
  const ella = await ellaLogId(db);
  for (const email of [HOLDER, SUPERUSER]) {
    const other = new Agent(app);
    await signIn(other, email);
    t.equal((await other.get(`/logs/${ella}/reopen`)).statusCode, 404, `${email} cannot reopen`);
    t.equal((await other.post(`/logs/${ella}/reopen`, consentFields(today))).statusCode, 404);
  }
  const view = await leader.agent.get(`/logs/${ella}`);
  t.match(view.body, `href="/logs/${ella}/reopen"`);
  t.match(view.body, `href="/logs/${ella}/delete"`);
  const page = await leader.agent.get(`/logs/${ella}/reopen`);
  t.equal(page.statusCode, 200);
  const invalid = await leader.agent.post(`/logs/${ella}/reopen`, { formToken: formToken(page.body) });
  t.equal(invalid.statusCode, 422);
  t.match(invalid.body, /href="#consentConfirmed"/);
  t.equal((await db('logs').where({ id: ella }).first()).status, 'passive', 'no consent, no reopening');
  const consentsBefore = await db('consents')
    .where({ log_id: ella })
    .count<{ count: number }[]>('* as count')
    .first();
  const reopened = await leader.agent.post(`/logs/${ella}/reopen`, {
    formToken: formToken(page.body),
    ...consentFields(today),
  });
  t.equal(reopened.statusCode, 303);
  t.equal((await db('logs').where({ id: ella }).first()).status, 'active');
  const consentsAfter = await db('consents')
    .where({ log_id: ella })
    .count<{ count: number }[]>('* as count')
    .first();
  t.equal(consentsAfter!.count, consentsBefore!.count + 1, 'the new consent is recorded');
  const closure = await db('log_closures').where({ log_id: ella }).first();
  t.ok(closure.reopened_at, 'the closure records its reopening');
  t.ok(await db('audit_events').where({ action: 'log.reopen', log_id: ella }).first());
});

t.test(
  'only the leader deletes, only a passive log; the archive PDFs and the audit trail remain',
  async (t) => {
    const leader = await as(t, LEADER);
    const { db, app, clock } = leader;
    const today = osloDate(clock.now());
    const ella = await ellaLogId(db);
    t.equal((await db('logs').where({ id: ella }).first()).status, 'active');
    t.equal(
      (await leader.agent.get(`/logs/${ella}/delete`)).statusCode,
      404,
      'an active log cannot be deleted',
    );
    t.equal((await leader.agent.post(`/logs/${ella}/delete`, { formToken: '' })).statusCode, 404);

    const holder = new Agent(app);
    await signIn(holder, HOLDER);
    t.equal((await close(holder, ella, today)).statusCode, 303);
    t.equal((await holder.get(`/logs/${ella}/delete`)).statusCode, 404, 'the holder cannot delete');
    t.equal((await holder.post(`/logs/${ella}/delete`, { formToken: '' })).statusCode, 404);
    const superuser = new Agent(app);
    await signIn(superuser, SUPERUSER);
    t.equal(
      (await superuser.post(`/logs/${ella}/delete`, { formToken: '' })).statusCode,
      404,
      'nor the superuser',
    );

    const printsBefore = await db('archive_prints').where({ log_id: ella }).pluck('id');
    t.ok(printsBefore.length >= 2, 'closing PDFs exist');
    const confirm = await leader.agent.get(`/logs/${ella}/delete`);
    t.equal(confirm.statusCode, 200, 'a confirmation page first');
    t.match(confirm.body, /Sletting kan ikke angres/);
    const concernIds = await db('concerns').where({ log_id: ella }).pluck('id');
    const deleted = await leader.agent.post(`/logs/${ella}/delete`, { formToken: formToken(confirm.body) });
    t.equal(deleted.statusCode, 303);
    t.equal(deleted.headers.location, `/archive#deleted-${ella}`);

    t.notOk(await db('logs').where({ id: ella }).first(), 'the log is gone');
    t.equal(
      (await db('concerns').whereIn('id', concernIds).count<{ count: number }[]>('* as count').first())!
        .count,
      0,
      'its data is gone',
    );
    t.equal(
      (await db('consents').where({ log_id: ella }).count<{ count: number }[]>('* as count').first())!.count,
      0,
    );
    const prints = await db('archive_prints').where({ log_ref: ella }).select('id', 'log_id', 'reason');
    t.ok(
      printsBefore.every((id) => prints.some((p) => p.id === id)),
      'the earlier PDFs remain',
    );
    t.ok(
      prints.some((p) => p.reason === 'deletion'),
      'and a PDF made before deletion',
    );
    t.ok(
      prints.every((p) => p.log_id === null),
      'detached from the deleted log',
    );
    const audit = await db('audit_events').where({ action: 'log.delete', log_id: ella }).first();
    t.ok(audit, 'an audit row records the deletion');
    t.equal(audit.outcome, 'ok');
    t.ok(
      await db('audit_events')
        .where({ action: 'log.create' })
        .orWhere({ action: 'log.read', log_id: ella })
        .first(),
      'older audit rows remain',
    );

    const archive = await leader.agent.follow(deleted);
    t.equal(archive.statusCode, 200);
    t.match(archive.body, /Ella Berg/);
    const printId = /href="\/archive\/prints\/(\d+)"/.exec(archive.body)![1];
    const download = await leader.agent.get(`/archive/prints/${printId}`);
    t.equal(download.statusCode, 200, 'the archive PDF can be exported');
    t.equal(download.headers['content-type'], 'application/pdf');
    t.match(String(download.headers['content-disposition']), /^attachment; filename="/);
    t.equal(download.rawPayload.subarray(0, 5).toString(), '%PDF-');
    t.equal((await holder.get('/archive')).statusCode, 404, "the archive is the leader's");
    t.equal((await holder.get(`/archive/prints/${printId}`)).statusCode, 404);
    t.equal((await holder.get(`/logs/${ella}`)).statusCode, 404);
  },
);

t.test(
  'deletion takes everything of the log with it: every reference to logs cascades or lets go',
  async (t) => {
    const { db } = await testApp(t);
    const rows = await db.raw(`
    SELECT c.conrelid::regclass::text AS table_name, c.confdeltype
    FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = 'logs'::regclass`);
    const blocking = rows.rows.filter(
      (r: { confdeltype: string }) => r.confdeltype !== 'c' && r.confdeltype !== 'n',
    );
    t.same(blocking, [], 'ON DELETE CASCADE or SET NULL everywhere');
    const printsRef = rows.rows.find((r: { table_name: string }) => r.table_name === 'archive_prints');
    t.equal(printsRef?.confdeltype, 'n', 'archive prints are kept (SET NULL)');
  },
);

t.test('every table with a log_id has a rule for concerns left behind at a transfer', async (t) => {
  const { app } = await testApp(t);
  const known = new Set<string>([...ROWS_THAT_FOLLOW_A_CONCERN, ...ROWS_THAT_STAY_WITH_THE_LOG, 'logs']);
  const tables = await relayRepository(app.db).tablesWithLogId();
  t.same(
    tables.filter((name) => !known.has(name)),
    [],
    'a new table with a log_id: decide in relay/repository.ts whether its rows follow a concern',
  );
});

t.test('a guardian cannot close, reopen or delete', async (t) => {
  const guardian = await as(t, GUARDIAN);
  const ida = (
    await guardian
      .db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.first_name', 'Ida')
      .first('l.id')
  ).id;
  for (const path of ['close', 'reopen', 'delete']) {
    t.equal((await guardian.agent.get(`/logs/${ida}/${path}`)).statusCode, 404, path);
    t.equal((await guardian.agent.post(`/logs/${ida}/${path}`, { formToken: '' })).statusCode, 404, path);
  }
});

t.test('archive duty: when the PDF cannot be made, nothing is deleted', async (t) => {
  const site = await testApp(t, { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' });
  const { app, db, clock } = site;
  const noah = (
    await db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.first_name', 'Noah')
      .first('l.id')
  ).id as number;
  const holder = new Agent(app);
  await signIn(holder, SUPERUSER); // Siri Dahl holds Noah's log
  t.equal(
    (await close(holder, noah, osloDate(clock.now()))).statusCode,
    303,
    'closing goes ahead; its PDF can be made again later',
  );
  const leader = new Agent(app);
  await signIn(leader, LEADER);
  const confirm = await leader.get(`/logs/${noah}/delete`);
  const refused = await leader.post(`/logs/${noah}/delete`, { formToken: formToken(confirm.body) });
  t.equal(refused.statusCode, 503);
  t.match(refused.body, /kunne ikke lages, så loggen ble ikke slettet/);
  t.ok(await db('logs').where({ id: noah }).first(), 'the log is still there');
  t.notOk(await db('audit_events').where({ action: 'log.delete', log_id: noah }).first());
});

t.test('a passive log is not reopened while the child has another active log', async (t) => {
  const leader = await as(t, LEADER);
  const { db, clock } = leader;
  const today = osloDate(clock.now());
  // A log in the leader's unit made passive, and the child's newer active log beside it (a child has one
  // active log at a time). (created_day and closed_day are generated from the timestamps.)
  const unitIds = (
    await db('unit_memberships as m').join('users as u', 'u.id', 'm.user_id').where('u.email', LEADER)
  ).map((m) => m.unit_id);
  const row = await db('logs').whereIn('unit_id', unitIds).where({ status: 'active' }).orderBy('id').first();
  const logId: number = row.id;
  const old = { ...row };
  for (const generated of ['id', 'created_day', 'closed_day']) delete old[generated];
  await db('logs')
    .where({ id: logId })
    .update({ status: 'passive', closed_at: clock.now(), closed_reason: 'Avsluttet med familien.' });
  const [{ id: newer }] = await db('logs')
    .insert({ ...old, status: 'active', closed_at: null, closed_reason: null, version: 1 })
    .returning('id');
  const page = await leader.agent.get(`/logs/${logId}/reopen`);
  t.equal(page.statusCode, 200);
  const refused = await leader.agent.post(`/logs/${logId}/reopen`, {
    formToken: formToken(page.body),
    ...consentFields(today),
  });
  t.equal(refused.statusCode, 422, 'refused with a message, not reopened');
  t.match(refused.body, /class="error-summary"/);
  t.match(refused.body, 'en aktiv logg');
  t.match(refused.body, `href="/logs/${newer}"`, 'with a link to the active log');
  t.match(refused.body, 'value="Geir Berg"', 'what was typed comes back');
  t.equal((await db('logs').where({ id: logId }).first()).status, 'passive');
  t.equal(
    (await db('logs').where({ child_id: old.child_id, status: 'active' })).length,
    1,
    'still one active log for the child',
  );
});
