/**
 * Failed sign-ins are throttled per account and address with a growing delay, and per address across
 * accounts; the counts live in PostgreSQL, so every instance on the database sees them; the right
 * person at another address is never locked out; unknown e-mail and wrong password look the same.
 * The app's clock is moved by hand: nothing sleeps.
 */
import t from 'tap';
import { translator } from '../src/i18n/index.js';
import { Agent, createClock, testApp, type Response } from './helpers/app.js';
import { DEMO_PASSWORD } from '../seeds/01_organisation.js';

const nb = translator('nb');
const LEADER = 'leder@stafett.example';
const HOLDER = 'stafettholder@stafett.example';
const PROXY = { TRUST_PROXY: 'true' };

/** A browser at a given address (behind the trusted proxy, which names it in X-Forwarded-For). */
async function at(app: Agent['app'], address: string): Promise<Agent> {
  const agent = new Agent(app, { 'x-forwarded-for': address });
  await agent.get('/login');
  return agent;
}

function attempt(agent: Agent, email: string, password: string): Promise<Response> {
  return agent.post('/login', { email, password });
}

const retryAfter = (response: Response) => Number(response.headers['retry-after']);

function errorSummary(body: string): string {
  return /<div class="error-summary"[\s\S]*?<\/div>/.exec(body)?.[0] ?? '';
}

t.test('an attacker at one address cannot lock the leader out of another', async (t) => {
  const { app, clock } = await testApp(t, PROXY);
  const attacker = await at(app, '203.0.113.66');
  const statuses: number[] = [];
  for (let i = 1; i <= 20; i++) statuses.push((await attempt(attacker, LEADER, `gjett-${i}`)).statusCode);
  t.same(statuses.slice(0, 5), [401, 401, 401, 401, 401], 'five failures are answered as failures');
  t.same(new Set(statuses.slice(5)), new Set([429]), 'then every try must wait');

  const leader = await at(app, '198.51.100.10');
  const signedIn = await attempt(leader, LEADER, DEMO_PASSWORD);
  t.equal(signedIn.statusCode, 303, 'the leader signs in at once from another address');

  const waiting = await attempt(attacker, LEADER, DEMO_PASSWORD);
  t.equal(waiting.statusCode, 429, 'the right password from the throttled address must wait too');
  t.ok(
    retryAfter(waiting) > 0 && retryAfter(waiting) <= 30,
    `Retry-After says how long (${retryAfter(waiting)} s)`,
  );
  t.match(errorSummary(waiting.body), /href="#email"/, 'explained in the error summary');
  t.match(waiting.body, /Vent \d+ sekunder før du prøver igjen/);
  clock.advance(retryAfter(waiting) * 1000);
  t.equal(
    (await attempt(attacker, LEADER, DEMO_PASSWORD)).statusCode,
    303,
    'after the delay the right password works',
  );
  t.equal(
    (await attempt(await at(app, '203.0.113.66'), LEADER, 'feil-igjen')).statusCode,
    401,
    'and the count started again',
  );
});

t.test('the delay grows with each further failure, up to the longest wait', async (t) => {
  const { app, clock } = await testApp(t, { ...PROXY, LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_MINUTES: '5' });
  const attacker = await at(app, '203.0.113.67');
  for (let i = 1; i <= 3; i++) t.equal((await attempt(attacker, HOLDER, `feil-${i}`)).statusCode, 401);
  const waits: number[] = [];
  for (let i = 0; i < 7; i++) {
    const refused = await attempt(attacker, HOLDER, 'gjett');
    t.equal(refused.statusCode, 429);
    waits.push(retryAfter(refused));
    if (retryAfter(refused) === 60) t.match(refused.body, /Vent 1 minutt før du prøver igjen/, 'one minute');
    clock.advance(retryAfter(refused) * 1000);
    t.equal((await attempt(attacker, HOLDER, `gjett-${i}`)).statusCode, 401, 'one more guess after the wait');
  }
  t.same(waits, [30, 60, 120, 240, 300, 300, 300], 'doubling from 30 seconds, never more than 5 minutes');
  const minutes = await attempt(attacker, HOLDER, 'gjett');
  t.match(minutes.body, /Vent 5 minutter før du prøver igjen/);
});

t.test('the counts are in the database: a second instance throttles the same address', async (t) => {
  const clock = createClock();
  const first = await testApp(t, { ...PROXY, LOGIN_MAX_FAILURES: '3' }, { clock });
  const second = await testApp(t, { ...PROXY, LOGIN_MAX_FAILURES: '3' }, { clock });
  const onFirst = await at(first.app, '203.0.113.68');
  for (let i = 1; i <= 3; i++) t.equal((await attempt(onFirst, HOLDER, `feil-${i}`)).statusCode, 401);
  const onSecond = await at(second.app, '203.0.113.68');
  t.equal((await attempt(onSecond, HOLDER, DEMO_PASSWORD)).statusCode, 429, 'the other instance knows');
  const elsewhere = await at(second.app, '198.51.100.11');
  t.equal(
    (await attempt(elsewhere, HOLDER, DEMO_PASSWORD)).statusCode,
    303,
    'another address is not affected',
  );
  clock.advance(30_000);
  t.equal((await attempt(onSecond, HOLDER, DEMO_PASSWORD)).statusCode, 303, 'after the delay, on either');
});

t.test('tries sent all at once are counted: no more guesses than allowed get through', async (t) => {
  const { app } = await testApp(t, { ...PROXY, LOGIN_MAX_FAILURES: '3' });
  const attacker = await at(app, '203.0.113.69');
  const answers = await Promise.all(
    Array.from({ length: 12 }, (_, i) => attempt(attacker, LEADER, `samtidig-${i}`)),
  );
  const checked = answers.filter((a) => a.statusCode === 401).length;
  t.equal(checked, 3, 'three passwords were checked');
  t.equal(answers.filter((a) => a.statusCode === 429).length, 9, 'the other nine had to wait');
});

t.test('one address trying many accounts is stopped, other addresses are not', async (t) => {
  const { app, clock } = await testApp(t, { ...PROXY, LOGIN_MAX_FAILURES: '2', LOGIN_WINDOW_MINUTES: '10' });
  const sprayer = await at(app, '203.0.113.70');
  // 2 × 20 failures per 10 minutes from one address, whichever accounts they are for.
  for (let i = 1; i <= 40; i++) {
    const answer = await attempt(sprayer, `person${i}@stafett.example`, 'Sommer2026!');
    if (answer.statusCode !== 401) t.fail(`failure ${i} answered ${answer.statusCode}`);
  }
  const stopped = await attempt(sprayer, HOLDER, 'Sommer2026!');
  t.equal(stopped.statusCode, 429, 'the next try from that address waits, for any account');
  t.ok(retryAfter(stopped) > 0 && retryAfter(stopped) <= 600);
  t.equal((await attempt(await at(app, '198.51.100.12'), HOLDER, DEMO_PASSWORD)).statusCode, 303);
  clock.advance(10 * 60_000);
  t.equal(
    (await attempt(sprayer, HOLDER, DEMO_PASSWORD)).statusCode,
    303,
    'after the window it may try again',
  );
});

t.test('no user enumeration: an unknown e-mail is counted and answered as a wrong password', async (t) => {
  const { app } = await testApp(t, { ...PROXY, LOGIN_MAX_FAILURES: '2' });
  const known = await at(app, '203.0.113.71');
  const unknown = await at(app, '203.0.113.72');
  const answers = async (agent: Agent, email: string) => {
    const list: Response[] = [];
    for (let i = 0; i < 3; i++) list.push(await attempt(agent, email, 'feil-passord'));
    return list;
  };
  const forKnown = await answers(known, HOLDER);
  const forUnknown = await answers(unknown, 'finnes.ikke@stafett.example');
  t.same(
    forUnknown.map((a) => a.statusCode),
    forKnown.map((a) => a.statusCode),
    'the same statuses, in the same order',
  );
  t.same(
    forUnknown.map((a) => errorSummary(a.body)),
    forKnown.map((a) => errorSummary(a.body)),
    'the same messages',
  );
  t.match(forKnown[0]!.body, nb('login.error.invalid'));
  t.same(
    forUnknown.map((a) => a.headers['retry-after']),
    forKnown.map((a) => a.headers['retry-after']),
  );
});
