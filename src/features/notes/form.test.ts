/** Note forms: the text of a private or log note, and a log note's concern. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { NOTE_MAX, parseNote } from './form.js';

const nb = translator('nb');

t.test('a private note: trimmed text, no concern', async (t) => {
  t.same(parseNote({ text: ' Ring Kari ', version: '2', formToken: 'tok' }, nb), {
    values: { text: 'Ring Kari', concernId: '', version: '2', formToken: 'tok' },
    errors: [],
    input: { text: 'Ring Kari', concernId: null },
  });
});

t.test('a log note: the concern is required and must be one offered', async (t) => {
  const concernIds = [5, 6];
  t.same(parseNote({ text: 'Notat', concernId: '6' }, nb, { concernIds }).input, {
    text: 'Notat',
    concernId: 6,
  });
  t.same(parseNote({ text: 'Notat' }, nb, { concernIds }).errors, [
    { text: nb('note.err.concern.required'), href: '#note-concernId' },
  ]);
  t.same(parseNote({ text: 'Notat', concernId: '7' }, nb, { concernIds }).errors, [
    { text: nb('note.err.concern'), href: '#note-concernId' },
  ]);
});

t.test('empty, too long (with the count) and control characters, in field order', async (t) => {
  t.same(parseNote({ text: '' }, nb, { concernIds: [5] }).errors, [
    { text: nb('note.err.concern.required'), href: '#note-concernId' },
    { text: nb('note.err.required'), href: '#note-text' },
  ]);
  t.same(parseNote({ text: 'x'.repeat(NOTE_MAX) }, nb).errors, [], 'exactly the limit');
  const long = parseNote({ text: 'x'.repeat(NOTE_MAX + 1) }, nb);
  t.same(long.errors, [
    { text: nb('note.err.tooLong', { max: NOTE_MAX, count: NOTE_MAX + 1 }), href: '#note-text' },
  ]);
  t.equal(long.input, null);
  t.same(parseNote({ text: 'a\u007f' }, nb).errors, [{ text: nb('note.err.control'), href: '#note-text' }]);
});
