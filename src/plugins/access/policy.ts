/**
 * Who may do what with a log: one pure function, decided from the person's relationship to the log.
 * Every route asks here (through request.logAccess, plugins/access); anything not allowed answers 404.
 */
export type Action =
  | 'log.read' // open the log page (what is shown is then filtered per concern)
  | 'log.write' // write the plan: concerns, goals, measures, evaluations, log notes (rule 9)
  | 'log.readAll' // see every concern (not only one's own)
  | 'concern.read'
  | 'glimmer.write'
  | 'audit.read'
  | 'log.supervise' // leader actions: reopen, delete, transfer for someone else
  | 'log.transfer' // hand the log on (or export it): the holder, or the unit leader on their behalf (rule 10)
  | 'log.close' // set an active log passive: the holder, also when consent has ended
  | 'log.reopen' // reopen a passive log with new consent: the unit leader (rule 11)
  | 'log.delete' // delete a passive log: the unit leader (rule 11)
  | 'consent.renew' // register new consent on an active log: the holder or the unit leader
  | 'consent.withdraw' // withdraw consent in force: the family (guardian, youth) or the holder
  | 'consent.paperwork' // print the consent form and letter, upload the signed form: the holder
  | 'measure.progress' // mark one's own measure planned/ongoing and comment on it: its actor, or the holder
  | 'measure.step' // mark a step of the staircase done (or not): the measure's actor, the holder, the family
  | 'familyView.write' // record the family's view on a measure due for evaluation: guardians, the youth
  | 'grant.manage' // give and withdraw read grants: the holder
  | 'guardians.manage'; // register guardians on the log, invite them, remove one: the holder

/** What an action is about, beyond the log: a concern (a number, as before) or a measure in it. */
export type Target = number | { concernId?: number; measureId?: number };

export interface Relationship {
  isHolder: boolean;
  isLeader: boolean; // leader of the holder's unit
  isSuperuser: boolean; // superuser of the holder's unit
  isGuardian: boolean;
  isChild: boolean; // the youth themself, with own access
  actorConcernIds: number[]; // concerns where the person is responsible for a measure
  actorMeasureIds: number[]; // the measures the person is responsible for
  grantConcernIds: number[] | 'all' | null; // an active read grant
  logStatus: 'active' | 'passive';
  consentActive: boolean;
}

export function can(r: Relationship, action: Action, target?: Target): boolean {
  const concernId = typeof target === 'number' ? target : target?.concernId;
  const measureId = typeof target === 'number' ? undefined : target?.measureId;
  const writable = r.logStatus === 'active' && r.consentActive;
  const seesAll =
    r.isHolder || r.isGuardian || r.isChild || r.isLeader || r.isSuperuser || r.grantConcernIds === 'all';
  const sees = (id: number | undefined) =>
    seesAll ||
    (id !== undefined &&
      (r.actorConcernIds.includes(id) ||
        (Array.isArray(r.grantConcernIds) && r.grantConcernIds.includes(id))));
  switch (action) {
    case 'log.read':
      return (
        seesAll ||
        r.actorConcernIds.length > 0 ||
        (Array.isArray(r.grantConcernIds) && r.grantConcernIds.length > 0)
      );
    case 'log.readAll':
      return seesAll;
    case 'concern.read':
      return sees(concernId);
    case 'log.write':
      return r.isHolder && r.logStatus === 'active' && r.consentActive;
    case 'glimmer.write':
      return (
        r.logStatus === 'active' &&
        r.consentActive &&
        (r.isHolder || r.isGuardian || r.isChild || r.actorConcernIds.length > 0)
      );
    case 'audit.read':
      return r.isHolder || r.isLeader || r.isGuardian || r.isChild;
    case 'log.supervise':
      return r.isLeader;
    case 'log.transfer':
      return (r.isHolder || r.isLeader) && r.logStatus === 'active' && r.consentActive;
    case 'log.close':
      return r.isHolder && r.logStatus === 'active';
    case 'log.reopen':
    case 'log.delete':
      return r.isLeader && r.logStatus === 'passive';
    case 'consent.renew':
      return (r.isHolder || r.isLeader) && r.logStatus === 'active';
    case 'consent.withdraw':
      return (r.isGuardian || r.isChild || r.isHolder) && r.logStatus === 'active' && r.consentActive;
    case 'consent.paperwork':
      // Also when consent has run out or was withdrawn: that is when a new form is signed.
      return r.isHolder && r.logStatus === 'active';
    case 'measure.progress':
      return writable && (r.isHolder || (measureId !== undefined && r.actorMeasureIds.includes(measureId)));
    case 'measure.step':
      return (
        writable &&
        (r.isHolder ||
          r.isGuardian ||
          r.isChild ||
          (measureId !== undefined && r.actorMeasureIds.includes(measureId)))
      );
    case 'familyView.write':
      return writable && (r.isGuardian || r.isChild);
    case 'grant.manage':
    case 'guardians.manage':
      return r.isHolder && r.logStatus === 'active';
  }
}
