/**
 * The database goes away: every form of the app posted while PostgreSQL is really stopped comes back on
 * the 503 page with what was typed (text, day/month/year boxes, several values under one name; never a
 * password or the CSRF token), every page answers 503 and none 500, the same when the database goes away
 * in the middle of a request, and the app recovers by itself when PostgreSQL starts again.
 *
 * This file runs its own PostgreSQL (so it can stop it) behind a TCP proxy (so it can cut it at a chosen
 * moment). The forms are the ones a person meets: crawled by links from the start pages of each kind of
 * person, around a log built by the access tests' world; a POST route that no page links a form to gets
 * a form with the usual kinds of fields, so every POST route of the route table is posted.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { createDb } from '../src/db/knex.js';
import { freePort, startEmbedded, type EmbeddedDb } from '../src/db/embedded.js';
import { translator } from '../src/i18n/index.js';
import { Agent, signIn, testApp } from './helpers/app.js';
import { accessPeople, buildWorld, EMAIL, type World } from './helpers/access-world.js';
import { migrateAndSeed } from './helpers/db.js';
import { crawl, fill, postFilled, routeOf, type PostForm } from './helpers/forms.js';

const nb = translator('nb');
const KEY = 'e'.repeat(64);

/** A PostgreSQL of this file's own, in a temporary folder, that can really be stopped and started again. */
async function ownPostgres() {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'stafett-down-'));
  await chmod(folder, 0o755);
  const dir = path.join(folder, 'data');
  let server: EmbeddedDb = await startEmbedded({ dir });
  const port = Number(new URL(server.url('postgres')).port);
  await server.createDatabase('stafett');
  return {
    url: server.url('stafett'),
    stop: () => server.stop(),
    start: async () => {
      server = await startEmbedded({ dir, port });
    },
    remove: async () => {
      await server.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** A TCP proxy in front of PostgreSQL that can be cut (every connection dropped, new ones refused) and restored. */
async function cuttableProxy(target: URL) {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  const up = () =>
    new Promise<void>((resolve, reject) => {
      if (server) return resolve();
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port), target.hostname);
        for (const [socket, other] of [
          [client, upstream],
          [upstream, client],
        ] as const) {
          sockets.add(socket);
          socket.on('error', () => {});
          socket.on('close', () => {
            sockets.delete(socket);
            other.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const down = () => {
    for (const socket of sockets) socket.destroy();
    server?.close();
    server = null;
  };
  await up();
  const url = new URL(target);
  url.port = String(port);
  return { url: url.toString(), up, down };
}

/** A route's URL with its ids taken from the world. */
function filled(url: string, world: World, ids: Record<string, number>): string {
  const values: Record<string, string | number> = {
    logId: world.logId,
    concernId: world.concernA,
    goalId: world.goalA,
    measureId: world.measureA,
    grantId: world.grantId,
    glimmerId: world.glimmerId,
    noteId: world.logNoteId,
    attachmentId: world.attachmentId,
    signedId: world.signedFormId,
    meetingId: world.meetingId,
    printId: world.printId,
    transferId: world.transferId,
    importId: world.importId,
    unitId: world.unitId,
    userId: ids.staff!,
  };
  return url.replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no id for :${name} in ${url}`);
    return String(values[name]);
  });
}

/** The usual kinds of fields, for a POST route no page has a form for. */
function usualForm(action: string): PostForm {
  const text = (name: string) => ({ name, kind: 'text' as const, value: '' });
  return {
    page: '',
    action,
    multipart: false,
    fields: [
      { name: 'text', kind: 'textarea', value: '' },
      text('reason'),
      text('date-day'),
      text('date-month'),
      text('date-year'),
      { name: 'concernIds', kind: 'checkbox', value: '1' },
      { name: 'concernIds', kind: 'checkbox', value: '2' },
      { name: 'version', kind: 'hidden', value: '1' },
      { name: 'password', kind: 'password', value: '' },
    ],
  };
}

t.test('database down: every form hands back its text, nothing answers 500, and it recovers', async (t) => {
  const postgres = await ownPostgres();
  t.teardown(() => postgres.remove());
  const setup = createDb(postgres.url, 2);
  await migrateAndSeed(setup);
  const people = await accessPeople(setup);
  const world = await buildWorld(setup, people);
  await setup.destroy();

  const proxy = await cuttableProxy(new URL(postgres.url));
  const db = createDb(proxy.url);
  t.teardown(async () => {
    await db.destroy();
    proxy.down();
  });
  const { app } = await testApp(t, { SESSION_KEY: KEY }, { db });

  // ---- the people, and the forms each of them meets ----
  const roles = {
    holder: {
      email: EMAIL.holder,
      start: ['/', `/logs/${world.logId}`, '/logs/new', '/logs/import', '/notes'],
    },
    leader: { email: EMAIL.leader, start: ['/', `/units/${world.unitId}`, `/logs/${world.passiveLogId}`] },
    actor: { email: EMAIL.actorIn, start: ['/', `/logs/${world.logId}`, '/actor'] },
    guardian: { email: EMAIL.guardian, start: ['/', '/family', `/logs/${world.logId}`] },
    admin: { email: EMAIL.admin, start: ['/', '/admin'] },
    anon: { email: '', start: ['/login'] },
  } as const;
  type Role = keyof typeof roles;
  const agents = new Map<Role, Agent>();
  const found: { role: Role; form: PostForm; route: string }[] = [];
  const pages: { role: Role; url: string }[] = [];
  const signature = new Set<string>();
  for (const [role, { email, start }] of Object.entries(roles) as [Role, (typeof roles)[Role]][]) {
    const agent = new Agent(app);
    if (email) await signIn(agent, email);
    agents.set(role, agent);
    const crawled = await crawl(agent, [...start], 150);
    pages.push(...crawled.pages.map((url) => ({ role, url })));
    for (const form of crawled.forms) {
      const route = routeOf(app, 'POST', form.action);
      if (!route) continue;
      const key = `${route} ${form.fields.map((f) => f.name).join(',')}`;
      if (signature.has(key)) continue;
      signature.add(key);
      found.push({ role, form, route });
    }
  }
  const postRoutes = [...new Set(app.routeTable.filter((r) => r.method === 'POST').map((r) => r.url))];
  const withForm = new Set(found.map((f) => f.route));
  const roleFor = (url: string): Role =>
    url.startsWith('/admin')
      ? 'admin'
      : url.startsWith('/units')
        ? 'leader'
        : url === '/login'
          ? 'anon'
          : 'holder';
  for (const route of postRoutes.filter((r) => !withForm.has(r)))
    found.push({ role: roleFor(route), form: usualForm(filled(route, world, people.ids)), route });
  // Every GET route too, with the world's ids, besides the pages reached by links.
  const seenPages = new Set(pages.map((p) => p.url));
  for (const route of new Set(app.routeTable.filter((r) => r.method === 'GET').map((r) => r.url))) {
    // No session, no database (/livez is checked below, with PostgreSQL stopped).
    if (route.includes('*') || route === '/favicon.ico' || route === '/livez') continue;
    const url = filled(route, world, people.ids);
    if (!seenPages.has(url)) pages.push({ role: roleFor(route), url });
  }
  t.ok(
    withForm.size >= 40,
    `forms found by following links: ${withForm.size} of ${postRoutes.length} POST routes`,
  );
  t.comment(
    `POST routes without a linked form (posted with the usual fields): ${postRoutes.filter((r) => !withForm.has(r)).join(', ')}`,
  );
  t.ok(
    found.some(({ form }) => form.multipart && form.fields.some((f) => f.kind === 'textarea')),
    'among them a multipart form with text (a log note with an attachment)',
  );
  t.ok(
    found.some(({ form }) => form.fields.some((f) => f.name.endsWith('-day'))),
    'and forms with day/month/year boxes',
  );

  const problems: string[] = [];
  const answered = new Map<string, number>();
  /** Posts every form; what each answer must be. */
  const postAll = async (label: string, before: () => Promise<void>, mustBe503: (role: Role) => boolean) => {
    let n = 0;
    for (const { role, form, route } of found) {
      const agent = agents.get(role)!;
      const values = fill(form, `${label}${++n}`);
      await before();
      const answer = await postFilled(agent, form, values);
      const where = `${label}: POST ${form.action} (${route}) as ${role}`;
      const key = `${label} ${answer.statusCode}`;
      answered.set(key, (answered.get(key) ?? 0) + 1);
      if (answer.statusCode >= 500 && answer.statusCode !== 503)
        problems.push(`${where}: ${answer.statusCode}`);
      if (mustBe503(role) && answer.statusCode !== 503)
        problems.push(`${where}: ${answer.statusCode}, not 503`);
      if (answer.statusCode !== 503) continue;
      for (const text of values.typed)
        if (!answer.body.includes(text)) problems.push(`${where}: "${text}" did not come back`);
      for (const secret of [...values.secrets, agent.csrfToken])
        if (secret && answer.body.includes(secret))
          problems.push(`${where}: a password or the CSRF token came back`);
    }
    return n;
  };

  // ---- the database goes away in the middle of each request (after the session was read) ----
  let armed = false;
  db.on('query', (query: { sql: string }) => {
    if (armed && !/"sessions"|"unit_memberships" as "m" inner join "units"/.test(query.sql)) {
      armed = false;
      proxy.down();
    }
  });
  const restored = async () => {
    armed = false;
    await proxy.up();
    for (let i = 0; i < 50; i++) {
      if (
        await db.raw('select 1').then(
          () => true,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const midway = await postAll(
    'midway',
    async () => {
      await restored();
      armed = true;
    },
    () => false,
  );
  for (const { role, url } of pages) {
    await restored();
    armed = true;
    const answer = await agents.get(role)!.get(url);
    if (answer.statusCode >= 500 && answer.statusCode !== 503)
      problems.push(`midway: GET ${url} as ${role}: ${answer.statusCode}`);
  }
  await restored();
  t.ok(
    (answered.get('midway 503') ?? 0) > midway / 2,
    'most posts met the cut (the rest answered before any query)',
  );
  t.same(
    problems,
    [],
    `cut in the middle: ${midway} forms and ${pages.length} pages, no 500, text back with every 503`,
  );

  // ---- PostgreSQL really stopped ----
  problems.length = 0;
  await postgres.stop();
  const stopped = await postAll(
    'stopped',
    async () => {},
    (role) => role !== 'anon',
  );
  for (const { role, url } of pages) {
    const answer = await agents.get(role)!.get(url);
    if (answer.statusCode >= 500 && answer.statusCode !== 503)
      problems.push(`stopped: GET ${url} as ${role}: ${answer.statusCode}`);
    if (role !== 'anon' && answer.statusCode !== 503)
      problems.push(`stopped: GET ${url} as ${role}: ${answer.statusCode}, not 503`);
  }
  t.comment(`answers: ${[...answered].map(([k, v]) => `${k} × ${v}`).join(', ')}`);
  t.same(
    problems,
    [],
    `PostgreSQL stopped: ${stopped} forms and ${pages.length} pages answered 503 with the text`,
  );

  const holder = agents.get('holder')!;
  t.equal((await holder.get('/livez')).statusCode, 200, '/livez answers without the database');
  const page = await holder.get(`/logs/${world.logId}`);
  t.equal(page.statusCode, 503);
  t.match(page.body, nb('error.503.title'), 'the 503 page says what happened');
  t.ok(Number(page.headers['retry-after']) > 0, 'Retry-After');

  // ---- PostgreSQL back: the app recovers by itself, sessions intact ----
  await postgres.start();
  let back = 0;
  for (let i = 0; i < 50 && back !== 200; i++) {
    back = (await holder.get(`/logs/${world.logId}`)).statusCode;
    if (back !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  t.equal(back, 200, 'the log page answers again, for the same session');
  const glimmer = await holder.post(`/logs/${world.logId}/glimmers`, { text: 'Mia var på skolen hele uka.' });
  t.equal(glimmer.statusCode, 303, 'and saving works again');
});
