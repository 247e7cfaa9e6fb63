/** Who may see and act on a transfer: decided from the transfer, not the log (the receiver cannot read it yet). */
import t from 'tap';
import type { CurrentUser, Membership } from '../../types.js';
import { canOnTransfer, transferRelation, type TransferAction, type TransferFacts } from './policy.js';

const member = (unitId: number, isLeader = false): Membership => ({
  unitId,
  unitName: '',
  unitKind: 'school',
  title: '',
  isLeader,
  isSuperuser: false,
  mayHold: true,
  mayBeActor: true,
});
const user = (id: number, memberships: Membership[], kind: CurrentUser['kind'] = 'staff'): CurrentUser => ({
  id,
  name: '',
  email: '',
  kind,
  isMunicipalAdmin: false,
  municipalityId: 1,
  municipalityName: '',
  memberships,
  sessionId: '',
  sessionEndsAt: new Date(),
});
const transfer = (over: Partial<TransferFacts> = {}): TransferFacts => ({
  status: 'pending',
  created_by: 1,
  from_holder_id: 1,
  to_unit_id: 20,
  to_user_id: null,
  log_holder_id: 1,
  log_unit_id: 10,
  from_unit_id: 10,
  log_municipality_id: 1,
  ...over,
});
const actions: TransferAction[] = ['read', 'accept', 'decline', 'assign', 'withdraw'];
const allowed = (u: CurrentUser, x: TransferFacts) =>
  actions.filter((a) => canOnTransfer(transferRelation(u, x), x, a));

t.test('sent to the receiving leader', async (t) => {
  const x = transfer();
  t.same(allowed(user(1, [member(10)]), x), ['read', 'withdraw'], 'the sender reads and withdraws');
  t.same(
    allowed(user(2, [member(20, true)]), x),
    ['read', 'decline', 'assign'],
    'the receiving leader picks or declines',
  );
  t.same(
    allowed(user(3, [member(10, true)]), x),
    ['read', 'withdraw'],
    'the sending leader may withdraw for the holder',
  );
  t.same(allowed(user(4, [member(20)]), x), [], 'a colleague in the receiving unit: nothing');
  t.same(allowed(user(5, [], 'guardian'), x), [], 'a guardian: nothing (the log page shows it pending)');
  t.same(
    allowed({ ...user(2, [member(20, true)]), municipalityId: 2 }, x),
    [],
    'another municipality: nothing',
  );
});

t.test('addressed to a person', async (t) => {
  const x = transfer({ to_user_id: 4 });
  t.same(
    allowed(user(4, [member(20)]), x),
    ['read', 'accept', 'decline'],
    'the receiver accepts or declines',
  );
  t.same(allowed(user(2, [member(20, true)]), x), ['read'], 'the receiving leader follows it');
});

t.test('once decided, only reading is left', async (t) => {
  for (const status of ['accepted', 'declined', 'withdrawn'] as const) {
    const x = transfer({ to_user_id: 4, status });
    t.same(allowed(user(4, [member(20)]), x), ['read'], status);
    t.same(allowed(user(1, [member(10)]), x), ['read'], status);
  }
});
