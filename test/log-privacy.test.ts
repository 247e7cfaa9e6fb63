/**
 * Rule 14 in the server's log, and concurrent creates: eight simultaneous "new log" posts for the same
 * child against a real server process give one log and no 500, and nothing the process writes carries
 * the identity number — not even when a database error quotes it.
 */
import { Writable } from 'node:stream';
import t from 'tap';
import { DEMO_PASSWORD } from '../seeds/01_organisation.js';
import { identityNumbers } from '../src/lib/national-id.js';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import { Agent, sharedDatabase, testApp } from './helpers/app.js';
import { HttpAgent, startServerProcess } from './helpers/http.js';

/**
 * A well-formed ordinary identity number (not a synthetic test number, which production refuses) for
 * a birth date: the first individual number from `offset` whose check digits the validator accepts.
 */
function ordinaryNationalId(birthDate: string, offset: number): string {
  const [y, m, d] = birthDate.split('-');
  for (let individual = 500 + offset; individual < 1000; individual++) {
    for (let checks = 0; checks < 100; checks++) {
      const id = `${d}${m}${y!.slice(2)}${individual}${String(checks).padStart(2, '0')}`;
      if (identityNumbers('NO').isValid(id)) return id;
    }
  }
  throw new Error(`no identity number for ${birthDate}`);
}

const today = osloDate(new Date());

function logForm(
  nationalId: string,
  firstName: string,
  formToken: string,
): Record<string, string | string[]> {
  const given = isoToParts(today);
  const until = isoToParts(addDays(today, 365));
  return {
    formToken,
    childNationalId: nationalId,
    childFirstName: firstName,
    childLastName: 'Samtidig',
    guardian1Name: 'Mona Samtidig',
    guardian1Email: `mona.${firstName.toLowerCase()}@example.com`,
    guardian2Name: '',
    guardian2Email: '',
    planType: 'stafettlogg',
    level: '1',
    consentBy: 'guardians',
    consentName: 'Mona Samtidig',
    'consentGivenOn-day': given.day,
    'consentGivenOn-month': given.month,
    'consentGivenOn-year': given.year,
    'consentValidUntil-day': until.day,
    'consentValidUntil-month': until.month,
    'consentValidUntil-year': until.year,
    consentServices: ['school', 'health_station'],
    consentConfirmed: 'yes',
    startupNote: `${firstName} trenger en plan. Skrevet samtidig.`,
  };
}

const formTokenIn = (html: string) => /name="formToken" value="([^"]+)"/.exec(html)?.[1] ?? '';

t.test(
  'eight simultaneous creates for one child: one log, no 500, and the identity number never in the log',
  async (t) => {
    const database = await sharedDatabase();
    const server = startServerProcess({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      IDENTITY_KEY: 'e'.repeat(64),
      DATABASE_URL: database.url,
      SESSION_KEY: 'd'.repeat(64),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'debug',
      PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH,
    });
    t.teardown(() => server.stop());
    const base = await server.listening;

    const agent = new HttpAgent(base);
    await agent.get('/login');
    const login = await agent.post('/login', {
      email: 'stafettholder@stafett.example',
      password: DEMO_PASSWORD,
    });
    t.equal(login.status, 303, 'signed in');

    // ---- eight forms (eight tabs), one child ----
    const nationalId = ordinaryNationalId('2015-11-23', 31);
    const tokens: string[] = [];
    for (let i = 0; i < 8; i++) tokens.push(formTokenIn((await agent.get('/logs/new')).body));
    t.equal(new Set(tokens).size, 8, 'eight different forms');
    const answers = await Promise.all(
      tokens.map((token) => agent.post('/logs', logForm(nationalId, 'Samira', token))),
    );
    const statuses = answers.map((a) => a.status);
    t.same(
      statuses.filter((s) => s >= 500),
      [],
      `no 5xx (${statuses.join(' ')})`,
    );
    const created = answers.filter((a) => a.status === 303);
    t.equal(created.length, 1, 'one of them made the log');
    const logs = await database
      .db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.national_id', nationalId)
      .select('l.id');
    t.equal(logs.length, 1, 'exactly one log for the child');
    const logUrl = `/logs/${logs[0]?.id}`;
    t.equal(created[0]?.location, logUrl);
    for (const refused of answers.filter((a) => a.status !== 303)) {
      t.equal(refused.status, 422, 'the others: 422');
      t.match(refused.body, 'Barnet har allerede en aktiv logg', 'with the message');
      t.match(refused.body, /id="childNationalId-error"/, 'next to the identity-number field');
      t.match(refused.body, `href="${logUrl}"`, 'and a link to the log, which this holder may see');
      t.match(refused.body, 'Samira trenger en plan. Skrevet samtidig.', 'the typed text comes back');
      t.match(refused.body, `value="${nationalId}"`, 'the number stays in its field');
    }

    // ---- a double-clicked submit (eight times the same form) ----
    const otherId = ordinaryNationalId('2016-04-17', 33);
    const token = formTokenIn((await agent.get('/logs/new')).body);
    const repeats = await Promise.all(
      Array.from({ length: 8 }, () => agent.post('/logs', logForm(otherId, 'Tobias', token))),
    );
    t.same(
      repeats.map((r) => r.status),
      Array(8).fill(303),
      'a repeated form is a double submit: every answer goes on to the log',
    );
    const other = await database
      .db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.national_id', otherId)
      .select('l.id');
    t.equal(other.length, 1, 'one log');
    t.same(
      [...new Set(repeats.map((r) => r.location))],
      [`/logs/${other[0]?.id}`],
      'all to the log the first one made',
    );

    await server.stop();
    const output = server.output();
    t.match(output, /"msg":"request completed"/, 'the log was captured');
    t.notMatch(output, nationalId, 'the identity number is not in the log');
    t.notMatch(output, otherId, 'nor the other one');
    t.notMatch(output, /already exists|Key \(/, 'no constraint detail');
  },
);

/** A log destination that keeps every line. */
function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return {
    stream,
    text: () => text,
    lines: () =>
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

t.test('database errors that quote an identity number are logged without it', async (t) => {
  const log = capture();
  const { app, db } = await testApp(
    t,
    { LOG_LEVEL: 'debug' },
    {
      logStream: log.stream,
      routes: (app) => {
        const ida = () => app.db('children').where({ first_name: 'Ida' }).first();
        // A unique violation: its detail is "Key (municipality_id, national_id)=(…, <the number>) already exists".
        const duplicate = async () => {
          const child = await ida();
          await app.db('children').insert({ ...child, id: undefined, first_name: 'Kopi' });
        };
        app.get('/test/duplicate', duplicate);
        // PostgreSQL quotes the input in the message: invalid input syntax for type integer: "x<the number>".
        app.get('/test/cast', async () => {
          const child = await ida();
          await app.db.raw('select ?::int as n', [`x${child.national_id}`]);
        });
        // Logged by hand, every way pino allows.
        app.get('/test/logged', async (request) => {
          const child = await ida();
          const error = await duplicate().catch((e: Error) => e);
          request.log.error(error);
          request.log.warn({ err: error }, (error as Error).message);
          app.log.error({ err: { message: `Failing row contains (${child.national_id})` } }, 'by hand');
          return 'logged';
        });
      },
    },
  );
  const { national_id: number } = await db('children').where({ first_name: 'Ida' }).first('national_id');
  const agent = new Agent(app);

  const duplicate = await agent.get('/test/duplicate');
  t.equal(duplicate.statusCode, 409, 'a unique violation nobody handled: 409, not 500');
  t.match(duplicate.body, 'Noen andre lagret samtidig');
  const cast = await agent.get('/test/cast');
  t.equal(cast.statusCode, 500);
  t.equal((await agent.get('/test/logged')).statusCode, 200);

  const output = log.text();
  t.notMatch(output, number, 'the identity number is nowhere in the log');
  t.notMatch(output, /already exists|Key \(|"detail"/, 'no constraint detail');
  const errors = log.lines().filter((l) => l.err);
  t.ok(errors.length >= 5, `the errors were logged (${errors.length} lines)`);
  const unique = errors.find((l) => l.err.code === '23505');
  t.equal(unique?.err.constraint, 'children_municipality_id_national_id_unique', 'the constraint is named');
  t.equal(unique?.err.table, 'children');
  t.match(unique?.err.message, /^PostgreSQL 23505 unique_violation/);
  t.match(unique?.err.stack, /\n\s+at /, 'the stack keeps its code locations');
  const invalid = errors.find((l) => l.err.code === '22P02');
  t.match(invalid?.err.message, /invalid_text_representation/, 'the cast error says what kind it is');
  const byHand = log.lines().find((l) => l.msg === 'by hand');
  t.equal(byHand?.err.message, 'Failing row contains (…)', 'a message without a code: its values masked');
});
