/**
 * Sessions that never lose typed text: the idle limit, a form posted after expiry kept (sealed) for the
 * same person and given back after they sign in again (never to anyone else), drafts while typing, and
 * "Fortsett" in the timeout warning. Through the real app with inject and a clock the test moves.
 */
import t from 'tap';
import { Agent, signIn, testApp, postLogin } from './helpers/app.js';
import { accessPeople, buildWorld, EMAIL } from './helpers/access-world.js';

const MINUTE = 60_000;

async function setup(t: Parameters<typeof testApp>[0], env: Record<string, string> = {}) {
  const site = await testApp(t, { SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '12', ...env });
  const people = await accessPeople(site.db);
  const world = await buildWorld(site.db, people);
  return { ...site, people, world };
}

t.test('a session past its idle limit is refused, for pages and for posts', async (t) => {
  const { app, clock, world } = await setup(t, { SESSION_IDLE_MINUTES: '5' });
  const agent = new Agent(app);
  await signIn(agent, EMAIL.actorIn);
  const page = await agent.get(`/logs/${world.logId}`);
  t.equal(page.statusCode, 200);
  t.match(String(page.headers['x-session-remaining']), /^\d+$/, 'answers say how long the session has left');
  t.ok(Number(page.headers['x-session-remaining']) <= 300, 'at most the idle limit');
  t.match(
    page.body,
    /data-remaining="\d+" data-warn-before="\d+"/,
    'the page carries it for the warning script',
  );
  clock.advance(4 * MINUTE);
  t.equal((await agent.get('/actor')).statusCode, 200, 'within the limit');
  clock.advance(5 * MINUTE + 1000);
  const refused = await agent.get(`/logs/${world.logId}`);
  t.equal(refused.statusCode, 303, 'past the idle limit: refused');
  t.equal(refused.headers.location, '/login?expired=1');
  t.equal((await agent.get('/actor')).statusCode, 303, 'and stays refused');
});

t.test(
  'a form posted after expiry comes back after the same person signs in, and to nobody else',
  async (t) => {
    const { app, db, clock, world } = await setup(t);
    const text = 'Mia møtte opp alle dager denne uka. Vi snakket om hva som hjelper om morgenen.';
    const actor = new Agent(app);
    await signIn(actor, EMAIL.actorIn);
    const url = `/logs/${world.logId}/measures/${world.measureA}/comments`;
    await actor.get(`/logs/${world.logId}/measures/${world.measureA}/follow-up`);
    clock.advance(31 * MINUTE);
    const posted = await actor.post(url, { comment: text, log_id: '1', role: 'holder' });
    t.equal(posted.statusCode, 303, 'the post is not saved');
    t.equal(posted.headers.location, '/login?expired=1', 'the person is asked to sign in again');
    t.equal(
      await db('measure_comments')
        .where({ measure_id: world.measureA })
        .count<{ count: number }[]>('* as count')
        .first()
        .then((r) => r!.count),
      0,
      'nothing was written to the log',
    );
    const kept = await db('saved_forms').select('*');
    t.equal(kept.length, 1, 'the form is kept on the server');
    t.equal(
      kept[0].user_id,
      (await db('users').where({ email: EMAIL.actorIn }).first('id')).id,
      'for the person whose session it was',
    );
    t.equal(kept[0].path, url);
    t.notOk(Buffer.from(kept[0].sealed).toString('latin1').includes('Mia'), 'encrypted at rest');
    t.ok(
      new Date(kept[0].expires_at).getTime() - clock.now().getTime() <= 24 * 60 * MINUTE,
      'for a limited time',
    );
    const login = await actor.follow(posted);
    t.match(login.body, /Det du skrev i skjemaet er tatt vare på/, 'the login page says the text is kept');

    // Someone else signs in on the same browser: nothing of it.
    const other = await postLogin(actor, EMAIL.holder);
    t.equal(other.headers.location, '/', 'another person is not sent to the kept form');
    const otherRestore = await actor.get('/form-restore');
    t.equal(otherRestore.statusCode, 303, 'and finds nothing there');
    for (const path of [
      '/',
      '/logs',
      `/logs/${world.logId}`,
      `/logs/${world.logId}/measures/${world.measureA}/follow-up`,
    ]) {
      t.notMatch(
        (await actor.get(path)).body,
        /alle dager denne uka/,
        `${path} does not show the kept text to another person`,
      );
    }
    await actor.post('/logout');

    // The same person again: the form comes back, filled in and ready to send.
    const back = await postLogin(actor, EMAIL.actorIn);
    t.equal(back.headers.location, '/form-restore', 'the same person is taken to the kept form');
    const restore = await actor.follow(back);
    t.equal(restore.statusCode, 200);
    t.match(
      restore.body,
      new RegExp(`<form method="post" action="${url}"`),
      'a form that posts to the original address',
    );
    t.match(
      restore.body,
      /<textarea[^>]+name="comment"[^>]*>Mia møtte opp alle dager denne uka\. Vi snakket om hva som hjelper om morgenen\.<\/textarea>/,
      'the text in an editable field',
    );
    t.match(restore.body, /name="_restored" value="[0-9a-f-]{36}"/);
    const fields = Object.fromEntries(
      [...restore.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
        m[1]!,
        m[2]!,
      ]),
    );
    t.notOk('_csrf' in fields && fields._csrf === '', 'a fresh CSRF token');
    const resent = await actor.post(url, { ...fields, comment: text });
    t.equal(resent.statusCode, 303, 'sent again');
    t.match(String(resent.headers.location), /follow-up/);
    const comments = await db('measure_comments').where({ measure_id: world.measureA }).select('text');
    t.same(
      comments.map((c) => c.text),
      [text],
      'the comment is saved, once',
    );
    t.equal(
      (await db('saved_forms').count<{ count: number }[]>('* as count').first())!.count,
      0,
      'and the kept form is gone',
    );
    t.equal((await actor.get('/form-restore')).statusCode, 303, 'nothing left to restore');
  },
);

t.test('kept also when another tab already found the session ended, and discarded on request', async (t) => {
  const { app, db, clock, world } = await setup(t);
  const guardian = new Agent(app);
  await signIn(guardian, EMAIL.guardian);
  await guardian.get(`/logs/${world.logId}/measures/${world.measureA}/family-view`);
  clock.advance(31 * MINUTE);
  t.equal(
    (await guardian.get('/family')).headers.location,
    '/login?expired=1',
    'another tab meets the expired session first',
  );
  const posted = await guardian.post(`/logs/${world.logId}/measures/${world.measureA}/family-view`, {
    effect: 'worked',
    view: 'Det har gått mye bedre om morgenen.',
  });
  t.equal(posted.headers.location, '/login?expired=1');
  t.equal(
    (await db('saved_forms').count<{ count: number }[]>('* as count').first())!.count,
    1,
    'the form is still kept',
  );
  const back = await postLogin(guardian, EMAIL.guardian);
  t.equal(back.headers.location, '/form-restore');
  const page = await guardian.follow(back);
  t.match(page.body, /Det har gått mye bedre om morgenen\./);
  t.match(page.body, /<input type="hidden" name="effect" value="worked">/, 'the choice goes along');
  const id = /name="_restored" value="([^"]+)"/.exec(page.body)![1]!;
  const discarded = await guardian.post('/form-restore/discard', { id });
  t.equal(discarded.statusCode, 303);
  t.equal((await db('saved_forms').count<{ count: number }[]>('* as count').first())!.count, 0, 'discarded');
});

t.test('a kept form expires; an htmx post after expiry is sent to sign in', async (t) => {
  const { app, db, clock, world } = await setup(t);
  const actor = new Agent(app);
  await signIn(actor, EMAIL.actorIn);
  await actor.get(`/logs/${world.logId}/measures/${world.measureA}/follow-up`);
  clock.advance(31 * MINUTE);
  const hx = await actor.post(
    `/logs/${world.logId}/measures/${world.measureA}/comments`,
    { comment: 'En kommentar fra htmx.' },
    { headers: { 'hx-request': 'true' } },
  );
  t.equal(hx.statusCode, 204, 'htmx gets no page to swap in');
  t.equal(hx.headers['hx-redirect'], '/login?expired=1', 'but is told to load the login page');
  t.equal(
    (await db('saved_forms').count<{ count: number }[]>('* as count').first())!.count,
    1,
    'the text is kept',
  );
  clock.advance(25 * 60 * MINUTE);
  const back = await postLogin(actor, EMAIL.actorIn);
  t.equal(back.headers.location, '/', 'after a day the kept form is no longer offered');
});

t.test(
  'drafts while typing: saved sealed per person, given back, gone after a successful post',
  async (t) => {
    const { app, db, world } = await setup(t);
    const url = `/logs/${world.logId}/measures/${world.measureA}/comments`;
    const actor = new Agent(app);
    await signIn(actor, EMAIL.actorIn);
    await actor.get(`/logs/${world.logId}/measures/${world.measureA}/follow-up`);
    t.equal(
      (
        await actor.post(
          '/drafts',
          { path: url, field: 'comment', text: 'Halvferdig tekst om Mia' },
          { csrf: false },
        )
      ).statusCode,
      403,
      'a draft needs the CSRF token',
    );
    const saved = await actor.post('/drafts', {
      path: url,
      field: 'comment',
      text: 'Halvferdig tekst om Mia',
    });
    t.equal(saved.statusCode, 200);
    t.match(String(saved.headers['x-session-remaining']), /^\d+$/, 'saving a draft is activity');
    const row = await db('drafts').first();
    t.notOk(Buffer.from(row.sealed).toString('latin1').includes('Mia'), 'encrypted at rest');
    const got = await actor.get(`/drafts?path=${encodeURIComponent(url)}`);
    t.same(
      JSON.parse(got.body).drafts.map((d: { field: string; text: string }) => [d.field, d.text]),
      [['comment', 'Halvferdig tekst om Mia']],
      'given back',
    );
    t.equal(
      (await actor.post('/drafts', { path: 'https://evil.example/x', field: 'comment', text: 'x' }))
        .statusCode,
      400,
      'only paths of this site',
    );

    const other = new Agent(app);
    await signIn(other, EMAIL.holder);
    const theirs = await other.get(`/drafts?path=${encodeURIComponent(url)}`);
    t.same(JSON.parse(theirs.body).drafts, [], 'another person gets nothing');
    t.equal(
      (await new Agent(app).get(`/drafts?path=${encodeURIComponent(url)}`)).statusCode,
      401,
      'signed out: nothing',
    );

    t.equal((await actor.post(url, { comment: '' })).statusCode, 422, 'an invalid post');
    t.equal(
      (await db('drafts').count<{ count: number }[]>('* as count').first())!.count,
      1,
      'keeps the draft',
    );
    t.equal(
      (await actor.post(url, { comment: 'Ferdig tekst om Mia.' })).statusCode,
      303,
      'a successful post',
    );
    t.equal(
      (await db('drafts').count<{ count: number }[]>('* as count').first())!.count,
      0,
      'removes the draft',
    );
  },
);

t.test('"Fortsett" extends the session, with and without JavaScript', async (t) => {
  const { app, db, clock } = await setup(t);
  const agent = new Agent(app);
  await signIn(agent, EMAIL.holder);
  await agent.get('/logs');
  clock.advance(28 * MINUTE);
  const json = await agent.post('/session/extend', {}, { headers: { accept: 'application/json' } });
  t.equal(json.statusCode, 200);
  const answer = JSON.parse(json.body);
  t.equal(answer.remaining, 30 * 60, 'the idle limit starts again');
  t.match(answer.text, /Økten din avsluttes kl\. \d\d:\d\d/);
  const holderId = (await db('users').where({ email: EMAIL.holder }).first('id')).id;
  const session = await db('sessions')
    .where({ user_id: holderId })
    .whereNull('ended_at')
    .orderBy('created_at', 'desc')
    .first('last_seen_at');
  t.equal(new Date(session.last_seen_at).getTime(), clock.now().getTime(), 'recorded on the server');
  clock.advance(28 * MINUTE);
  const plain = await agent.post('/session/extend', { returnTo: '/logs' });
  t.equal(plain.statusCode, 303, 'without JavaScript: an ordinary form');
  t.equal(plain.headers.location, '/logs', 'back to the page');
  clock.advance(28 * MINUTE);
  t.equal((await agent.get('/logs')).statusCode, 200, 'still signed in after 84 minutes with "Fortsett"');
  clock.advance(31 * MINUTE);
  const late = await agent.post('/session/extend', {}, { headers: { accept: 'application/json' } });
  t.equal(late.statusCode, 401, 'too late: the session has ended');
  t.same(JSON.parse(late.body), { expired: true });
});
