/** The statistics forms and periods: presets, typed ranges, choices, and the children per school year. */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { filterQuery, parseChildCount, parseFilters } from './form.js';
import { monthsOf, presetPeriod, schoolYearOf } from './period.js';

const tr = translator('nb');
const options = { today: '2026-03-15', unitKinds: true, districts: [7, 9] };

t.test('the school year runs 1 August to 31 July; the last 12 months from the 1st', async (t) => {
  t.equal(schoolYearOf('2026-07-31'), 2025);
  t.equal(schoolYearOf('2026-08-01'), 2026);
  t.same(presetPeriod('school-year', '2026-03-15'), {
    choice: 'school-year',
    from: '2025-08-01',
    to: '2026-07-31',
  });
  t.same(presetPeriod('last-12-months', '2026-03-15'), {
    choice: 'last-12-months',
    from: '2025-04-01',
    to: '2026-03-15',
  });
  t.same(presetPeriod('last-12-months', '2026-01-31').from, '2025-02-01');
  t.same(monthsOf('2025-11-20', '2026-02-03'), ['2025-11', '2025-12', '2026-01', '2026-02']);
});

t.test('no query: this school year, every plan type, level, kind and district', async (t) => {
  const { input, errors } = parseFilters({}, tr, options);
  t.same(errors, []);
  t.same(input, {
    period: { choice: 'school-year', from: '2025-08-01', to: '2026-07-31' },
    planType: null,
    level: null,
    unitKind: null,
    districtId: null,
  });
});

t.test('a typed range, and the choices', async (t) => {
  const { input } = parseFilters(
    {
      period: 'custom',
      'from-day': ' 1',
      'from-month': '8',
      'from-year': '2025',
      'to-day': '31',
      'to-month': '12',
      'to-year': '2025',
      planType: 'individuell_plan',
      level: '2',
      unitKind: 'school',
      district: '9',
    },
    tr,
    options,
  );
  t.same(input, {
    period: { choice: 'custom', from: '2025-08-01', to: '2025-12-31' },
    planType: 'individuell_plan',
    level: 2,
    unitKind: 'school',
    districtId: 9,
  });
});

t.test('bad input: a message per field, in field order, with what was typed', async (t) => {
  const { values, errors, input } = parseFilters(
    {
      period: 'custom',
      'from-day': '30',
      'from-month': '2',
      'from-year': '2026',
      'to-day': '',
      'to-month': '',
      'to-year': '',
      planType: 'other',
      level: '4',
      unitKind: 'castle',
      district: '8',
    },
    tr,
    options,
  );
  t.equal(input, null);
  t.same(
    errors.map((e) => e.href),
    ['#from-day', '#to-day', '#planType', '#level', '#unitKind', '#district'],
  );
  t.match(errors[0]!.text, /ekte dato/);
  t.match(errors[1]!.text, /Skriv inn til-datoen/);
  t.same(values.from, { day: '30', month: '2', year: '2026' });
  t.same(parseFilters({ period: 'sometimes' }, tr, options).errors[0]!.href, '#period');
  const reversed = parseFilters(
    {
      period: 'custom',
      'from-day': '2',
      'from-month': '1',
      'from-year': '2026',
      'to-day': '1',
      'to-month': '1',
      'to-year': '2026',
    },
    tr,
    options,
  );
  t.match(reversed.errors[0]!.text, /samme dag som fra-datoen eller senere/);
  const oneDay = parseFilters(
    {
      period: 'custom',
      'from-day': '1',
      'from-month': '1',
      'from-year': '2026',
      'to-day': '1',
      'to-month': '1',
      'to-year': '2026',
    },
    tr,
    options,
  );
  t.same(
    oneDay.input?.period,
    { choice: 'custom', from: '2026-01-01', to: '2026-01-01' },
    'one day is a period',
  );
});

t.test('the unit page offers no kind of unit or district: those fields are ignored', async (t) => {
  const { input, errors } = parseFilters({ unitKind: 'castle', district: 'x' }, tr, {
    today: '2026-03-15',
    unitKinds: false,
    districts: null,
  });
  t.same(errors, []);
  t.equal(input?.unitKind, null);
});

t.test('the filters as a query string: the range only for a typed range', async (t) => {
  const values = parseFilters({ period: 'school-year', level: '1', 'from-day': '3' }, tr, options).values;
  t.equal(filterQuery(values, { table: 'logs' }), 'period=school-year&level=1&table=logs');
});

t.test('children per school year: a whole number from 0 to 100 000 for an offered year', async (t) => {
  t.same(parseChildCount({ schoolYear: '2025', children: ' 1 240 ' }, tr, [2025]).input, {
    schoolYear: 2025,
    children: 1240,
  });
  t.same(parseChildCount({ schoolYear: '2025', children: '0' }, tr, [2025]).input, {
    schoolYear: 2025,
    children: 0,
  });
  for (const children of ['', '-3', '2,5', '100001', 'mange', '1e3'])
    t.equal(
      parseChildCount({ schoolYear: '2025', children }, tr, [2025]).errors[0]?.href,
      '#children',
      children,
    );
  const year = parseChildCount({ schoolYear: '2019', children: '5' }, tr, [2025]);
  t.same(
    year.errors.map((e) => e.href),
    ['#schoolYear'],
  );
  t.equal(year.values.children, '5');
});
