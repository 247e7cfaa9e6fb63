/** The glimmer form: a short text, optionally tied to one of the concerns the person sees. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { GLIMMER_MAX, parseGlimmer } from './form.js';

const nb = translator('nb');

t.test('a glimmer, with or without a concern', async (t) => {
  t.same(parseGlimmer({ text: ' Ida lo i dag ', formToken: 'tok' }, nb, [3]), {
    values: { text: 'Ida lo i dag', concernId: '', formToken: 'tok' },
    errors: [],
    input: { text: 'Ida lo i dag', concernId: null },
  });
  t.same(parseGlimmer({ text: 'Fint', concernId: '3' }, nb, [3]).input, { text: 'Fint', concernId: 3 });
});

t.test('empty, too long (with the count), control characters; the prefix names the fields', async (t) => {
  t.same(parseGlimmer({ text: '  ' }, nb, []).errors, [
    { text: nb('glimmer.err.required'), href: '#glimmer-text' },
  ]);
  t.same(parseGlimmer({ text: 'x'.repeat(GLIMMER_MAX) }, nb, []).errors, [], 'exactly the limit');
  const long = parseGlimmer({ text: 'x'.repeat(GLIMMER_MAX + 1) }, nb, [], 'glimmer-5');
  t.same(long.errors, [
    {
      text: nb('glimmer.err.tooLong', { max: GLIMMER_MAX, count: GLIMMER_MAX + 1 }),
      href: '#glimmer-5-text',
    },
  ]);
  t.equal(long.values.text.length, GLIMMER_MAX + 1, 'handed back whole');
  t.same(parseGlimmer({ text: 'a\u0000' }, nb, []).errors, [
    { text: nb('glimmer.err.control'), href: '#glimmer-text' },
  ]);
});

t.test('a concern the person does not see, or garbled', async (t) => {
  for (const concernId of ['4', 'x', '99999999999', '-3'])
    t.same(parseGlimmer({ text: 'Fint', concernId }, nb, [3]).errors, [
      { text: nb('glimmer.err.concern'), href: '#glimmer-concernId' },
    ]);
});
