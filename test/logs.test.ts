/** My logs, creating a log with consent, the log page, concerns: rules and routes, against real PostgreSQL. */
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { syntheticNationalId } from '../seeds/01_organisation.js';
import { osloDate, addDays, isoToParts } from '../src/lib/dates.js';
import { identityNumbersIn } from './helpers/identity.js';

const today = osloDate(new Date());

function logForm(overrides: Record<string, string> = {}): Record<string, string> {
  const given = isoToParts(today);
  const until = isoToParts(addDays(today, 365));
  return {
    childNationalId: syntheticNationalId('2016-02-03', 7),
    childFirstName: 'Sara',
    childLastName: 'Testesen',
    guardian1Name: 'Trine Testesen',
    guardian1Email: 'trine.testesen@example.com',
    planType: 'stafettlogg',
    level: '1',
    consentBy: 'guardians',
    consentName: 'Trine Testesen',
    'consentGivenOn-day': given.day,
    'consentGivenOn-month': given.month,
    'consentGivenOn-year': given.year,
    'consentValidUntil-day': until.day,
    'consentValidUntil-month': until.month,
    'consentValidUntil-year': until.year,
    consentServices: 'school',
    consentConfirmed: 'yes',
    startupNote: 'Sara gruer seg til skolen.',
    ...overrides,
  };
}

async function holder(t: { teardown(fn: () => unknown): void }) {
  const { app, db, clock } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, 'stafettholder@stafett.example');
  return { app, db, clock, agent };
}

t.test('my logs lists the logs the holder holds, with consent and overdue measures', async (t) => {
  const { agent } = await holder(t);
  const page = await agent.get('/logs');
  t.equal(page.statusCode, 200);
  t.match(page.body, /Ida Hagen/);
  t.match(page.body, /Lise Moen/);
  t.notMatch(page.body, /Ella Berg/, 'logs held by others are not listed');
  t.same(identityNumbersIn(page.body), [], 'no identity number on the page');
});

t.test('a log is created only with consent, and the form keeps what was typed', async (t) => {
  const { agent, db } = await holder(t);
  await agent.get('/logs/new');
  const before = await db('logs').count<{ count: number }[]>('* as count').first();
  const missing = await agent.post(
    '/logs',
    logForm({ consentConfirmed: '', consentName: '', 'consentValidUntil-day': '' }),
  );
  t.equal(missing.statusCode, 422);
  t.match(missing.body, /<title>Feil: /);
  t.match(missing.body, /href="#consentConfirmed"/);
  t.match(missing.body, /href="#consentName"/);
  t.match(missing.body, /href="#consentValidUntil-day"/);
  t.match(missing.body, /value="Sara"/, 'typed first name comes back');
  t.match(missing.body, /Sara gruer seg til skolen\./, 'typed startup note comes back');
  const after = await db('logs').count<{ count: number }[]>('* as count').first();
  t.equal(after!.count, before!.count, 'no log without consent');

  const expired = await agent.post(
    '/logs',
    logForm({ 'consentValidUntil-year': String(Number(today.slice(0, 4)) - 1) }),
  );
  t.equal(expired.statusCode, 422, 'an already expired consent is refused');

  const badId = await agent.post('/logs', logForm({ childNationalId: '03581650071' }));
  t.equal(badId.statusCode, 422);
  t.match(badId.body, /Fødselsnummeret er ikke gyldig|Fødselsnummeret starter ikke/);
  t.match(badId.body, /value="03581650071"/, 'the typed number comes back in the field');
});

t.test(
  'identity numbers: the 2032 rule is accepted; synthetic test numbers only outside production',
  async (t) => {
    const { agent, db } = await holder(t);
    await agent.get('/logs/new');
    // Skatteetaten's example of a number issued from 2032 whose first check digit leaves remainder 1.
    const issued2032 = await agent.post(
      '/logs',
      logForm({ childNationalId: '30108299939', childFirstName: 'Nyttnummer' }),
    );
    t.equal(issued2032.statusCode, 303, 'a number issued under the 2032 rule makes a log');
    t.ok(await db('children').where({ national_id: '30108299939', birth_date: '1982-10-30' }).first());

    const production = await testApp(t, {
      NODE_ENV: 'production',
      IDENTITY_KEY: 'e'.repeat(64),
      SESSION_KEY: 'ab'.repeat(32),
      SECURE_COOKIES: 'false',
    });
    const staff = new Agent(production.app);
    await signIn(staff, 'stafettholder@stafett.example');
    await staff.get('/logs/new');
    const synthetic = syntheticNationalId('2015-03-04', 5);
    const refused = await staff.post(
      '/logs',
      logForm({ childNationalId: synthetic, childFirstName: 'Test' }),
    );
    t.equal(refused.statusCode, 422, 'production refuses a synthetic test number');
    t.match(refused.body, /Dette er et testnummer/);
    t.match(refused.body, new RegExp(`value="${synthetic}"`), 'the typed number comes back');
  },
);

t.test('a child under the age limit cannot consent alone; a youth of 16 can', async (t) => {
  const { agent } = await holder(t);
  await agent.get('/logs/new');
  const young = await agent.post('/logs', logForm({ consentBy: 'youth' }));
  t.equal(young.statusCode, 422);
  t.match(young.body, /under 16 år og kan ikke samtykke alene/);
  await agent.get('/logs/new');
  const sixteen = `${Number(today.slice(0, 4)) - 17}-01-05`;
  const ok = await agent.post(
    '/logs',
    logForm({ consentBy: 'youth', childNationalId: syntheticNationalId(sixteen, 3), childFirstName: 'Ung' }),
  );
  t.equal(ok.statusCode, 303);
});

t.test('creating a log: 303 to the log, consent stored, double submit makes one log', async (t) => {
  const { agent, db } = await holder(t);
  const form = await agent.get('/logs/new');
  const token = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
  const fields = logForm({
    formToken: token,
    childNationalId: syntheticNationalId('2014-06-07', 11),
    childFirstName: 'Dobbel',
  });
  const first = await agent.post('/logs', fields);
  const second = await agent.post('/logs', fields);
  t.equal(first.statusCode, 303);
  t.equal(second.statusCode, 303);
  t.equal(second.headers.location, first.headers.location, 'the repeat lands on the same log');
  const logs = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Dobbel')
    .select('l.id');
  t.equal(logs.length, 1, 'one log for two clicks');
  const consent = await db('consents').where({ log_id: logs[0]!.id }).first();
  t.equal(consent.given_by, 'Trine Testesen');
  const page = await agent.follow(first);
  t.equal(page.statusCode, 200);
  t.match(page.body, /<h1[^>]*>.*Dobbel Testesen<\/h1>/s);
  t.match(page.body, /Gyldig til/);
});

t.test(
  'a child has one active log: a second create is refused at the number, linked only for those who may open it',
  async (t) => {
    const { app, db, agent } = await holder(t);
    const ida = await db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.first_name', 'Ida')
      .first('l.id', 'c.national_id');
    const logsBefore = (await db('logs').count<{ count: number }[]>('* as count').first())!.count;
    await agent.get('/logs/new');
    const again = await agent.post(
      '/logs',
      logForm({ childNationalId: ida.national_id, childFirstName: 'Ida' }),
    );
    t.equal(again.statusCode, 422);
    t.match(again.body, /<title>Feil: /);
    t.match(again.body, /href="#childNationalId">Barnet har allerede en aktiv logg/, 'in the error summary');
    t.match(again.body, /id="childNationalId-error"/, 'and next to the field');
    t.match(again.body, `href="/logs/${ida.id}"`, "a link to Ida's log for her holder");
    t.match(again.body, /Sara gruer seg til skolen\./, 'the typed text comes back');

    const other = new Agent(app);
    await signIn(other, 'superbruker@stafett.example');
    await other.get('/logs/new');
    const refused = await other.post(
      '/logs',
      logForm({ childNationalId: ida.national_id, childFirstName: 'Ida' }),
    );
    t.equal(refused.statusCode, 422);
    t.match(refused.body, /Barnet har allerede en aktiv logg/);
    t.notMatch(refused.body, `/logs/${ida.id}`, 'no link (nor address) for someone who may not open it');
    t.equal(
      (await db('logs').count<{ count: number }[]>('* as count').first())!.count,
      logsBefore,
      'no log made',
    );
  },
);

t.test(
  "Ida's log shows her concerns, goals and measures in reading order, and records the read",
  async (t) => {
    const { agent, db } = await holder(t);
    const ida = await db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.first_name', 'Ida')
      .first('l.id');
    const auditBefore = await db('audit_events')
      .where({ log_id: ida.id, action: 'log.read' })
      .count<{ count: number }[]>('* as count')
      .first();
    const page = await agent.get(`/logs/${ida.id}`);
    t.equal(page.statusCode, 200);
    const order = [
      'Ida er borte fra skolen',
      'Ida er på skolen alle dager',
      'Kontaktlæreren kartlegger fraværet',
      'Mor tar Ida med til fastlegen',
      'Ida er ofte lei seg',
      'Ida har det bedre',
      'Jeg vil være mindre lei meg',
      'Helsesykepleier har faste samtaler',
    ];
    const plan = page.body.slice(page.body.indexOf('class="concern card"'));
    let last = -1;
    for (const text of order) {
      const at = plan.indexOf(text);
      t.ok(at > last, `"${text}" comes in reading order`);
      last = at;
    }
    t.match(page.body, /Tips til planen/);
    t.match(page.body, /har passert fristen/, 'the overdue measure is hinted');
    t.equal((page.body.match(/<h1[\s>]/g) ?? []).length, 1, 'one h1');
    t.same(identityNumbersIn(page.body), [], 'no identity number on the page');
    const auditAfter = await db('audit_events')
      .where({ log_id: ida.id, action: 'log.read' })
      .count<{ count: number }[]>('* as count')
      .first();
    t.equal(auditAfter!.count, auditBefore!.count + 1, 'one audit row per read');
  },
);

t.test('a log the person has no part in answers 404', async (t) => {
  const { agent, db } = await holder(t);
  const ella = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ella')
    .first('l.id');
  t.equal((await agent.get(`/logs/${ella.id}`)).statusCode, 404);
  t.equal((await agent.get('/logs/999999')).statusCode, 404);
  t.equal((await agent.get('/logs/not-a-number')).statusCode, 404);
  const denied = await db('audit_events').where({ log_id: ella.id, outcome: 'denied' }).first();
  t.ok(denied, 'the refused attempt is audited');
});

t.test(
  'concerns: create (303 to anchor), invalid (422 with typed text), edit with version, conflict 409',
  async (t) => {
    const { agent, db } = await holder(t);
    const lise = await db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.first_name', 'Lise')
      .first('l.id');
    const form = await agent.get(`/logs/${lise.id}/concerns/new`);
    t.equal(form.statusCode, 200);
    const token = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
    const invalid = await agent.post(`/logs/${lise.id}/concerns`, {
      title: '',
      successIndicator: 'Lise er glad',
      mfHome: 'x'.repeat(2001),
      formToken: token,
    });
    t.equal(invalid.statusCode, 422);
    t.match(invalid.body, /href="#title"/);
    t.match(invalid.body, /href="#mfHome"/);
    t.match(invalid.body, /Lise er glad/);
    const control = await agent.post(`/logs/${lise.id}/concerns`, {
      title: 'Lise \u0007 sover',
      formToken: token,
    });
    t.equal(control.statusCode, 422, 'control characters are refused with a message');

    const created = await agent.post(`/logs/${lise.id}/concerns`, {
      title: 'Lise sover dårlig og kommer for sent.',
      formToken: token,
    });
    t.equal(created.statusCode, 303);
    t.match(created.headers.location, new RegExp(`^/logs/${lise.id}#concern-\\d+$`));
    const concernId = Number(String(created.headers.location).split('concern-')[1]);

    const edit = await agent.get(`/logs/${lise.id}/concerns/${concernId}/edit`);
    const version = /name="version" value="(\d+)"/.exec(edit.body)![1]!;
    const mine = await agent.post(`/logs/${lise.id}/concerns/${concernId}`, {
      title: 'Lise sover dårlig.',
      status: 'active',
      version,
    });
    t.equal(mine.statusCode, 303);
    const stale = await agent.post(`/logs/${lise.id}/concerns/${concernId}`, {
      title: 'Lise kommer for sent hver dag.',
      status: 'active',
      version,
    });
    t.equal(stale.statusCode, 409, 'a save against an older version is a conflict');
    t.match(stale.body, /Lise sover dårlig\./, 'the saved text is shown');
    t.match(stale.body, /Lise kommer for sent hver dag\./, 'and the typed text too');
    const row = await db('concerns').where({ id: concernId }).first();
    t.equal(row.title, 'Lise sover dårlig.', 'nothing was overwritten');

    const closing = await agent.post(`/logs/${lise.id}/concerns/${concernId}`, {
      title: row.title,
      status: 'solved',
      version: String(row.version),
    });
    t.equal(closing.statusCode, 422, 'a closing reason is required to solve a concern');
    t.match(closing.body, /href="#closingReason"/);

    const other = await db('concerns').whereNot({ log_id: lise.id }).first('id');
    t.equal(
      (await agent.get(`/logs/${lise.id}/concerns/${other.id}/edit`)).statusCode,
      404,
      'a concern of another log is not found',
    );
  },
);

t.test('only the holder writes the plan', async (t) => {
  const { app, db } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, 'foresatt@stafett.example');
  const ida = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ida')
    .first('l.id');
  t.equal((await agent.get(`/logs/${ida.id}`)).statusCode, 200, 'the guardian reads the log');
  t.equal((await agent.get(`/logs/${ida.id}/concerns/new`)).statusCode, 404);
  const post = await agent.post(`/logs/${ida.id}/concerns`, { title: 'Noe' });
  t.equal(post.statusCode, 404);
});

t.test('a passive log shows no plan hints', async (t) => {
  const { agent, db } = await holder(t);
  const ida = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ida')
    .first('l.id');
  t.match((await agent.get(`/logs/${ida.id}`)).body, /Tips til planen/);
  await db('logs').where({ id: ida.id }).update({ status: 'passive', closed_at: new Date() });
  t.teardown(() => db('logs').where({ id: ida.id }).update({ status: 'active', closed_at: null }));
  const page = await agent.get(`/logs/${ida.id}`);
  t.equal(page.statusCode, 200);
  t.notMatch(page.body, /Tips til planen/);
});
