/** The tests' check for identity numbers in what the app shows and sends (test/helpers/identity.ts). */
import t from 'tap';
import { identityNumbersIn } from './helpers/identity.js';
import { syntheticNationalId } from '../seeds/01_organisation.js';

t.test('a valid identity number is found wherever it stands; random hex is not one', async (t) => {
  const n = syntheticNationalId('2013-03-12');
  for (const text of [
    `fnr ${n}.`,
    `fnr ${n.slice(0, 6)} ${n.slice(6)}.`,
    `<td>${n}</td>`,
    `value="${n}"`,
    `nr=3D${n}`,
    `/children/${n}`,
    `plan_${n}.pdf`,
    `fnr${n}`,
  ])
    t.same(identityNumbersIn(text), [n], text);
  for (const text of [
    'boundary="--_NmP-14799099748e8008-Part_1"',
    'Message-ID: <f7d01314-708a-cdb0-60c9-36877807235b@stafett.invalid>',
    '0c1d2e3f-0000-4000-8000-123456789012',
    `${n}0`,
    `9${n}`,
    'tlf. 123 45 678',
  ])
    t.same(identityNumbersIn(text), [], text);
});
