/** The form-field library: reading a body, the field checks, the one result shape, form tokens. */
import t from 'tap';
import {
  asBody,
  checkChoice,
  checkDate,
  checkText,
  dateParts,
  Errors,
  formResult,
  idValue,
  inFieldOrder,
  isFormToken,
  newFormToken,
  postedToken,
  str,
  strings,
  version,
} from './form.js';

const say = (problem: string, max?: number) => (max === undefined ? problem : `${problem} ${max}`);

t.test('reading a body: first of repeated values, line endings normalised, absent is empty', async (t) => {
  const body = asBody({ a: ['x\r\ny', 'z'], n: 5, list: ['1', 2, '3'], one: 'q' });
  t.equal(str(body, 'a'), 'x\ny');
  t.equal(str(body, 'n'), '', 'a number is not a posted string');
  t.equal(str(body, 'missing'), '');
  t.same(strings(body, 'list'), ['1', '3']);
  t.same(strings(body, 'one'), ['q']);
  t.same(strings(body, 'missing'), []);
  t.same(asBody(null), {});
  t.same(asBody('text'), {});
});

t.test('dates are read as typed from three boxes, hyphen or underscore names', async (t) => {
  t.same(dateParts({ 'd-day': ' 1', 'd-month': '2', 'd-year': '2026 ' }, 'd'), {
    day: ' 1',
    month: '2',
    year: '2026 ',
  });
  t.same(dateParts({ d_day: '1', d_month: '2', d_year: '2026' }, 'd', '_'), {
    day: '1',
    month: '2',
    year: '2026',
  });
});

t.test('text: required, the length limit exactly, control characters; one error per field', async (t) => {
  const errors = new Errors();
  t.equal(checkText(errors, 'a', '', { max: 3, required: true, message: say }), false);
  t.equal(checkText(errors, 'b', '', { max: 3, message: say }), true, 'optional and empty is fine');
  t.equal(checkText(errors, 'c', 'abc', { max: 3, message: say }), true, 'exactly the limit is fine');
  t.equal(checkText(errors, 'd', 'abcd', { max: 3, message: say }), false);
  t.equal(checkText(errors, 'e', 'a\u0007', { max: 3, message: say }), false);
  t.equal(checkText(errors, 'f', 'a\u0085', { max: 3, message: say }), false, 'C1 controls too');
  t.equal(checkText(errors, 'g', 'a\tb\n', { max: 9, message: say }), true, 'tab and newline are text');
  t.equal(checkText(errors, 'a', 'abcdef', { max: 3, message: say }), false);
  t.same(errors.list, [
    { text: 'required 3', href: '#a' },
    { text: 'tooLong 3', href: '#d' },
    { text: 'control 3', href: '#e' },
    { text: 'control 3', href: '#f' },
  ]);
});

t.test('choices: nothing chosen is wrong only when required; an unknown value always', async (t) => {
  const errors = new Errors();
  const allowed = ['yes', 'no'] as const;
  t.equal(checkChoice(errors, 'a', 'yes', allowed, { required: true, message: say }), 'yes');
  t.equal(checkChoice(errors, 'b', '', allowed, { message: say }), null);
  t.equal(checkChoice(errors, 'c', '', allowed, { required: true, message: say }), null);
  t.equal(checkChoice(errors, 'd', 'maybe', allowed, { message: say }), null);
  t.equal(checkChoice(errors, 'e', 'YES', allowed, { required: true, message: say }), null);
  t.same(errors.list, [
    { text: 'required', href: '#c' },
    { text: 'unknown', href: '#d' },
    { text: 'unknown', href: '#e' },
  ]);
});

t.test('dates: missing, incomplete, impossible (31.02), out of range, and good ones', async (t) => {
  const errors = new Errors();
  const parts = (day: string, month: string, year: string) => ({ day, month, year });
  t.equal(checkDate(errors, 'a-day', parts('', '', ''), { message: say }), null, 'optional and empty');
  t.equal(checkDate(errors, 'b-day', parts('', '', ''), { required: true, message: say }), null);
  t.equal(checkDate(errors, 'c-day', parts('1', '', '2026'), { message: say }), null);
  t.equal(checkDate(errors, 'd-day', parts('31', '2', '2026'), { message: say }), null);
  t.equal(checkDate(errors, 'e-day', parts('29', '2', '2024'), { message: say }), '2024-02-29', 'leap day');
  t.equal(checkDate(errors, 'f-day', parts(' 1 ', '3', '2026'), { message: say }), '2026-03-01');
  t.equal(checkDate(errors, 'g-day', parts('1', '3', '1999'), { years: [2000, 2100], message: say }), null);
  t.equal(checkDate(errors, 'h-day', parts('1', '3', '26'), { message: say }), null, 'two-digit year');
  t.same(errors.list, [
    { text: 'missing', href: '#b-day' },
    { text: 'incomplete', href: '#c-day' },
    { text: 'invalid', href: '#d-day' },
    { text: 'invalid', href: '#g-day' },
    { text: 'invalid', href: '#h-day' },
  ]);
});

t.test('the result: input only when there are no errors, asked for only then', async (t) => {
  const fine = formResult({ a: ' x ' }, new Errors(), () => ({ a: 'x' }));
  t.same(fine, { values: { a: ' x ' }, errors: [], input: { a: 'x' } });
  const errors = new Errors();
  errors.add('a', 'wrong');
  errors.add('a', 'second error on the same field is dropped');
  const wrong = formResult({ a: '' }, errors, () => {
    throw new Error('not asked for');
  });
  t.same(wrong, { values: { a: '' }, errors: [{ text: 'wrong', href: '#a' }], input: null });
});

t.test('errors in the order of the fields', async (t) => {
  const list = [
    { text: 'c', href: '#c' },
    { text: 'x', href: '#x' },
    { text: 'a', href: '#a' },
  ];
  t.same(
    inFieldOrder(list, ['a', 'b', 'c']).map((e) => e.text),
    ['a', 'c', 'x'],
  );
});

t.test('ids and versions: positive integers that fit a database column', async (t) => {
  t.equal(idValue('12'), 12);
  t.equal(idValue('2147483647'), 2147483647);
  t.equal(idValue('2147483648'), null);
  t.equal(idValue('0'), null);
  t.equal(idValue('-1'), null);
  t.equal(idValue('1e3'), null);
  t.equal(idValue(12), null);
  t.equal(version({ version: '7' }), 7);
  t.equal(version({ version: '99999999999' }), 0, 'garbled: a version no row has');
  t.equal(version({}), 0);
});

t.test('form tokens: a posted uuid is used, anything else gets a fresh one', async (t) => {
  const token = newFormToken();
  t.ok(isFormToken(token));
  t.equal(postedToken({ formToken: token.toUpperCase() }), token, 'case does not matter');
  t.equal(postedToken({ token }, 'token'), token, 'a form may name the field');
  const fresh = postedToken({ formToken: "x' or 1=1" });
  t.ok(isFormToken(fresh));
  t.not(fresh, postedToken({}), 'each missing token is a new one');
});
