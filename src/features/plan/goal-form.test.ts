/** The goal form: a goal as typed becomes what is saved; each problem on its own field, worded by the plan. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { GOAL_TEXT_MAX, parseGoal } from './goal-form.js';

const nb = translator('nb');
const create = (body: Record<string, unknown>) =>
  parseGoal(body, nb, { prefix: 'goal-new-', mode: 'create', exampleYear: 2027 });
const edit = (body: Record<string, unknown>) =>
  parseGoal(body, nb, { prefix: 'goal-12-', mode: 'edit', exampleYear: 2027 });
const date = (day: string, month: string, year: string) => ({
  target_date_day: day,
  target_date_month: month,
  target_date_year: year,
});

t.test('a whole goal: trimmed text, choices, date, version and the goal it replaces', async (t) => {
  const result = create({
    text: '  Ida er på skolen alle dager ',
    owner: 'child',
    owner_words: ' Jeg vil være der ',
    arena: 'school',
    ...date('31', '1', '2027'),
    version: '3',
    token: 'abc',
    replaces: '41',
  });
  t.same(result.errors, []);
  t.same(result.input, {
    fields: {
      text: 'Ida er på skolen alle dager',
      owner: 'child',
      owner_words: 'Jeg vil være der',
      arena: 'school',
      target_date: '2027-01-31',
      status: 'active',
    },
    version: 3,
    replaces: 41,
  });
  t.equal(result.values.text, '  Ida er på skolen alle dager ', 'the text comes back exactly as typed');
});

t.test('only the text is required; owner, arena and date may be left out', async (t) => {
  const result = create({ text: 'Mål' });
  t.same(result.input?.fields, {
    text: 'Mål',
    owner: null,
    owner_words: '',
    arena: null,
    target_date: null,
    status: 'active',
  });
  t.equal(result.input?.replaces, null);
  t.equal(result.input?.version, 0, 'no version posted: one no row has');
});

t.test('each problem next to its field, in field order, values back as typed', async (t) => {
  const body = {
    text: '   ',
    owner: 'neighbour',
    owner_words: 'x'.repeat(GOAL_TEXT_MAX + 1),
    arena: 'moon',
    ...date('31', '2', '2027'),
  };
  const result = create(body);
  t.equal(result.input, null);
  t.same(result.errors, [
    { text: nb('goal.error.textRequired'), href: '#goal-new-text' },
    { text: nb('plan.error.unknownChoice'), href: '#goal-new-owner' },
    {
      text: nb('plan.error.tooLong', { field: nb('goal.field.ownerWords'), max: GOAL_TEXT_MAX }),
      href: '#goal-new-owner-words',
    },
    { text: nb('plan.error.unknownChoice'), href: '#goal-new-arena' },
    {
      text: nb('plan.error.dateInvalid', { field: nb('goal.field.targetDate.what'), year: 2027 }),
      href: '#goal-new-target-date',
    },
  ]);
  t.same(result.values.targetDate, { day: '31', month: '2', year: '2027' }, '31.02 comes back as typed');
  t.equal(result.values.ownerWords, body.owner_words);
});

t.test('the length limit exactly, control characters, an incomplete date', async (t) => {
  t.same(create({ text: 'x'.repeat(GOAL_TEXT_MAX) }).errors, [], 'exactly the limit');
  const result = create({ text: 'Mål\u0000', ...date('1', '', '2027') });
  t.same(result.errors, [
    { text: nb('plan.error.control', { field: nb('goal.field.text') }), href: '#goal-new-text' },
    {
      text: nb('plan.error.dateIncomplete', { field: nb('goal.field.targetDate.what') }),
      href: '#goal-new-target-date',
    },
  ]);
});

t.test('editing: the status is required and one of the list; on create it is active', async (t) => {
  t.same(edit({ text: 'Mål' }).errors, [{ text: nb('goal.error.status'), href: '#goal-12-status' }]);
  t.same(edit({ text: 'Mål', status: 'lost' }).errors, [
    { text: nb('goal.error.status'), href: '#goal-12-status' },
  ]);
  t.equal(edit({ text: 'Mål', status: 'achieved' }).input?.fields.status, 'achieved');
  t.equal(create({ text: 'Mål', status: 'achieved' }).input?.fields.status, 'active', 'not read on create');
});
