/** Goals: create once, inline edit with and without htmx, conflicts, order, decision, hints, 404s. */
import t from 'tap';
import { Agent, signIn } from './helpers/app.js';
import { translator } from '../src/i18n/index.js';
import { dateFields, HX, planFixture, tokenIn, versionIn, addDays } from './plan-fixture.js';

const nb = translator('nb');
const da = translator('da');

t.test(
  'the new-goal form: bad input of any kind comes back with messages and the typed text (422)',
  async (t) => {
    const f = await planFixture(t);
    const form = await f.agent.get(`/logs/${f.logId}/concerns/${f.concernIds[0]}/goals/new`);
    t.equal(form.statusCode, 200);
    t.match(form.body, /<title>Nytt mål – Ida – Stafett<\/title>/);
    const token = tokenIn(form.body);
    t.match(token, /^[0-9a-f-]{36}$/, 'a one-time token');
    const before = await f.db('goals').count<{ count: number }>('id as count').first();
    const bad = await f.agent.post(`/logs/${f.logId}/concerns/${f.concernIds[0]}/goals`, {
      token,
      text: 'x'.repeat(501),
      owner: 'neighbour',
      owner_words: 'Jeg\u0007vil',
      arena: 'school',
      ...dateFields('target_date', '2026-01-01'),
      target_date_day: '31',
      target_date_month: '2',
    });
    t.equal(bad.statusCode, 422);
    t.match(bad.body, /<title>Feil: Nytt mål/);
    t.match(bad.body, /id="error-summary"/);
    const links = [...bad.body.matchAll(/<li><a href="(#[^"]+)">/g)].map((m) => m[1]);
    t.same(
      links,
      ['#goal-new-text', '#goal-new-owner', '#goal-new-owner-words', '#goal-new-target-date'],
      'errors in field order',
    );
    t.match(bad.body, nb('plan.error.tooLong', { field: nb('goal.field.text'), max: 500 }));
    t.match(bad.body, /id="goal-new-text-error"/);
    t.match(bad.body, /aria-describedby="goal-new-text-hint goal-new-text-error goal-new-text-tips"/);
    t.match(bad.body, 'x'.repeat(501), 'the typed text comes back');
    t.match(bad.body, /name="target_date_day" type="text" inputmode="numeric" autocomplete="off" value="31"/);
    t.match(bad.body, `value="${token}"`, 'the same token: nothing was created');
    const after = await f.db('goals').count<{ count: number }>('id as count').first();
    t.equal(after?.count, before?.count, 'nothing saved');

    const empty = await f.agent.post(`/logs/${f.logId}/concerns/${f.concernIds[0]}/goals`, { token });
    t.equal(empty.statusCode, 422);
    t.match(empty.body, nb('goal.error.textRequired'));
  },
);

t.test(
  'creating a goal: 303 to its anchor, audited without text; a double submit creates one row',
  async (t) => {
    const f = await planFixture(t);
    const form = await f.agent.get(`/logs/${f.logId}/concerns/${f.concernIds[1]}/goals/new`);
    const fields = {
      token: tokenIn(form.body),
      text: 'Ida er sammen med venner i storefriminuttet tre dager i uka.',
      owner: 'child',
      owner_words: 'Jeg vil være mindre lei meg',
      arena: 'school',
      ...dateFields('target_date', addDays(f.today, 42)),
    };
    const first = await f.agent.post(`/logs/${f.logId}/concerns/${f.concernIds[1]}/goals`, fields);
    const second = await f.agent.post(`/logs/${f.logId}/concerns/${f.concernIds[1]}/goals`, fields);
    t.equal(first.statusCode, 303);
    t.match(first.headers.location, new RegExp(`^/logs/${f.logId}#goal-\\d+$`));
    t.equal(second.statusCode, 303, 'the second post goes where the first went');
    t.equal(second.headers.location, first.headers.location);
    const rows = await f.db('goals').where({ text: fields.text });
    t.equal(rows.length, 1, 'one row');
    t.equal(rows[0].owner, 'child');
    t.equal(rows[0].owner_words, fields.owner_words);
    t.equal(rows[0].target_date, addDays(f.today, 42));
    const audit = await f.db('audit_events').where({ action: 'goal.create', object_id: rows[0].id });
    t.equal(audit.length, 1);
    t.equal(audit[0].log_id, f.logId);
    t.equal(audit[0].role, 'holder');

    const page = await f.agent.get(`/logs/${f.logId}`);
    t.match(page.body, new RegExp(`<h4 class="card__title" id="goal-${rows[0].id}-title" tabindex="-1">`));
    const order = await f.db('goals').where({ concern_id: f.concernIds[1] }).orderBy('position').select('id');
    t.equal(order.at(-1)?.id, rows[0].id, 'a new goal comes last in its concern');
  },
);

async function firstGoal(f: Awaited<ReturnType<typeof planFixture>>) {
  return f.db('goals').where({ log_id: f.logId }).orderBy('id').first();
}

function goalForm(goal: { text: string; version: number }, overrides: Record<string, string> = {}) {
  return {
    version: String(goal.version),
    text: goal.text,
    owner: 'professional',
    owner_words: '',
    arena: 'school',
    target_date_day: '',
    target_date_month: '',
    target_date_year: '',
    status: 'active',
    ...overrides,
  };
}

t.test('editing without JavaScript: the edit page, 303 back to the anchor', async (t) => {
  const f = await planFixture(t);
  const goal = await firstGoal(f);
  const edit = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/edit`);
  t.equal(edit.statusCode, 200);
  t.match(edit.body, /<html/);
  t.match(edit.body, /<title>Endre mål – Ida – Stafett<\/title>/);
  t.equal(versionIn(edit.body), String(goal.version));
  t.notMatch(edit.body, /hx-post/, 'the full page posts as a plain form');
  const saved = await f.agent.post(
    `/logs/${f.logId}/goals/${goal.id}`,
    goalForm(goal, { text: 'Ida er på skolen alle dager i fire uker.' }),
  );
  t.equal(saved.statusCode, 303);
  t.equal(saved.headers.location, `/logs/${f.logId}#goal-${goal.id}`);
  const row = await f.db('goals').where({ id: goal.id }).first();
  t.equal(row.text, 'Ida er på skolen alle dager i fire uker.');
  t.equal(row.version, goal.version + 1);
  t.equal((await f.db('audit_events').where({ action: 'goal.update', object_id: goal.id })).length, 1);

  const invalid = await f.agent.post(
    `/logs/${f.logId}/goals/${goal.id}`,
    goalForm(row, { text: '', status: 'gone' }),
  );
  t.equal(invalid.statusCode, 422);
  t.match(invalid.body, /<title>Feil: Endre mål/);
  t.match(invalid.body, new RegExp(`<a href="#goal-${goal.id}-text">${nb('goal.error.textRequired')}</a>`));
  t.match(invalid.body, new RegExp(`<a href="#goal-${goal.id}-status">`));

  const show = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}`);
  t.equal(show.statusCode, 303, 'the read-only fragment as a page is the log page anchor');
  t.equal(show.headers.location, `/logs/${f.logId}#goal-${goal.id}`);
});

t.test(
  'editing with htmx: fragments, never a page; 200 on success, 422 on invalid, Vary: HX-Request',
  async (t) => {
    const f = await planFixture(t);
    const goal = await firstGoal(f);
    const edit = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/edit`, HX);
    t.equal(edit.statusCode, 200);
    t.notMatch(edit.body, /<html|<body/i, 'a fragment');
    t.match(edit.headers.vary, /HX-Request/);
    t.match(
      edit.body,
      new RegExp(
        `<div class="goal__main goal__form" id="goal-${goal.id}-main" data-focus="#goal-${goal.id}-form-title"`,
      ),
    );
    t.match(
      edit.body,
      new RegExp(
        `data-hx-post="/logs/${f.logId}/goals/${goal.id}" data-hx-target="#goal-${goal.id}-main" data-hx-swap="outerHTML"`,
      ),
    );
    t.match(
      edit.body,
      new RegExp(
        `<a href="/logs/${f.logId}#goal-${goal.id}" data-hx-get="/logs/${f.logId}/goals/${goal.id}"`,
      ),
      'Avbryt: a link, upgraded',
    );
    t.notMatch(edit.body, /hx-on/);

    const invalid = await f.agent.post(
      `/logs/${f.logId}/goals/${goal.id}`,
      goalForm(goal, { text: 'Ida\u0000', owner_words: 'mine ord' }),
      { headers: HX },
    );
    t.equal(invalid.statusCode, 422);
    t.notMatch(invalid.body, /<html/i);
    t.match(invalid.body, new RegExp(`id="goal-${goal.id}-error-summary" tabindex="-1" role="alert"`));
    t.match(invalid.body, new RegExp(`data-focus="#goal-${goal.id}-error-summary"`));
    t.match(invalid.body, />mine ord<\/textarea>/, 'typed text back');
    t.match(invalid.body, new RegExp(`href="#goal-${goal.id}-text"`));

    const saved = await f.agent.post(
      `/logs/${f.logId}/goals/${goal.id}`,
      goalForm(goal, { text: 'Ida er på skolen hver dag.' }),
      { headers: HX },
    );
    t.equal(saved.statusCode, 200);
    t.notMatch(saved.body, /<html/i);
    t.match(saved.headers.vary, /HX-Request/);
    t.match(
      saved.body,
      new RegExp(
        `id="goal-${goal.id}-main" data-focus="#goal-${goal.id}-title" data-announce="${nb('plan.saved')}"`,
      ),
    );
    t.match(saved.body, /Ida er på skolen hver dag\./);

    const cancel = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}`, HX);
    t.equal(cancel.statusCode, 200);
    t.notMatch(cancel.body, /data-announce/, 'nothing to announce on cancel');
    t.match(cancel.body, /data-focus/);
  },
);

t.test('two people editing the same goal: 409 with both texts, nothing overwritten', async (t) => {
  const f = await planFixture(t);
  const goal = await firstGoal(f);
  const other = new Agent(f.app);
  await signIn(other, 'stafettholder@stafett.example');
  await other.get(`/logs/${f.logId}/goals/${goal.id}/edit`);
  await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/edit`);
  const theirs = await other.post(
    `/logs/${f.logId}/goals/${goal.id}`,
    goalForm(goal, { text: 'Teksten til den andre.' }),
  );
  t.equal(theirs.statusCode, 303);
  for (const headers of [{}, HX]) {
    const mine = await f.agent.post(
      `/logs/${f.logId}/goals/${goal.id}`,
      goalForm(goal, { text: 'Min tekst.' }),
      { headers },
    );
    t.equal(mine.statusCode, 409);
    t.match(mine.body, nb('plan.conflict.title'));
    t.match(mine.body, /<td data-label="Lagret nå">Teksten til den andre\.<\/td>/, 'the saved text');
    t.match(mine.body, /<td data-label="Din versjon">Min tekst\.<\/td>/, 'your text beside it');
    t.match(mine.body, />Min tekst\.<\/textarea>/, 'your text in the form, to save again');
    t.equal(versionIn(mine.body), String(goal.version + 1), 'against the new version');
    if (headers === HX) t.notMatch(mine.body, /<html/i);
    else t.match(mine.body, /<html/i);
  }
  t.equal(
    (await f.db('goals').where({ id: goal.id }).first()).text,
    'Teksten til den andre.',
    'not overwritten',
  );
  const again = await f.agent.post(
    `/logs/${f.logId}/goals/${goal.id}`,
    goalForm({ ...goal, version: goal.version + 1 }, { text: 'Min tekst.' }),
  );
  t.equal(again.statusCode, 303, 'saving again against the new version works');
});

t.test('goals are shown in the order the holder chooses', async (t) => {
  const f = await planFixture(t);
  const concernId = f.concernIds[0]!;
  const ids = async () =>
    (
      await f
        .db('goals')
        .where({ concern_id: concernId })
        .orderBy([{ column: 'position' }, { column: 'id' }])
    ).map((g) => g.id);
  const holder = (await f.db('logs').where({ id: f.logId }).first()).holder_id;
  for (const text of ['Ida møter opp kl. 8.15 hver morgen.', 'Ida leverer lekser hver fredag.']) {
    await f
      .db('goals')
      .insert({ log_id: f.logId, concern_id: concernId, text, position: 9, created_by: holder });
  }
  const before = await ids();
  t.equal(before.length, 3);
  await f.agent.get(`/logs/${f.logId}`);
  const moved = await f.agent.post(`/logs/${f.logId}/goals/${before[1]}/move`, { direction: 'up' });
  t.equal(moved.statusCode, 303);
  t.equal(moved.headers.location, `/logs/${f.logId}#goal-${before[1]}`);
  t.same(await ids(), [before[1], before[0], ...before.slice(2)]);
  await f.agent.post(`/logs/${f.logId}/goals/${before[1]}/move`, { direction: 'up' });
  t.same(await ids(), [before[1], before[0], ...before.slice(2)], 'the first stays first');
  await f.agent.post(`/logs/${f.logId}/goals/${before[1]}/move`, { direction: 'down' });
  t.same(await ids(), before);
  await f.agent.post(`/logs/${f.logId}/goals/${before[1]}/move`, { direction: 'sideways' });
  t.same(await ids(), before, 'an unknown direction changes nothing');
  const page = await f.agent.get(`/logs/${f.logId}`);
  t.ok(
    page.body.indexOf(`id="goal-${before[0]}"`) < page.body.indexOf(`id="goal-${before[1]}"`),
    'the page shows that order',
  );
});

t.test(
  'plain-language tips: on the read-only fragment and in the form, described-by the field',
  async (t) => {
    const f = await planFixture(t);
    const goal = await firstGoal(f);
    const text = 'Man skal kartlegge fraværet snarest, f.eks. med PPT.';
    const saved = await f.agent.post(
      `/logs/${f.logId}/goals/${goal.id}`,
      goalForm(goal, { text, owner: '' }),
      { headers: HX },
    );
    t.equal(saved.statusCode, 200, 'tips never block a save');
    t.match(saved.body, /class="hint-box plain-language" id="goal-\d+-tips"/);
    for (const key of ['hint.man', 'hint.snarest', 'hint.goalTense', 'hint.goalOwner'] as const) {
      t.match(saved.body, nb(key, { words: '' }).slice(0, 25), key);
    }
    t.match(saved.body, 'f.eks., PPT');
    const edit = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/edit`, HX);
    t.match(edit.body, new RegExp(`aria-describedby="goal-${goal.id}-text-hint goal-${goal.id}-text-tips"`));
    t.match(
      edit.body,
      new RegExp(`aria-describedby="goal-${goal.id}-owner-hint goal-${goal.id}-owner-tips"`),
    );
    const guardian = new Agent(f.app);
    await signIn(guardian, 'foresatt@stafett.example');
    const page = await guardian.get(`/logs/${f.logId}`);
    t.equal(page.statusCode, 200);
    t.notMatch(page.body, /plain-language/, 'tips are for the writer, not the family');
    t.notMatch(page.body, /\/edit"/, 'no edit links for a guardian');
  },
);

t.test(
  'in Danish: no tips from the Norwegian word lists, a note saying so, and the neutral tips',
  async (t) => {
    const f = await planFixture(t);
    const goal = await firstGoal(f);
    f.agent.cookies.set('lang', 'da');
    const text = 'Man skal kartlegge fraværet snarest, f.eks. med PPT.';
    const saved = await f.agent.post(
      `/logs/${f.logId}/goals/${goal.id}`,
      goalForm(goal, { text, owner: '' }),
      { headers: HX },
    );
    t.equal(saved.statusCode, 200);
    t.match(saved.body, /class="hint-box plain-language" id="goal-\d+-tips"/);
    t.match(saved.body, da('hint.notInLanguage'), 'the note, in Danish');
    t.match(saved.body, da('hint.goalOwner'), 'whose goal it is: a tip in any language');
    t.match(
      saved.body,
      da('hint.abbreviation', { words: 'PPT' }),
      'the acronym, without the Norwegian "f.eks."',
    );
    for (const key of [
      'hint.man',
      'hint.snarest',
      'hint.goalTense',
      'hint.goalTimePlace',
      'hint.passive',
    ] as const) {
      t.notMatch(saved.body, da(key, { words: '' }).slice(0, 25), `no ${key} in Danish`);
      t.notMatch(saved.body, nb(key, { words: '' }).slice(0, 25), `no ${key} in bokmål either`);
    }
    const edit = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/edit`, HX);
    t.match(edit.body, da('hint.notInLanguage'), 'the form says it too');
    const page = await f.agent.get(`/logs/${f.logId}`);
    t.match(page.body, '<html lang="da">');
    t.match(page.body, da('hint.notInLanguage'), 'and the log page');
    t.notMatch(page.body, nb('hint.title'), 'no bokmål hint box');
  },
);

t.test('ids outside the log, and people who may not write, get 404', async (t) => {
  const f = await planFixture(t);
  const goal = await firstGoal(f);
  const otherGoal = await f.db('goals').whereNot({ log_id: f.logId }).first();
  const otherConcern = await f.db('concerns').whereNot({ log_id: f.logId }).first();
  for (const url of [
    `/logs/${f.logId}/goals/${otherGoal.id}/edit`,
    `/logs/${f.logId}/goals/${otherGoal.id}`,
    `/logs/${f.logId}/goals/999999/edit`,
    `/logs/${f.logId}/goals/abc/edit`,
    `/logs/${f.logId}/concerns/${otherConcern.id}/goals/new`,
    `/logs/${f.logId}/goals/${otherGoal.id}/decision`,
  ]) {
    t.equal((await f.agent.get(url)).statusCode, 404, url);
  }
  t.equal(
    (await f.agent.post(`/logs/${f.logId}/goals/${otherGoal.id}`, goalForm(otherGoal))).statusCode,
    404,
  );
  t.equal(
    (await f.agent.post(`/logs/${f.logId}/concerns/${otherConcern.id}/goals`, { text: 'x' })).statusCode,
    404,
  );
  t.equal(
    (await f.agent.post(`/logs/${f.logId}/goals/${otherGoal.id}/move`, { direction: 'up' })).statusCode,
    404,
  );

  const actor = new Agent(f.app);
  await signIn(actor, 'aktor@stafett.example');
  t.equal(
    (await actor.get(`/logs/${f.logId}/goals/${goal.id}/edit`)).statusCode,
    404,
    'an actor does not write the plan',
  );
  await actor.get('/');
  t.equal(
    (await actor.post(`/logs/${f.logId}/goals/${goal.id}`, goalForm(goal, { text: 'Aktøren skriver' })))
      .statusCode,
    404,
  );
  t.not((await f.db('goals').where({ id: goal.id }).first()).text, 'Aktøren skriver');
  const denied = await f.db('audit_events').where({ action: 'denied:log.write', outcome: 'denied' });
  t.ok(denied.length >= 2, 'refused attempts are audited');
});

t.test('the goal decision after every measure is evaluated', async (t) => {
  const f = await planFixture(t);
  const goal = await firstGoal(f);
  const notReady = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/decision`);
  t.equal(notReady.statusCode, 200);
  t.match(notReady.body, nb('goal.decision.notReady'));
  t.notMatch(notReady.body, /name="achieved"/);
  const refused = await f.agent.post(`/logs/${f.logId}/goals/${goal.id}/decision`, {
    achieved: 'yes',
    next: 'end',
    version: String(goal.version),
  });
  t.equal(refused.statusCode, 422);
  t.equal((await f.db('goals').where({ id: goal.id }).first()).status, 'active');

  await f.db('measures').where({ goal_id: goal.id }).update({ status: 'evaluated' });
  const page = await f.agent.get(`/logs/${f.logId}`);
  t.match(page.body, `/logs/${f.logId}/goals/${goal.id}/decision`, 'the log page offers the decision');
  const ready = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/decision`);
  t.match(ready.body, /name="achieved"/);
  const missing = await f.agent.post(`/logs/${f.logId}/goals/${goal.id}/decision`, {
    version: String(goal.version),
  });
  t.equal(missing.statusCode, 422);
  t.match(missing.body, /href="#decision-achieved"/);
  t.match(missing.body, /href="#decision-next"/);
  const stale = await f.agent.post(`/logs/${f.logId}/goals/${goal.id}/decision`, {
    achieved: 'no',
    next: 'end',
    version: '0',
  });
  t.equal(stale.statusCode, 409);
  const decided = await f.agent.post(`/logs/${f.logId}/goals/${goal.id}/decision`, {
    achieved: 'no',
    next: 'new_goal',
    version: String(goal.version),
  });
  t.equal(decided.statusCode, 303);
  t.equal(
    decided.headers.location,
    `/logs/${f.logId}/concerns/${goal.concern_id}/goals/new?replaces=${goal.id}`,
  );
  const row = await f.db('goals').where({ id: goal.id }).first();
  t.equal(row.status, 'replaced');
  t.equal(row.decision, 'new_goal');
  const next = await f.agent.follow(decided);
  t.match(next.body, nb('goal.new.replaces', { goal: goal.text }));
  const created = await f.agent.post(`/logs/${f.logId}/concerns/${goal.concern_id}/goals`, {
    token: tokenIn(next.body),
    replaces: String(goal.id),
    text: 'Ida er på skolen fire dager i uka i desember.',
    owner: 'child',
    arena: 'school',
  });
  t.equal(created.statusCode, 303);
  const newId = Number(created.headers.location?.split('#goal-')[1]);
  t.equal(
    (await f.db('goals').where({ id: goal.id }).first()).replaced_by,
    newId,
    'the old goal points to its replacement',
  );
  const again = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/decision`);
  t.match(again.body, nb('goal.decision.notActive', { status: nb('goal.status.replaced') }));
});
