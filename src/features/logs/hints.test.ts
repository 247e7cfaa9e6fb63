import t from 'tap';
import { planHints, consentState } from './hints.js';
import type { ConcernView, GoalView, MeasureView } from '../../domain/plan-tree.js';

const today = '2026-11-23';
const measure = (
  responsible: MeasureView['responsible'],
  deadline = '2026-12-10',
  status: MeasureView['status'] = 'planned',
): MeasureView => ({
  id: Math.floor(Math.random() * 1e6),
  goalId: 1,
  concernId: 1,
  text: `Tiltak ${responsible}`,
  responsible,
  responsibleUserId: null,
  responsibleName: '',
  startDate: '2026-11-01',
  deadline,
  status,
  correctsMeasureId: null,
  position: 1,
  version: 1,
  textWrittenAt: new Date(),
  steps: [],
  evaluation: null,
});
const goal = (
  measures: MeasureView[],
  owner: GoalView['owner'] = 'child',
  status: GoalView['status'] = 'active',
): GoalView => ({
  id: Math.floor(Math.random() * 1e6),
  concernId: 1,
  text: 'Målet',
  owner,
  ownerWords: '',
  arena: 'school',
  targetDate: null,
  status,
  decision: null,
  position: 1,
  version: 1,
  measures,
});
const concern = (goals: GoalView[]): ConcernView => ({
  id: 1,
  title: 'Oppmerksomheten',
  categoryId: null,
  categoryLabel: null,
  categoryCode: null,
  isActivityPlan: false,
  successIndicator: '',
  mfWorldView: '',
  mfCoping: '',
  mfPreconditions: '',
  mfService: '',
  mfHome: '',
  status: 'active',
  closingReason: null,
  position: 1,
  version: 1,
  goals,
});
const keys = (concerns: ConcernView[], extra: Partial<Parameters<typeof planHints>[0]> = {}) =>
  planHints({
    concerns,
    today,
    consentValidUntil: '2027-11-01',
    consentWithdrawn: false,
    isIndividualPlan: false,
    lifeAreasFilled: true,
    formatDate: (d) => d,
    ...extra,
  }).map((h) => h.key);

t.test('a complete concern gets no hints', async (t) => {
  t.same(keys([concern([goal([measure('actor'), measure('guardians'), measure('child')])])]), []);
});

t.test('missing service, home or child measure is hinted per concern', async (t) => {
  t.same(keys([concern([goal([measure('actor')])])]), ['hint.concernNoHome', 'hint.concernNoChild']);
  t.same(keys([concern([goal([measure('guardians'), measure('child')])])]), ['hint.concernNoService']);
  t.same(
    keys([
      concern([goal([measure('actor'), measure('guardians'), measure('child', '2026-12-01', 'evaluated')])]),
    ]),
    ['hint.concernNoChild'],
    'evaluated measures do not count',
  );
});

t.test('more than three active goals, and goals without owner', async (t) => {
  const full = [measure('actor'), measure('guardians'), measure('child')];
  const four = [concern([goal(full), goal([]), goal([]), goal([], null)])];
  const k = keys(four);
  t.ok(k.includes('hint.tooManyGoals'));
  t.equal(k.filter((x) => x === 'hint.goalNoOwner').length, 1);
  t.notOk(keys([concern([goal(full), goal([]), goal([])])]).includes('hint.tooManyGoals'), 'three is fine');
  t.notOk(
    keys([concern([goal(full), goal([]), goal([]), goal([], 'child', 'achieved')])]).includes(
      'hint.tooManyGoals',
    ),
    'achieved goals do not count',
  );
});

t.test('measures past their deadline without evaluation', async (t) => {
  const k = keys([
    concern([
      goal([
        measure('actor', '2026-11-22'),
        measure('guardians'),
        measure('child', '2026-11-01', 'evaluated'),
      ]),
    ]),
  ]);
  t.equal(k.filter((x) => x === 'hint.overdue').length, 1);
});

t.test('consent expiring within 30 days, and the states of consent', async (t) => {
  t.ok(keys([], { consentValidUntil: '2026-12-20' }).includes('hint.consentExpiring'));
  t.notOk(keys([], { consentValidUntil: '2027-01-20' }).includes('hint.consentExpiring'));
  t.equal(consentState({ valid_until: '2026-12-20', withdrawn_at: null }, today), 'expiring');
  t.equal(consentState({ valid_until: '2026-11-22', withdrawn_at: null }, today), 'expired');
  t.equal(consentState({ valid_until: '2027-12-20', withdrawn_at: new Date() }, today), 'withdrawn');
  t.equal(consentState(undefined, today), 'missing');
  t.equal(consentState({ valid_until: '2027-12-20', withdrawn_at: null }, today), 'active');
});

t.test('an individual plan without life areas is told to fill them in first', async (t) => {
  t.ok(keys([], { isIndividualPlan: true, lifeAreasFilled: false }).includes('hint.lifeAreasFirst'));
  t.notOk(keys([], { isIndividualPlan: true, lifeAreasFilled: true }).includes('hint.lifeAreasFirst'));
});
