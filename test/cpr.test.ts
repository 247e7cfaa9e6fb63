/**
 * Danish CPR numbers through the country-aware interface (identityNumbers('DK')): the form DDMMYY-SSSS
 * with the hyphen optional, a real date in the century the seventh digit gives, no modulus-11 check;
 * masking, hashing and the birth date; and Norway's rules unchanged beside them.
 */
import t from 'tap';
import { identityNumbers } from '../src/lib/national-id.js';
import { cprYear } from '../src/lib/cpr.js';
import { pickPerson } from '../src/dev-idp/people.js';

const denmark = identityNumbers('DK');
const norway = identityNumbers('NO');
const TODAY = '2026-11-26';

/** The old modulus-11 rule, as the test's own oracle: numbers issued since 2007 need not pass it. */
const passesModulus11 = (cpr: string) =>
  [...cpr.replace('-', '')].reduce((sum, d, i) => sum + Number(d) * [4, 3, 2, 7, 6, 5, 4, 3, 2, 1][i]!, 0) %
    11 ===
  0;

t.test('valid numbers, with and without the hyphen, are accepted and normalised to ten digits', async (t) => {
  for (const typed of ['120315-4123', '1203154123', ' 120315-4123 ', '120315 4123']) {
    t.equal(denmark.problem(typed), null, `"${typed}" is valid`);
    t.equal(denmark.normalize(typed), '1203154123', `"${typed}" is stored as ten digits`);
  }
  t.equal(denmark.problem('010203-1234'), null);
  t.notOk(passesModulus11('010203-1234'), 'the oracle: this number fails the old modulus-11 check');
  t.ok(passesModulus11('070298-2154'), 'the oracle: and this one passes it');
  t.equal(denmark.problem('070298-2154'), null, 'both are accepted: modulus 11 is not required');
});

t.test('a date that does not exist is refused', async (t) => {
  for (const typed of [
    '310223-1234',
    '300223-4123',
    '320120-1234',
    '001020-1234',
    '011320-1234',
    '310423-1234',
  ])
    t.equal(denmark.problem(typed), 'date', typed);
});

t.test('wrong form is refused with what is wrong', async (t) => {
  t.equal(denmark.problem(''), 'empty');
  t.equal(denmark.problem('   '), 'empty');
  t.equal(denmark.problem('120315412'), 'length', '9 digits');
  t.equal(denmark.problem('120315-412'), 'length', '9 digits with a hyphen');
  t.equal(denmark.problem('12031541234'), 'length', '11 digits');
  t.equal(denmark.problem('120315-41234'), 'length', '11 digits with a hyphen');
  t.equal(denmark.problem('12O315-4123'), 'digits', 'a letter O for a zero');
  t.equal(denmark.problem('120315-412a'), 'digits', 'a letter');
  t.equal(denmark.problem('120315/4123'), 'digits', 'a slash');
  t.equal(denmark.problem('1203-154123'), 'format', 'hyphen after four digits');
  t.equal(denmark.problem('1203154-123'), 'format', 'hyphen after seven digits');
  t.equal(denmark.problem('1203154123-'), 'format', 'hyphen at the end');
  t.equal(denmark.problem('120315--4123'), 'format', 'two hyphens');
  t.equal(denmark.problem('120315-41-23'), 'format', 'a second hyphen');
  t.equal(denmark.problem('12 03 15 4123'), 'format', 'spaces inside the date');
  t.equal(denmark.problem('120315-4123', { synthetic: false }), null, 'no synthetic numbers to refuse');
});

t.test('the century follows from the seventh digit (the CPR rule)', async (t) => {
  t.equal(cprYear(3, 0), 1903);
  t.equal(cprYear(99, 3), 1999);
  t.equal(cprYear(36, 4), 2036);
  t.equal(cprYear(37, 4), 1937);
  t.equal(cprYear(36, 9), 2036);
  t.equal(cprYear(37, 9), 1937);
  t.equal(cprYear(57, 5), 2057);
  t.equal(cprYear(58, 5), 1858);
  t.equal(cprYear(0, 8), 2000);
  t.equal(cprYear(99, 8), 1899);
  // 29 February 2000 exists, 29 February 1900 does not: the seventh digit decides.
  t.equal(denmark.problem('290200-4123'), null, '7th digit 4: year 2000, a leap year');
  t.equal(denmark.birthDate('290200-4123', TODAY), '2000-02-29');
  t.equal(denmark.problem('290200-1123'), 'date', '7th digit 1: year 1900, not a leap year');
  t.equal(denmark.problem('290200-5123'), null, '7th digit 5: year 2000');
  t.equal(denmark.problem('290200-9123'), null, '7th digit 9: year 2000');
  t.equal(denmark.birthDate('120315-4123', TODAY), '2015-03-12');
  t.equal(denmark.birthDate('120315-1123', TODAY), '1915-03-12');
  t.equal(denmark.birthDate('120375-4123', TODAY), '1975-03-12');
  t.equal(denmark.birthDate('120375-6123', TODAY), '1875-03-12');
  t.equal(denmark.birthDate('120356-6123', TODAY), null, '2056: not born yet');
  t.equal(denmark.birthDate('120356-6123', '2056-12-31'), '2056-03-12');
  t.equal(denmark.birthDate('310223-1234', TODAY), null, 'no such date');
  t.equal(denmark.birthDate('1203154', TODAY), null, 'not a number');
});

t.test('masking and hashing', async (t) => {
  t.equal(denmark.mask('1203154123'), '120315-****');
  t.equal(denmark.mask('120315-4123'), '120315-****');
  t.equal(denmark.mask(null), '');
  t.ok(denmark.mask('1203154123').length <= 13, 'fits users.national_id_masked (13)');
  const key = Buffer.alloc(32, 7);
  t.equal(denmark.digest('120315-4123', key), denmark.digest('1203154123', key), 'hyphen or not: one person');
  t.not(denmark.digest('1203154123', key), denmark.digest('1203154124', key));
  t.ok(denmark.normalize('120315-4123').length <= 11, 'fits children.national_id (11)');
});

t.test('Norway is unchanged, and each country refuses the other one’s numbers', async (t) => {
  t.equal(norway.country, 'NO');
  t.equal(denmark.country, 'DK');
  t.equal(norway.problem('1203154123'), 'length', 'a CPR number is not a fødselsnummer');
  t.equal(denmark.problem('15031830858'), 'length', 'a fødselsnummer is not a CPR number');
  t.equal(norway.mask('12031312345'), '120313 *****');
  t.same(norway.messages, {}, 'Norway words nothing differently');
  t.equal(denmark.messages['nationalId.length'], 'cpr.length', 'Denmark names the CPR number');
});

t.test(
  'the local identity provider takes a typed CPR number in Denmark, only synthetic ones in Norway',
  async (t) => {
    const people = [
      { name: 'Louise Madsen', email: 'foresatt@stafett.example', nationalId: '3003841123', role: 'mor' },
    ];
    t.same(pickPerson(people, 'idporten', '', '300384-1123', 'DK'), {
      person: { pid: '3003841123', email: 'foresatt@stafett.example', name: 'Louise Madsen' },
    });
    t.same(pickPerson(people, 'idporten', '', '0102031234', 'DK'), { person: { pid: '0102031234' } });
    t.same(pickPerson(people, 'idporten', '', '310223-1234', 'DK'), { problem: 'nationalId' });
    t.same(pickPerson(people, 'idporten', '', '0102031234', 'NO'), { problem: 'nationalId' });
    t.same(pickPerson(people, 'idporten', '', '15031830858', 'NO'), { problem: 'notSynthetic' });
  },
);
