/** The staff member's form: a post that is not the whole form changes nothing but keeps what was typed. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { parseStaff, ROLES_FORM } from './forms.js';
import { syntheticNationalId } from '../../../seeds/01_organisation.js';
import { identityNumbers } from '../../lib/national-id.js';

const nb = translator('nb');
const number = syntheticNationalId('1984-03-30');

t.test('a cut-off change of a member: incomplete, the title and the number typed come back', async (t) => {
  const result = parseStaff({ title: ' Lærer ', nationalId: ` ${number} ` }, nb, false, {
    syntheticNationalIds: true,
    identity: identityNumbers('NO'),
  });
  t.ok(result.incomplete, 'no roles field: not read as "no roles"');
  t.equal(result.input, null);
  t.equal(result.values.title, 'Lærer');
  t.equal(result.values.nationalId, number, 'the number typed is handed back');
});

t.test('the whole form: the number typed is checked and kept as typed in the values', async (t) => {
  const wrong = `${number.slice(0, 10)}${(Number(number[10]) + 1) % 10}`;
  const result = parseStaff({ [ROLES_FORM]: '1', title: 'Lærer', nationalId: wrong }, nb, false, {
    syntheticNationalIds: true,
    identity: identityNumbers('NO'),
  });
  t.equal(result.input, null);
  t.same(
    result.errors.map((e) => e.href),
    ['#nationalId'],
  );
  t.equal(result.values.nationalId, wrong);
});
