/** The evaluation form (rule 7) and the reason of a misregistered measure. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { EVALUATION_TEXT_MAX, parseEvaluation, parseReason } from './evaluation-form.js';

const nb = translator('nb');
const good = {
  happened: 'partly',
  effect: 'worked',
  family_effect: 'did_not_work',
  family_view: '  Det hjalp lite ',
  comment: '',
  next_step: 'change',
  token: 't',
};

t.test('a whole evaluation: the answers and the trimmed words', async (t) => {
  const result = parseEvaluation(good, nb);
  t.same(result.errors, []);
  t.same(result.input, {
    happened: 'partly',
    effect: 'worked',
    family_effect: 'did_not_work',
    family_view: 'Det hjalp lite',
    comment: '',
    next_step: 'change',
  });
  t.equal(result.values.familyView, '  Det hjalp lite ', 'handed back as typed');
});

t.test('no radios chosen: each required question says so, in field order', async (t) => {
  const result = parseEvaluation({}, nb);
  t.equal(result.input, null);
  t.same(result.errors, [
    { text: nb('evaluation.error.happened'), href: '#evaluation-happened' },
    { text: nb('evaluation.error.effect'), href: '#evaluation-effect' },
    { text: nb('evaluation.error.familyEffect'), href: '#evaluation-family-effect' },
    { text: nb('evaluation.error.nextStep'), href: '#evaluation-next-step' },
  ]);
});

t.test('answers not on the form, too long and control characters', async (t) => {
  const result = parseEvaluation(
    {
      ...good,
      happened: 'maybe',
      family_view: 'x'.repeat(EVALUATION_TEXT_MAX + 1),
      comment: 'a\u001bb',
    },
    nb,
  );
  t.same(result.errors, [
    { text: nb('evaluation.error.happened'), href: '#evaluation-happened' },
    {
      text: nb('plan.error.tooLong', {
        field: nb('evaluation.field.familyView.name'),
        max: EVALUATION_TEXT_MAX,
      }),
      href: '#evaluation-family-view',
    },
    {
      text: nb('plan.error.control', { field: nb('evaluation.field.comment.name') }),
      href: '#evaluation-comment',
    },
  ]);
  t.equal(result.values.happened, 'maybe');
  t.same(parseEvaluation({ ...good, comment: 'x'.repeat(EVALUATION_TEXT_MAX) }, nb).errors, []);
});

t.test('the reason of a misregistration: optional, trimmed, limited', async (t) => {
  t.same(parseReason({}, nb, 'r'), { values: { reason: '' }, errors: [], input: { reason: '' } });
  t.same(parseReason({ reason: ' Feil aktør ' }, nb, 'r').input, { reason: 'Feil aktør' });
  const long = parseReason({ reason: 'x'.repeat(EVALUATION_TEXT_MAX + 1) }, nb, 'measure-3-fix-reason');
  t.equal(long.input, null);
  t.same(long.errors, [
    {
      text: nb('plan.error.tooLong', {
        field: nb('evaluation.field.comment.name'),
        max: EVALUATION_TEXT_MAX,
      }),
      href: '#measure-3-fix-reason',
    },
  ]);
});
