/**
 * Export to another municipality and import in another Stafett, through the routes: the file follows
 * the schema and never holds the identity number; a bad file is refused with a clear message; the
 * import makes a log only after consent; and export → import → export gives back the chosen concerns,
 * goals, measures (steps, corrections) and evaluations exactly.
 */
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { Agent, signIn, testApp, type Response } from './helpers/app.js';
import type { Db } from '../src/db/knex.js';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import { syntheticNationalId } from '../seeds/01_organisation.js';
import { readDocument, type ExportDocument } from '../src/features/relay/export-format.js';
import { idaLogId, userId } from './plan-fixture.js';
import { identityNumbersIn } from './helpers/identity.js';

const HOLDER = 'stafettholder@stafett.example';

/** Posts a multipart form with one file, as a browser does, with the agent's cookies. */
async function upload(
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  file: { filename: string; content: Buffer },
): Promise<Response> {
  const boundary = `----stafett${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ _csrf: agent.csrfToken, ...fields })) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: application/json\r\n\r\n`,
    ),
  );
  parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return agent.app.inject({
    method: 'POST',
    url,
    headers: { cookie: agent.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  });
}

/** Adds what the demo plan lacks, so the round trip covers it: steps, evaluations, a correction, a replaced goal, a closed concern. */
async function enrich(db: Db, logId: number) {
  const holder = await userId(db, HOLDER);
  const [absence, mood] = await db('concerns').where({ log_id: logId }).orderBy('position').pluck('id');
  const moodGoal = (await db('goals').where({ concern_id: mood }).first('id')).id;
  const child = await db('measures').where({ concern_id: mood, responsible: 'child' }).first();
  await db('measure_steps').insert([
    { measure_id: child.id, position: 1, text: 'Ida skriver én ting i notatboka.', done: true },
    { measure_id: child.id, position: 2, text: 'Ida viser boka til helsesykepleier.', done: false },
  ]);
  const home = await db('measures').where({ concern_id: absence, responsible: 'guardians' }).first();
  await db('measures').where({ id: home.id }).update({ status: 'evaluated' });
  await db('evaluations').insert({
    measure_id: home.id,
    log_id: logId,
    misregistered: true,
    happened: 'partly',
    effect: null,
    family_effect: 'partly',
    family_view: 'Mor fikk ikke time før om tre uker.',
    comment: 'Registrert feil: fastlegen, ikke legevakten.',
    next_step: 'change',
    evaluated_by: holder,
    evaluated_at: new Date('2026-10-01T10:00:00Z'),
  });
  await db('measures').insert({
    log_id: logId,
    concern_id: absence,
    goal_id: home.goal_id,
    text: 'Mor bestiller time hos fastlegen innen fredag.',
    responsible: 'guardians',
    start_date: '2026-10-01',
    deadline: '2026-10-20',
    status: 'planned',
    corrects_measure_id: home.id,
    position: 3,
    created_by: holder,
    text_written_at: new Date('2026-10-01T10:05:00Z'),
  });
  const [newGoal] = await db('goals')
    .insert({
      log_id: logId,
      concern_id: mood,
      text: 'Ida er sammen med venner i storefri tre dager i uka.',
      owner: 'child',
      owner_words: 'Jeg vil være med de andre.',
      arena: 'school',
      target_date: null,
      status: 'active',
      position: 2,
      created_by: holder,
    })
    .returning('id');
  await db('goals')
    .where({ id: moodGoal })
    .update({ status: 'replaced', decision: 'new_goal', replaced_by: newGoal.id });
  await db('concerns').insert({
    log_id: logId,
    title: 'Ida sov dårlig i høst.',
    status: 'solved',
    closing_reason: 'Ida sover godt nå.',
    position: 3,
    created_by: holder,
  });
}

async function exportFile(
  agent: Agent,
  logId: number,
  concernIds: number[],
): Promise<{ response: Response; document: ExportDocument }> {
  await agent.get(`/logs/${logId}/export`);
  const body = new URLSearchParams({
    _csrf: agent.csrfToken,
    reason: 'Familien flytter til Tromsø.',
    consentConfirmed: 'yes',
    download: 'json',
  });
  for (const id of concernIds) body.append('concernIds', String(id));
  const response = await agent.app.inject({
    method: 'POST',
    url: `/logs/${logId}/export`,
    headers: { cookie: agent.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
  return { response, document: response.statusCode === 200 ? JSON.parse(response.body) : null };
}

function importFields(today: string, nationalId: string): Record<string, string> {
  const given = isoToParts(today);
  const until = isoToParts(addDays(today, 365));
  return {
    childNationalId: nationalId,
    childFirstName: 'Ida',
    childLastName: 'Hagen',
    guardian1Name: 'Anne Hagen',
    guardian1Email: 'foresatt@stafett.example',
    planType: 'stafettlogg',
    level: '2',
    consentBy: 'guardians',
    consentName: 'Anne Hagen',
    'consentGivenOn-day': given.day,
    'consentGivenOn-month': given.month,
    'consentGivenOn-year': given.year,
    'consentValidUntil-day': until.day,
    'consentValidUntil-month': until.month,
    'consentValidUntil-year': until.year,
    consentServices: 'health_station',
    consentConfirmed: 'yes',
    startupNote: 'Overført fra en annen kommune.',
  };
}

t.test(
  'export → import → export gives back the chosen concerns, goals, measures and evaluations exactly',
  async (t) => {
    const { app, db, clock } = await testApp(t);
    const today = osloDate(clock.now());
    const ida = await idaLogId(db);
    await enrich(db, ida);
    const agent = new Agent(app);
    await signIn(agent, HOLDER);

    const form = await agent.get(`/logs/${ida}/export`);
    t.equal(form.statusCode, 200);
    const none = await exportFile(agent, ida, []);
    t.equal(none.response.statusCode, 422, 'at least one concern');
    t.match(none.response.body, /href="#concernIds"/);

    const concernIds = await db('concerns').where({ log_id: ida }).orderBy('position').pluck('id');
    const chosen = [concernIds[1]!, concernIds[0]!, concernIds[2]!];
    const { response, document } = await exportFile(agent, ida, chosen);
    t.equal(response.statusCode, 200);
    t.match(String(response.headers['content-type']), /^application\/json/);
    t.match(
      String(response.headers['content-disposition']),
      /^attachment; filename="stafett-overforing-\d+-\d{4}-\d\d-\d\d\.json"$/,
    );
    t.same(readDocument(Buffer.from(response.body)), { document }, 'the file follows the schema');
    t.same(identityNumbersIn(response.body), [], 'never the identity number');
    t.equal(document.concerns.length, 3);
    t.same(
      document.concerns.map((c) => c.title.slice(0, 10)),
      ['Ida er bor', 'Ida er oft', 'Ida sov då'],
      "in the log's reading order",
    );
    const allMeasures = document.concerns.flatMap((c) => c.goals.flatMap((g) => g.measures));
    t.ok(
      allMeasures.some((m) => m.evaluation?.misregistered),
      'evaluations are in it',
    );
    t.ok(
      allMeasures.some((m) => m.corrects),
      'and corrections',
    );
    t.ok(
      allMeasures.some((m) => m.steps.length === 2),
      'and steps',
    );
    t.ok(
      document.concerns.flatMap((c) => c.goals).some((g) => g.replacedBy),
      'and replaced goals',
    );
    t.ok(
      await db('archive_prints').where({ log_id: ida, reason: 'transfer' }).first(),
      'a transfer PDF is stored',
    );
    t.ok(await db('audit_events').where({ action: 'log.export', log_id: ida }).first(), 'audited');

    const pdfBody = new URLSearchParams({
      _csrf: agent.csrfToken,
      reason: 'Familien flytter.',
      consentConfirmed: 'yes',
      download: 'pdf',
      concernIds: String(concernIds[0]),
    });
    const pdf = await app.inject({
      method: 'POST',
      url: `/logs/${ida}/export`,
      headers: { cookie: agent.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: pdfBody.toString(),
    });
    t.equal(pdf.statusCode, 200, 'the PDF of the chosen concerns');
    t.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');

    // Another Stafett: here the same installation, the holder importing as the receiver.
    await agent.get('/logs/import');
    const uploaded = await upload(
      agent,
      '/logs/import',
      {},
      { filename: 'ida.json', content: Buffer.from(response.body) },
    );
    t.equal(uploaded.statusCode, 303);
    const confirmUrl = uploaded.headers.location as string;
    t.match(confirmUrl, /^\/logs\/import\/[0-9a-f-]{36}$/);
    const logsBefore = (await db('logs').count<{ count: number }[]>('* as count').first())!.count;
    const confirm = await agent.get(confirmUrl);
    t.equal(confirm.statusCode, 200);
    t.match(confirm.body, /Familien flytter til Tromsø\./);
    const tor = await userId(db, 'aktor@stafett.example');
    t.match(
      confirm.body,
      new RegExp(`<option value="${tor}" selected>Tor Hansen`),
      "a same-named colleague is suggested for Tor Hansen's measures",
    );

    const birth = (await db('children').where({ first_name: 'Ida' }).first('birth_date'))
      .birth_date as string;
    const noConsent = await agent.post(confirmUrl, {
      ...importFields(today, syntheticNationalId(birth)),
      consentConfirmed: '',
    });
    t.equal(noConsent.statusCode, 422, 'no log without consent');
    t.match(noConsent.body, /href="#consentConfirmed"/);
    const wrongChild = await agent.post(
      confirmUrl,
      importFields(today, syntheticNationalId('2010-01-01', 3)),
    );
    t.equal(wrongChild.statusCode, 422);
    t.match(wrongChild.body, /passer ikke med fødselsdatoen i filen/);
    t.equal(
      (await db('logs').count<{ count: number }[]>('* as count').first())!.count,
      logsBefore,
      'nothing made yet',
    );

    const fields = {
      ...importFields(today, syntheticNationalId(birth)),
      actor1: String(tor),
      actor2: String(await userId(db, HOLDER)),
    };
    const stillActive = await agent.post(confirmUrl, fields);
    t.equal(stillActive.statusCode, 422, 'a child has one active log: not while the old one is active');
    t.match(stillActive.body, /Barnet har allerede en aktiv logg/);
    t.match(stillActive.body, `href="/logs/${ida}"`, 'with a link to it');
    // The family moved: the log here has been closed.
    await db('logs').where({ id: ida }).update({ status: 'passive', closed_at: new Date() });
    const imported = await agent.post(confirmUrl, fields);
    await db('logs').where({ id: ida }).update({ status: 'active', closed_at: null }); // for the next tests
    t.equal(imported.statusCode, 303);
    const newLogId = Number(/^\/logs\/(\d+)$/.exec(imported.headers.location as string)![1]);
    t.not(newLogId, ida);
    t.equal(
      (await agent.post(confirmUrl, fields)).headers.location,
      `/logs/${newLogId}`,
      'a second post makes no second log',
    );
    t.ok(
      await db('consents').where({ log_id: newLogId, given_by: 'Anne Hagen' }).first(),
      'with the consent registered',
    );
    t.ok(await db('audit_events').where({ action: 'log.import', log_id: newLogId }).first());

    const again = await exportFile(
      agent,
      newLogId,
      await db('concerns').where({ log_id: newLogId }).orderBy('position').pluck('id'),
    );
    t.equal(again.response.statusCode, 200);
    t.same(
      again.document.concerns,
      document.concerns,
      'concerns, goals, measures, steps and evaluations come back exactly',
    );
    t.same(
      { ...again.document.plan, createdOn: '' },
      { ...document.plan, createdOn: '', startupNote: 'Overført fra en annen kommune.' },
    );
    t.same(again.document.child, document.child);
  },
);

t.test('a file that is not a Stafett export is refused with a clear message', async (t) => {
  const { app, db } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, HOLDER);
  await agent.get('/logs/import');
  const ida = await idaLogId(db);
  const { document } = await exportFile(agent, ida, await db('concerns').where({ log_id: ida }).pluck('id'));
  const storedBefore = (await db('log_imports').count<{ count: number }[]>('* as count').first())!.count;
  const send = (content: string | Buffer) =>
    upload(agent, '/logs/import', {}, { filename: 'x.json', content: Buffer.from(content) });

  const notJson = await send('this is not json');
  t.equal(notJson.statusCode, 422);
  t.match(notJson.body, /kan ikke leses som JSON/);
  t.match(notJson.body, /href="#file"/);
  t.match(notJson.body, /<title>Feil: /);
  t.match((await send('{"format":"something else"}')).body, /ikke en eksportfil fra Stafett/);
  const wrongParty = structuredClone(document);
  (wrongParty.concerns[0]!.goals[0]!.measures[0] as { responsible: string }).responsible = 'teacher';
  const schema = await send(JSON.stringify(wrongParty));
  t.equal(schema.statusCode, 422);
  t.match(schema.body, /følger ikke eksportformatet/);
  t.match(
    schema.body,
    /<li>\/concerns\/0\/goals\/0\/measures\/0\/responsible har en verdi som ikke er tillatt \(tillatt: «actor», «guardians», «child»\)<\/li>/,
    'what is wrong, and where, in a list next to the field',
  );
  t.match(schema.body, /aria-describedby="file-hint file-error"/);
  const badDates = structuredClone(document);
  badDates.concerns[0]!.goals[0]!.measures[0]!.deadline = '2000-01-01';
  t.match((await send(JSON.stringify(badDates))).body, /frist før startdatoen/);
  const badRef = structuredClone(document);
  badRef.concerns[0]!.goals[0]!.replacedBy = 'g99';
  t.match((await send(JSON.stringify(badRef))).body, /henviser til et mål eller tiltak som ikke finnes/);
  const extra = { ...document, nationalId: '12345678901' };
  t.match(
    (await send(JSON.stringify(extra))).body,
    /<li>\/nationalId hører ikke med i eksportformatet<\/li>/,
    'nothing beyond the format is accepted',
  );
  const prototypeKeys = await send(
    JSON.stringify(document).replace(/^\{/, '{"__proto__":{"admin":true},"constructor":1,"toString":"x",'),
  );
  t.equal(prototypeKeys.statusCode, 422, 'not even keys every object seems to have');
  t.match(prototypeKeys.body, /<li>\/__proto__ hører ikke med i eksportformatet<\/li>/);
  t.match(prototypeKeys.body, /<li>\/constructor hører ikke med i eksportformatet<\/li>/);
  t.match(prototypeKeys.body, /<li>\/toString hører ikke med i eksportformatet<\/li>/);
  const latin1 = await send(Buffer.from(JSON.stringify(document).replace(/"Ida"/, '"Idå"'), 'latin1'));
  t.match(latin1.body, /den er ikke UTF-8-tekst/, 'text in another encoding is refused, not garbled');
  const tooLarge = await send(Buffer.alloc(1024 * 1024 + 10, 32));
  t.equal(tooLarge.statusCode, 413);
  t.match(tooLarge.body, /Filen er for stor/);
  const empty = await upload(agent, '/logs/import', {}, { filename: 'x.json', content: Buffer.alloc(0) });
  t.equal(empty.statusCode, 422);
  const noCsrf = await app.inject({
    method: 'POST',
    url: '/logs/import',
    headers: { cookie: agent.cookieHeader(), 'content-type': 'multipart/form-data; boundary=x' },
    payload: '--x--\r\n',
  });
  t.equal(noCsrf.statusCode, 403, 'no CSRF token: refused');
  t.equal(
    (await db('log_imports').count<{ count: number }[]>('* as count').first())!.count,
    storedBefore,
    'nothing stored',
  );
});

t.test('only the one who uploaded sees the upload; someone who cannot hold logs cannot import', async (t) => {
  const { app, db } = await testApp(t);
  const holder = new Agent(app);
  await signIn(holder, HOLDER);
  await holder.get('/logs/import');
  const ida = await idaLogId(db);
  const { response } = await exportFile(holder, ida, await db('concerns').where({ log_id: ida }).pluck('id'));
  const uploaded = await upload(
    holder,
    '/logs/import',
    {},
    { filename: 'ida.json', content: Buffer.from(response.body) },
  );
  const other = new Agent(app);
  await signIn(other, 'laerer@stafett.example');
  t.equal((await other.get(uploaded.headers.location as string)).statusCode, 404);
  t.equal((await other.get('/logs/import/not-a-uuid')).statusCode, 404);
  const actor = new Agent(app);
  await signIn(actor, 'aktor@stafett.example');
  t.equal((await actor.get('/logs/import')).statusCode, 404, 'Tor Hansen may not hold logs');
  t.equal((await actor.get(`/logs/${ida}/export`)).statusCode, 404, "nor export someone's log");
});
