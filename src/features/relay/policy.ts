/**
 * Who may do what with a transfer. The receiver has no relationship to the log yet (they may not read
 * it before accepting), so these rules are decided from the transfer itself; anything not allowed
 * answers 404, as for logs.
 */
import type { CurrentUser } from '../../types.js';

export interface TransferFacts {
  status: 'pending' | 'accepted' | 'declined' | 'withdrawn';
  created_by: number;
  from_holder_id: number;
  to_unit_id: number;
  to_user_id: number | null;
  log_holder_id: number;
  log_unit_id: number;
  from_unit_id: number;
  log_municipality_id: number;
}

export type TransferAction = 'read' | 'accept' | 'decline' | 'assign' | 'withdraw';

export interface TransferRelation {
  /** The one the transfer is addressed to. */
  isReceiver: boolean;
  /** Leader of the receiving unit (who picks the holder when it was sent to the leader). */
  isReceivingLeader: boolean;
  /** The holder who sent it, the one who sent it on their behalf, or the log's holder now. */
  isSender: boolean;
  /** Leader of the unit the log is held in. */
  isSendingLeader: boolean;
}

export function transferRelation(user: CurrentUser, t: TransferFacts): TransferRelation | null {
  if (user.kind !== 'staff' || user.municipalityId !== t.log_municipality_id) return null;
  const leads = (unitId: number) => user.memberships.some((m) => m.unitId === unitId && m.isLeader);
  return {
    isReceiver: t.to_user_id === user.id,
    isReceivingLeader: leads(t.to_unit_id),
    isSender: t.from_holder_id === user.id || t.created_by === user.id || t.log_holder_id === user.id,
    isSendingLeader: leads(t.from_unit_id) || leads(t.log_unit_id),
  };
}

export function canOnTransfer(r: TransferRelation | null, t: TransferFacts, action: TransferAction): boolean {
  if (!r) return false;
  const pending = t.status === 'pending';
  switch (action) {
    case 'read':
      return r.isReceiver || r.isReceivingLeader || r.isSender || r.isSendingLeader;
    case 'accept':
      return pending && r.isReceiver;
    case 'decline':
      return pending && (r.isReceiver || (t.to_user_id === null && r.isReceivingLeader));
    case 'assign':
      return pending && t.to_user_id === null && r.isReceivingLeader;
    case 'withdraw':
      return pending && (r.isSender || r.isSendingLeader);
  }
}
