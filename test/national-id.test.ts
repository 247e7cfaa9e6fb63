/** Norwegian national identity numbers: check digits, length, digits only, and a real date. */
import t from 'tap';
import {
  isValidNationalId,
  maskNationalId,
  nationalIdProblem,
  normalizeNationalId,
  withCheckDigits,
} from '../src/lib/national-id.js';

/** A valid number for a DDMMYY prefix: the first individual number that has check digits. */
function validFor(prefix: string, start = 100): string {
  for (let individual = start; individual < 1000; individual++) {
    const id = withCheckDigits(`${prefix}${String(individual).padStart(3, '0')}`);
    if (id) return id;
  }
  throw new Error(`no valid number for ${prefix}`);
}

/** The same number with one digit changed (position 0-based), cycling 0-9. */
function changeDigit(id: string, position: number): string {
  const digit = (Number(id[position]) + 1) % 10;
  return `${id.slice(0, position)}${digit}${id.slice(position + 1)}`;
}

t.test('numbers with correct check digits are valid', async (t) => {
  const generated = [
    validFor('010190'), // 1 January 1990
    validFor('311299'), // 31 December 1999
    validFor('290204'), // 29 February 2004 (leap year)
    validFor('150516', 500), // born 2016
    validFor('418190'), // D-number: day + 40
    validFor('018990'), // synthetic (Tenor): month + 80
    validFor('015290'), // H-number: month + 40
  ];
  for (const id of generated) t.equal(nationalIdProblem(id), null, `${id} is valid`);
  // Published examples of synthetic/test numbers with correct check digits.
  for (const id of ['01010750160', '15076500565']) {
    t.ok(isValidNationalId(id), `${id} is valid`);
  }
  t.ok(isValidNationalId('010107 501 60'), 'spaces typed as separators are ignored');
  t.equal(normalizeNationalId(' 010107.50160 '), '01010750160');
});

t.test('a wrong check digit is refused, whichever of the two it is', async (t) => {
  const id = validFor('010190');
  t.equal(nationalIdProblem(changeDigit(id, 9)), 'checksum', 'first check digit (k1) wrong');
  t.equal(nationalIdProblem(changeDigit(id, 10)), 'checksum', 'second check digit (k2) wrong');
  t.equal(
    nationalIdProblem(changeDigit(id, 6)),
    'checksum',
    'a changed individual number breaks the check digits',
  );
  t.notOk(isValidNationalId('01010750161'));
});

t.test('digit combinations with no valid check digit get none', async (t) => {
  // Some nine-digit prefixes give a remainder that would need "10" as check digit.
  let without = 0;
  let wrong = 0;
  for (let individual = 0; individual < 1000; individual++) {
    const nine = `010190${String(individual).padStart(3, '0')}`;
    const id = withCheckDigits(nine);
    if (id === null) without++;
    else if (id.slice(0, 9) !== nine || !isValidNationalId(id)) wrong++;
  }
  t.ok(without > 0, 'some individual numbers have no valid check digits');
  t.equal(wrong, 0, 'every number withCheckDigits makes keeps its nine digits and is valid');
  t.equal(withCheckDigits('12345678'), null, 'eight digits');
  t.equal(withCheckDigits('12345678a'), null, 'not digits');
});

t.test('wrong length is refused', async (t) => {
  const id = validFor('010190');
  t.equal(nationalIdProblem(id.slice(0, 10)), 'length', 'ten digits');
  t.equal(nationalIdProblem(`${id}0`), 'length', 'twelve digits');
  t.equal(nationalIdProblem('010190'), 'length', 'only the birth date');
  t.equal(nationalIdProblem(''), 'empty');
  t.equal(nationalIdProblem('   '), 'empty');
});

t.test('anything but digits is refused', async (t) => {
  t.equal(nationalIdProblem('0101905016a'), 'digits');
  t.equal(nationalIdProblem('01-01-90-50160'), 'digits');
  t.equal(nationalIdProblem('０１０１０７５０１６０'), 'digits', 'full-width digits');
  t.equal(nationalIdProblem('-1010750160'), 'digits');
});

t.test('a number that does not start with a possible date is refused', async (t) => {
  // Each has correct check digits, so only the date can be what is wrong.
  for (const [prefix, what] of [
    ['000190', 'day 0'],
    ['320190', 'day 32'],
    ['011390', 'month 13'],
    ['010090', 'month 0'],
    ['310490', '31 April'],
    ['300290', '30 February'],
    ['290201', '29 February in a year that is not a leap year in either century (2001/1901)'],
    ['728190', 'D-number with day 32'],
    ['019390', 'synthetic number with month 13'],
  ] as const) {
    t.equal(nationalIdProblem(validFor(prefix)), 'date', `${what}: ${prefix}`);
  }
});

t.test('only the birth date is ever shown', async (t) => {
  t.equal(maskNationalId('01010750160'), '010107 *****');
  t.equal(maskNationalId(null), '');
});
