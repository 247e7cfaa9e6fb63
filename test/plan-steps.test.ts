/**
 * The staircase (tiltakstrapp): the measure's actor, the holder and the family mark a step done with the
 * day and undo it; others get 404; an evaluated measure keeps its staircase; editing the steps keeps the
 * done ones with their dates and replaces only the steps still to take.
 */
import t from 'tap';
import { Agent, signIn } from './helpers/app.js';
import {
  addDays,
  dateFields,
  planFixture,
  tokenIn,
  userId,
  versionIn,
  type PlanFixture,
} from './plan-fixture.js';
import { osloDate } from '../src/lib/dates.js';

async function goalOf(f: PlanFixture) {
  return f.db('goals').where({ concern_id: f.concernIds[1] }).orderBy('id').first();
}

function measureForm(f: PlanFixture, overrides: Record<string, string> = {}) {
  return {
    text: 'Mor trapper ned følget til skolen.',
    responsible: 'guardians',
    actor_id: '',
    ...dateFields('start', f.today),
    ...dateFields('deadline', addDays(f.today, 21)),
    steps: 'Mor følger til porten\nMor følger halvveis\nIda går alene',
    ...overrides,
  };
}

/** A new measure with three steps, made through the form; its id. */
async function staircase(f: PlanFixture): Promise<number> {
  const goal = await goalOf(f);
  const form = await f.agent.get(`/logs/${f.logId}/goals/${goal.id}/measures/new`);
  const created = await f.agent.post(`/logs/${f.logId}/goals/${goal.id}/measures`, {
    token: tokenIn(form.body),
    ...measureForm(f),
  });
  t.equal(created.statusCode, 303);
  return Number(String(created.headers.location).split('#measure-')[1]);
}

const stepsOf = (f: PlanFixture, id: number) =>
  f
    .db('measure_steps')
    .where({ measure_id: id })
    .orderBy([{ column: 'position' }, { column: 'id' }]);

t.test(
  'the holder marks a step done with the day, the log shows "trinn 2 av 3", and undoes it',
  async (t) => {
    const f = await planFixture(t);
    const id = await staircase(f);
    const [first] = await stepsOf(f, id);
    let page = await f.agent.get(`/logs/${f.logId}`);
    t.match(page.body, new RegExp(`id="measure-${id}-progress">Trinn 1 av 3<`));
    const done = await f.agent.post(`/logs/${f.logId}/measures/${id}/steps/${first.id}/done`, {
      returnTo: `/logs/${f.logId}#measure-${id}`,
    });
    t.equal(done.statusCode, 303);
    t.equal(done.headers.location, `/logs/${f.logId}?saved=step#measure-${id}`);
    const [marked] = await stepsOf(f, id);
    t.equal(marked.done, true);
    t.equal(marked.done_on, osloDate(f.clock.now()), 'the day (Oslo) it was marked');
    t.equal(marked.done_by, await userId(f.db, 'stafettholder@stafett.example'));
    page = await f.agent.get(`/logs/${f.logId}?saved=step`);
    t.match(page.body, new RegExp(`id="measure-${id}-progress">Trinn 2 av 3<`));
    t.match(page.body, /Trinnet er merket som gjort\./, 'the confirmation');
    t.match(page.body, /aria-current="step">\s*Mor følger halvveis/, 'the next step is the current one');
    t.equal(
      (await f.db('audit_events').where({ action: 'measure.step.done', object_id: id })).length,
      1,
      'audited',
    );
    const undo = await f.agent.post(`/logs/${f.logId}/measures/${id}/steps/${first.id}/undo`, {});
    t.equal(undo.statusCode, 303);
    t.equal(
      undo.headers.location,
      `/logs/${f.logId}?saved=unstep#measure-${id}`,
      'back to the log by default',
    );
    const [undone] = await stepsOf(f, id);
    t.same([undone.done, undone.done_on, undone.done_by], [false, null, null]);
  },
);

t.test('the family and the responsible actor may mark steps; other staff get 404', async (t) => {
  const f = await planFixture(t);
  // The actor's measure in Ida's log (Tor Hansen), with a staircase of two steps.
  const actorMeasure = await f
    .db('measures as m')
    .join('users as u', 'u.id', 'm.responsible_user_id')
    .where({ 'm.log_id': f.logId, 'u.email': 'aktor@stafett.example' })
    .first('m.id');
  const [one, two] = await f
    .db('measure_steps')
    .insert([
      { measure_id: actorMeasure.id, position: 0, text: 'Tor ringer mor mandag' },
      { measure_id: actorMeasure.id, position: 1, text: 'Tor ringer mor mandag og torsdag' },
    ])
    .returning('id');
  const as = async (email: string) => {
    const agent = new Agent(f.app);
    await signIn(agent, email);
    return agent;
  };
  const url = (step: { id: number }, what: string) =>
    `/logs/${f.logId}/measures/${actorMeasure.id}/steps/${step.id}/${what}`;
  t.equal(
    (await (await as('aktor@stafett.example')).post(url(one!, 'done'), {})).statusCode,
    303,
    'the actor',
  );
  t.equal(
    (await (await as('foresatt@stafett.example')).post(url(two!, 'done'), {})).statusCode,
    303,
    'a guardian',
  );
  t.equal(
    (await (await as('leder@stafett.example')).post(url(two!, 'undo'), {})).statusCode,
    404,
    'the leader reads only',
  );
  t.same(
    (await stepsOf(f, actorMeasure.id)).map((s) => s.done),
    [true, true],
  );
  // A step of another measure is not found through this one.
  const other = await staircase(f);
  const [foreign] = await stepsOf(f, other);
  t.equal((await f.agent.post(url(foreign, 'done'), {})).statusCode, 404);
  t.equal(
    (await f.agent.post(`/logs/${f.logId}/measures/${actorMeasure.id}/steps/x/done`, {})).statusCode,
    404,
  );
  // An address from outside is not followed.
  const away = await f.agent.post(url(one!, 'undo'), { returnTo: 'https://example.com/' });
  t.equal(
    away.headers.location,
    `/logs/${f.logId}?saved=unstep#measure-${actorMeasure.id}`,
    'back to the log',
  );
});

t.test('an evaluated measure keeps its staircase as it was', async (t) => {
  const f = await planFixture(t);
  const id = await staircase(f);
  const [first] = await stepsOf(f, id);
  await f.db('measures').where({ id }).update({ status: 'evaluated' });
  const refused = await f.agent.post(`/logs/${f.logId}/measures/${id}/steps/${first.id}/done`, {});
  t.equal(refused.statusCode, 409);
  t.match(refused.body, /Tiltaket er evaluert/);
  t.equal((await stepsOf(f, id))[0].done, false);
  const page = await f.agent.get(`/logs/${f.logId}`);
  t.notMatch(page.body, new RegExp(`/measures/${id}/steps/`), 'no buttons on an evaluated measure');
});

t.test('editing the steps keeps the done ones with their days, and replaces the rest', async (t) => {
  const f = await planFixture(t);
  const id = await staircase(f);
  const [first, second] = await stepsOf(f, id);
  await f.agent.post(`/logs/${f.logId}/measures/${id}/steps/${first.id}/done`, {});
  await f.agent.post(`/logs/${f.logId}/measures/${id}/steps/${second.id}/done`, {});
  const edit = await f.agent.get(`/logs/${f.logId}/measures/${id}/edit`);
  t.match(edit.body, /Trinn som er gjort \(de beholdes\)/);
  t.match(edit.body, />Ida går alene<\/textarea>/, 'the form holds only the steps still to take');
  const saved = await f.agent.post(`/logs/${f.logId}/measures/${id}`, {
    ...measureForm(f, { steps: 'Ida går alene til porten\nIda går alene hele veien' }),
    status: 'ongoing',
    version: versionIn(edit.body),
  });
  t.equal(saved.statusCode, 303);
  const after = await stepsOf(f, id);
  t.same(
    after.map((s) => [s.text, s.done]),
    [
      ['Mor følger til porten', true],
      ['Mor følger halvveis', true],
      ['Ida går alene til porten', false],
      ['Ida går alene hele veien', false],
    ],
  );
  t.same(
    after.slice(0, 2).map((s) => [s.id, s.done_on]),
    [
      [first.id, osloDate(f.clock.now())],
      [second.id, osloDate(f.clock.now())],
    ],
    'the same rows, with their days',
  );
  const page = await f.agent.get(`/logs/${f.logId}`);
  t.match(page.body, new RegExp(`id="measure-${id}-progress">Trinn 3 av 4<`));
});
