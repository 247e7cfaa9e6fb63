/**
 * Danish (da): counts read right for one and for more, the Danish words for the roles and units are
 * the ones chosen (tovholder, forældre, opmærksomhed …) and no bokmål word is left in the catalogue
 * where a Danish one belongs, every help text has a Danish version, and dates and numbers are Danish.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { catalogue, translator } from '../src/i18n/index.js';
import { LANGUAGES } from '../src/i18n/locales.js';
import { formatDate } from '../src/lib/dates.js';
import { formatDateTime } from '../src/lib/oslo-time.js';
import { monthLabel, present } from '../src/features/statistics/present.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const da = translator('da');

t.test('Danish counts: one and more', async (t) => {
  t.equal(da('meeting.minutes', { n: 1 }), '1 minut');
  t.equal(da('meeting.minutes', { n: 90 }), '90 minutter');
  t.equal(da('stats.days', { n: 1 }), '1 dag');
  t.equal(da('stats.days', { n: 2 }), '2 dage');
  t.equal(da('print.otherConcerns', { n: 1 }), '1 løst eller afsluttet opmærksomhed er ikke taget med.');
  t.equal(da('print.otherConcerns', { n: 3 }), '3 løste eller afsluttede opmærksomheder er ikke taget med.');
  t.equal(da('admin.unitPage.staff', { count: 1 }), 'Enheden har 1 medarbejder.');
  t.equal(da('admin.unitPage.staff', { count: 12 }), 'Enheden har 12 medarbejdere.');
  t.match(da('goal.new.manyActive', { count: 1 }), /^Der er allerede 1 aktivt mål for/);
  t.match(da('hint.tooManyGoals', { count: 4 }), /^Loggen har 4 aktive mål\./);
  t.equal(
    da('login.error.rateLimited', { unit: 'second', count: 1 }),
    'For mange mislykkede forsøg. Vent 1 sekund, før du prøver igen.',
  );
  t.equal(
    da('login.error.rateLimited', { unit: 'minute', count: 5 }),
    'For mange mislykkede forsøg. Vent 5 minutter, før du prøver igen.',
  );
});

t.test('the Danish words for the roles and units', async (t) => {
  t.equal(da('log.holder'), 'Tovholder');
  t.equal(da('role.guardian'), 'Forælder');
  t.equal(da('log.guardians'), 'Forældre');
  t.equal(da('concern.label'), 'Opmærksomhed');
  t.equal(da('planType.barnets_plan'), 'Barnets plan');
  t.equal(da('unit.kind.kindergarten'), 'Daginstitution');
  t.equal(da('unit.kind.health_station'), 'Sundhedspleje');
  t.equal(da('unit.kind.ppt'), 'PPR');
  t.equal(da('unit.kind.child_welfare'), 'Børne- og familieafdeling');
  t.equal(LANGUAGES.find((l) => l.code === 'da')?.label, 'Dansk', 'the switch names Danish in Danish');
});

t.test('no bokmål word left in the Danish catalogue', async (t) => {
  // Words that are bokmål and not Danish (Danish has "tiltag", "forælder", "endnu", "gem" …).
  const bokmål =
    /(?<!\p{L})(tiltak\p{L}*|foresatt\p{L}*|stafettholder\p{L}*|oppmerksomhet\p{L}*|ennå|lagre\p{L}*|virksomhet\p{L}*|ansatt\p{L}*|lysglimt\p{L}*|passord\p{L}*|e-post\p{L}*|møtemodus|hjelp|ikke lenger|skjema\p{L}*|utskrift\p{L}*|økt\p{L}*)(?!\p{L})/iu;
  const left = Object.entries(catalogue('da'))
    .filter(([, message]) => bokmål.test(message))
    .map(([key, message]) => `${key}: ${message}`);
  t.same(left, []);
});

t.test('every help text has a Danish version', async (t) => {
  const nb = readdirSync(path.join(root, 'views/help/nb')).filter((f) => f.endsWith('.eta'));
  t.ok(nb.length >= 10, `${nb.length} help texts in bokmål`);
  t.same(
    nb.filter((f) => !existsSync(path.join(root, 'views/help/da', f))),
    [],
  );
});

t.test('dates and numbers in Danish', async (t) => {
  t.equal(formatDate('2026-11-23', 'da'), '23. november 2026');
  t.equal(formatDateTime(new Date('2026-11-23T09:15:00Z'), 'da'), '23. november 2026 kl. 10.15');
  // The statistics' presenters: a Danish thousands separator, decimal comma, days and months.
  const da = translator('da');
  t.equal(present({ kind: 'count', value: 12345, state: 'shown' }, da, 'da'), '12.345');
  t.equal(present({ kind: 'mean', value: 3.46 }, da, 'da'), '3,5');
  t.equal(present({ kind: 'days', value: 3 }, da, 'da'), '3 dage');
  t.equal(present({ kind: 'count', value: 2, state: 'small' }, da, 'da'), 'under 5');
  t.equal(monthLabel('2026-01', 'da'), 'jan. 2026');
});
