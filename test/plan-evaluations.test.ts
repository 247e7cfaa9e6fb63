/** Evaluations: once per measure, the family's view decides, and misregistered measures keep their history. */
import t from 'tap';
import { translator } from '../src/i18n/index.js';
import { Agent, signIn } from './helpers/app.js';
import {
  addDays,
  dateFields,
  HOLDER,
  planFixture,
  tokenIn,
  userId,
  type PlanFixture,
} from './plan-fixture.js';

const nb = translator('nb');

async function newMeasure(
  f: PlanFixture,
  text: string,
  responsible: Record<string, string> = { responsible: 'child' },
) {
  const goal = await f.db('goals').where({ concern_id: f.concernIds[1] }).orderBy('id').first();
  const form = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/measures/new`);
  const created = await f.agent.post(`/logs/${f.logId}/goals/${goal.id}/measures`, {
    token: tokenIn(form.body),
    text,
    ...responsible,
    ...dateFields('start', f.today),
    ...dateFields('deadline', addDays(f.today, 14)),
    steps: 'Første trinn\nAndre trinn',
  });
  if (created.statusCode !== 303) throw new Error(`measure not created: ${created.statusCode}`);
  return Number(String(created.headers.location).split('#measure-')[1]);
}

const evaluation = {
  happened: 'partly',
  effect: 'partly',
  family_effect: 'worked',
  family_view: 'Ida sier det hjalp å skrive.',
  comment: 'Gjennomført fire av seks dager.',
  next_step: 'continue',
};

t.test('evaluating: the family’s view is required and decides; the measure is evaluated once', async (t) => {
  const f = await planFixture(t);
  const id = await newMeasure(f, 'Ida skriver dagbok hver kveld.');
  const form = await f.agent.get(`/logs/${f.logId}/measures/${id}/evaluate`);
  t.equal(form.statusCode, 200);
  t.match(form.body, /<title>Evaluer tiltaket – Ida – Stafett<\/title>/);
  t.match(form.body, nb('evaluation.field.familyEffect.hint'));
  t.match(form.body, `href="/logs/${f.logId}/measures/${id}/misregistered"`, 'the misregistered option');
  const token = tokenIn(form.body);

  const missing = await f.agent.post(`/logs/${f.logId}/measures/${id}/evaluate`, {
    ...evaluation,
    token,
    family_effect: '',
    comment: 'x'.repeat(2001),
  });
  t.equal(missing.statusCode, 422);
  t.match(missing.body, /<title>Feil: /);
  t.match(
    missing.body,
    new RegExp(`<a href="#evaluation-family-effect">${nb('evaluation.error.familyEffect')}</a>`),
  );
  t.match(missing.body, /<a href="#evaluation-comment">/);
  t.match(missing.body, />Ida sier det hjalp å skrive\.<\/textarea>/, 'typed text back');
  t.equal((await f.db('evaluations').where({ measure_id: id })).length, 0);

  const first = await f.agent.post(`/logs/${f.logId}/measures/${id}/evaluate`, { ...evaluation, token });
  const double = await f.agent.post(`/logs/${f.logId}/measures/${id}/evaluate`, { ...evaluation, token });
  t.equal(first.statusCode, 303);
  t.equal(first.headers.location, `/logs/${f.logId}#measure-${id}`);
  t.equal(double.statusCode, 303, 'a double click lands where the first went');
  t.equal(double.headers.location, first.headers.location);

  const again = await f.agent.get(`/logs/${f.logId}/measures/${id}/evaluate`);
  t.match(again.body, nb('evaluation.already'));
  t.notMatch(again.body, /name="happened"/, 'no second form');
  const second = await f.agent.post(`/logs/${f.logId}/measures/${id}/evaluate`, {
    ...evaluation,
    token: tokenIn(again.body) || crypto.randomUUID(),
    family_effect: 'did_not_work',
  });
  t.equal(second.statusCode, 409, 'a second evaluation is refused with a clear message');
  t.match(second.body, nb('plan.conflict.title'));
  t.match(second.body, nb('evaluation.effect.did_not_work'), 'what was posted is shown beside what is saved');
  const rows = await f.db('evaluations').where({ measure_id: id });
  t.equal(rows.length, 1, 'one evaluation');
  t.equal(rows[0].family_effect, 'worked');
  t.equal((await f.db('measures').where({ id }).first()).status, 'evaluated');
  t.equal((await f.db('audit_events').where({ action: 'measure.evaluate', object_id: id })).length, 1);

  const page = await f.agent.get(`/logs/${f.logId}`);
  t.match(
    page.body,
    `${nb('evaluation.result')}: ${nb('evaluation.effect.worked')}`,
    'the result shown is the family’s',
  );
  t.match(page.body, /«Ida sier det hjalp å skrive\.»/);
  const edit = await f.agent.get(`/logs/${f.logId}/measures/${id}/edit`);
  t.match(edit.body, nb('measure.locked.evaluated'), 'an evaluated measure is not edited');
  await t.rejects(
    f.db('evaluations').insert({ measure_id: id, log_id: f.logId, evaluated_by: rows[0].evaluated_by }),
    { code: '23505' },
    'the database allows one evaluation per measure',
  );
});

t.test('misregistered: evaluated as such and corrected in one go; the history stays visible', async (t) => {
  const f = await planFixture(t);
  const eva = await userId(f.db, 'ppt@stafett.example');
  const nina = await userId(f.db, 'laerer@stafett.example');
  const id = await newMeasure(f, 'PP-rådgiver observerer Ida i timen.', {
    responsible: 'actor',
    actor_id: String(eva),
  });
  const form = await f.agent.get(`/logs/${f.logId}/measures/${id}/misregistered`);
  t.equal(form.statusCode, 200);
  t.match(form.body, />PP-rådgiver observerer Ida i timen\.<\/textarea>/, 'prefilled with the measure');
  t.match(form.body, new RegExp(`<option value="${eva}" selected>`));
  t.match(form.body, />Første trinn\nAndre trinn<\/textarea>/);
  const token = tokenIn(form.body);
  const fields = {
    token,
    text: 'Kontaktlærer observerer Ida i timen.',
    responsible: 'actor',
    actor_id: String(nina),
    ...dateFields('start', f.today),
    ...dateFields('deadline', addDays(f.today, 21)),
    steps: 'Første trinn',
    reason: 'Feil aktør.',
  };

  const invalid = await f.agent.post(`/logs/${f.logId}/measures/${id}/misregistered`, {
    ...fields,
    ...dateFields('deadline', addDays(f.today, -3)),
  });
  t.equal(invalid.statusCode, 422);
  t.match(invalid.body, new RegExp(`<a href="#measure-${id}-fix-deadline">`));
  t.equal((await f.db('measures').where({ id }).first()).status, 'planned', 'nothing changed');
  t.equal((await f.db('evaluations').where({ measure_id: id })).length, 0);

  const done = await f.agent.post(`/logs/${f.logId}/measures/${id}/misregistered`, fields);
  t.equal(done.statusCode, 303);
  const newId = Number(String(done.headers.location).split('#measure-')[1]);
  const [old, corrected, evaluationRow] = await Promise.all([
    f.db('measures').where({ id }).first(),
    f.db('measures').where({ id: newId }).first(),
    f.db('evaluations').where({ measure_id: id }).first(),
  ]);
  t.equal(old.status, 'evaluated');
  t.equal(old.text, 'PP-rådgiver observerer Ida i timen.', 'the old text is kept');
  t.equal(evaluationRow.misregistered, true);
  t.equal(evaluationRow.comment, 'Feil aktør.');
  t.equal(corrected.corrects_measure_id, id);
  t.equal(corrected.responsible_user_id, nina);
  t.equal(corrected.goal_id, old.goal_id);
  t.same(
    (await f.db('measure_steps').where({ measure_id: newId })).map((s) => s.text),
    ['Første trinn'],
  );

  const page = await f.agent.get(`/logs/${f.logId}`);
  t.match(
    page.body,
    new RegExp(
      `${nb('measure.replacedBy')}</strong> <a href="#measure-${newId}">Kontaktlærer observerer Ida i timen\\.</a>`,
    ),
  );
  t.match(
    page.body,
    new RegExp(
      `${nb('measure.corrects')} <a href="#measure-${id}">PP-rådgiver observerer Ida i timen\\.</a>`,
    ),
  );
  t.match(page.body, nb('measure.status.misregistered'));

  const twice = await f.agent.post(`/logs/${f.logId}/measures/${id}/misregistered`, {
    ...fields,
    token: crypto.randomUUID(),
  });
  t.equal(twice.statusCode, 409, 'an evaluated measure cannot be misregistered again');
  t.equal((await f.db('measures').where({ corrects_measure_id: id })).length, 1, 'one corrected measure');
});

t.test('misregistered with the same actor: rule 4 counts the old measure as no longer active', async (t) => {
  const f = await planFixture(t);
  const eva = await userId(f.db, 'ppt@stafett.example');
  const id = await newMeasure(f, 'PP-rådgiver observerer Ida.', {
    responsible: 'actor',
    actor_id: String(eva),
  });
  const form = await f.agent.get(`/logs/${f.logId}/measures/${id}/misregistered`);
  const done = await f.agent.post(`/logs/${f.logId}/measures/${id}/misregistered`, {
    token: tokenIn(form.body),
    text: 'PP-rådgiver observerer Ida i matte og norsk.',
    responsible: 'actor',
    actor_id: String(eva),
    ...dateFields('start', f.today),
    ...dateFields('deadline', addDays(f.today, 10)),
  });
  t.equal(done.statusCode, 303);
  const tor = await userId(f.db, 'aktor@stafett.example');
  const otherId = await newMeasure(f, 'Ida velger en venn å sitte med.', { responsible: 'child' });
  const busy = await f.agent.get(`/logs/${f.logId}/measures/${otherId}/misregistered`);
  const refused = await f.agent.post(`/logs/${f.logId}/measures/${otherId}/misregistered`, {
    token: tokenIn(busy.body),
    text: 'Kontaktlæreren setter Ida ved en venn.',
    responsible: 'actor',
    actor_id: String(await userId(f.db, 'ppt@stafett.example')),
    ...dateFields('start', f.today),
    ...dateFields('deadline', addDays(f.today, 10)),
  });
  t.equal(refused.statusCode, 422, 'Eva already has an active measure in the concern');
  t.match(refused.body, nb('measure.error.actorBusy', { name: 'Eva Holm' }));
  t.equal(
    (await f.db('measures').where({ id: otherId }).first()).status,
    'planned',
    'the whole correction was rolled back',
  );
  t.equal((await f.db('evaluations').where({ measure_id: otherId })).length, 0);
  t.ok(tor, 'demo actor exists');
});

/** The text of the 409 page without markup, so a test can find what was typed wherever it is shown. */
function fieldValue(html: string, id: string): string | undefined {
  const m = new RegExp(`<textarea[^>]*id="${id}"[^>]*>([^<]*)</textarea>`).exec(html);
  return m?.[1];
}

t.test('two evaluations of one measure: the second sees both what was saved and what it typed', async (t) => {
  const f = await planFixture(t);
  const id = await newMeasure(f, 'Ida skriver dagbok hver kveld.');
  const other = new Agent(f.app);
  await signIn(other, HOLDER);
  const [mine, theirs] = await Promise.all([
    f.agent.get(`/logs/${f.logId}/measures/${id}/evaluate`),
    other.get(`/logs/${f.logId}/measures/${id}/evaluate`),
  ]);
  const winner = await other.post(`/logs/${f.logId}/measures/${id}/evaluate`, {
    ...evaluation,
    token: tokenIn(theirs.body),
    family_view: 'Mor sier dagboka hjalp.',
    comment: 'Fire kvelder av sju.',
  });
  t.equal(winner.statusCode, 303);
  const loser = await f.agent.post(`/logs/${f.logId}/measures/${id}/evaluate`, {
    ...evaluation,
    token: tokenIn(mine.body),
    family_effect: 'did_not_work',
    family_view: 'Ida sier dagboka var vanskelig.',
    comment: 'Bare to kvelder.',
  });
  t.equal(loser.statusCode, 409);
  t.match(loser.body, nb('plan.conflict.title'));
  t.match(loser.body, 'Mor sier dagboka hjalp.', 'what was saved');
  t.match(loser.body, 'Fire kvelder av sju.');
  t.equal(
    fieldValue(loser.body, 'evaluation-family-view'),
    'Ida sier dagboka var vanskelig.',
    'typed text in a field',
  );
  t.equal(fieldValue(loser.body, 'evaluation-comment'), 'Bare to kvelder.');
  t.match(
    loser.body,
    new RegExp(`${nb('plan.conflict.yours')}[\\s\\S]*${nb('evaluation.effect.did_not_work')}`),
  );
  const rows = await f.db('evaluations').where({ measure_id: id });
  t.equal(rows.length, 1, 'nothing overwritten');
  t.equal(rows[0].family_view, 'Mor sier dagboka hjalp.');
});

t.test('two evaluations at the same moment: one is saved, the other gets both texts back', async (t) => {
  const f = await planFixture(t);
  const id = await newMeasure(f, 'Ida leser høyt for mor.');
  const other = new Agent(f.app);
  await signIn(other, HOLDER);
  const [mine, theirs] = await Promise.all([
    f.agent.get(`/logs/${f.logId}/measures/${id}/evaluate`),
    other.get(`/logs/${f.logId}/measures/${id}/evaluate`),
  ]);
  const texts = ['Første vurdering fra skolen.', 'Andre vurdering fra helsesykepleier.'];
  const answers = await Promise.all(
    [f.agent, other].map((agent, i) =>
      agent.post(`/logs/${f.logId}/measures/${id}/evaluate`, {
        ...evaluation,
        token: tokenIn([mine, theirs][i]!.body),
        family_view: texts[i]!,
      }),
    ),
  );
  t.same(answers.map((a) => a.statusCode).sort(), [303, 409]);
  const lost = answers.findIndex((a) => a.statusCode === 409);
  const saved = await f.db('evaluations').where({ measure_id: id });
  t.equal(saved.length, 1);
  t.equal(saved[0].family_view, texts[1 - lost], 'the winner’s text is the saved one');
  t.match(answers[lost]!.body, texts[1 - lost]!, 'the loser sees what was saved');
  t.equal(fieldValue(answers[lost]!.body, 'evaluation-family-view'), texts[lost], 'and keeps their own');
});

t.test(
  'misregistered posted on a measure someone just evaluated: both are shown, the correction can be saved',
  async (t) => {
    const f = await planFixture(t);
    const id = await newMeasure(f, 'Ida går tur med mor.');
    const other = new Agent(f.app);
    await signIn(other, HOLDER);
    const form = await f.agent.get(`/logs/${f.logId}/measures/${id}/misregistered`);
    const theirs = await other.get(`/logs/${f.logId}/measures/${id}/evaluate`);
    const winner = await other.post(`/logs/${f.logId}/measures/${id}/evaluate`, {
      ...evaluation,
      token: tokenIn(theirs.body),
      family_view: 'Turene gikk fint.',
    });
    t.equal(winner.statusCode, 303);
    const loser = await f.agent.post(`/logs/${f.logId}/measures/${id}/misregistered`, {
      token: tokenIn(form.body),
      text: 'Ida går tur med far hver søndag.',
      responsible: 'guardians',
      ...dateFields('start', f.today),
      ...dateFields('deadline', addDays(f.today, 14)),
      steps: 'Kort tur\nLang tur',
      reason: 'Det var far, ikke mor.',
    });
    t.equal(loser.statusCode, 409);
    t.match(loser.body, nb('plan.conflict.title'));
    t.match(loser.body, 'Turene gikk fint.', 'the saved evaluation');
    t.match(loser.body, 'Ida går tur med mor.', 'the saved measure');
    t.equal(
      fieldValue(loser.body, 'measure-new-text'),
      'Ida går tur med far hver søndag.',
      'typed text in a field',
    );
    t.equal(fieldValue(loser.body, 'measure-new-steps'), 'Kort tur\nLang tur');
    t.match(loser.body, 'Det var far, ikke mor.', 'the reason too');
    t.equal((await f.db('evaluations').where({ measure_id: id })).length, 1, 'nothing overwritten');
    t.equal((await f.db('measures').where({ corrects_measure_id: id })).length, 0);

    // The form on the conflict page saves the correction as a new measure under the same goal.
    const action = /<form method="post" action="([^"]+)"/.exec(
      loser.body.split(nb('plan.conflict.title'))[1]!,
    )?.[1];
    const goal = await f.db('measures').where({ id }).first('goal_id');
    t.equal(action, `/logs/${f.logId}/goals/${goal.goal_id}/measures`);
    const resubmitted = await f.agent.post(action!, {
      token: tokenIn(loser.body),
      text: fieldValue(loser.body, 'measure-new-text')!,
      responsible: 'guardians',
      ...dateFields('start', f.today),
      ...dateFields('deadline', addDays(f.today, 14)),
      steps: 'Kort tur\nLang tur',
    });
    t.equal(resubmitted.statusCode, 303);
    t.ok(
      await f
        .db('measures')
        .where({ text: 'Ida går tur med far hver søndag.', goal_id: goal.goal_id })
        .first(),
    );
  },
);
