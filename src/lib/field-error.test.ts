/** fieldError: the message next to a field is the one whose summary link points at it. */
import t from 'tap';
import { fieldError } from './field-error.js';

const errors = [
  { text: 'Skriv målet', href: '#goal-3-text' },
  { text: 'Velg hvem som eier målet', href: '#goal-3-owner' },
];

t.test('finds the error linked to the field, with or without #', async (t) => {
  t.equal(fieldError(errors, 'goal-3-owner'), 'Velg hvem som eier målet');
  t.equal(fieldError(errors, '#goal-3-text'), 'Skriv målet');
});

t.test('no error for another field, a field whose id only starts the same, or no list', async (t) => {
  t.equal(fieldError(errors, 'goal-3-arena'), undefined);
  t.equal(fieldError(errors, 'goal-3'), undefined);
  t.equal(fieldError(undefined, 'goal-3-text'), undefined);
  t.equal(fieldError([], 'goal-3-text'), undefined);
});
