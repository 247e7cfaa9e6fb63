/** The guardian form: name and e-mail required, identity number optional but valid when given. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { parseGuardian } from './form.js';
import { syntheticNationalId } from '../../../seeds/01_organisation.js';
import { identityNumbers } from '../../lib/national-id.js';

const nb = translator('nb');
const synthetic = syntheticNationalId('1984-03-30');
const parse = (body: Record<string, unknown>, syntheticNationalIds = true) =>
  parseGuardian(body, nb, { syntheticNationalIds, identity: identityNumbers('NO') });

t.test('name and e-mail, with or without a number', async (t) => {
  t.same(parse({ name: ' Kari Nordmann ', email: 'kari@example.no' }).input, {
    name: 'Kari Nordmann',
    email: 'kari@example.no',
    nationalId: '',
  });
  const spaced = `${synthetic.slice(0, 6)} ${synthetic.slice(6)}`;
  t.same(parse({ name: 'Kari', email: 'kari@example.no', nationalId: spaced }).input?.nationalId, synthetic);
});

t.test('each problem next to its field, in field order, typed text back', async (t) => {
  const result = parse({ name: '', email: 'kari', nationalId: '12345678901' });
  t.same(
    result.errors.map((e) => e.href),
    ['#name', '#email', '#nationalId'],
  );
  t.equal(result.input, null);
  t.same(result.values, { name: '', email: 'kari', nationalId: '12345678901' });
});

t.test('a synthetic test number is refused in production', async (t) => {
  const result = parse({ name: 'Kari', email: 'kari@example.no', nationalId: synthetic }, false);
  t.same(
    result.errors.map((e) => e.href),
    ['#nationalId'],
  );
  t.match(result.errors[0]!.text, /testnummer/);
  t.notMatch(result.errors[0]!.text, /barnets/, 'not worded for a child');
});
