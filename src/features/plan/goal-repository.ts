/** Goals in the database (Knex only). Every lookup is scoped to one log: an id from another log is not found. */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';

export interface GoalRow {
  id: number;
  log_id: number;
  concern_id: number;
  text: string;
  owner: 'child' | 'guardian' | 'professional' | null;
  owner_words: string;
  arena: 'school' | 'home' | 'leisure' | 'network' | null;
  target_date: string | null;
  status: 'active' | 'achieved' | 'not_achieved' | 'replaced';
  decision: string | null;
  replaced_by: number | null;
  position: number;
  version: number;
}

export interface GoalFields {
  text: string;
  owner: GoalRow['owner'];
  owner_words: string;
  arena: GoalRow['arena'];
  target_date: string | null;
  status: GoalRow['status'];
}

export interface ConcernRow {
  id: number;
  log_id: number;
  title: string;
  status: string;
}

export function goalRepository(db: Db) {
  const q = (trx?: Knex.Transaction) => trx ?? db;
  return {
    findInLog(logId: number, goalId: number, trx?: Knex.Transaction): Promise<GoalRow | undefined> {
      return q(trx)('goals').where({ id: goalId, log_id: logId }).first();
    },
    findConcern(logId: number, concernId: number): Promise<ConcernRow | undefined> {
      return db('concerns').where({ id: concernId, log_id: logId }).first('id', 'log_id', 'title', 'status');
    },
    async childFirstName(childId: number): Promise<string> {
      const row = await db('children').where({ id: childId }).first('first_name');
      return (row?.first_name as string | undefined) ?? '';
    },
    async countActive(concernId: number): Promise<number> {
      const row = await db('goals')
        .where({ concern_id: concernId, status: 'active' })
        .count<{ count: number }>('id as count')
        .first();
      return Number(row?.count ?? 0);
    },
    async insert(
      trx: Knex.Transaction,
      row: GoalFields & { log_id: number; concern_id: number; created_by: number; now: Date },
    ): Promise<number> {
      const { now, ...fields } = row;
      // Next position in the concern; the lock keeps two simultaneous creates from sharing one.
      await trx.raw('SELECT id FROM concerns WHERE id = ? FOR UPDATE', [row.concern_id]);
      const max = await trx('goals')
        .where({ concern_id: row.concern_id })
        .max<{ max: number | null }>('position as max')
        .first();
      const [inserted] = await trx('goals')
        .insert({ ...fields, position: (max?.max ?? -1) + 1, created_at: now, updated_at: now })
        .returning('id');
      return inserted.id as number;
    },
    /** Saves when the row still has `version`; undefined when someone else saved first (or it is gone). */
    async update(
      logId: number,
      goalId: number,
      version: number,
      fields: Partial<GoalFields> & { decision?: string | null; now: Date },
      trx?: Knex.Transaction,
    ): Promise<GoalRow | undefined> {
      const { now, ...rest } = fields;
      const [row] = await q(trx)('goals')
        .where({ id: goalId, log_id: logId, version })
        .update({ ...rest, version: db.raw('version + 1'), updated_at: now })
        .returning('*');
      return row as GoalRow | undefined;
    },
    async setReplacedBy(
      trx: Knex.Transaction,
      logId: number,
      goalId: number,
      replacedBy: number,
    ): Promise<void> {
      await trx('goals').where({ id: goalId, log_id: logId }).update({ replaced_by: replacedBy });
    },
    /** The goals of a concern in display order, locked for reordering. */
    siblingsForUpdate(trx: Knex.Transaction, concernId: number): Promise<{ id: number; position: number }[]> {
      return trx('goals')
        .where({ concern_id: concernId })
        .orderBy([{ column: 'position' }, { column: 'id' }])
        .forUpdate()
        .select('id', 'position');
    },
    async setPosition(trx: Knex.Transaction, goalId: number, position: number): Promise<void> {
      await trx('goals').where({ id: goalId }).update({ position });
    },
  };
}

export type GoalRepository = ReturnType<typeof goalRepository>;
