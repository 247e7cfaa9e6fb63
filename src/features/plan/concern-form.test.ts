/** The concern form: a sentence, a category from the list, the factors, and why it was solved or closed. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { parseConcern } from './concern-form.js';

const nb = translator('nb');
const create = (body: Record<string, unknown>) => parseConcern(body, nb, [3, 4], false);
const edit = (body: Record<string, unknown>) => parseConcern(body, nb, [3, 4], true);

t.test('a new concern: trimmed texts, a category, always active', async (t) => {
  const result = create({
    title: ' Ida er mye borte fra skolen ',
    categoryId: '4',
    successIndicator: 'Ida er på skolen',
    mfCoping: ' Redd for prøver ',
    status: 'closed',
    formToken: 'tok',
  });
  t.same(result.errors, []);
  t.same(result.input, {
    title: 'Ida er mye borte fra skolen',
    category_id: 4,
    success_indicator: 'Ida er på skolen',
    mf_world_view: '',
    mf_coping: 'Redd for prøver',
    mf_preconditions: '',
    mf_service: '',
    mf_home: '',
    status: 'active',
    closing_reason: null,
  });
  t.equal(result.values.formToken, 'tok');
  t.equal(create({ title: 'Ida' }).input?.category_id, null, 'no category is allowed');
});

t.test('missing sentence, unknown category, too long and control characters, values back', async (t) => {
  const result = create({
    title: '',
    categoryId: '99',
    successIndicator: 'x'.repeat(1001),
    mfHome: 'Hjemme\u0007',
  });
  t.equal(result.input, null);
  t.same(result.errors, [
    { text: nb('err.concernTitle'), href: '#title' },
    { text: nb('err.category'), href: '#categoryId' },
    {
      text: nb('err.tooLong', { field: nb('concern.successIndicator'), max: 1000 }),
      href: '#successIndicator',
    },
    { text: nb('err.control', { field: nb('concern.mfHome') }), href: '#mfHome' },
  ]);
  t.equal(result.values.categoryId, '99');
  t.same(create({ title: 'x'.repeat(500) }).errors, [], 'exactly the limit');
  t.same(create({ title: 'x'.repeat(501) }).errors, [
    { text: nb('err.tooLong', { field: nb('concern.label'), max: 500 }), href: '#title' },
  ]);
});

t.test('editing: a status from the list; solved or closed needs a reason', async (t) => {
  t.same(edit({ title: 'Ida', status: '' }).errors, [{ text: nb('err.concernStatus'), href: '#status' }]);
  t.same(edit({ title: 'Ida', status: 'forgotten' }).errors, [
    { text: nb('err.concernStatus'), href: '#status' },
  ]);
  t.same(edit({ title: 'Ida', status: 'solved' }).errors, [
    { text: nb('err.closingReason'), href: '#closingReason' },
  ]);
  const solved = edit({ title: 'Ida', status: 'solved', closingReason: ' Går på skolen igjen ' });
  t.equal(solved.input?.status, 'solved');
  t.equal(solved.input?.closing_reason, 'Går på skolen igjen');
  t.equal(edit({ title: 'Ida', status: 'active', closingReason: 'x' }).input?.closing_reason, null);
});
