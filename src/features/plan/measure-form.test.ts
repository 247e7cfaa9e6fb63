/**
 * The measure form: text, one responsible party (the actor when the service is), start ≤ deadline, the
 * staircase and, when editing, the status; each problem on its field with the plan's words.
 */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import {
  MEASURE_TEXT_MAX,
  parseMeasure,
  STEP_MAX,
  STEPS_MAX,
  typedResponsible,
  type MeasureValues,
} from './measure-form.js';

const nb = translator('nb');
const p = 'measure-new-';
const create = (body: Record<string, unknown>) =>
  parseMeasure(body, nb, { prefix: p, mode: 'create', exampleYear: 2027 });
const edit = (body: Record<string, unknown>) =>
  parseMeasure(body, nb, { prefix: 'measure-5-', mode: 'edit', exampleYear: 2027 });
const dates = (start: [string, string, string], deadline: [string, string, string]) => ({
  start_day: start[0],
  start_month: start[1],
  start_year: start[2],
  deadline_day: deadline[0],
  deadline_month: deadline[1],
  deadline_year: deadline[2],
});
const good = {
  text: ' Leksehjelp to dager i uka ',
  responsible: 'actor',
  actor_id: '17',
  ...dates(['1', '3', '2027'], ['31', '3', '2027']),
  steps: 'Første steg\n\n  Andre steg  \n',
};

t.test('a whole measure: trimmed text, the actor, dates, steps without blank lines', async (t) => {
  const result = create(good);
  t.same(result.errors, []);
  t.same(result.input, {
    text: 'Leksehjelp to dager i uka',
    responsible: 'actor',
    responsibleUserId: 17,
    startDate: '2027-03-01',
    deadline: '2027-03-31',
    steps: ['Første steg', 'Andre steg'],
    status: 'planned',
  });
  t.equal(result.values.steps, good.steps, 'the staircase comes back as typed');
});

t.test('the guardians or the child responsible: no person is needed or kept', async (t) => {
  const result = create({ ...good, responsible: 'guardians' });
  t.equal(result.input?.responsible, 'guardians');
  t.equal(result.input?.responsibleUserId, null);
});

t.test('everything missing: each required field says so, in field order', async (t) => {
  const result = create({});
  t.equal(result.input, null);
  t.same(result.errors, [
    { text: nb('measure.error.textRequired'), href: `#${p}text` },
    { text: nb('measure.error.responsible'), href: `#${p}responsible` },
    { text: nb('measure.error.startRequired'), href: `#${p}start` },
    { text: nb('measure.error.deadlineRequired'), href: `#${p}deadline` },
  ]);
});

t.test('the actor: required when the service is responsible, and a real id', async (t) => {
  t.same(create({ ...good, actor_id: '' }).errors, [
    { text: nb('measure.error.actorRequired'), href: `#${p}actor` },
  ]);
  const garbled = create({ ...good, actor_id: '99999999999' });
  t.same(garbled.errors, [{ text: nb('measure.error.actorUnknown'), href: `#${p}actor` }]);
  t.equal(garbled.values.actorId, '99999999999', 'handed back as typed');
  t.same(create({ ...good, responsible: 'neighbour' }).errors, [
    { text: nb('measure.error.responsible'), href: `#${p}responsible` },
  ]);
});

t.test('dates: 31.02, incomplete, and a deadline before the start', async (t) => {
  const impossible = create({ ...good, ...dates(['31', '2', '2027'], ['1', '3', '']) });
  t.same(impossible.errors, [
    {
      text: nb('plan.error.dateInvalid', { field: nb('measure.field.start'), year: 2027 }),
      href: `#${p}start`,
    },
    {
      text: nb('plan.error.dateIncomplete', { field: nb('measure.field.deadline.what') }),
      href: `#${p}deadline`,
    },
  ]);
  t.same(impossible.values.start, { day: '31', month: '2', year: '2027' });
  t.same(create({ ...good, ...dates(['2', '3', '2027'], ['1', '3', '2027']) }).errors, [
    { text: nb('measure.error.deadlineBeforeStart'), href: `#${p}deadline` },
  ]);
  t.same(
    create({ ...good, ...dates(['1', '3', '2027'], ['1', '3', '2027']) }).errors,
    [],
    'same day is fine',
  );
});

t.test('text and staircase limits, exactly and one over', async (t) => {
  t.same(create({ ...good, text: 'x'.repeat(MEASURE_TEXT_MAX) }).errors, []);
  t.same(create({ ...good, text: 'x'.repeat(MEASURE_TEXT_MAX + 1) }).errors, [
    {
      text: nb('plan.error.tooLong', { field: nb('measure.field.text'), max: MEASURE_TEXT_MAX }),
      href: `#${p}text`,
    },
  ]);
  const steps = (n: number, length = 5) => Array.from({ length: n }, () => 'x'.repeat(length)).join('\n');
  t.same(create({ ...good, steps: steps(STEPS_MAX, STEP_MAX) }).errors, []);
  t.same(create({ ...good, steps: steps(STEPS_MAX + 1) }).errors, [
    { text: nb('measure.error.tooManySteps', { max: STEPS_MAX }), href: `#${p}steps` },
  ]);
  t.same(create({ ...good, steps: steps(1, STEP_MAX + 1) }).errors, [
    { text: nb('measure.error.stepTooLong', { max: STEP_MAX }), href: `#${p}steps` },
  ]);
  t.same(create({ ...good, steps: 'ett\u0007' }).errors, [
    { text: nb('plan.error.control', { field: nb('measure.label.steps') }), href: `#${p}steps` },
  ]);
});

t.test('editing: planned or ongoing only', async (t) => {
  t.equal(edit({ ...good, status: 'ongoing' }).input?.status, 'ongoing');
  t.same(edit({ ...good, status: 'evaluated' }).errors, [
    { text: nb('measure.error.status'), href: '#measure-5-status' },
  ]);
});

t.test('who is responsible as typed, for the busy-actor check while other fields are wrong', async (t) => {
  const values = create({ ...good, text: '' }).values as MeasureValues;
  t.same(typedResponsible(values), { responsible: 'actor', responsibleUserId: 17 });
  t.same(typedResponsible({ ...values, responsible: 'child' }), {
    responsible: 'child',
    responsibleUserId: null,
  });
});
