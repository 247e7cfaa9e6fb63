/** The life areas form: two optional texts per area, each limited, each error on its own box. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { LIFE_AREA_TEXT_MAX, parseLifeAreas } from './life-areas-form.js';
import { LIFE_AREAS } from '../../domain/plan.js';

const nb = translator('nb');

t.test('every area, trimmed; empty boxes are fine', async (t) => {
  const result = parseLifeAreas({ 'health-goingWell': ' Sover godt ', 'school-wishes': 'Mer ro' }, nb);
  t.same(result.errors, []);
  t.equal(result.input?.length, LIFE_AREAS.length);
  t.same(result.input?.[0], { area: 'health', going_well: 'Sover godt', wishes: '' });
  t.same(result.input?.[1], { area: 'school', going_well: '', wishes: 'Mer ro' });
  t.equal(result.values['health-goingWell'], 'Sover godt');
});

t.test('too long and control characters: each on its box, with its own words', async (t) => {
  const long = 'x'.repeat(LIFE_AREA_TEXT_MAX + 1);
  const result = parseLifeAreas({ 'school-goingWell': long, 'home-wishes': 'Ro\u0000' }, nb);
  t.equal(result.input, null);
  t.same(result.errors, [
    {
      text: nb('err.tooLong', { field: nb('lifeArea.school'), max: LIFE_AREA_TEXT_MAX }),
      href: '#school-goingWell',
    },
    { text: nb('err.control', { field: nb('lifeArea.home') }), href: '#home-wishes' },
  ]);
  t.equal(result.values['school-goingWell'], long, 'handed back as typed');
  t.same(parseLifeAreas({ 'school-goingWell': 'x'.repeat(LIFE_AREA_TEXT_MAX) }, nb).errors, []);
});
