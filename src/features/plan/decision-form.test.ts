/** The goal decision form: both radios are required, and only the listed answers count. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { parseDecision } from './decision-form.js';

const nb = translator('nb');

t.test('reached, and what next', async (t) => {
  const result = parseDecision({ achieved: 'yes', next: 'new_goal', version: '4' }, nb);
  t.same(result.errors, []);
  t.same(result.input, { achieved: true, next: 'new_goal', version: 4 });
  t.same(parseDecision({ achieved: 'no', next: 'end' }, nb).input, {
    achieved: false,
    next: 'end',
    version: 0,
  });
});

t.test('nothing chosen: both errors, in field order, values back', async (t) => {
  const result = parseDecision({ version: '4' }, nb);
  t.equal(result.input, null);
  t.same(result.errors, [
    { text: nb('goal.decision.errorAchieved'), href: '#decision-achieved' },
    { text: nb('goal.decision.errorNext'), href: '#decision-next' },
  ]);
  t.same(result.values, { achieved: '', next: '', version: 4 });
});

t.test('an answer that is not on the form is refused with the same words', async (t) => {
  const result = parseDecision({ achieved: 'perhaps', next: 'drop table' }, nb);
  t.same(
    result.errors.map((e) => e.text),
    [nb('goal.decision.errorAchieved'), nb('goal.decision.errorNext')],
  );
  t.same(result.values, { achieved: 'perhaps', next: 'drop table', version: 0 });
});
