/** The message catalogue: every UI string has an English version, and placeholders match. */
import t from 'tap';
import * as core from '../src/i18n/messages/core.js';
import * as logs from '../src/i18n/messages/logs.js';
import * as goals from '../src/i18n/messages/goals.js';
import * as measures from '../src/i18n/messages/measures.js';
import * as access from '../src/i18n/messages/access.js';
import * as meetings from '../src/i18n/messages/meetings.js';
import * as notes from '../src/i18n/messages/notes.js';
import * as relay from '../src/i18n/messages/relay.js';
import * as signin from '../src/i18n/messages/signin.js';
import { translator } from '../src/i18n/index.js';

// The product's name is the same in both; e-mail notices are written in bokmål only (they go out
// before anyone chooses a language).
const SAME_IN_BOTH = (key: string) => key === 'app.name' || key.startsWith('mail.');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const areas = { core, logs, goals, measures, access, meetings, notes, relay, signin };
for (const [area, catalogue] of Object.entries(areas)) {
  t.test(`${area}: English for every key, with the same placeholders`, async (t) => {
    const nb = catalogue.nb as Record<string, string>;
    const en = catalogue.en as Record<string, string>;
    const missing = Object.keys(nb).filter((k) => !SAME_IN_BOTH(k) && !(k in en));
    t.same(missing, [], 'no key without English');
    t.same(
      Object.keys(en).filter((k) => !(k in nb)),
      [],
      'no English key that bokmål lacks',
    );
    for (const key of Object.keys(en)) t.same(placeholders(en[key]!), placeholders(nb[key]!), key);
  });
}

t.test('translate fills placeholders and falls back to bokmål', async (t) => {
  const en = translator('en');
  t.equal(en('logs.title'), 'My logs');
  t.equal(translator('nb')('home.welcome', { name: 'Kari' }), 'Velkommen, Kari');
  t.equal(en('mail.greeting' as never), translator('nb')('mail.greeting' as never));
});
