/**
 * The log page's cache (features/logs/page-cache.ts): an unchanged log is not loaded and rendered
 * again, and nothing a reader may see is ever older than the database. Writes are made here straight in
 * SQL, past the application's code, as any path (a route, a job, an import, a migration) may make them:
 * the triggers in the database move the versions, not the code that writes.
 */
import t from 'tap';
import { Agent, csrfTokenIn, signIn, testApp } from './helpers/app.js';
import { createFullPlan } from '../scripts/full-plan.js';

/** Every table a log page's statements read from, by their SQL. */
const TABLES_READ = /\b(?:from|join)\s+"?([a-z_]+)"?/gi;
/**
 * Read by a log page's statements but not behind a version, each for its reason: the session and the
 * person's memberships (the session's statement: the person is in the key), the audit trail (written,
 * not shown) and the versions themselves.
 */
const NOT_VERSIONED: Record<string, string> = {
  sessions: "the session's statement; the person is part of the key",
  unit_memberships: "the session's statement: the person's memberships are part of the key",
  child_guardians: 'the access decision, which is part of the key',
  audit_events: 'written, not shown',
  log_page_versions: 'the versions',
  page_epoch: 'the versions',
};

t.test('the log page cache', async (t) => {
  const { app, db, clock } = await testApp(t);
  const logId = await createFullPlan(db);
  const log = await db('logs').where({ id: logId }).first('holder_id', 'child_id');
  await db('glimmers').insert({
    log_id: logId,
    author_id: log.holder_id,
    author_role: 'holder',
    text: 'Første glimt i bufferen.',
  });
  let loads = 0;
  const load = app.logPage.load.bind(app.logPage);
  app.logPage.load = (...args) => {
    loads += 1;
    return load(...args);
  };
  const holder = new Agent(app);
  await signIn(holder, 'stafettholder@stafett.example');
  const url = `/logs/${logId}`;
  const reads = async () =>
    Number(
      (
        await db('audit_events')
          .where({ log_id: logId, action: 'log.read', user_id: log.holder_id })
          .count('* as n')
          .first()
      )?.n,
    );

  await t.test('an unchanged log is rendered once, and every read is in the audit trail', async (t) => {
    const before = { loads, reads: await reads() };
    const first = await holder.get(url);
    const second = await holder.get(url);
    t.equal(first.statusCode, 200);
    t.equal(second.statusCode, 200);
    t.equal(loads - before.loads, 1, 'the second read is served from the cache');
    const counted = await app.metrics.registry.getSingleMetricAsString('stafett_log_page_cache_total');
    t.match(counted, /stafett_log_page_cache_total\{result="hit"\} [1-9]/, 'the metrics count the hit');
    t.match(counted, /stafett_log_page_cache_total\{result="miss"\} [1-9]/, 'and the miss');
    t.equal((await reads()) - before.reads, 2, 'both reads are audited');
    const plain = (html: string) =>
      html
        .replace(/name="_csrf" value="[^"]*"/g, '')
        .replace(/data-ends-at="[^"]*" data-remaining="[^"]*"/, '');
    t.equal(plain(second.body), plain(first.body), 'the same page, apart from this request’s values');
    t.match(second.body, 'Første glimt i bufferen.');
  });

  await t.test('the page from the cache carries this request’s CSRF token and session end', async (t) => {
    await holder.get(url);
    clock.advance(60_000);
    const page = await holder.get(url);
    const token = csrfTokenIn(page.body);
    t.ok(token.length > 10, 'a token is in the page');
    t.notMatch(page.body, /m[0-9a-f]{32}x\d/, 'no mark is left in the page');
    const again = await holder.get(url);
    t.not(csrfTokenIn(again.body), token, 'each answer has a token of its own');
    const ends = /data-ends-at="([^"]*)" data-remaining="(\d+)"/.exec(again.body);
    t.ok(ends, 'the session notice is there');
    const remaining = Number(ends![2]);
    t.equal(
      remaining,
      Math.floor((new Date(ends![1]!).getTime() - clock.now().getTime()) / 1000),
      'the seconds left agree with the session end and this request’s time',
    );
    // The token works: switching language is a form post that checks it.
    const posted = await holder.post(
      '/language',
      { lang: 'nn', returnTo: url, _csrf: token },
      { csrf: false },
    );
    t.equal(posted.statusCode, 303, 'a form posted with the cached page’s token is accepted');
    await holder.post('/language', { lang: 'nb', returnTo: url });
  });

  await t.test('a write to anything the page shows, by any path, shows on the next read', async (t) => {
    const measure = await db('measures')
      .where({ log_id: logId })
      .orderBy('id')
      .first('id', 'responsible_user_id');
    const actorId = (
      await db('measures').where({ log_id: logId, responsible: 'actor' }).first('responsible_user_id')
    ).responsible_user_id as number;
    const actorName = (await db('users').where({ id: actorId }).first('name')).name as string;
    const concern = await db('concerns').where({ log_id: logId }).orderBy('id').first('id');
    const [category] = await db('concern_categories')
      .insert({
        municipality_id: (await db('children').where({ id: log.child_id }).first('municipality_id'))
          .municipality_id,
        label: 'Egen kategori før',
      })
      .returning('id');
    const tomorrow = new Date(clock.now().getTime() + 24 * 3600_000);
    const writes: [string, () => Promise<unknown>, string][] = [
      [
        'a glimmer',
        () => db('glimmers').where({ log_id: logId }).update({ text: 'Glimt endret i SQL.' }),
        'Glimt endret i SQL.',
      ],
      [
        'a concern',
        () => db('concerns').where({ id: concern.id }).update({ title: 'Oppmerksomhet endret i SQL.' }),
        'Oppmerksomhet endret i SQL.',
      ],
      [
        'a goal',
        () =>
          db('goals').where({ log_id: logId }).orderBy('id').limit(1).update({ text: 'Mål endret i SQL.' }),
        'Mål endret i SQL.',
      ],
      [
        'a measure',
        () => db('measures').where({ id: measure.id }).update({ text: 'Tiltak endret i SQL.' }),
        'Tiltak endret i SQL.',
      ],
      [
        'a measure’s step',
        () =>
          db('measure_steps').insert({ measure_id: measure.id, position: 99, text: 'Trinn lagt til i SQL.' }),
        'Trinn lagt til i SQL.',
      ],
      [
        'a meeting',
        async () => {
          const [meeting] = await db('meetings')
            .insert({ log_id: logId, starts_at: tomorrow, purpose: 'Møte', created_by: log.holder_id })
            .returning('id');
          return `/logs/${logId}/meetings/${meeting.id}"`;
        },
        '',
      ],
      [
        'the child',
        () => db('children').where({ id: log.child_id }).update({ first_name: 'Majken' }),
        'Majken',
      ],
      [
        'a concern’s category',
        () => db('concerns').where({ id: concern.id }).update({ category_id: category.id }),
        'Egen kategori før',
      ],
      // Shown in every log: the epoch moves.
      [
        'a category’s label',
        () => db('concern_categories').where({ id: category.id }).update({ label: 'Egen kategori etter' }),
        'Egen kategori etter',
      ],
      [
        'a person’s name',
        () => db('users').where({ id: actorId }).update({ name: 'Aktør Nyttnavn' }),
        'Aktør Nyttnavn',
      ],
    ];
    for (const [what, write, shown] of writes) {
      await holder.get(url); // in the cache
      const before = loads;
      const link = await write();
      const page = await holder.get(url);
      t.match(page.body, typeof link === 'string' ? link : shown, `${what}: the new text is on the page`);
      t.equal(loads - before, 1, `${what}: the page was loaded again`);
    }
    await db('users').where({ id: actorId }).update({ name: actorName });
  });

  await t.test('a sign-in or a password changes no page', async (t) => {
    await holder.get(url);
    const before = loads;
    await db('users').where({ id: log.holder_id }).update({ activated_at: clock.now() });
    await holder.get(url);
    t.equal(loads, before, 'still served from the cache');
  });

  await t.test('a planned meeting leaves “upcoming” when it ends, with no write', async (t) => {
    const [meeting] = await db('meetings')
      .insert({
        log_id: logId,
        starts_at: new Date(clock.now().getTime() + 60_000),
        duration_minutes: 10,
        purpose: 'Et kort møte',
        created_by: log.holder_id,
      })
      .returning('id');
    const link = `/logs/${logId}/meetings/${meeting.id}"`;
    t.match((await holder.get(url)).body, link, 'upcoming');
    const before = loads;
    t.match((await holder.get(url)).body, link, 'upcoming, from the cache');
    t.equal(loads, before, 'served from the cache');
    clock.advance(12 * 60_000);
    t.notMatch((await holder.get(url)).body, link, 'gone once it has ended');
  });

  await t.test('people never share a page', async (t) => {
    const actor = new Agent(app);
    await signIn(actor, 'aktor@stafett.example');
    await holder.get(url);
    const before = loads;
    const page = await actor.get(url);
    t.equal(page.statusCode, 200);
    t.equal(loads - before, 1, 'the actor’s page is loaded for the actor');
    const name = async (email: string) => (await db('users').where({ email }).first('name')).name as string;
    const header = (html: string) => /class="header__user-name">([^<]*)</.exec(html)?.[1];
    t.equal(header(page.body), await name('aktor@stafett.example'), 'the header names the actor');
    t.equal(
      header((await holder.get(url)).body),
      await name('stafettholder@stafett.example'),
      'and the holder',
    );
  });

  await t.test('every table the log page reads is behind a version', async (t) => {
    const triggered = new Set(
      (
        await db.raw(
          `SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid WHERE g.tgname = c.relname || '_log_page_changed'`,
        )
      ).rows.map((r: { relname: string }) => r.relname),
    );
    const guardian = new Agent(app);
    await signIn(guardian, 'foresatt@stafett.example');
    for (const [who, agent] of [
      ['staff', holder],
      ['family', guardian],
    ] as const) {
      const sql: string[] = [];
      const listen = (q: { sql: string }) => sql.push(q.sql);
      await db('glimmers')
        .where({ log_id: logId })
        .update({ text: `Glimt for ${who}.` });
      app.db.on('query', listen);
      const page = await agent.get(url);
      app.db.off('query', listen);
      t.equal(page.statusCode, 200, `${who}: 200`);
      const tables = new Set(
        sql.flatMap((s) => [...s.matchAll(TABLES_READ)].map((m) => m[1]!.toLowerCase())),
      );
      t.ok(tables.has('glimmers') && tables.has('measures'), `${who}: the page's own statement was seen`);
      for (const table of tables) {
        if (['touched', 'inserted', 'q'].includes(table)) continue;
        t.ok(
          triggered.has(table) || table in NOT_VERSIONED,
          `${who}: ${table} moves a version when written (or is not versioned for a reason)`,
        );
      }
    }
  });
});
