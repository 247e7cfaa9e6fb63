import type { Db } from '../../db/knex.js';
import { osloDate } from '../../lib/dates.js';

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

export interface MeasureRow {
  id: number;
  log_id: number;
  concern_id: number;
  goal_id: number;
  text: string;
  responsible: 'actor' | 'guardians' | 'child';
  responsible_user_id: number | null;
  start_date: string;
  deadline: string;
  status: 'planned' | 'ongoing' | 'evaluated';
  version: number;
}

export function accessRepository(db: Db) {
  return {
    findLog(id: number): Promise<LogRow | undefined> {
      return db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .where('l.id', id)
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
        );
    },
    async isGuardianOf(userId: number, logId: number): Promise<boolean> {
      const row = await db('log_guardians').where({ log_id: logId, user_id: userId }).first('user_id');
      if (row) return true;
      const viaChild = await db('logs as l')
        .join('child_guardians as g', 'g.child_id', 'l.child_id')
        .where({ 'l.id': logId, 'g.user_id': userId })
        .first('g.user_id');
      return Boolean(viaChild);
    },
    /** The measures a staff member is responsible for in the log, and so the concerns they take part in. */
    async actorMeasures(
      userId: number,
      logId: number,
    ): Promise<{ concernIds: number[]; measureIds: number[] }> {
      const rows: { id: number; concern_id: number }[] = await db('measures')
        .where({ log_id: logId, responsible: 'actor', responsible_user_id: userId })
        .select('id', 'concern_id');
      return { concernIds: [...new Set(rows.map((r) => r.concern_id))], measureIds: rows.map((r) => r.id) };
    },
    findMeasure(logId: number, measureId: number): Promise<MeasureRow | undefined> {
      return db('measures')
        .where({ id: measureId, log_id: logId })
        .first(
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
        );
    },
    async grantConcernIds(userId: number, logId: number, now: Date): Promise<number[] | 'all' | null> {
      const grants = await db('read_grants')
        .where({ log_id: logId, user_id: userId })
        .whereNull('withdrawn_at')
        .where('ends_on', '>=', osloDate(now));
      if (grants.length === 0) return null;
      if (grants.some((g) => g.all_concerns)) return 'all';
      return grants.flatMap((g) => (g.concern_ids as number[]) ?? []);
    },
    async consentActive(logId: number, now: Date): Promise<boolean> {
      const row = await db('consents')
        .where({ log_id: logId })
        .whereNull('withdrawn_at')
        .where('valid_until', '>=', osloDate(now))
        .first('id');
      return Boolean(row);
    },
  };
}
