/** Measures: the hard rules 3–6, bad input, double submit, conflicts, and inline edit with and without htmx. */
import t from 'tap';
import { Agent, signIn } from './helpers/app.js';
import { translator } from '../src/i18n/index.js';
import {
  addDays,
  dateFields,
  HOLDER,
  HX,
  planFixture,
  tokenIn,
  userId,
  versionIn,
  type PlanFixture,
} from './plan-fixture.js';

const nb = translator('nb');
const HOUR = 3600 * 1000;

async function goalOf(f: PlanFixture, concernIndex = 1) {
  return f.db('goals').where({ concern_id: f.concernIds[concernIndex] }).orderBy('id').first();
}

function measureForm(f: PlanFixture, overrides: Record<string, string> = {}) {
  return {
    text: 'PP-rådgiver observerer Ida i to skoletimer.',
    responsible: 'guardians',
    actor_id: '',
    ...dateFields('start', f.today),
    ...dateFields('deadline', addDays(f.today, 21)),
    steps: '',
    ...overrides,
  };
}

async function create(f: PlanFixture, goalId: number, overrides: Record<string, string> = {}) {
  const form = await f.agent.get(`/logs/${f.logId}/goals/${goalId}/measures/new`);
  return f.agent.post(`/logs/${f.logId}/goals/${goalId}/measures`, {
    token: tokenIn(form.body),
    ...measureForm(f, overrides),
  });
}

const idOf = (location: string | string[] | number | undefined) =>
  Number(String(location).split('#measure-')[1]);

t.test('the staff who can be responsible depend on the log level', async (t) => {
  const f = await planFixture(t);
  const goal = await goalOf(f);
  const form = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/measures/new`);
  t.equal(form.statusCode, 200);
  t.match(form.body, nb('measure.field.deadline.hint'), 'the short-deadline hint');
  t.match(
    form.body,
    /<option value="\d+">Tor Hansen, Kontaktlærer 8B \(Solbakken skole\)<\/option>/,
    'level 2: other units',
  );
  t.match(form.body, /Eva Holm, PP-rådgiver \(PPT Nord\)/);
  t.match(form.body, /Helga Nilsen, Helsesykepleier \(Nordbyen helsestasjon\)/);
  await f.db('logs').where({ id: f.logId }).update({ level: 1 });
  const level1 = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/measures/new`);
  t.match(level1.body, /Helga Nilsen/, "level 1: the holder's own unit");
  t.notMatch(level1.body, /Tor Hansen/);
  const tor = await userId(f.db, 'aktor@stafett.example');
  const refused = await create(f, goal.id, { responsible: 'actor', actor_id: String(tor) });
  t.equal(refused.statusCode, 422, 'an actor from another unit is refused at level 1');
  t.match(refused.body, new RegExp(`<a href="#measure-new-actor">${nb('measure.error.actorUnknown')}</a>`));
  await f.db('logs').where({ id: f.logId }).update({ level: 2 });
});

t.test('rule 3 and 5: exactly one responsible party; a home measure is the guardians’', async (t) => {
  const f = await planFixture(t);
  const goal = await goalOf(f);
  const tor = await userId(f.db, 'aktor@stafett.example');
  const home = await create(f, goal.id, {
    responsible: 'guardians',
    actor_id: String(tor),
    text: 'Mor og far spiser frokost med Ida.',
  });
  t.equal(home.statusCode, 303);
  const row = await f
    .db('measures')
    .where({ id: idOf(home.headers.location) })
    .first();
  t.equal(row.responsible, 'guardians');
  t.equal(row.responsible_user_id, null, 'no person: the form cannot express two parties');
  const page = await f.agent.get(`/logs/${f.logId}`);
  t.match(
    page.body,
    new RegExp(
      `id="measure-${row.id}"[\\s\\S]*?<dd class="summary-list__value">${nb('measure.guardiansName')}</dd>`,
    ),
  );
  const child = await create(f, goal.id, {
    responsible: 'child',
    text: 'Ida skriver ned én fin ting hver kveld.',
  });
  t.equal(child.statusCode, 303);
  const childRow = await f
    .db('measures')
    .where({ id: idOf(child.headers.location) })
    .first();
  t.equal(childRow.responsible, 'child');
  const noActor = await create(f, goal.id, { responsible: 'actor', actor_id: '' });
  t.equal(noActor.statusCode, 422);
  t.match(noActor.body, new RegExp(`href="#measure-new-actor">${nb('measure.error.actorRequired')}`));
  const noParty = await create(f, goal.id, { responsible: '' });
  t.match(noParty.body, new RegExp(`href="#measure-new-responsible">${nb('measure.error.responsible')}`));
  await t.rejects(
    f.db('measures').insert({ ...row, id: undefined, responsible: 'actor', responsible_user_id: null }),
    { code: '23514' },
    'the database refuses an actor measure without a person',
  );
  await t.rejects(
    f.db('measures').insert({ ...row, id: undefined, responsible: 'guardians', responsible_user_id: tor }),
    { code: '23514' },
    'and a home measure with one',
  );
});

t.test(
  'rule 4: one active measure per actor per concern, checked in the service and by the index',
  async (t) => {
    const f = await planFixture(t);
    const goal = await goalOf(f, 0);
    const tor = await userId(f.db, 'aktor@stafett.example');
    const busy = await create(f, goal.id, {
      responsible: 'actor',
      actor_id: String(tor),
      text: 'Kontaktlæreren ringer mor hver fredag.',
    });
    t.equal(busy.statusCode, 422, 'Tor already has an active measure in this concern (the demo plan)');
    t.match(
      busy.body,
      new RegExp(`<a href="#measure-new-actor">${nb('measure.error.actorBusy', { name: 'Tor Hansen' })}</a>`),
    );
    t.match(busy.body, /id="measure-new-actor-error"/);
    t.match(busy.body, />Kontaktlæreren ringer mor hver fredag\.<\/textarea>/, 'typed text back');
    t.match(busy.body, new RegExp(`<option value="${tor}" selected>`));

    const other = await goalOf(f, 1);
    const eva = await userId(f.db, 'ppt@stafett.example');
    const form1 = await f.agent.get(`/logs/${f.logId}/goals/${other.id}/measures/new`);
    const form2 = await f.agent.get(`/logs/${f.logId}/goals/${other.id}/measures/new`);
    const fields = measureForm(f, { responsible: 'actor', actor_id: String(eva) });
    const answers = await Promise.all([
      f.agent.post(`/logs/${f.logId}/goals/${other.id}/measures`, { ...fields, token: tokenIn(form1.body) }),
      f.agent.post(`/logs/${f.logId}/goals/${other.id}/measures`, { ...fields, token: tokenIn(form2.body) }),
    ]);
    t.same(
      answers.map((a) => a.statusCode).sort(),
      [303, 422],
      'two simultaneous saves: one is refused, never a 500',
    );
    const rows = await f.db('measures').where({ concern_id: other.concern_id, responsible_user_id: eva });
    t.equal(rows.length, 1);
    await t.rejects(
      f.db('measures').insert({ ...rows[0], id: undefined }),
      { code: '23505', constraint: 'measures_one_active_per_actor' },
      'the partial unique index is the last guard',
    );
    await f.db('measures').where({ id: rows[0].id }).update({ status: 'evaluated' });
    const again = await create(f, other.id, { responsible: 'actor', actor_id: String(eva) });
    t.equal(again.statusCode, 303, 'after evaluation the actor can take a new measure');
  },
);

t.test('bad input: a message next to each field, 422, the typed text back; never a 500', async (t) => {
  const f = await planFixture(t);
  const goal = await goalOf(f);
  const cases: [string, Record<string, string>, string, string][] = [
    [
      'too long',
      { text: 'x'.repeat(301) },
      'text',
      nb('plan.error.tooLong', { field: nb('measure.field.text'), max: 300 }),
    ],
    [
      'control characters',
      { text: 'Ida\u001bskriver' },
      'text',
      nb('plan.error.control', { field: nb('measure.field.text') }),
    ],
    ['impossible date', { start_day: '31', start_month: '2' }, 'start', 'må være en ekte dato'],
    [
      'incomplete date',
      { deadline_year: '' },
      'deadline',
      nb('plan.error.dateIncomplete', { field: nb('measure.field.deadline.what') }),
    ],
    [
      'deadline before start',
      dateFields('deadline', addDays(f.today, -1)),
      'deadline',
      nb('measure.error.deadlineBeforeStart'),
    ],
    [
      'unknown actor',
      { responsible: 'actor', actor_id: '999999' },
      'actor',
      nb('measure.error.actorUnknown'),
    ],
    [
      'garbled actor',
      { responsible: 'actor', actor_id: '1; drop table' },
      'actor',
      nb('measure.error.actorUnknown'),
    ],
    ['unknown party', { responsible: 'neighbour' }, 'responsible', nb('measure.error.responsible')],
    [
      'too many steps',
      { steps: Array.from({ length: 13 }, (_, i) => `Trinn ${i}`).join('\n') },
      'steps',
      nb('measure.error.tooManySteps', { max: 12 }),
    ],
  ];
  for (const [name, overrides, field, message] of cases) {
    const answer = await create(f, goal.id, { text: 'Mor følger Ida til skolen.', ...overrides });
    t.equal(answer.statusCode, 422, name);
    t.match(answer.body, /<title>Feil: /, `${name}: page title`);
    t.match(
      answer.body,
      new RegExp(`<a href="#measure-new-${field}">[^<]*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      `${name}: linked message`,
    );
    t.match(answer.body, new RegExp(`id="measure-new-${field}-error"`), `${name}: message next to the field`);
  }
  t.equal((await f.db('measures').where({ text: 'Mor følger Ida til skolen.' })).length, 0, 'nothing saved');
  const typed = await create(f, goal.id, {
    text: 'Mor følger Ida til skolen.',
    start_day: '31',
    start_month: '2',
    steps: 'Første\nAndre',
  });
  t.match(typed.body, />Mor følger Ida til skolen\.<\/textarea>/);
  t.match(typed.body, /name="start_day" type="text" inputmode="numeric" autocomplete="off" value="31"/);
  t.match(typed.body, />Første\nAndre<\/textarea>/);
});

t.test('a double-clicked submit creates one measure; steps are kept in order', async (t) => {
  const f = await planFixture(t);
  const goal = await goalOf(f);
  const form = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/measures/new`);
  const fields = {
    token: tokenIn(form.body),
    ...measureForm(f, {
      text: 'Mor trapper ned følget til skolen.',
      steps: 'Mor følger til porten\n\n  Mor følger halvveis \nIda går alene',
    }),
  };
  const [a, b] = [
    await f.agent.post(`/logs/${f.logId}/goals/${goal.id}/measures`, fields),
    await f.agent.post(`/logs/${f.logId}/goals/${goal.id}/measures`, fields),
  ];
  t.equal(a.statusCode, 303);
  t.equal(b.statusCode, 303);
  t.equal(b.headers.location, a.headers.location);
  const rows = await f.db('measures').where({ text: fields.text });
  t.equal(rows.length, 1, 'one row');
  const steps = await f.db('measure_steps').where({ measure_id: rows[0].id }).orderBy('position');
  t.same(
    steps.map((s) => s.text),
    ['Mor følger til porten', 'Mor følger halvveis', 'Ida går alene'],
  );
  const page = await f.agent.get(`/logs/${f.logId}`);
  t.match(
    page.body,
    /aria-labelledby="measure-\d+-steps">\s*<li class="steps__step steps__step--current" aria-current="step">\s*Mor følger til porten[\s\S]*?<li class="steps__step">\s*Mor følger halvveis/,
  );
  t.equal((await f.db('audit_events').where({ action: 'measure.create', object_id: rows[0].id })).length, 1);
});

t.test("a double-clicked submit of an actor's measure lands on the measure, not on rule 4", async (t) => {
  const f = await planFixture(t);
  const goal = await f.db('goals').where({ concern_id: f.concernIds[1] }).first('id');
  // A staff actor with no active measure in this concern yet (earlier tests in the file add some).
  const busy = await f
    .db('measures')
    .where({ concern_id: f.concernIds[1], responsible: 'actor' })
    .whereNot({ status: 'evaluated' })
    .pluck('responsible_user_id');
  const eva = (
    await f.db('unit_memberships').where({ may_be_actor: true }).whereNotIn('user_id', busy).first('user_id')
  ).user_id as number;
  const form = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/measures/new`);
  const fields = {
    token: tokenIn(form.body),
    ...measureForm(f, {
      text: 'PP-rådgiveren observerer Ida i to timer.',
      responsible: 'actor',
      actor_id: String(eva),
    }),
  };
  const a = await f.agent.post(`/logs/${f.logId}/goals/${goal.id}/measures`, fields);
  const b = await f.agent.post(`/logs/${f.logId}/goals/${goal.id}/measures`, fields);
  t.equal(a.statusCode, 303);
  t.equal(b.statusCode, 303, 'the repeat is not refused as a second active measure');
  t.equal(b.headers.location, a.headers.location);
  t.equal((await f.db('measures').where({ text: fields.text })).length, 1);
});

t.test(
  'rule 6: text, responsible and deadline can be changed for 8 hours, then only as misregistered',
  async (t) => {
    const f = await planFixture(t);
    const goal = await goalOf(f);
    const created = await create(f, goal.id);
    const id = idOf(created.headers.location);
    const edit = await f.agent.get(`/logs/${f.logId}/measures/${id}/edit`);
    t.equal(edit.statusCode, 200);
    t.match(edit.body, /kan endres til/);
    // Moving the clock ends the idle session, so the holder signs in again each time.
    f.clock.advance(8 * HOUR - 60_000);
    await signIn(f.agent, HOLDER);
    const within = await f.agent.post(`/logs/${f.logId}/measures/${id}`, {
      ...measureForm(f, { text: 'Rettet innen fristen.' }),
      status: 'ongoing',
      version: versionIn(edit.body),
    });
    t.equal(within.statusCode, 303, 'a minute before the window closes');
    t.equal(within.headers.location, `/logs/${f.logId}#measure-${id}`);
    f.clock.advance(2 * 60_000);
    const locked = await f.agent.get(`/logs/${f.logId}/measures/${id}/edit`);
    t.equal(locked.statusCode, 200);
    t.match(locked.body, nb('measure.locked'));
    t.match(locked.body, `href="/logs/${f.logId}/measures/${id}/misregistered"`);
    t.notMatch(locked.body, /name="text"/, 'no form');
    for (const headers of [{}, HX]) {
      const late = await f.agent.post(
        `/logs/${f.logId}/measures/${id}`,
        { ...measureForm(f, { text: 'For sent.' }), status: 'ongoing', version: '2' },
        { headers },
      );
      t.equal(late.statusCode, 422);
      t.match(late.body, nb('measure.error.locked'));
      t.match(late.body, new RegExp(`<a href="#measure-${id}-misregistered">`));
    }
    t.equal(
      (await f.db('measures').where({ id }).first()).text,
      'Rettet innen fristen.',
      'no change after the window',
    );
  },
);

t.test('inline edit with htmx, and a stale version is a conflict with both texts', async (t) => {
  const f = await planFixture(t);
  const goal = await goalOf(f);
  const id = idOf((await create(f, goal.id, { steps: 'Ett\nTo' })).headers.location);
  const edit = await f.agent.get(`/logs/${f.logId}/measures/${id}/edit`, HX);
  t.equal(edit.statusCode, 200);
  t.notMatch(edit.body, /<html/i);
  t.match(
    edit.body,
    new RegExp(
      `data-hx-post="/logs/${f.logId}/measures/${id}" data-hx-target="#measure-${id}" data-hx-swap="outerHTML"`,
    ),
  );
  t.match(edit.body, />Ett\nTo<\/textarea>/);
  const version = versionIn(edit.body);
  const invalid = await f.agent.post(
    `/logs/${f.logId}/measures/${id}`,
    { ...measureForm(f, { text: '' }), status: 'planned', version },
    { headers: HX },
  );
  t.equal(invalid.statusCode, 422);
  t.notMatch(invalid.body, /<html/i);
  t.match(invalid.body, new RegExp(`data-focus="#measure-${id}-error-summary"`));
  const saved = await f.agent.post(
    `/logs/${f.logId}/measures/${id}`,
    { ...measureForm(f, { text: 'Ny tekst.' }), status: 'ongoing', version },
    { headers: HX },
  );
  t.equal(saved.statusCode, 200);
  t.match(saved.headers.vary, /HX-Request/);
  t.match(
    saved.body,
    new RegExp(
      `<article class="card measure" id="measure-${id}" data-focus="#measure-${id}-title" data-announce="Lagret">`,
    ),
  );
  t.match(saved.body, nb('measure.status.ongoing'));
  const stale = await f.agent.post(
    `/logs/${f.logId}/measures/${id}`,
    { ...measureForm(f, { text: 'Min gamle versjon.' }), status: 'ongoing', version },
    { headers: HX },
  );
  t.equal(stale.statusCode, 409);
  t.match(stale.body, /<td data-label="Lagret nå">Ny tekst\.<\/td>/);
  t.match(stale.body, /<td data-label="Din versjon">Min gamle versjon\.<\/td>/);
  t.equal(versionIn(stale.body), String(Number(version) + 1));
  t.equal((await f.db('measures').where({ id }).first()).text, 'Ny tekst.');
  const plain = await f.agent.post(`/logs/${f.logId}/measures/${id}`, {
    ...measureForm(f, { text: 'Uten JavaScript.' }),
    status: 'ongoing',
    version: String(Number(version) + 1),
  });
  t.equal(plain.statusCode, 303);
  t.equal(plain.headers.location, `/logs/${f.logId}#measure-${id}`);
  const fragment = await f.agent.get(`/logs/${f.logId}/measures/${id}`, HX);
  t.equal(fragment.statusCode, 200);
  t.match(fragment.body, /Uten JavaScript\./);
  t.equal((await f.agent.get(`/logs/${f.logId}/measures/${id}`)).statusCode, 303);
});

t.test('measures of other logs and non-holders: 404', async (t) => {
  const f = await planFixture(t);
  const other = await f.db('measures').whereNot({ log_id: f.logId }).first();
  const otherGoal = await f.db('goals').whereNot({ log_id: f.logId }).first();
  for (const url of [
    `/logs/${f.logId}/measures/${other.id}/edit`,
    `/logs/${f.logId}/measures/${other.id}`,
    `/logs/${f.logId}/goals/${otherGoal.id}/measures/new`,
    `/logs/${f.logId}/measures/0/edit`,
  ]) {
    t.equal((await f.agent.get(url, HX)).statusCode, 404, url);
  }
  t.equal(
    (await f.agent.post(`/logs/${f.logId}/goals/${otherGoal.id}/measures`, measureForm(f))).statusCode,
    404,
  );
  const guardian = new Agent(f.app);
  await signIn(guardian, 'foresatt@stafett.example');
  const mine = await f.db('measures').where({ log_id: f.logId }).first();
  t.equal(
    (await guardian.get(`/logs/${f.logId}/measures/${mine.id}/edit`)).statusCode,
    404,
    'a guardian reads but does not write',
  );
  t.equal(
    (await guardian.get(`/logs/${f.logId}/measures/${mine.id}`, HX)).statusCode,
    200,
    'and may read the fragment',
  );
});

t.test(
  'plain-language tips for a measure: in the form after a save attempt, and under the saved measure',
  async (t) => {
    const f = await planFixture(t);
    const goal = await goalOf(f);
    const text = 'Fraværet skal kartlegges snarest.';
    const attempt = await create(f, goal.id, { text, deadline_day: '' });
    t.equal(attempt.statusCode, 422);
    t.match(attempt.body, /aria-describedby="measure-new-text-hint measure-new-text-tips"/);
    t.same(
      [...attempt.body.matchAll(/class="hint-box plain-language" id="([^"]+)"/g)].map((m) => m[1]),
      ['measure-new-text-tips'],
      'the tips once, below the text: not repeated under the other fields',
    );
    t.notMatch(
      attempt.body,
      /measure-new-(responsible|steps|status)-tips/,
      'no other field described by them',
    );
    t.match(attempt.body, nb('hint.snarest'));
    t.match(
      attempt.body,
      nb('hint.passive', { words: 'kartlegges' }).replace(/[()]/g, (c) => c),
    );
    const saved = await create(f, goal.id, { text, responsible: 'child' });
    t.equal(saved.statusCode, 303, 'tips never block a save');
    const id = idOf(saved.headers.location);
    const fragment = await f.agent.get(`/logs/${f.logId}/measures/${id}`, HX);
    t.match(fragment.body, new RegExp(`id="measure-${id}-tips"`));
    t.match(fragment.body, nb('hint.snarest'));
  },
);
