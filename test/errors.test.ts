/** Error pages: 404 in Norwegian, and a database outage that gives 503 without taking the process down. */
import net from 'node:net';
import t from 'tap';
import { translator } from '../src/i18n/index.js';
import { createDb } from '../src/db/knex.js';
import { freePort } from '../src/db/embedded.js';
import { Agent, sharedDatabase, signIn, testApp } from './helpers/app.js';

const nb = translator('nb');
const KEY = 'b'.repeat(64);

/** A TCP proxy in front of PostgreSQL that the test can cut and restore, on a fixed local port. */
async function databaseProxy(target: URL) {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  const up = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  await up();
  const url = new URL(target);
  url.port = String(port);
  return { url: url.toString(), up, down };
}

t.test('an unknown address: a 404 page in Norwegian', async (t) => {
  const { app } = await testApp(t);
  const page = await new Agent(app).get('/finnes/ikke?x=1');
  t.equal(page.statusCode, 404);
  t.match(page.headers['content-type'], /text\/html/);
  t.match(page.body, '<html lang="nb">');
  t.match(page.body, `<title>${nb('error.404.title')} –`);
  t.equal((page.body.match(/<h1[\s>]/g) ?? []).length, 1, 'exactly one h1');
  t.match(page.body, new RegExp(`<h1[^>]*>${nb('error.404.title')}</h1>`));
  t.match(page.body, nb('error.404.body'));
  t.match(page.body, '<a href="/">', 'a way back to the start page');
  t.notMatch(page.body, /at .*\.ts:\d+|Error:/, 'no stack trace');

  const signedIn = new Agent(app);
  await signIn(signedIn, 'foresatt@stafett.example');
  const missing = await signedIn.get('/finnes/ikke');
  t.equal(missing.statusCode, 404, 'also when signed in');
  t.match(missing.body, nb('error.404.title'));
});

t.test('/healthz answers 200 when the database is there', async (t) => {
  const { app } = await testApp(t);
  const health = await app.inject('/healthz');
  t.equal(health.statusCode, 200);
  t.same(health.json(), { status: 'ok' });
});

t.test('database down: 503 pages and /healthz, the process stays up, and it recovers', async (t) => {
  const database = await sharedDatabase();
  const proxy = await databaseProxy(new URL(database.url));
  const db = createDb(proxy.url);
  t.teardown(async () => {
    await db.destroy();
    await proxy.down();
  });
  const { app } = await testApp(t, { SESSION_KEY: KEY }, { db });

  const agent = new Agent(app);
  await signIn(agent, 'stafettholder@stafett.example');
  t.equal((await app.inject('/healthz')).statusCode, 200, 'works through the proxy');

  await proxy.down();
  const started = Date.now();
  const health = await app.inject('/healthz');
  t.equal(health.statusCode, 503, '/healthz says the database is unavailable');
  t.same(health.json(), { status: 'database unavailable' });

  const page = await agent.get('/');
  t.equal(page.statusCode, 503, 'a page that needs the database: 503');
  t.match(page.body, '<html lang="nb">');
  t.match(page.body, nb('error.503.title'));
  t.equal((page.body.match(/<h1[\s>]/g) ?? []).length, 1, 'one h1');
  t.ok(Number(page.headers['retry-after']) > 0, 'Retry-After');

  const anonymous = new Agent(app);
  await anonymous.get('/login');
  const posted = await anonymous.post('/login', {
    email: 'helga@stafett.example',
    password: 'hemmelig-passord',
  });
  t.equal(posted.statusCode, 503, 'a form posted during the outage: 503');
  t.match(posted.body, 'helga@stafett.example', 'what was typed comes back');
  t.notMatch(posted.body, 'hemmelig-passord', 'but never the password');
  t.ok(Date.now() - started < 10_000, `answered within seconds (${Date.now() - started} ms)`);

  t.equal((await app.inject('/healthz')).statusCode, 503, 'still answering during the outage');
  const normal = await testApp(t);
  t.equal((await normal.app.inject('/healthz')).statusCode, 200, 'the process is fine');

  await proxy.up();
  let recovered = 0;
  for (let i = 0; i < 50 && recovered !== 200; i++) {
    recovered = (await app.inject('/healthz')).statusCode;
    if (recovered !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  t.equal(recovered, 200, 'recovers by itself when the database returns');
  const back = await agent.get('/');
  t.equal(back.statusCode, 200, 'and the session is still valid');
});

t.test('a database that was never reachable: 503, not a crash', async (t) => {
  const port = await freePort();
  const db = createDb(`postgres://nobody:nothing@127.0.0.1:${port}/none`);
  t.teardown(() => db.destroy());
  const { app } = await testApp(t, {}, { db });
  t.equal((await app.inject('/healthz')).statusCode, 503);
  const agent = new Agent(app);
  const login = await agent.get('/login');
  t.equal(login.statusCode, 200, 'the login page needs no database');
  const posted = await agent.post('/login', { email: 'a@b.example', password: 'x' });
  t.equal(posted.statusCode, 503);
  t.match(posted.body, nb('error.503.title'));
});

t.test(
  'the favicon request is answered cheaply: 204, cacheable, no page and no session lookup',
  async (t) => {
    const { app, db } = await testApp(t);
    let queries = 0;
    const count = () => {
      queries += 1;
    };
    db.on('query', count);
    t.teardown(() => db.off('query', count));
    const res = await app.inject({
      method: 'GET',
      url: '/favicon.ico',
      headers: { cookie: 'stafett_session=x' },
    });
    t.equal(res.statusCode, 204);
    t.match(String(res.headers['cache-control']), /max-age=86400/);
    t.equal(queries, 0, 'no database work');
  },
);
