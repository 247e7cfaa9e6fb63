/**
 * Ids in the address: a value that cannot be an id (letters, 0, beyond PostgreSQL's integer, written
 * otherwise than as plain digits) answers the not-found page, in the log's own address and in a nested
 * one, for a signed-in person; a signed-out visitor is still sent to sign in, and a POST without its
 * CSRF token is still refused with 403, before the id is looked at.
 */
import t from 'tap';
import { translator } from '../src/i18n/index.js';
import { Agent, signIn, testApp } from './helpers/app.js';
import { accessPeople, buildWorld, EMAIL } from './helpers/access-world.js';

const nb = translator('nb');
const BAD = ['abc', '0', '99999999999', '2147483648', '-1', '0x10', '012', '1e3', '%201', '1.0'];

t.test('an id that cannot be one: the not-found page, as for an id that does not exist', async (t) => {
  const { app, db } = await testApp(t);
  const people = await accessPeople(db);
  const world = await buildWorld(db, people);
  const agent = new Agent(app);
  await signIn(agent, EMAIL.holder);

  const shown = await agent.get(`/logs/${world.logId}`);
  t.equal(shown.statusCode, 200, 'the log itself is shown to its holder');
  t.equal((await agent.get(`/logs/${world.logId}/goals/${world.goalA}/edit`)).statusCode, 200);

  const notFound = (await agent.get('/logs/2147483647')).body;
  t.match(notFound, nb('error.404.title'), 'an id no log has: the not-found page');

  const addresses = BAD.flatMap((bad) => [
    `GET /logs/${bad}`,
    `GET /logs/${bad}/meetings`,
    `GET /logs/${world.logId}/goals/${bad}/edit`,
    `GET /logs/${world.logId}/meetings/${bad}`,
    `GET /logs/${world.logId}/concerns/${bad}/goals/new`,
    `POST /logs/${world.logId}/goals/${bad}`,
    `POST /logs/${bad}/concerns`,
    `GET /units/${bad}/staff`,
  ]);
  const wrong: string[] = [];
  for (const address of addresses) {
    const [method, url] = address.split(' ') as [string, string];
    const page = method === 'GET' ? await agent.get(url) : await agent.post(url, {});
    const ok =
      page.statusCode === 404 &&
      page.body.includes(nb('error.404.title')) &&
      !/must match|must be|params\//.test(page.body);
    if (!ok) wrong.push(`${address}: ${page.statusCode}`);
  }
  t.same(wrong, [], `${addresses.length} addresses with an impossible id answer the not-found page`);
});

t.test('an import key that only looks like one (36 hyphens): not found, not a database error', async (t) => {
  const { app } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, EMAIL.holder);
  const key = '-'.repeat(36);
  t.equal((await agent.get(`/logs/import/${key}`)).statusCode, 404);
  t.equal((await agent.post(`/logs/import/${key}`, {})).statusCode, 404);
  t.equal((await agent.get(`/logs/import/${key.toUpperCase()}0`)).statusCode, 404);
});

t.test('before the id is looked at: sign-in and the CSRF token, as on every address', async (t) => {
  const { app, db } = await testApp(t);
  const people = await accessPeople(db);
  const world = await buildWorld(db, people);

  const visitor = new Agent(app);
  const page = await visitor.get('/logs/abc');
  t.equal(page.statusCode, 303, 'a signed-out visitor is sent to sign in');
  t.match(String(page.headers.location), /^\/login/);

  const agent = new Agent(app);
  await signIn(agent, EMAIL.holder);
  const refused = await agent.post(`/logs/${world.logId}/goals/abc`, { _csrf: 'wrong' });
  t.equal(refused.statusCode, 403, 'a POST without a valid CSRF token is refused first');
});
