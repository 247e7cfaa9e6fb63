/**
 * Norwegian national identity numbers: check digits under today's rule and the rule for numbers
 * issued from 2032, D-, H- and synthetic numbers, length, digits only, a real date, the birth date.
 */
import t from 'tap';
import { identityNumbers, type NationalIdOptions } from '../src/lib/national-id.js';

const norway = identityNumbers('NO');
const birthDateFromNationalId = norway.birthDate;
const isValidNationalId = (input: string, options?: NationalIdOptions) => norway.isValid(input, options);
const maskNationalId = norway.mask;
const nationalIdProblem = (input: string, options?: NationalIdOptions) => norway.problem(input, options);
const normalizeNationalId = norway.normalize;

const SYNTHETIC = { synthetic: true };

/**
 * The official rule as Skatteetaten describes it ("Nytt fødselsnummer fra 2032"), written out here as
 * the test's own oracle: k1 = {11, 12, 13, 14} − (weighted sum mod 11), the number is discarded when
 * k1 or k2 would be 10; k2 = 11 − (weighted sum mod 11) as before. `rest` 0 is today's rule.
 */
function officialNumber(nine: string, rest: 0 | 1 | 2 | 3): string | null {
  const d = [...nine].map(Number);
  const sum = (weights: number[], digits: number[]) => weights.reduce((acc, w, i) => acc + w * digits[i]!, 0);
  const k1 = (11 + rest - (sum([3, 7, 6, 1, 8, 9, 4, 5, 2], d) % 11)) % 11;
  if (k1 === 10) return null;
  const k2 = (11 - (sum([5, 4, 3, 2, 7, 6, 5, 4, 3, 2], [...d, k1]) % 11)) % 11;
  if (k2 === 10) return null;
  return `${nine}${k1}${k2}`;
}

/** A number for a DDMMYY prefix under the given remainder: the first individual number that has one. */
function numberFor(prefix: string, rest: 0 | 1 | 2 | 3 = 0, start = 100): string {
  for (let individual = start; individual < 1000; individual++) {
    const id = officialNumber(`${prefix}${String(individual).padStart(3, '0')}`, rest);
    if (id) return id;
  }
  throw new Error(`no number for ${prefix}`);
}

/** The same number with one digit changed (position 0-based), cycling 0-9. */
function changeDigit(id: string, position: number): string {
  const digit = (Number(id[position]) + 1) % 10;
  return `${id.slice(0, position)}${digit}${id.slice(position + 1)}`;
}

t.test("numbers with correct check digits under today's rule are valid", async (t) => {
  for (const id of [
    numberFor('010190'), // 1 January 1990
    numberFor('311299'), // 31 December 1999
    numberFor('290204'), // 29 February 2004 (leap year)
    numberFor('150516', 0, 500), // born 2016
    numberFor('410190'), // D-number: day + 40
    numberFor('015290'), // H-number: month + 40
  ])
    t.equal(nationalIdProblem(id), null, `${id} is valid`);
  // Published examples with correct check digits (fnrvalidator's own test set and a well-known test number).
  for (const id of ['13097248022', '29029648784', '15021951940', '01010750160', '15076500565'])
    t.ok(isValidNationalId(id), `${id} is valid`);
  t.ok(isValidNationalId('010107 501 60'), 'spaces typed as separators are ignored');
  t.equal(normalizeNationalId(' 010107.50160 '), '01010750160');
});

t.test('numbers issued from 2032: the first check digit may leave remainder 0, 1, 2 or 3', async (t) => {
  // Skatteetaten's own examples.
  t.ok(isValidNationalId('02013299997'), 'born 02.01.2032, individual number 999 (remainder 0)');
  t.ok(isValidNationalId('30108299920'), 'born 30.10.1982, issued in 2032 (remainder 0)');
  t.ok(isValidNationalId('30108299939'), 'born 30.10.1982, issued in 2032 (remainder 1)');
  t.ok(isValidNationalId('70108299914'), 'the D-number of the same (day + 40)');
  // Every remainder, for births before and after 2032, fødselsnummer and D-number.
  let checked = 0;
  for (const prefix of ['020132', '150516', '301082', '421033']) {
    for (const rest of [0, 1, 2, 3] as const) {
      const id = numberFor(prefix, rest, 900);
      t.equal(nationalIdProblem(id), null, `${id} (remainder ${rest}) is valid`);
      checked++;
    }
  }
  t.equal(checked, 16);
  t.equal(nationalIdProblem('02013299987'), 'checksum', 'a first check digit that fits no remainder');
  t.equal(nationalIdProblem('02013299996'), 'checksum', 'the right first, a wrong second check digit');
});

t.test('a wrong check digit is refused, whichever of the two it is', async (t) => {
  const id = numberFor('010190');
  t.equal(nationalIdProblem(changeDigit(id, 10)), 'checksum', 'second check digit (k2) wrong');
  // A changed k1 is refused unless it happens to fit another remainder and k2 still fits.
  let refused = 0;
  for (let k1 = 0; k1 <= 9; k1++) {
    const changed = `${id.slice(0, 9)}${k1}${id[10]}`;
    if (changed !== id && nationalIdProblem(changed) === 'checksum') refused++;
  }
  t.ok(refused >= 6, `at least 6 of 9 other first check digits are refused (${refused})`);
  t.equal(
    nationalIdProblem(changeDigit(id, 6)),
    'checksum',
    'a changed individual number breaks the check digits',
  );
  t.notOk(isValidNationalId('01010750161'));
});

t.test('wrong length is refused', async (t) => {
  const id = numberFor('010190');
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
    ['290201', '29 February in a year that is not a leap year'],
    ['728190', 'D-number with day 32'],
    ['019390', 'synthetic number with month 13'],
  ] as const) {
    t.equal(nationalIdProblem(numberFor(prefix), SYNTHETIC), 'date', `${what}: ${prefix}`);
  }
});

t.test('synthetic test numbers (month + 80) are valid only where they are allowed', async (t) => {
  const synthetic = numberFor('018990'); // 1 September 1990, Tenor convention
  const dSynthetic = numberFor('418990'); // a synthetic D-number
  t.equal(nationalIdProblem(synthetic, SYNTHETIC), null, 'allowed: valid');
  t.equal(nationalIdProblem(dSynthetic, SYNTHETIC), null, 'a synthetic D-number too');
  t.equal(nationalIdProblem(synthetic), 'synthetic', 'not allowed (production): refused as a test number');
  t.equal(nationalIdProblem(dSynthetic, { synthetic: false }), 'synthetic');
  t.equal(
    nationalIdProblem(changeDigit(synthetic, 10), SYNTHETIC),
    'checksum',
    'a synthetic number still needs its check digits',
  );
});

t.test(
  'the birth date: D-, H- and synthetic numbers; the latest date that is not in the future',
  async (t) => {
    const today = '2026-11-26';
    t.equal(birthDateFromNationalId(numberFor('150516', 0, 500), today), '2016-05-15');
    t.equal(birthDateFromNationalId(numberFor('558116', 0, 500), today), '2016-01-15', 'synthetic D-number');
    t.equal(birthDateFromNationalId(numberFor('155216', 0, 500), today), '2016-12-15', 'H-number');
    t.equal(birthDateFromNationalId('13097248022', today), '1972-09-13');
    // From 2032 the individual number no longer tells the century: a child's number gives the latest date.
    t.equal(birthDateFromNationalId('02013299997', '2032-03-01'), '2032-01-02');
    t.equal(birthDateFromNationalId(numberFor('020133', 0, 100), '2033-06-01'), '2033-01-02');
    t.equal(birthDateFromNationalId(numberFor('010241', 0, 990), '2041-03-01'), '2041-02-01');
    t.equal(
      birthDateFromNationalId(numberFor('011226'), today),
      '1926-12-01',
      'a date after today is a century earlier',
    );
    t.equal(birthDateFromNationalId('1234567890', today), null, 'ten digits');
    t.equal(birthDateFromNationalId(numberFor('310490'), today), null, 'not a date');
  },
);

t.test('only the birth date is ever shown', async (t) => {
  t.equal(maskNationalId('01010750160'), '010107 *****');
  t.equal(maskNationalId(null), '');
});
