/** can(): the rules of who may do what with a log, as a table. */
import t from 'tap';
import { can, type Action, type Relationship } from './policy.js';

const nobody: Relationship = {
  isHolder: false,
  isLeader: false,
  isSuperuser: false,
  isGuardian: false,
  isChild: false,
  actorConcernIds: [],
  actorMeasureIds: [],
  grantConcernIds: null,
  logStatus: 'active',
  consentActive: true,
};
const as = (r: Partial<Relationship>): Relationship => ({ ...nobody, ...r });

const people = {
  holder: as({ isHolder: true }),
  leader: as({ isLeader: true }),
  superuser: as({ isSuperuser: true }),
  guardian: as({ isGuardian: true }),
  youth: as({ isChild: true }),
  actor: as({ actorConcernIds: [1], actorMeasureIds: [11] }),
  grantAll: as({ grantConcernIds: 'all' }),
  grantSome: as({ grantConcernIds: [2] }),
  nobody,
};
type Who = keyof typeof people;

const table: [Action, Who[], number | { concernId?: number; measureId?: number } | undefined][] = [
  [
    'log.read',
    ['holder', 'leader', 'superuser', 'guardian', 'youth', 'actor', 'grantAll', 'grantSome'],
    undefined,
  ],
  ['log.readAll', ['holder', 'leader', 'superuser', 'guardian', 'youth', 'grantAll'], undefined],
  ['concern.read', ['holder', 'leader', 'superuser', 'guardian', 'youth', 'grantAll', 'actor'], 1],
  ['concern.read', ['holder', 'leader', 'superuser', 'guardian', 'youth', 'grantAll', 'grantSome'], 2],
  ['log.write', ['holder'], undefined],
  ['glimmer.write', ['holder', 'guardian', 'youth', 'actor'], undefined],
  ['audit.read', ['holder', 'leader', 'guardian', 'youth'], undefined],
  ['measure.progress', ['holder', 'actor'], { concernId: 1, measureId: 11 }],
  ['measure.progress', ['holder'], { concernId: 1, measureId: 12 }],
  ['measure.step', ['holder', 'actor', 'guardian', 'youth'], { concernId: 1, measureId: 11 }],
  ['measure.step', ['holder', 'guardian', 'youth'], { concernId: 1, measureId: 12 }],
  ['familyView.write', ['guardian', 'youth'], undefined],
  ['grant.manage', ['holder'], undefined],
  ['guardians.manage', ['holder'], undefined],
  ['consent.paperwork', ['holder'], undefined],
];

for (const [action, allowed, target] of table) {
  t.test(`${action}${target === undefined ? '' : ` ${JSON.stringify(target)}`}`, async (t) => {
    for (const who of Object.keys(people) as Who[]) {
      t.equal(
        can(people[who], action, target),
        allowed.includes(who),
        `${who}: ${allowed.includes(who) ? 'may' : 'may not'}`,
      );
    }
  });
}

t.test('a passive log or ended consent stops writing, not reading', async (t) => {
  for (const state of [{ logStatus: 'passive' as const }, { consentActive: false }]) {
    t.equal(can(as({ isHolder: true, ...state }), 'log.write'), false);
    t.equal(can(as({ isHolder: true, ...state }), 'log.read'), true);
    t.equal(
      can(as({ actorMeasureIds: [11], actorConcernIds: [1], ...state }), 'measure.progress', {
        measureId: 11,
      }),
      false,
    );
    t.equal(can(as({ isGuardian: true, ...state }), 'familyView.write'), false);
    t.equal(can(as({ isGuardian: true, ...state }), 'measure.step', { measureId: 11 }), false);
    t.equal(can(as({ isGuardian: true, ...state }), 'log.readAll'), true);
  }
});

t.test(
  'the consent paperwork: the holder, also when consent has ended, never on a passive log',
  async (t) => {
    t.equal(can(as({ isHolder: true, consentActive: false }), 'consent.paperwork'), true);
    t.equal(can(as({ isHolder: true, logStatus: 'passive' }), 'consent.paperwork'), false);
  },
);
