/**
 * The access feature's forms: the staff member's form (a post that is not the whole form changes nothing
 * but keeps what was typed), an actor's progress and comment, the family's view, grants, leaders and units.
 */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import {
  COMMENT_MAX,
  parseComment,
  parseFamilyView,
  parseGrant,
  parseLeader,
  parseProgress,
  parseStaff,
  parseUnit,
  ROLES_FORM,
} from './forms.js';
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

t.test("an actor's progress and comment", async (t) => {
  t.same(parseProgress({ status: 'ongoing' }, nb).input, { status: 'ongoing' });
  t.same(parseProgress({ status: 'evaluated' }, nb), {
    values: { status: 'evaluated' },
    errors: [{ text: nb('actor.err.status'), href: '#status' }],
    input: null,
  });
  t.same(parseComment({ comment: ' Godt i gang ' }, nb).input, { text: 'Godt i gang' });
  t.same(parseComment({ comment: '' }, nb).errors, [
    { text: nb('access.err.required', { field: nb('actor.comment.label') }), href: '#comment' },
  ]);
  t.same(parseComment({ comment: 'x'.repeat(COMMENT_MAX) }, nb).errors, [], 'exactly the limit');
  t.same(parseComment({ comment: 'x'.repeat(COMMENT_MAX + 1) }, nb).errors, [
    {
      text: nb('access.err.tooLong', { field: nb('actor.comment.label'), max: COMMENT_MAX }),
      href: '#comment',
    },
  ]);
});

t.test("the family's view of a measure: an effect from the list, optional words", async (t) => {
  t.same(parseFamilyView({ effect: 'worked', view: ' Bra ' }, nb).input, { effect: 'worked', view: 'Bra' });
  const wrong = parseFamilyView({ effect: '', view: 'a\u0000' }, nb);
  t.same(wrong.errors, [
    { text: nb('family.err.effect'), href: '#effect' },
    { text: nb('access.err.control', { field: nb('family.view.label') }), href: '#view' },
  ]);
  t.same(wrong.values, { effect: '', view: 'a\u0000' });
});

t.test('a grant: address, scope, concerns, a consent, an end date within it', async (t) => {
  const context = {
    today: '2026-03-15',
    concernIds: [1, 2],
    consents: [{ id: 8, valid_until: '2026-12-31' }],
  };
  const ends = (d: string, m: string, y: string) => ({
    'endsOn-day': d,
    'endsOn-month': m,
    'endsOn-year': y,
  });
  const good = {
    email: ' ola@example.no ',
    scope: 'chosen',
    concernIds: ['2'],
    consentId: '8',
    ...ends('1', '6', '2026'),
  };
  t.same(parseGrant(good, nb, context).input, {
    email: 'ola@example.no',
    all: false,
    concernIds: [2],
    endsOn: '2026-06-01',
    consentId: 8,
  });
  t.same(parseGrant({ ...good, scope: 'all' }, nb, context).input?.concernIds, []);
  t.same(parseGrant({}, nb, context).errors, [
    { text: nb('grant.err.email'), href: '#email' },
    { text: nb('grant.err.scope'), href: '#scope' },
    { text: nb('grant.err.consent'), href: '#consentId' },
    { text: nb('grant.err.endsOn.missing'), href: '#endsOn-day' },
  ]);
  t.same(parseGrant({ ...good, email: 'ola', concernIds: ['3'] }, nb, context).errors, [
    { text: nb('grant.err.emailFormat'), href: '#email' },
    { text: nb('grant.err.concerns'), href: '#concernIds' },
  ]);
  const date = (d: string, m: string, y: string) =>
    parseGrant({ ...good, ...ends(d, m, y) }, nb, context).errors;
  t.same(date('31', '2', '2026'), [{ text: nb('grant.err.endsOn.invalid'), href: '#endsOn-day' }]);
  t.same(date('1', '', '2026'), [{ text: nb('grant.err.endsOn.incomplete'), href: '#endsOn-day' }]);
  t.same(date('14', '3', '2026'), [{ text: nb('grant.err.endsOn.past'), href: '#endsOn-day' }]);
  t.same(date('15', '3', '2026'), [], 'today is fine');
  t.same(date('31', '12', '2026'), [], 'the consent’s last day is fine');
  t.same(date('1', '1', '2027'), [{ text: nb('grant.err.endsOn.afterConsent'), href: '#endsOn-day' }]);
});

t.test('adding a staff member and a leader; a unit', async (t) => {
  const added = parseStaff(
    { email: 'ola@example.no', name: ' Ola ', title: 'Lærer', flags: ['mayHold', 'boss'] },
    nb,
    true,
  );
  t.same(added.input, {
    email: 'ola@example.no',
    name: 'Ola',
    title: 'Lærer',
    flags: ['mayHold'],
    nationalId: '',
  });
  t.same(parseStaff({ email: 'ola' }, nb, true).errors, [
    { text: nb('grant.err.emailFormat'), href: '#email' },
    { text: nb('access.err.required', { field: nb('staff.name') }), href: '#name' },
  ]);
  t.same(
    parseLeader({ email: 'ola@example.no', name: 'Ola', title: 'x'.repeat(500) }, nb),
    {
      values: { email: 'ola@example.no', name: 'Ola' },
      errors: [],
      input: { email: 'ola@example.no', name: 'Ola' },
    },
    'the leader form has no title: a posted one is not read',
  );
  t.same(
    parseLeader({}, nb).errors.map((e) => e.href),
    ['#email', '#name'],
  );
  t.same(parseUnit({ name: ' Skolen ', kind: 'school', districtId: '2' }, nb, [2]).input, {
    name: 'Skolen',
    kind: 'school',
    district_id: 2,
  });
  t.same(parseUnit({ name: '', kind: 'casino', districtId: '3' }, nb, [2]).errors, [
    { text: nb('access.err.required', { field: nb('admin.unit.name') }), href: '#name' },
    { text: nb('admin.err.kind'), href: '#kind' },
    { text: nb('admin.err.district'), href: '#districtId' },
  ]);
});
