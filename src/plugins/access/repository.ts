import type { Db } from '../../db/knex.js';
import type { MeasureRow as FullMeasureRow } from '../../domain/plan.js';
import { osloDate } from '../../lib/dates.js';
import { exists, none, row, rows } from '../../db/one-statement.js';

export interface LogRow {
  id: number;
  child_id: number;
  child_user_id: number | null;
  child_birth_date: string;
  plan_type: string;
  level: number;
  holder_id: number;
  unit_id: number;
  municipality_id: number;
  status: 'active' | 'passive';
  version: number;
}

/** The measure's columns that request.measureAccess loads: what the access decision and the routes use. */
const MEASURE_COLUMNS = [
  'id',
  'log_id',
  'concern_id',
  'goal_id',
  'text',
  'responsible',
  'responsible_user_id',
  'start_date',
  'deadline',
  'status',
  'version',
] as const;

/** The measure of request.measureAccess. */
export type MeasureRow = Pick<FullMeasureRow, (typeof MEASURE_COLUMNS)[number]>;

/** Who asks: what the relationship query needs to know about the person. */
export interface Asker {
  id: number;
  kind: 'staff' | 'guardian' | 'youth';
}

export function accessRepository(db: Db) {
  return {
    /**
     * Everything the access decision needs, as parts of one statement (src/db/one-statement.ts): the
     * log, whether the person is its guardian, the measures they are responsible for, their read
     * grants, whether consent is in force, and (for a measure route) the measure. Parts a person of
     * this kind cannot have are not sent.
     */
    relationshipParts(logId: number, asker: Asker, now: Date, measureId?: number | null) {
      const today = osloDate(now);
      return {
        log: row<LogRow>(
          db('logs as l')
            .join('children as c', 'c.id', 'l.child_id')
            .where('l.id', logId)
            .first(
              'l.id',
              'l.child_id',
              'c.user_id as child_user_id',
              'c.birth_date as child_birth_date',
              'l.plan_type',
              'l.level',
              'l.holder_id',
              'l.unit_id',
              'c.municipality_id',
              'l.status',
              'l.version',
            ),
        ),
        isGuardian:
          asker.kind === 'guardian'
            ? exists(
                db('log_guardians')
                  .where({ log_id: logId, user_id: asker.id })
                  .select('user_id')
                  .unionAll(
                    db('logs as l')
                      .join('child_guardians as g', 'g.child_id', 'l.child_id')
                      .where({ 'l.id': logId, 'g.user_id': asker.id })
                      .select('g.user_id'),
                  ),
              )
            : none(false),
        actorMeasures:
          asker.kind === 'staff'
            ? rows<{ id: number; concern_id: number }>(
                db('measures')
                  .where({ log_id: logId, responsible: 'actor', responsible_user_id: asker.id })
                  .orderBy('id')
                  .select('id', 'concern_id'),
              )
            : none([]),
        grants:
          asker.kind === 'staff'
            ? rows<{ all_concerns: boolean; concern_ids: number[] | null }>(
                db('read_grants')
                  .where({ log_id: logId, user_id: asker.id })
                  .whereNull('withdrawn_at')
                  .where('ends_on', '>=', today)
                  .orderBy('id')
                  .select('all_concerns', 'concern_ids'),
              )
            : none([]),
        consentActive: exists(
          db('consents')
            .where({ log_id: logId })
            .whereNull('withdrawn_at')
            .where('valid_until', '>=', today)
            .select('id'),
        ),
        measure:
          measureId !== undefined && measureId !== null
            ? row<MeasureRow>(
                db('measures')
                  .where({ id: measureId, log_id: logId })
                  .first(...MEASURE_COLUMNS),
              )
            : none<MeasureRow | undefined>(undefined),
      };
    },
  };
}

export type AccessRepository = ReturnType<typeof accessRepository>;

/** The read grants' concerns: 'all' when one grant covers the whole log, null when there is none. */
export function grantedConcerns(
  grants: { all_concerns: boolean; concern_ids: number[] | null }[],
): number[] | 'all' | null {
  if (grants.length === 0) return null;
  if (grants.some((g) => g.all_concerns)) return 'all';
  return grants.flatMap((g) => g.concern_ids ?? []);
}
