/**
 * /livez and /readyz: unauthenticated, no personal data, no session lookup; readiness names what is
 * missing (database, its newest migration, the job workers, the print browser) with a short code, and a
 * probe never launches Chromium.
 */
import t from 'tap';
import { freePort } from '../src/db/embedded.js';
import { createDb, migrationSource } from '../src/db/knex.js';
import { Agent, sharedDatabase, signIn, testApp } from './helpers/app.js';

const newest = async () => (await migrationSource.getMigrations([])).at(-1)!;

t.test('ready when everything is there; a probe does not start the print browser', async (t) => {
  const { app } = await testApp(t);
  const before = await app.inject('/readyz');
  t.equal(before.statusCode, 503, 'not ready before the job workers run');
  t.same(before.json(), { status: 'not-ready', reasons: ['jobs-stopped'] });

  await app.jobs.start();
  const ready = await app.inject('/readyz');
  t.equal(ready.statusCode, 200);
  t.same(ready.json(), { status: 'ready' });
  t.equal(ready.headers['cache-control'], 'no-store');
  t.notOk(ready.headers['set-cookie'], 'no session cookie is set');
  t.equal(app.pdf.stats().launches, 0, 'the probe launched no browser');

  const live = await app.inject('/livez');
  t.equal(live.statusCode, 200);
  t.same(live.json(), { status: 'live' });

  app.markStopping();
  t.same((await app.inject('/readyz')).json(), { status: 'not-ready', reasons: ['stopping'] });
  t.equal((await app.inject('/livez')).statusCode, 200, 'still live while stopping');
});

t.test('a database without the newest migration is not ready', async (t) => {
  const { app, db } = await testApp(t);
  await app.jobs.start();
  const name = await newest();
  const row = await db('knex_migrations').where({ name }).first();
  await db('knex_migrations').where({ name }).delete();
  t.teardown(() => db('knex_migrations').insert(row));
  const answer = await app.inject('/readyz');
  t.equal(answer.statusCode, 503);
  t.same(answer.json(), { status: 'not-ready', reasons: ['database-behind'] });
});

t.test('database down: /livez answers, /readyz says why, both without a session lookup', async (t) => {
  const db = createDb(`postgres://nobody:x@127.0.0.1:${await freePort()}/none`);
  t.teardown(() => db.destroy());
  const { app } = await testApp(t, {}, { db });
  const started = Date.now();
  const ready = await app.inject({ url: '/readyz', headers: { cookie: 'stafett_session=garbage' } });
  t.equal(ready.statusCode, 503);
  t.ok(ready.json().reasons.includes('database-unavailable'), 'database-unavailable');
  t.ok(Date.now() - started < 10_000, 'within seconds');
  const live = await app.inject({ url: '/livez', headers: { cookie: 'stafett_session=garbage' } });
  t.equal(live.statusCode, 200, '/livez needs no database (and no session lookup)');
});

t.test('the print browser: missing, or its last launch failed', async (t) => {
  const missing = await testApp(t, { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' });
  await missing.app.jobs.start();
  t.same((await missing.app.inject('/readyz')).json(), {
    status: 'not-ready',
    reasons: ['print-browser-missing'],
  });

  // An executable that is not a browser: it exists, so the probe says ready until a launch fails.
  const broken = await testApp(t, { PUPPETEER_EXECUTABLE_PATH: '/bin/false' });
  await broken.app.jobs.start();
  t.equal((await broken.app.inject('/readyz')).statusCode, 200, 'exists: ready until tried');
  await t.rejects(broken.app.pdf.render({ html: '<p>x</p>' }), 'a print fails');
  t.same((await broken.app.inject('/readyz')).json(), {
    status: 'not-ready',
    reasons: ['print-browser-failed'],
  });
});

t.test('the probes hold no personal data and need no sign-in', async (t) => {
  const { app } = await testApp(t);
  await sharedDatabase();
  const agent = new Agent(app);
  await signIn(agent, 'stafettholder@stafett.example');
  for (const url of ['/livez', '/readyz', '/healthz']) {
    const signedIn = await agent.get(url);
    const anonymous = await app.inject(url);
    t.equal(signedIn.body, anonymous.body, `${url}: the same for everyone`);
    t.notOk(signedIn.headers['x-session-remaining'], `${url}: the session is not looked up`);
    t.ok(
      Object.keys(anonymous.json()).every((k) => ['status', 'reasons'].includes(k)),
      url,
    );
  }
});
