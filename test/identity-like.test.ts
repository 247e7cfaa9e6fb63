/** The tests' check for anything that looks like an identity number (test/helpers/identity.ts). */
import t from 'tap';
import { IDENTITY_NUMBER_LIKE } from './helpers/identity.js';

t.test(
  '11 digits standing alone (or 6 + 5) look like an identity number; random hex around them does not',
  async (t) => {
    for (const text of [
      'fnr 12031312345.',
      '<td>12031312345</td>',
      'value="12031312345"',
      '/children/12031312345',
      'plan-12031312345.pdf',
    ])
      t.match(text, IDENTITY_NUMBER_LIKE, text);
    for (const text of [
      'boundary="--_NmP-14799099748e8008-Part_1"',
      '0c1d2e3f-0000-4000-8000-123456789012',
      'Message-ID: <f7d01314-708a-cdb0-60c9-36877807235b@stafett.invalid>',
      'sha256 a12031312345b',
      '123456789012',
      'tlf. 123 45 678',
    ])
      t.notMatch(text, IDENTITY_NUMBER_LIKE, text);
  },
);
