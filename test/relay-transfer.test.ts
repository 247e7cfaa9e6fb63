/**
 * Transfers (rule 10) through the routes, against real PostgreSQL: a pending transfer does not change
 * the holder; declined and withdrawn transfers leave everything as it was; the receiving leader picks
 * the holder, who accepts; the concerns not chosen stay behind in a passive log; only the right people
 * see or act on a transfer (404 for anyone else).
 */
import t from 'tap';
import { Agent, signIn, testApp, type Teardown } from './helpers/app.js';
import type { Db } from '../src/db/knex.js';
import { idaLogId, userId } from './plan-fixture.js';

const HOLDER = 'stafettholder@stafett.example';
const LEADER = 'leder@stafett.example';
const TEACHER = 'laerer@stafett.example';
const PPT = 'ppt@stafett.example';
const ACTOR = 'aktor@stafett.example';

async function as(t: Teardown, email: string) {
  const site = await testApp(t);
  const agent = new Agent(site.app);
  await signIn(agent, email);
  return { ...site, agent };
}

/** Everything a transfer could change about the log, to compare before and after. */
async function snapshot(db: Db, logId: number) {
  return {
    log: await db('logs').where({ id: logId }).first('holder_id', 'unit_id', 'status', 'version'),
    logs: (await db('logs').count<{ count: number }[]>('* as count').first())!.count,
    concerns: await db('concerns').where({ log_id: logId }).orderBy('id').pluck('id'),
    goals: await db('goals').where({ log_id: logId }).orderBy('id').pluck('id'),
    measures: await db('measures').where({ log_id: logId }).orderBy('id').pluck('id'),
    closures: (await db('log_closures').count<{ count: number }[]>('* as count').first())!.count,
  };
}

async function schoolId(db: Db) {
  return (await db('units').where({ name: 'Solbakken skole' }).first('id')).id as number;
}

/** The holder sends Ida's log to Solbakken skole's leader with the first concern; returns the transfer's address. */
async function sendToSchoolLeader(agent: Agent, db: Db, logId: number, concernId: number): Promise<string> {
  const details = await agent.get(`/logs/${logId}/transfer/to?kind=unit&unitId=${await schoolId(db)}`);
  const token = /name="formToken" value="([^"]+)"/.exec(details.body)![1]!;
  const sent = await agent.post(`/logs/${logId}/transfers`, {
    formToken: token,
    kind: 'unit',
    unitId: String(await schoolId(db)),
    receiver: 'leader',
    reason: 'Ida begynner på ungdomsskolen, og skolen følger opp fraværet.',
    concernIds: String(concernId),
    consentConfirmed: 'yes',
  });
  if (sent.statusCode !== 303) throw new Error(`transfer answered ${sent.statusCode}`);
  return sent.headers.location as string;
}

t.test('the transfer form: where to, which unit, then who, why, which concerns and consent', async (t) => {
  const { agent, db } = await as(t, HOLDER);
  const logId = await idaLogId(db);
  const log = await agent.get(`/logs/${logId}`);
  t.match(log.body, `href="/logs/${logId}/transfer"`, 'the holder sees "Overfør stafettloggen"');
  const kind = await agent.get(`/logs/${logId}/transfer`);
  t.equal(kind.statusCode, 200);
  t.match(kind.body, /name="kind" type="radio" value="municipality"/);
  const none = await agent.get(`/logs/${logId}/transfer/to`);
  t.equal(none.statusCode, 422, 'no choice: the same page with an error');
  t.match(none.body, /href="#kind"/);
  const units = await agent.get(`/logs/${logId}/transfer/to?kind=unit`);
  t.match(units.body, /Solbakken skole/);
  t.notMatch(units.body, /value="\d+"[^>]*>\s*<label[^>]*>Nordbyen helsestasjon/, 'not its own unit');
  const noUnit = await agent.get(`/logs/${logId}/transfer/to?kind=unit&step=unit`);
  t.equal(noUnit.statusCode, 422);
  const details = await agent.get(`/logs/${logId}/transfer/to?kind=unit&unitId=${await schoolId(db)}`);
  t.match(details.body, /Lederen i Solbakken skole velger/);
  t.match(details.body, /Nina Lund/, 'possible holders of the unit');
  t.notMatch(details.body, /Tor Hansen/, 'not staff who may not hold logs');
  t.match(details.body, /Ida er borte fra skolen/);
  t.match(details.body, /Ida er ofte lei seg/);
  const toMunicipality = await agent.get(`/logs/${logId}/transfer/to?kind=municipality`);
  t.equal(toMunicipality.headers.location, `/logs/${logId}/export`);

  const before = await snapshot(db, logId);
  const invalid = await agent.post(`/logs/${logId}/transfers`, {
    kind: 'unit',
    unitId: String(await schoolId(db)),
    reason: 'x'.repeat(2001),
  });
  t.equal(invalid.statusCode, 422);
  for (const field of ['receiver', 'reason', 'concernIds', 'consentConfirmed'])
    t.match(invalid.body, `href="#${field}"`);
  t.match(invalid.body, /<title>Feil: /);
  t.same(await snapshot(db, logId), before, 'nothing saved');
});

t.test('a declined transfer leaves everything as it was', async (t) => {
  const holder = await as(t, HOLDER);
  const db = holder.db;
  const logId = await idaLogId(db);
  const [absence] = await db('concerns').where({ log_id: logId }).orderBy('position').pluck('id');
  const before = await snapshot(db, logId);
  const transferUrl = await sendToSchoolLeader(holder.agent, db, logId, absence);
  t.match(transferUrl, /^\/transfers\/\d+$/);
  t.same(await snapshot(db, logId), before, 'a pending transfer changes nothing in the log');
  const page = await holder.agent.get(`/logs/${logId}`);
  t.match(page.body, /Loggen venter på å bli overført/, 'the holder sees it pending');
  t.match(page.body, /Helga Nilsen er stafettholder og har ansvaret/);
  t.notMatch(page.body, `href="/logs/${logId}/transfer"`, 'no second transfer while one is pending');

  const actor = new Agent(holder.app);
  await signIn(actor, ACTOR);
  const actorView = await actor.get(`/logs/${logId}`);
  t.match(actorView.body, /Loggen venter på å bli overført/, 'everyone who sees the log sees it pending');
  t.equal((await actor.get(transferUrl)).statusCode, 404, 'an actor does not see the transfer itself');
  const guardian = new Agent(holder.app);
  await signIn(guardian, 'foresatt@stafett.example');
  t.match(
    (await guardian.get(`/logs/${logId}`)).body,
    /Loggen venter på å bli overført/,
    'and the family too',
  );

  const leader = new Agent(holder.app);
  await signIn(leader, LEADER);
  const incoming = await leader.get('/logs');
  t.match(incoming.body, /Overføringer som venter på deg/);
  t.match(incoming.body, /Velg ny stafettholder/);
  t.equal(
    (await leader.get(`/logs/${logId}`)).statusCode,
    404,
    'the receiving leader cannot read the log before it is accepted',
  );
  const leaderPage = await leader.get(transferUrl);
  t.equal(leaderPage.statusCode, 200);
  t.match(leaderPage.body, /Ida er borte fra skolen/, 'what goes along');
  t.notMatch(leaderPage.body, /Ida er ofte lei seg/, 'not what stays behind (the receiver does not see it)');
  t.match(leaderPage.body, /action="\/transfers\/\d+\/assign"/);
  t.ok(
    await db('audit_events')
      .where({ action: 'transfer.read', log_id: logId, role: 'receiving_leader' })
      .first(),
    'reading the transfer is recorded',
  );

  const empty = await leader.post(`${transferUrl}/decline`, { declineReason: '' });
  t.equal(empty.statusCode, 422);
  const declined = await leader.post(`${transferUrl}/decline`, {
    declineReason: 'Vi har ingen ledig kontaktlærer før jul.',
  });
  t.equal(declined.statusCode, 303);
  t.same(await snapshot(db, logId), before, 'declined: everything as it was');
  const status = await holder.agent.get(transferUrl);
  t.match(status.body, /Avslått av Lars Bakke/);
  t.match(status.body, /Vi har ingen ledig kontaktlærer før jul\./);
  t.notMatch((await holder.agent.get(`/logs/${logId}`)).body, /Loggen venter på å bli overført/);
  t.equal((await leader.post(`${transferUrl}/accept`)).statusCode, 303, 'a late answer is not an error');
  t.same(await snapshot(db, logId), before);
  t.ok(await db('audit_events').where({ action: 'transfer.decline', log_id: logId }).first(), 'audited');
});

t.test('a withdrawn transfer leaves everything as it was', async (t) => {
  const holder = await as(t, HOLDER);
  const db = holder.db;
  const logId = await idaLogId(db);
  const [absence] = await db('concerns').where({ log_id: logId }).orderBy('position').pluck('id');
  const before = await snapshot(db, logId);
  const transferUrl = await sendToSchoolLeader(holder.agent, db, logId, absence);
  const confirm = await holder.agent.get(`${transferUrl}/withdraw`);
  t.equal(confirm.statusCode, 200, 'a confirmation page first');
  const withdrawn = await holder.agent.post(`${transferUrl}/withdraw`);
  t.equal(withdrawn.statusCode, 303);
  t.same(await snapshot(db, logId), before, 'withdrawn: everything as it was');
  const leader = new Agent(holder.app);
  await signIn(leader, LEADER);
  t.equal(
    (await leader.post(`${transferUrl}/assign`, { receiver: String(await userId(db, TEACHER)) })).statusCode,
    303,
  );
  t.equal(
    (
      await db('transfers')
        .where({ id: Number(transferUrl.split('/').pop()) })
        .first()
    ).status,
    'withdrawn',
    'nothing happens to a withdrawn transfer',
  );
  t.notMatch((await leader.get('/logs')).body, /Overføringer som venter på deg/);
});

t.test(
  'to another unit: the leader picks the holder, who accepts; what was not chosen stays behind, passive',
  async (t) => {
    const holder = await as(t, HOLDER);
    const { db, app } = holder;
    const logId = await idaLogId(db);
    const [absence, mood] = await db('concerns').where({ log_id: logId }).orderBy('position').pluck('id');
    const moodGoals = await db('goals').where({ concern_id: mood }).pluck('id');
    const moodMeasures = await db('measures').where({ concern_id: mood }).pluck('id');
    const helga = await userId(db, HOLDER);
    const nina = await userId(db, TEACHER);
    const transferUrl = await sendToSchoolLeader(holder.agent, db, logId, absence!);
    const transferId = Number(transferUrl.split('/').pop());

    const outsider = new Agent(app);
    await signIn(outsider, PPT);
    t.equal((await outsider.get(transferUrl)).statusCode, 404, 'someone else: 404');
    t.equal((await outsider.post(`${transferUrl}/accept`)).statusCode, 404);
    t.equal((await outsider.post(`${transferUrl}/withdraw`)).statusCode, 404);

    const teacher = new Agent(app);
    await signIn(teacher, TEACHER);
    t.equal((await teacher.get(transferUrl)).statusCode, 404, 'not addressed to her yet');
    t.equal((await teacher.post(`${transferUrl}/accept`)).statusCode, 404);

    const leader = new Agent(app);
    await signIn(leader, LEADER);
    await leader.get(transferUrl);
    const noChoice = await leader.post(`${transferUrl}/assign`, { receiver: '' });
    t.equal(noChoice.statusCode, 422);
    t.match(noChoice.body, /href="#receiver"/);
    t.equal((await leader.post(`${transferUrl}/assign`, { receiver: String(nina) })).statusCode, 303);
    t.equal(
      (await db('logs').where({ id: logId }).first()).holder_id,
      helga,
      'still pending: the holder is unchanged',
    );

    const list = await teacher.get('/logs');
    t.match(list.body, /Overføringer som venter på deg/);
    t.match(list.body, /Svar på overføringen/);
    t.equal(
      (await teacher.get(`/logs/${logId}`)).statusCode,
      404,
      'the receiver reads the log only after accepting',
    );
    const page = await teacher.get(transferUrl);
    t.match(page.body, /Godta og bli stafettholder/);
    const mother = await userId(db, 'foresatt@stafett.example');
    const [moodGlimmer] = await db('glimmers')
      .insert({
        log_id: logId,
        concern_id: mood,
        author_id: mother,
        author_role: 'guardian',
        text: 'Ida lo i dag.',
      })
      .returning('id');
    const [logGlimmer] = await db('glimmers')
      .insert({
        log_id: logId,
        concern_id: null,
        author_id: mother,
        author_role: 'guardian',
        text: 'Fin uke.',
      })
      .returning('id');
    const accepted = await teacher.post(`${transferUrl}/accept`);
    t.equal(accepted.statusCode, 303);
    t.equal(accepted.headers.location, `/logs/${logId}`);

    const log = await db('logs').where({ id: logId }).first();
    t.equal(log.holder_id, nina, 'the new holder holds the log');
    t.equal(log.unit_id, await schoolId(db));
    t.same(
      await db('concerns').where({ log_id: logId }).pluck('id'),
      [absence],
      'the chosen concern went along',
    );
    const transfer = await db('transfers').where({ id: transferId }).first();
    t.equal(transfer.status, 'accepted');
    const passive = await db('logs').where({ id: transfer.passive_log_id }).first();
    t.equal(passive.status, 'passive', 'what stayed behind is a passive log');
    t.equal(passive.holder_id, helga, 'held by the old holder');
    t.equal(passive.child_id, log.child_id, 'for the same child');
    t.same(await db('concerns').where({ log_id: passive.id }).pluck('id'), [mood]);
    t.same(
      (await db('goals').where({ log_id: passive.id }).pluck('id')).sort(),
      moodGoals.sort(),
      'its goals went with it',
    );
    t.same(
      (await db('measures').where({ log_id: passive.id }).pluck('id')).sort(),
      moodMeasures.sort(),
      'and its measures',
    );
    t.equal(
      (await db('glimmers').where({ id: moodGlimmer.id }).first()).log_id,
      passive.id,
      'a glimmer about a concern goes with the concern',
    );
    t.equal(
      (await db('glimmers').where({ id: logGlimmer.id }).first()).log_id,
      logId,
      'a glimmer about the whole log stays with the log',
    );
    t.ok(await db('consents').where({ log_id: passive.id }).first(), 'the consent record is kept with it');
    t.ok(await db('log_guardians').where({ log_id: passive.id }).first(), 'the guardians still read it');
    t.equal((await db('log_closures').where({ log_id: passive.id }).first()).kind, 'left_behind');

    const newHolder = await teacher.get(`/logs/${logId}`);
    t.equal(newHolder.statusCode, 200);
    t.notMatch(newHolder.body, /Loggen venter på å bli overført/);
    t.match(newHolder.body, /Nina Lund, Solbakken skole/);
    const oldList = await holder.agent.get('/logs');
    t.match(
      oldList.body,
      new RegExp(`href="/logs/${passive.id}">Ida Hagen`),
      'the old holder has the passive log in "my logs"',
    );
    t.equal(
      (await holder.agent.get(`/logs/${logId}`)).statusCode,
      404,
      'the old holder no longer reads the handed-on log',
    );
    const record = await holder.agent.get(transferUrl);
    t.match(record.body, /Godtatt av Nina Lund/, 'the old holder still sees what became of the transfer');
    t.notMatch(record.body, `href="/logs/${logId}"`, 'without a link to a log she can no longer read');
    const stayed = await holder.agent.get(`/logs/${passive.id}`);
    t.match(stayed.body, /Oppmerksomheter som ble igjen ved en overføring/);
    t.notMatch(stayed.body, `href="/logs/${passive.id}/concerns/new"`, 'read-only');
    t.ok(await db('audit_events').where({ action: 'transfer.accept', log_id: logId }).first(), 'audited');
    const prints = await db('archive_prints')
      .whereIn('log_id', [logId, passive.id])
      .where({ reason: 'transfer' })
      .select('log_id', 'pdf');
    t.same(
      prints.map((p) => p.log_id).sort(),
      [logId, passive.id].sort(),
      'a transfer PDF of what went and of what stayed',
    );
    t.ok(
      prints.every((p) => p.pdf.subarray(0, 5).toString() === '%PDF-'),
      'real PDFs',
    );
  },
);

t.test(
  'internal: the whole log goes; a leader can transfer on behalf of a holder, or to themself at once',
  async (t) => {
    const leader = await as(t, LEADER);
    const { db, app } = leader;
    const ella = (
      await db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .where('c.first_name', 'Ella')
        .first('l.id')
    ).id as number;
    const lars = await userId(db, LEADER);
    const concernsBefore = await db('concerns').where({ log_id: ella }).pluck('id');
    const kind = await leader.agent.get(`/logs/${ella}/transfer`);
    t.match(kind.body, /på vegne av Nina Lund/, 'on behalf of the holder');
    const details = await leader.agent.get(`/logs/${ella}/transfer/to?kind=internal`);
    t.match(details.body, /Lars Bakke \(deg selv\)/);
    t.notMatch(details.body, /name="concernIds"/, 'internal: no choice of concerns');
    const sent = await leader.agent.post(`/logs/${ella}/transfers`, {
      kind: 'internal',
      receiver: String(lars),
      reason: 'Nina har sluttet. Jeg avslutter loggen med familien.',
    });
    t.equal(sent.statusCode, 303);
    t.equal(sent.headers.location, `/logs/${ella}`);
    const log = await db('logs').where({ id: ella }).first();
    t.equal(log.holder_id, lars, 'to themself: accepted at once');
    t.same(
      await db('concerns').where({ log_id: ella }).pluck('id'),
      concernsBefore,
      'the whole log went along',
    );

    const teacher = new Agent(app);
    await signIn(teacher, TEACHER);
    t.equal(
      (await teacher.get(`/logs/${ella}/transfer`)).statusCode,
      404,
      'the former holder cannot transfer it any more',
    );
  },
);
