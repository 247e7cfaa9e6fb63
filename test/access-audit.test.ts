/**
 * The audit trail: append-only in the database itself (tried through the app's own connection), one
 * row per read of a log page, a row for each refused attempt, no text in any row, and the "Hvem har
 * sett loggen" page for the holder, the unit leader and the family.
 */
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { accessPeople, buildWorld, EMAIL } from './helpers/access-world.js';
import type { Db } from '../src/db/knex.js';
import { multipart, tinyPdf } from './notes-fixtures.js';
import { catalogue } from '../src/i18n/index.js';
import { identityNumbersIn } from './helpers/identity.js';

const nb = catalogue('nb');

t.test(
  "the database refuses to change or remove audit rows, also for the app's own connection",
  async (t) => {
    const { app, db } = await testApp(t);
    const agent = new Agent(app);
    await signIn(agent, EMAIL.holder);
    const before = await db('audit_events').count<{ count: number }[]>('* as count').first();
    t.ok(before!.count > 0, 'there are rows to try with');
    const appDb = app.db;
    // Refused by the role's missing privileges, and behind them by the append-only triggers.
    const refused = /permission denied|must be owner|append-only|triggers cannot/;
    await t.rejects(appDb('audit_events').update({ action: 'forged' }), refused, 'UPDATE is refused');
    await t.rejects(appDb('audit_events').where('id', '>', 0).delete(), refused, 'DELETE is refused');
    await t.rejects(appDb.raw('TRUNCATE audit_events'), refused, 'TRUNCATE is refused');
    await t.rejects(
      appDb.transaction(async (trx) => {
        await trx.raw('SET LOCAL session_replication_role = replica');
        await trx('audit_events').delete();
      }),
      refused,
      'DELETE is refused also with session_replication_role = replica',
    );
    await t.rejects(
      appDb.raw('ALTER TABLE audit_events DISABLE TRIGGER ALL'),
      refused,
      'the triggers cannot be disabled',
    );
    await t.rejects(
      appDb.raw('DROP TRIGGER audit_events_no_update ON audit_events'),
      refused,
      'the triggers cannot be dropped',
    );
    await t.rejects(
      appDb.raw('DROP TABLE audit_events'),
      /permission denied|must be owner|append-only|triggers cannot|depend/,
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

/** Runs one statement in a transaction that is always rolled back; the database's refusal, or null. */
async function attempt(db: Db, sql: string): Promise<{ code?: string; message: string } | null> {
  const done = new Error('rolled back');
  try {
    await db.transaction(async (trx) => {
      await trx.raw(sql);
      throw done;
    });
  } catch (error) {
    return error === done ? null : (error as { code?: string; message: string });
  }
  return null;
}

t.test("the app's own database role cannot switch the audit trail's protection off", async (t) => {
  const { app, db } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, EMAIL.holder); // a few rows to try with
  const appDb = app.db;
  const role = (
    await appDb.raw('SELECT current_user AS name, usesuper FROM pg_user WHERE usename = current_user')
  ).rows[0] as { name: string; usesuper: boolean };
  t.equal(role.usesuper, false, `the app connects as ${role.name}, not a superuser`);
  const owned = await db.raw(
    `SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND pg_get_userbyid(c.relowner) = ?`,
    [role.name],
  );
  t.same(owned.rows, [], 'and owns no table in the public schema');
  const functionBefore = (
    await db.raw(`SELECT prosrc FROM pg_proc WHERE proname = 'audit_events_append_only'`)
  ).rows[0].prosrc as string;
  const rowsBefore = (await db('audit_events').count<{ count: number }[]>('* as count').first())!.count;

  const bypasses: [string, string][] = [
    [
      'replace the trigger function',
      `CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`,
    ],
    ['disable a trigger', 'ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update'],
    ['disable every trigger', 'ALTER TABLE audit_events DISABLE TRIGGER ALL'],
    ['drop a trigger', 'DROP TRIGGER audit_events_no_update ON audit_events'],
    ['take the table over', `ALTER TABLE audit_events OWNER TO CURRENT_USER`],
    ['turn triggers off for the session', 'SET session_replication_role = replica'],
    ['turn event triggers off for the session', 'SET event_triggers = off'],
    ['disable the event trigger', 'ALTER EVENT TRIGGER audit_events_guard_ddl DISABLE'],
    ['drop the event trigger', 'DROP EVENT TRIGGER audit_events_guard_ddl'],
    ['truncate the trail', 'TRUNCATE audit_events'],
    ['change an audit row', `UPDATE audit_events SET action = 'forged'`],
    ['delete audit rows', 'DELETE FROM audit_events'],
    ['create a table in the public schema', 'CREATE TABLE public.audit_copy (id int)'],
    [
      'create a function in the public schema',
      'CREATE FUNCTION public.noop() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$',
    ],
    ['create a schema', 'CREATE SCHEMA elsewhere'],
  ];
  for (const [what, sql] of bypasses) {
    const error = await attempt(appDb, sql);
    t.ok(error, `refused: ${what}`);
    t.equal(error?.code, '42501', `${what}: insufficient privilege`);
    t.match(error?.message ?? '', /permission denied|must be owner/, `${what}: the role may not`);
  }

  const functionAfter = (
    await db.raw(`SELECT prosrc FROM pg_proc WHERE proname = 'audit_events_append_only'`)
  ).rows[0].prosrc as string;
  t.equal(functionAfter, functionBefore, 'the trigger function is unchanged');
  const rowsAfter = (await db('audit_events').count<{ count: number }[]>('* as count').first())!.count;
  t.ok(rowsAfter >= rowsBefore, 'no audit row went away');
  t.equal(
    (
      await db.raw(
        `SELECT count(*)::int AS n FROM pg_event_trigger WHERE evtname LIKE 'audit_events_guard%' AND evtenabled = 'O'`,
      )
    ).rows[0].n,
    2,
    'both event triggers are still enabled',
  );
});

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
  t.same(identityNumbersIn(text), [], 'no identity number in the trail');
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

/** The rows of the "Hvem har sett loggen" table: who, in which role and unit, did what. */
function trailRows(html: string): { who: string; role: string; unit: string; what: string }[] {
  const rows: { who: string; role: string; unit: string; what: string }[] = [];
  const pattern =
    /<tr>\s*<td>[^<]*<\/td>\s*<td>([^<]*)<br><span class="secondary-text">([^<,]*)(?:, ([^<]*))?<\/span><\/td>\s*<td>([^<]*)<\/td>\s*<\/tr>/g;
  for (const m of html.matchAll(pattern)) {
    rows.push({ who: m[1]!, role: m[2]!, unit: m[3] ?? '', what: m[4]! });
  }
  return rows;
}

t.test("the trail names each person's own unit (none for the family) and says what they did", async (t) => {
  const { app, db } = await testApp(t);
  const ida = (
    await db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.first_name', 'Ida')
      .first('l.id')
  ).id as number;
  const absence = (await db('concerns').where({ log_id: ida }).orderBy('position').first('id')).id as number;
  // Tor Hansen teaches at Solbakken skole (where he may take measures) and also stands in at a
  // kindergarten, which comes first by name; Ida's log is held at Nordbyen helsestasjon.
  const tor = (await db('users').where({ email: 'aktor@stafett.example' }).first('id')).id as number;
  const kindergarten = (await db('units').where({ name: 'Lillevik barnehage' }).first('id')).id as number;
  await db('unit_memberships').insert({
    unit_id: kindergarten,
    user_id: tor,
    title: 'Vikar',
    may_be_actor: false,
  });

  // The holder writes a log note about the concern Tor takes part in, with a PDF.
  const holder = new Agent(app);
  await signIn(holder, EMAIL.holder);
  const noteForm = await holder.get(`/logs/${ida}/notes/new`);
  const body = multipart(
    {
      _csrf: holder.csrfToken,
      concernId: String(absence),
      text: 'Kartlegging av fraværet er vedlagt.',
      formToken: /name="formToken" value="([^"]+)"/.exec(noteForm.body)![1]!,
    },
    { name: 'kartlegging.pdf', type: 'application/pdf', data: tinyPdf() },
  );
  const posted = await app.inject({
    method: 'POST',
    url: `/logs/${ida}/notes`,
    headers: { cookie: holder.cookieHeader(), 'content-type': body.contentType },
    payload: body.payload,
  });
  t.equal(posted.statusCode, 303, 'the holder wrote the note');
  const note = await db('notes').where({ log_id: ida, kind: 'log' }).orderBy('id', 'desc').first('id');
  const attachment = await db('note_attachments').where({ note_id: note.id }).first('id');

  // Tor, an actor, shares and edits a glimmer, looks at the glimmers and at the note.
  const actor = new Agent(app);
  await signIn(actor, 'aktor@stafett.example');
  const glimmerForm = await actor.get(`/logs/${ida}/glimmers/new`);
  const shared = await actor.post(`/logs/${ida}/glimmers`, {
    text: 'Ida svarte på alle spørsmålene i norsktimen i dag.',
    concernId: '',
    formToken: /name="formToken" value="([^"]+)"/.exec(glimmerForm.body)![1]!,
  });
  t.equal(shared.statusCode, 303, 'Tor shared a glimmer');
  const glimmer = await db('glimmers').where({ log_id: ida, author_id: tor }).first('id');
  await actor.get(`/logs/${ida}/glimmers/${glimmer.id}/edit`);
  const edited = await actor.post(`/logs/${ida}/glimmers/${glimmer.id}`, {
    text: 'Ida svarte på alle spørsmålene i norsktimen og i matte i dag.',
    concernId: '',
  });
  t.equal(edited.statusCode, 303, 'and edited it');
  t.equal((await actor.get(`/logs/${ida}/glimmers`)).statusCode, 200);
  t.equal((await actor.get(`/logs/${ida}/notes/${note.id}/history`)).statusCode, 200);
  t.equal((await actor.get(`/logs/${ida}/notes/${note.id}/attachments/${attachment.id}`)).statusCode, 200);

  // Ida's mother shares a glimmer too.
  const mother = new Agent(app);
  await signIn(mother, 'foresatt@stafett.example');
  const motherForm = await mother.get(`/logs/${ida}/glimmers/new`);
  t.equal(
    (
      await mother.post(`/logs/${ida}/glimmers`, {
        text: 'Ida gikk til skolen alene i dag.',
        concernId: '',
        formToken: /name="formToken" value="([^"]+)"/.exec(motherForm.body)![1]!,
      })
    ).statusCode,
    303,
  );

  const page = await holder.get(`/logs/${ida}/audit`);
  t.equal(page.statusCode, 200);
  const rows = trailRows(page.body);
  const torRows = rows.filter((r) => r.who === 'Tor Hansen');
  t.ok(torRows.length >= 6, 'Tor is in the trail');
  t.same(
    [...new Set(torRows.map((r) => `${r.role}, ${r.unit}`))],
    ['aktør, Solbakken skole'],
    'every row of Tor names him as an actor from his own school, not the log’s health station',
  );
  const did = (who: string) => rows.filter((r) => r.who === who).map((r) => r.what);
  for (const what of [
    'Delte et lysglimt',
    'Endret et lysglimt',
    'Så lysglimtene',
    'Så tidligere versjoner av et notat',
    'Lastet ned et vedlegg',
  ]) {
    t.ok(did('Tor Hansen').includes(what), `Tor: «${what}»`);
  }
  t.notOk(did('Tor Hansen').includes('Endret planen'), 'a glimmer is not "Endret planen"');
  const motherRows = rows.filter((r) => r.who === 'Anne Hagen');
  t.same(
    motherRows.map((r) => [r.role, r.unit]),
    motherRows.map(() => ['foresatt', '']),
    'the family acts from no unit',
  );
  t.ok(did('Anne Hagen').includes('Delte et lysglimt'), 'the mother shared a glimmer');
  const mine = rows.filter((r) => r.who === 'Du');
  t.same(
    [...new Set(mine.map((r) => `${r.role}, ${r.unit}`))],
    ['stafettholder, Nordbyen helsestasjon'],
    'the holder acts from the log’s unit',
  );
  t.ok(did('Du').includes('Skrev et notat'), 'the holder: «Skrev et notat»');
  t.ok(did('Du').includes('La ved et vedlegg'), 'the holder: «La ved et vedlegg»');
  const general = [nb['audit.action.change'], nb['audit.action.read'], 'Endret planen', 'Så i planen'];
  t.same(
    rows.filter((r) => general.includes(r.what)),
    [],
    'every row says what happened: none falls back to a general label',
  );
});
