/**
 * The create-log form: the child, the guardians, plan type, level, unit, the consent (rule 2) and the
 * startup note; each problem on its field, values handed back as typed.
 */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { identityNumbers } from '../../lib/national-id.js';
import { syntheticNationalId } from '../../../seeds/01_organisation.js';
import { parseCreateLog } from './form.js';

const nb = translator('nb');
const child = syntheticNationalId('2014-05-06');
const teen = syntheticNationalId('2010-01-02');
const guardian = syntheticNationalId('1984-03-30');
const context = {
  today: '2026-03-15',
  youthConsentAge: 15,
  holdingUnitIds: [4, 9],
  syntheticNationalIds: true,
  identity: identityNumbers('NO'),
};
const parse = (body: Record<string, unknown>, extra: Partial<typeof context> = {}) =>
  parseCreateLog(body, nb, { ...context, ...extra });
const date = (name: string, day: string, month: string, year: string) => ({
  [`${name}-day`]: day,
  [`${name}-month`]: month,
  [`${name}-year`]: year,
});
const good = {
  childNationalId: child,
  childFirstName: ' Ida ',
  childLastName: 'Nordmann',
  guardian1Name: 'Kari Nordmann',
  guardian1Email: 'kari@example.no',
  guardian1NationalId: guardian,
  planType: 'stafettlogg',
  level: '2',
  unitId: '9',
  consentBy: 'guardians',
  consentName: 'Kari Nordmann',
  ...date('consentGivenOn', '1', '3', '2026'),
  ...date('consentValidUntil', '1', '3', '2027'),
  consentServices: ['school', 'health_station'],
  consentConfirmed: 'yes',
  startupNote: 'Ida er mye borte fra skolen.',
  formToken: 'token',
};

t.test('a whole log: normalised number, birth date, level and unit as numbers, consent dates', async (t) => {
  const result = parse(good);
  t.same(result.errors, []);
  t.same(result.input, {
    nationalId: child,
    birthDate: '2014-05-06',
    planType: 'stafettlogg',
    level: 2,
    unitId: 9,
    consentGivenOn: '2026-03-01',
    consentValidUntil: '2027-03-01',
  });
  t.equal(result.values.childFirstName, 'Ida', 'trimmed');
  t.equal(result.values.guardians[1]!.name, '', 'the second guardian is optional');
});

t.test('one unit: it is chosen without asking', async (t) => {
  t.equal(parse({ ...good, unitId: '' }, { holdingUnitIds: [4] }).input?.unitId, 4);
});

t.test('an empty post: every required field says so, in field order', async (t) => {
  const result = parse({});
  t.equal(result.input, null);
  t.same(
    result.errors.map((e) => e.href),
    [
      '#childNationalId',
      '#childFirstName',
      '#childLastName',
      '#guardian1Name',
      '#guardian1Email',
      '#planType',
      '#level',
      '#unitId',
      '#consentBy',
      '#consentName',
      '#consentGivenOn-day',
      '#consentValidUntil-day',
      '#consentServices',
      '#consentConfirmed',
      '#startupNote',
    ],
  );
  const text = (href: string) => result.errors.find((e) => e.href === href)?.text;
  t.equal(text('#childFirstName'), nb('err.childFirstName'));
  t.equal(text('#guardian1Name'), nb('err.guardianName', { n: 1 }));
  t.equal(text('#planType'), nb('err.planType'));
  t.equal(text('#level'), nb('err.level'));
  t.equal(text('#unitId'), nb('err.unit'));
  t.equal(text('#consentGivenOn-day'), nb('err.date.missing', { field: nb('create.consentGivenOn.what') }));
  t.equal(text('#startupNote'), nb('err.startupNote'));
});

t.test('choices not on the form, a unit one does not hold, values back as typed', async (t) => {
  const result = parse({ ...good, planType: 'secret', level: '4', unitId: '5', consentBy: 'neighbour' });
  t.same(result.errors, [
    { text: nb('err.planType'), href: '#planType' },
    { text: nb('err.level'), href: '#level' },
    { text: nb('err.unit'), href: '#unitId' },
    { text: nb('err.consentBy'), href: '#consentBy' },
  ]);
  t.same(
    [result.values.planType, result.values.level, result.values.unitId, result.values.consentBy],
    ['secret', '4', '5', 'neighbour'],
  );
});

t.test('text limits and control characters', async (t) => {
  t.same(parse({ ...good, childFirstName: 'x'.repeat(100) }).errors, [], 'exactly the limit');
  const result = parse({ ...good, childFirstName: 'x'.repeat(101), startupNote: 'Ida\u0000' });
  t.same(result.errors, [
    { text: nb('err.tooLong', { field: nb('create.childFirstName'), max: 100 }), href: '#childFirstName' },
    { text: nb('err.control', { field: nb('create.startupNote') }), href: '#startupNote' },
  ]);
});

t.test('guardians: e-mail form, the same address or number twice', async (t) => {
  t.same(parse({ ...good, guardian1Email: 'kari' }).errors, [
    { text: nb('err.guardianEmail.invalid'), href: '#guardian1Email' },
  ]);
  const result = parse({
    ...good,
    guardian2Name: 'Ola',
    guardian2Email: 'KARI@example.no',
    guardian2NationalId: guardian,
  });
  t.same(result.errors, [
    { text: nb('err.guardianNationalId.same'), href: '#guardian2NationalId' },
    { text: nb('err.guardianEmail.same'), href: '#guardian2Email' },
  ]);
  t.same(parse({ ...good, guardian2Email: 'ola@example.no' }).errors, [
    { text: nb('err.guardianName', { n: 2 }), href: '#guardian2Name' },
  ]);
});

t.test('identity numbers: wrong checksum; a test number refused in production', async (t) => {
  const wrong = `${child.slice(0, 10)}${(Number(child[10]) + 1) % 10}`;
  t.same(parse({ ...good, childNationalId: wrong }).errors, [
    { text: nb('nationalId.checksum'), href: '#childNationalId' },
  ]);
  t.same(
    parse(good, { syntheticNationalIds: false }).errors.map((e) => e.href),
    ['#childNationalId', '#guardian1NationalId'],
  );
});

t.test('consent dates: 31.02, in the future, valid until before given or already past', async (t) => {
  const impossible = parse({ ...good, ...date('consentGivenOn', '31', '2', '2026') });
  t.same(impossible.errors, [
    {
      text: nb('err.date.invalid', { field: 'Datoen samtykket ble gitt' }),
      href: '#consentGivenOn-day',
    },
  ]);
  t.same(impossible.values.consentGivenOn, { day: '31', month: '2', year: '2026' });
  t.same(parse({ ...good, ...date('consentGivenOn', '16', '3', '2026') }).errors, [
    { text: nb('err.consentGivenOn.future'), href: '#consentGivenOn-day' },
  ]);
  t.same(parse({ ...good, ...date('consentValidUntil', '28', '2', '2026') }).errors, [
    { text: nb('err.consentValidUntil.before'), href: '#consentValidUntil-day' },
  ]);
  t.same(
    parse({
      ...good,
      ...date('consentGivenOn', '1', '1', '2026'),
      ...date('consentValidUntil', '14', '3', '2026'),
    }).errors,
    [{ text: nb('err.consentValidUntil.past'), href: '#consentValidUntil-day' }],
  );
  t.same(parse({ ...good, ...date('consentValidUntil', '', '3', '2027') }).errors, [
    {
      text: nb('err.date.incomplete', { field: 'Datoen samtykket gjelder til' }),
      href: '#consentValidUntil-day',
    },
  ]);
});

t.test('consent: the young person alone only from the age limit; known services; confirmed', async (t) => {
  t.same(parse({ ...good, consentBy: 'youth' }).errors, [
    { text: nb('err.consentBy.tooYoung', { age: 15 }), href: '#consentBy' },
  ]);
  t.same(parse({ ...good, childNationalId: teen, consentBy: 'youth' }).errors, [], 'sixteen: may consent');
  t.same(parse({ ...good, consentServices: ['school', 'casino'] }).errors, [
    { text: nb('err.consentServices'), href: '#consentServices' },
  ]);
  t.same(parse({ ...good, consentConfirmed: 'no' }).errors, [
    { text: nb('err.consentConfirmed'), href: '#consentConfirmed' },
  ]);
});
