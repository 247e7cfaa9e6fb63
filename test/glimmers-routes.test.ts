/** Glimmers: posting (plain form and htmx), who sees what (rule 8), editing by the author, the feed. */
import t from 'tap';
import { Agent, signIn, testApp, type Teardown } from './helpers/app.js';
import type { Db } from '../src/db/knex.js';

const HOLDER = 'stafettholder@stafett.example';
const ACTOR = 'aktor@stafett.example'; // measure in Ida's absence concern
const GUARDIAN = 'foresatt@stafett.example';
const TEACHER = 'laerer@stafett.example'; // made an actor in Ida's mood concern below
const YOUTH = 'ungdom@stafett.example';
const HX = { 'hx-request': 'true' };

interface Ida {
  logId: number;
  absence: number;
  mood: number;
}

async function ida(db: Db): Promise<Ida> {
  const log = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ida')
    .first('l.id');
  const concerns = await db('concerns').where({ log_id: log.id }).orderBy('position').pluck('id');
  return { logId: log.id, absence: concerns[0], mood: concerns[1] };
}

/** Nina Lund (teacher) becomes an actor in Ida's mood concern only. */
async function teacherInMood(db: Db, plan: Ida): Promise<void> {
  const teacher = await db('users').where({ email: TEACHER }).first('id');
  if (await db('measures').where({ responsible_user_id: teacher.id, concern_id: plan.mood }).first('id'))
    return;
  const goal = await db('goals').where({ concern_id: plan.mood }).first('id', 'created_by');
  await db('measures').insert({
    log_id: plan.logId,
    concern_id: plan.mood,
    goal_id: goal.id,
    text: 'Kontaktlæreren snakker med Ida hver mandag.',
    responsible: 'actor',
    responsible_user_id: teacher.id,
    start_date: '2026-01-01',
    deadline: '2099-01-01',
    created_by: goal.created_by,
  });
}

async function as(t: Teardown, email: string) {
  const site = await testApp(t);
  const agent = new Agent(site.app);
  await signIn(agent, email);
  const plan = await ida(site.db);
  await teacherInMood(site.db, plan);
  return { ...site, agent, plan };
}

function token(html: string): string {
  return /name="formToken" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

t.test(
  'a guardian posts a glimmer without JavaScript: 303 to it, shown to everyone in the log, audited',
  async (t) => {
    const { agent, plan, db, app } = await as(t, GUARDIAN);
    const page = await agent.get(`/logs/${plan.logId}`);
    t.equal(page.statusCode, 200);
    t.match(page.body, /id="glimmers"/, 'the glimmer section is on the log page');
    const posted = await agent.post(`/logs/${plan.logId}/glimmers`, {
      text: 'Ida lo hele middagen i dag.',
      concernId: '',
      formToken: token(page.body),
    });
    t.equal(posted.statusCode, 303);
    const id = Number(/#glimmer-(\d+)$/.exec(String(posted.headers.location))?.[1]);
    t.ok(id > 0, 'redirects to the new glimmer');
    const row = await db('glimmers').where({ id }).first();
    t.equal(row.author_role, 'guardian');
    t.ok(await db('audit_events').where({ action: 'glimmer.create', object_id: id }).first(), 'audited');

    for (const email of [HOLDER, ACTOR, TEACHER, GUARDIAN]) {
      const other = new Agent(app);
      await signIn(other, email);
      const seen = await other.get(`/logs/${plan.logId}`);
      t.match(seen.body, /Ida lo hele middagen i dag\./, `${email} sees the glimmer for the whole log`);
    }
    const youth = new Agent(app);
    await signIn(youth, YOUTH);
    t.equal((await youth.get(`/logs/${plan.logId}`)).statusCode, 404, "Per has no part in Ida's log");
  },
);

t.test('an actor ties a glimmer to their concern: only those who see that concern see it', async (t) => {
  const { agent, plan, app } = await as(t, ACTOR);
  const page = await agent.get(`/logs/${plan.logId}`);
  t.match(page.body, new RegExp(`<option value="${plan.absence}"`), 'their own concern can be chosen');
  t.notMatch(page.body, new RegExp(`<option value="${plan.mood}"`), 'a concern they do not see cannot');
  const refused = await agent.post(`/logs/${plan.logId}/glimmers`, {
    text: 'Prøver en annen bekymring',
    concernId: String(plan.mood),
    formToken: token(page.body),
  });
  t.equal(refused.statusCode, 422, 'tying to a concern one does not see is refused');
  t.match(refused.body, /href="#glimmer-concernId"/);
  const posted = await agent.post(`/logs/${plan.logId}/glimmers`, {
    text: 'Ida kom presis hver dag denne uka.',
    concernId: String(plan.absence),
    formToken: token(page.body),
  });
  t.equal(posted.statusCode, 303);

  const seen: Record<string, boolean> = {};
  for (const email of [HOLDER, ACTOR, TEACHER, GUARDIAN]) {
    const other = new Agent(app);
    await signIn(other, email);
    seen[email] = /Ida kom presis hver dag denne uka\./.test((await other.get(`/logs/${plan.logId}`)).body);
    const feed = await other.get('/glimmers');
    t.equal(
      /Ida kom presis hver dag denne uka\./.test(feed.body),
      seen[email],
      `${email}: the feed shows what the log page shows`,
    );
  }
  t.same(
    seen,
    { [HOLDER]: true, [ACTOR]: true, [TEACHER]: false, [GUARDIAN]: true },
    'holder, the actor and the guardian; not the actor of another concern',
  );
});

t.test('with htmx the section comes back with the new glimmer, focus and an announcement', async (t) => {
  const { agent, plan, db } = await as(t, HOLDER);
  const page = await agent.get(`/logs/${plan.logId}`);
  const posted = await agent.post(
    `/logs/${plan.logId}/glimmers`,
    { text: 'Ida var med i fotballen.', concernId: '', formToken: token(page.body) },
    { headers: HX },
  );
  t.equal(posted.statusCode, 200);
  t.notMatch(posted.body, /<html/, 'a fragment, not a page');
  t.match(posted.body, /^\s*<section class="section glimmers" id="glimmers"/);
  const row = await db('glimmers').where({ text: 'Ida var med i fotballen.' }).first('id');
  t.match(posted.body, new RegExp(`data-focus="#glimmer-${row.id}-title"`), 'focus goes to the new glimmer');
  t.match(posted.body, /data-announce="Lysglimtet er delt\."/, 'and it is announced');
  t.match(posted.body, /name="formToken" value="[0-9a-f-]{36}"/, 'a fresh form for the next glimmer');
  t.match(posted.headers.vary as string, /HX-Request/);

  const invalid = await agent.post(
    `/logs/${plan.logId}/glimmers`,
    { text: '', concernId: '', formToken: token(posted.body) },
    { headers: HX },
  );
  t.equal(invalid.statusCode, 422);
  t.match(invalid.body, /data-focus="#glimmer-error-summary"/, 'focus goes to the error summary');
  t.match(invalid.body, /id="glimmer-error-summary"/);
  t.match(invalid.body, /href="#glimmer-text"/);
});

t.test(
  'bad input gets a clear message and the typed text back; a double submit makes one glimmer',
  async (t) => {
    const { agent, plan, db } = await as(t, GUARDIAN);
    const page = await agent.get(`/logs/${plan.logId}`);
    const long = 'Lang tekst '.repeat(120);
    const tooLong = await agent.post(`/logs/${plan.logId}/glimmers`, {
      text: long,
      concernId: '',
      formToken: token(page.body),
    });
    t.equal(tooLong.statusCode, 422);
    t.match(tooLong.body, /<title>Feil: /);
    t.match(tooLong.body, /høyst 1000 tegn/);
    t.ok(tooLong.body.includes(long.trim()), 'the typed text comes back');
    const control = await agent.post(`/logs/${plan.logId}/glimmers`, {
      text: 'Bra \u0007 dag',
      concernId: '',
      formToken: token(page.body),
    });
    t.equal(control.statusCode, 422);
    const unknown = await agent.post(`/logs/${plan.logId}/glimmers`, {
      text: 'Bra dag',
      concernId: 'abc',
      formToken: token(page.body),
    });
    t.equal(unknown.statusCode, 422);

    const form = { text: 'To klikk, ett lysglimt.', concernId: '', formToken: token(page.body) };
    const first = await agent.post(`/logs/${plan.logId}/glimmers`, form);
    const second = await agent.post(`/logs/${plan.logId}/glimmers`, form);
    t.equal(first.statusCode, 303);
    t.equal(second.headers.location, first.headers.location, 'the repeat lands on the same glimmer');
    t.equal((await db('glimmers').where({ text: 'To klikk, ett lysglimt.' })).length, 1);

    const noToken = await agent.post(
      `/logs/${plan.logId}/glimmers`,
      { text: 'Uten nøkkel', concernId: '' },
      { csrf: false },
    );
    t.equal(noToken.statusCode, 403, 'a POST without a CSRF token is refused');
  },
);

t.test('only the author edits a glimmer (inline with htmx, or on a page); others get 404', async (t) => {
  const { agent, plan, db, app } = await as(t, GUARDIAN);
  const page = await agent.get(`/logs/${plan.logId}`);
  const posted = await agent.post(`/logs/${plan.logId}/glimmers`, {
    text: 'Første versjon.',
    concernId: '',
    formToken: token(page.body),
  });
  const id = Number(/#glimmer-(\d+)$/.exec(String(posted.headers.location))![1]);

  const editPage = await agent.get(`/logs/${plan.logId}/glimmers/${id}/edit`);
  t.equal(editPage.statusCode, 200);
  t.match(editPage.body, /Første versjon\./);
  const inline = await agent.get(`/logs/${plan.logId}/glimmers/${id}/edit`, HX);
  t.match(inline.body, new RegExp(`^\\s*<li class="card glimmer glimmer--editing" id="glimmer-${id}"`));
  t.match(inline.body, new RegExp(`data-focus="#glimmer-${id}-form-title"`));

  const invalid = await agent.post(`/logs/${plan.logId}/glimmers/${id}`, { text: '' });
  t.equal(invalid.statusCode, 422);
  t.match(invalid.body, new RegExp(`href="#glimmer-${id}-text"`));
  const saved = await agent.post(
    `/logs/${plan.logId}/glimmers/${id}`,
    { text: 'Andre versjon.', concernId: '' },
    { headers: HX },
  );
  t.equal(saved.statusCode, 200);
  t.match(saved.body, /Andre versjon\./);
  t.match(saved.body, /endret/);
  t.match(saved.body, /data-announce="Lysglimtet er endret\."/);
  const plain = await agent.post(`/logs/${plan.logId}/glimmers/${id}`, {
    text: 'Tredje versjon.',
    concernId: '',
  });
  t.equal(plain.statusCode, 303);
  t.equal(plain.headers.location, `/logs/${plan.logId}#glimmer-${id}`);
  t.equal((await db('glimmers').where({ id }).first()).text, 'Tredje versjon.');

  const holder = new Agent(app);
  const holderPage = await signIn(holder, HOLDER).then(() => holder.get(`/logs/${plan.logId}`));
  t.notMatch(holderPage.body, new RegExp(`/glimmers/${id}/edit`), 'no edit link on someone else’s glimmer');
  t.equal((await holder.get(`/logs/${plan.logId}/glimmers/${id}/edit`)).statusCode, 404);
  t.equal((await holder.post(`/logs/${plan.logId}/glimmers/${id}`, { text: 'Overtatt' })).statusCode, 404);
  t.equal((await db('glimmers').where({ id }).first()).text, 'Tredje versjon.', 'unchanged');
  t.ok(
    await db('audit_events').where({ action: 'denied:glimmer.update', object_id: id }).first(),
    'the attempt is audited',
  );
});

t.test(
  'the log page shows the newest 20 glimmers and links to all; none after consent is withdrawn',
  async (t) => {
    const { agent, plan, db } = await as(t, GUARDIAN);
    const anne = await db('users').where({ email: GUARDIAN }).first('id');
    await db('glimmers').insert(
      Array.from({ length: 25 }, (_, i) => ({
        log_id: plan.logId,
        author_id: anne.id,
        author_role: 'guardian',
        text: `Mange glimt nr. ${i + 1}.`,
        created_at: new Date(Date.now() - (25 - i) * 60_000),
      })),
    );
    const total = Number(
      (await db('glimmers').where({ log_id: plan.logId }).count<{ count: number }[]>('* as count').first())!
        .count,
    );
    const page = await agent.get(`/logs/${plan.logId}`);
    t.equal((page.body.match(/<li class="card glimmer"/g) ?? []).length, 20, 'twenty on the log page');
    t.match(page.body, new RegExp(`Se alle lysglimt \\(${total}\\)`));
    t.ok(page.body.indexOf('Mange glimt nr. 25.') < page.body.indexOf('Mange glimt nr. 24.'), 'newest first');
    const list = await agent.get(`/logs/${plan.logId}/glimmers`);
    t.equal(list.statusCode, 200);
    t.match(list.body, /<h1[^>]*>Alle lysglimt om Ida<\/h1>/);
    t.equal((list.body.match(/<li class="card glimmer"/g) ?? []).length, total, 'all on the list page');
    await db('consents').where({ log_id: plan.logId }).update({ withdrawn_at: new Date() });
    t.teardown(() => db('consents').where({ log_id: plan.logId }).update({ withdrawn_at: null }));
    const after = await agent.get(`/logs/${plan.logId}`);
    t.notMatch(after.body, /action="\/logs\/\d+\/glimmers"/, 'no form');
    const refused = await agent.post(`/logs/${plan.logId}/glimmers`, {
      text: 'Etter tilbaketrekking',
      concernId: '',
    });
    t.equal(refused.statusCode, 404);
  },
);
