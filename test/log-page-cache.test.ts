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
        .replace(/data-ends-at="[^"]*" data-remaining="[^"]*"/, '')
        .replace(/name="formToken" value="[^"]*"/g, '');
    t.equal(plain(second.body), plain(first.body), 'the same page, apart from this request’s values');
    t.match(second.body, 'Første glimt i bufferen.');
  });

  await t.test('the page from the cache carries this request’s CSRF token and session end', async (t) => {
    await holder.get(url);
    clock.advance(60_000);
    const before = loads;
    const page = await holder.get(url);
    t.equal(loads, before, 'served from the cache');
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
    const holderRow = await db('users').where({ id: log.holder_id }).first('name', 'email');
    await db('users')
      .where({ id: log.holder_id })
      .update({ activated_at: clock.now(), password_hash: 'x', locale: 'nb', ...holderRow });
    await holder.get(url);
    t.equal(loads, before, 'still served from the cache (the name and address written again, unchanged)');
  });

  await t.test('each answer has form tokens of its own: two tabs post two glimmers', async (t) => {
    await holder.get(url);
    const before = loads;
    const tabA = await holder.get(url);
    const tabB = await holder.get(url);
    t.equal(loads, before, 'both from the cache');
    const tokenIn = (html: string) => /name="formToken" value="([^"]*)"/.exec(html)?.[1] ?? '';
    t.match(tokenIn(tabA.body), /^[0-9a-f-]{36}$/, 'the glimmer form has a token');
    t.not(tokenIn(tabA.body), tokenIn(tabB.body), 'a token of its own in each answer');
    for (const [tab, text] of [
      [tabA, 'Glimt fra fane A.'],
      [tabB, 'Glimt fra fane B.'],
    ] as const) {
      const posted = await holder.post(`/logs/${logId}/glimmers`, {
        _csrf: csrfTokenIn(tab.body),
        formToken: tokenIn(tab.body),
        text,
      });
      t.equal(posted.statusCode, 303, `${text}: posted`);
    }
    const saved = await db('glimmers')
      .where({ log_id: logId })
      .whereLike('text', 'Glimt fra fane%')
      .pluck('text');
    t.same(saved.sort(), ['Glimt fra fane A.', 'Glimt fra fane B.'], 'both glimmers are saved');
  });

  await t.test('a transaction moves the version at its commit, once; a rollback moves nothing', async (t) => {
    await holder.get(url);
    let before = loads;
    await db.transaction(async (trx) => {
      await trx('glimmers').insert({
        log_id: logId,
        author_id: log.holder_id,
        author_role: 'holder',
        text: 'Glimt i en transaksjon.',
      });
      await trx('goals').where({ log_id: logId }).update({ text: 'Mål i en transaksjon.' });
    });
    const page = await holder.get(url);
    t.match(page.body, 'Glimt i en transaksjon.', 'the committed writes are on the page');
    t.match(page.body, 'Mål i en transaksjon.');
    t.equal(loads - before, 1, 'loaded again once');
    before = loads;
    await db
      .transaction(async (trx) => {
        await trx('glimmers').where({ log_id: logId }).update({ text: 'Aldri lagret.' });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    const after = await holder.get(url);
    t.equal(loads, before, 'a rolled-back write leaves the page in the cache');
    t.notMatch(after.body, 'Aldri lagret.');
  });

  await t.test('emptying a table (TRUNCATE) moves every page', async (t) => {
    await holder.get(url);
    const before = loads;
    // As the practice installation's reset does: every table at once, the epoch's own row too.
    await db.raw('TRUNCATE note_attachments, page_epoch');
    await holder.get(url);
    t.equal(loads - before, 1, 'loaded again');
    const epochs = await db('page_epoch').count('* as n').first();
    t.equal(Number(epochs?.n), 1, "the epoch's row is written again");
    const again = loads;
    await holder.get(url);
    t.equal(loads, again, 'and the page is kept again');
  });

  await t.test('a planned meeting leaves “upcoming” when it ends, with no write', async (t) => {
    const [meeting] = await db('meetings')
      .insert({
        log_id: logId,
        // Begun eight minutes ago, ends in seven: still "upcoming" until then.
        starts_at: new Date(clock.now().getTime() - 8 * 60_000),
        duration_minutes: 15,
        purpose: 'Et kort møte',
        created_by: log.holder_id,
      })
      .returning('id');
    const link = `/logs/${logId}/meetings/${meeting.id}"`;
    t.match((await holder.get(url)).body, link, 'upcoming');
    const before = loads;
    t.match((await holder.get(url)).body, link, 'upcoming, from the cache');
    t.equal(loads, before, 'served from the cache');
    // Eight minutes: after the meeting's end, before the cache's ten-minute limit.
    clock.advance(8 * 60_000);
    t.notMatch((await holder.get(url)).body, link, 'gone once it has ended');
  });

  await t.test('a page shown in meeting mode is neither kept nor served from the cache', async (t) => {
    const [meeting] = await db('meetings')
      .insert({
        log_id: logId,
        starts_at: new Date(clock.now().getTime() + 3600_000),
        purpose: 'Møtemodus',
        created_by: log.holder_id,
      })
      .returning('id');
    const meetingUrl = `/logs/${logId}/meetings/${meeting.id}`;
    t.equal((await holder.post(`${meetingUrl}/start`)).statusCode, 303, 'meeting mode started');
    // htmx refreshing the log page inside meeting mode gets the page with meeting mode's own locals.
    const inMode = await holder.get(url, { 'hx-request': 'true' });
    t.equal(inMode.statusCode, 200);
    t.match(inMode.body, 'class="meeting-mode"', 'the page in meeting mode');
    t.equal((await holder.post(`${meetingUrl}/mode/leave`)).statusCode, 303, 'meeting mode left');
    const after = await holder.get(url);
    t.equal(after.statusCode, 200);
    t.notMatch(after.body, 'class="meeting-mode"', 'the ordinary page after meeting mode');
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
    // Staff and family on the active log, then the holder on it passive (the relay's closing is read).
    for (const [who, agent, status] of [
      ['staff', holder, 'active'],
      ['family', guardian, 'active'],
      ['staff, passive log', holder, 'passive'],
    ] as const) {
      const sql: string[] = [];
      const listen = (q: { sql: string }) => sql.push(q.sql);
      await db('logs').where({ id: logId }).update({ status });
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
      if (status === 'passive') t.ok(tables.has('log_closures'), `${who}: the closing was read`);
    }
    await db('logs').where({ id: logId }).update({ status: 'active' });
  });
});
