/**
 * The audit trail: append-only in the database itself (tried through the app's own connection), one
 * row per read of a log page, a row for each refused attempt, no text in any row, and the "Hvem har
 * sett loggen" page for the holder, the unit leader and the family.
 */
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { accessPeople, buildWorld, EMAIL } from './helpers/access-world.js';

t.test(
  "the database refuses to change or remove audit rows, also for the app's own connection",
  async (t) => {
    const { app, db } = await testApp(t);
    const agent = new Agent(app);
    await signIn(agent, EMAIL.holder);
    const before = await db('audit_events').count<{ count: number }[]>('* as count').first();
    t.ok(before!.count > 0, 'there are rows to try with');
    const appDb = app.db;
    await t.rejects(appDb('audit_events').update({ action: 'forged' }), /append-only/, 'UPDATE is refused');
    await t.rejects(appDb('audit_events').where('id', '>', 0).delete(), /append-only/, 'DELETE is refused');
    await t.rejects(appDb.raw('TRUNCATE audit_events'), /append-only/, 'TRUNCATE is refused');
    await t.rejects(
      appDb.transaction(async (trx) => {
        await trx.raw('SET LOCAL session_replication_role = replica');
        await trx('audit_events').delete();
      }),
      /append-only/,
      'DELETE is refused also with session_replication_role = replica',
    );
    await t.rejects(
      appDb.raw('ALTER TABLE audit_events DISABLE TRIGGER ALL'),
      /append-only|triggers cannot/,
      'the triggers cannot be disabled',
    );
    await t.rejects(
      appDb.raw('DROP TRIGGER audit_events_no_update ON audit_events'),
      /append-only|triggers cannot/,
      'the triggers cannot be dropped',
    );
    await t.rejects(
      appDb.raw('DROP TABLE audit_events'),
      /append-only|triggers cannot|depend/,
      'the table cannot be dropped',
    );
    const after = await db('audit_events').count<{ count: number }[]>('* as count').first();
    t.ok(after!.count >= before!.count, 'no row went away');
    t.equal(
      (await db('audit_events').where({ action: 'forged' }).first()) ?? null,
      null,
      'no row was changed',
    );
    await appDb('audit_events').insert({ action: 'test.insert', role: 'test' });
    t.pass('INSERT still works');
  },
);

t.test('every read of a log page writes exactly one audit row; a refused read one denied row', async (t) => {
  const { app, db } = await testApp(t);
  const people = await accessPeople(db);
  const world = await buildWorld(db, people);
  const rows = (logId: number, action: string) =>
    db('audit_events').where({ log_id: logId, action }).orderBy('id');
  for (const [role, expectedRole, unit] of [
    ['holder', 'holder', world.unitId],
    ['actorIn', 'actor', null],
    ['guardian', 'guardian', null],
    ['youth', 'youth', null],
    ['leader', 'leader', world.unitId],
    ['grantWhole', 'read_grant', null],
  ] as const) {
    const agent = new Agent(app);
    await signIn(agent, EMAIL[role]);
    const before = (await rows(world.logId, 'log.read')).length;
    const page = await agent.get(`/logs/${world.logId}`);
    t.equal(page.statusCode, 200, `${role} reads the log`);
    const after = await rows(world.logId, 'log.read');
    t.equal(after.length, before + 1, `${role}: one audit row for one read`);
    const row = after.at(-1)!;
    t.equal(row.user_id, people.ids[role], `${role}: who`);
    t.equal(row.role, expectedRole, `${role}: in which role`);
    t.equal(row.outcome, 'ok');
    t.match(row.request_id, /^[0-9a-f-]{36}$/, `${role}: the request id`);
    if (unit) t.equal(row.unit_id, unit, `${role}: from which unit`);
    if (role === 'guardian' || role === 'youth') t.equal(row.unit_id, null, 'the family acts from no unit');
  }
  const stranger = new Agent(app);
  await signIn(stranger, EMAIL.leaderOther);
  const beforeDenied = (await rows(world.logId, 'denied:log.read')).length;
  t.equal((await stranger.get(`/logs/${world.logId}`)).statusCode, 404, 'a stranger gets 404');
  const denied = await rows(world.logId, 'denied:log.read');
  t.equal(denied.length, beforeDenied + 1, 'and the attempt is recorded');
  t.equal(denied.at(-1)!.outcome, 'denied');
  t.equal(denied.at(-1)!.user_id, people.ids.leaderOther);
});

t.test('audit rows hold no text: not what was written, not identity numbers', async (t) => {
  const { app, db } = await testApp(t);
  const people = await accessPeople(db);
  const world = await buildWorld(db, people);
  const secret = 'Mia fortalte om 12345678901 hjemme';
  const actor = new Agent(app);
  await signIn(actor, EMAIL.actorIn);
  await actor.get(`/logs/${world.logId}/measures/${world.measureA}/follow-up`);
  t.equal(
    (await actor.post(`/logs/${world.logId}/measures/${world.measureA}/comments`, { comment: secret }))
      .statusCode,
    303,
  );
  const guardian = new Agent(app);
  await signIn(guardian, EMAIL.guardian);
  await guardian.get(`/logs/${world.logId}/measures/${world.measureA}/family-view`);
  t.equal(
    (
      await guardian.post(`/logs/${world.logId}/measures/${world.measureA}/family-view`, {
        effect: 'partly',
        view: secret,
      })
    ).statusCode,
    303,
  );
  const rows = await db('audit_events').select('*');
  // Every column but the request id (a random UUID) and the time.
  const text = JSON.stringify(rows.map(({ request_id: _r, at: _a, ...rest }) => rest));
  t.notMatch(text, /fortalte/, 'no typed text in the trail');
  t.notMatch(text, /\d{11}/, 'no identity number in the trail');
  t.ok(
    rows.some((r) => r.action === 'measure.comment' && r.object_type === 'measure_comment'),
    'the comment is recorded by id',
  );
  t.ok(
    rows.some((r) => r.action === 'family_view.save'),
    "the family's view is recorded by id",
  );
  // Even a careless caller cannot put a sentence or an identity number into the trail: codes only.
  await app.audit({ id: 'r1', user: null } as never, {
    action: 'note 01017012345 text',
    objectType: 'x 01017012345',
  });
  const careless = await db('audit_events').where('action', 'like', 'note%').first();
  t.equal(careless.action, 'note_#_text', 'spaces and digit runs are gone');
  t.equal(careless.object_type, 'x_#');
});

t.test('"Hvem har sett loggen": holder, unit leader and family; not actors or read grants', async (t) => {
  const { app, db } = await testApp(t);
  const people = await accessPeople(db);
  const world = await buildWorld(db, people);
  const holder = new Agent(app);
  await signIn(holder, EMAIL.holder);
  await holder.get(`/logs/${world.logId}`);
  for (const role of ['holder', 'leader', 'guardian', 'youth'] as const) {
    const agent = new Agent(app);
    await signIn(agent, EMAIL[role]);
    const page = await agent.get(`/logs/${world.logId}/audit`);
    t.equal(page.statusCode, 200, `${role} opens it`);
    t.match(page.body, /Helga Nilsen/, `${role} sees that the holder read the log`);
    t.match(page.body, /Åpnet planen/, 'in plain words');
    t.notMatch(page.body, /log\.read|denied/, 'no internal codes, no refused attempts');
  }
  const guardianPage = await (async () => {
    const agent = new Agent(app);
    await signIn(agent, EMAIL.guardian);
    return agent.get(`/logs/${world.logId}/audit`);
  })();
  t.match(guardianPage.body, /Her ser du hvem som har åpnet eller endret planen/, 'written for the family');
  for (const role of ['actorIn', 'grantWhole', 'superuser', 'admin'] as const) {
    const agent = new Agent(app);
    await signIn(agent, EMAIL[role]);
    t.equal((await agent.get(`/logs/${world.logId}/audit`)).statusCode, 404, `${role} does not`);
  }
});
