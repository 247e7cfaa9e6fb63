/** Measures and their steps in the database (Knex only). Lookups are scoped to one log. */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';
import type { EDIT_STATUSES, MeasureRow, Responsible } from '../../domain/plan.js';

export interface StepRow {
  id: number;
  text: string;
  done: boolean;
  done_on: string | null;
}

export interface ActorOption {
  id: number;
  name: string;
  title: string;
  unitName: string;
}

export interface MeasureFields {
  text: string;
  responsible: Responsible;
  responsible_user_id: number | null;
  start_date: string;
  deadline: string;
  status: (typeof EDIT_STATUSES)[number];
}

export function measureRepository(db: Db) {
  const q = (trx?: Knex.Transaction) => trx ?? db;
  return {
    findInLog(logId: number, measureId: number, trx?: Knex.Transaction): Promise<MeasureRow | undefined> {
      const query = q(trx)('measures').where({ id: measureId, log_id: logId }).first();
      return trx ? query.forUpdate() : query;
    },
    /** The staircase in order, done steps with the day they were marked. */
    steps(measureId: number, trx?: Knex.Transaction): Promise<StepRow[]> {
      return q(trx)('measure_steps')
        .where({ measure_id: measureId })
        .orderBy([{ column: 'position' }, { column: 'id' }])
        .select('id', 'text', 'done', 'done_on');
    },
    /** Marks one step of the measure done (on `day`, by `userId`) or not done; false when it is not there. */
    async markStep(
      measureId: number,
      stepId: number,
      done: { on: string; by: number } | null,
    ): Promise<boolean> {
      const changed = await db('measure_steps')
        .where({ id: stepId, measure_id: measureId })
        .update(
          done
            ? { done: true, done_on: done.on, done_by: done.by }
            : { done: false, done_on: null, done_by: null },
        );
      return changed > 0;
    },
    /**
     * Staff who may be responsible for a measure in this log: people marked as possible actors in the
     * holder's own unit (level 1) or in any unit of the municipality (levels 2 and 3).
     */
    async actors(
      log: { unit_id: number; level: number; municipality_id: number },
      trx?: Knex.Transaction,
    ): Promise<ActorOption[]> {
      const query = q(trx)('unit_memberships as m')
        .join('users as u', 'u.id', 'm.user_id')
        .join('units as n', 'n.id', 'm.unit_id')
        .join('districts as d', 'd.id', 'n.district_id')
        .where({ 'm.may_be_actor': true, 'u.kind': 'staff' })
        .whereNull('u.disabled_at')
        .orderBy([{ column: 'u.name' }, { column: 'u.id' }, { column: 'n.name' }])
        .select('u.id', 'u.name', 'm.title', 'n.name as unit_name');
      if (log.level === 1) query.where('m.unit_id', log.unit_id);
      else query.where('d.municipality_id', log.municipality_id);
      const rows = await query;
      const seen = new Set<number>();
      return rows
        .filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)))
        .map((r) => ({ id: r.id, name: r.name, title: r.title, unitName: r.unit_name }));
    },
    /** The actor's active (not evaluated) measure in the concern, other than `exceptId`. */
    activeForActor(
      concernId: number,
      userId: number,
      exceptId: number | null,
      trx?: Knex.Transaction,
    ): Promise<{ id: number } | undefined> {
      const query = q(trx)('measures')
        .where({ concern_id: concernId, responsible: 'actor', responsible_user_id: userId })
        .whereNot('status', 'evaluated')
        .first('id');
      if (exceptId) query.whereNot('id', exceptId);
      return query;
    },
    async insert(
      trx: Knex.Transaction,
      row: MeasureFields & {
        log_id: number;
        concern_id: number;
        goal_id: number;
        created_by: number;
        corrects_measure_id?: number | null;
        position?: number;
      },
      steps: string[],
      now: Date,
    ): Promise<number> {
      let position = row.position;
      if (position === undefined) {
        await trx.raw('SELECT id FROM goals WHERE id = ? FOR UPDATE', [row.goal_id]);
        const max = await trx('measures')
          .where({ goal_id: row.goal_id })
          .max<{ max: number | null }>('position as max')
          .first();
        position = (max?.max ?? -1) + 1;
      }
      const [inserted] = await trx('measures')
        .insert({ ...row, position, text_written_at: now, created_at: now, updated_at: now })
        .returning('id');
      const id = inserted.id as number;
      await this.saveSteps(trx, id, steps);
      return id;
    },
    /**
     * Saves the steps still to do. The steps already done stay as they are (with their dates), first and
     * in their order; the steps not done are replaced by `remaining`, after them.
     */
    async saveSteps(trx: Knex.Transaction, measureId: number, remaining: string[]): Promise<void> {
      const done = await trx('measure_steps')
        .where({ measure_id: measureId, done: true })
        .orderBy([{ column: 'position' }, { column: 'id' }])
        .select('id');
      await trx('measure_steps').where({ measure_id: measureId, done: false }).delete();
      for (const [position, step] of done.entries())
        await trx('measure_steps').where({ id: step.id }).update({ position });
      if (remaining.length) {
        await trx('measure_steps').insert(
          remaining.map((text, i) => ({ measure_id: measureId, position: done.length + i, text })),
        );
      }
    },
    /** Saves when the row still has `version`; undefined when someone else saved first. */
    async update(
      trx: Knex.Transaction,
      logId: number,
      measureId: number,
      version: number,
      fields: Partial<MeasureFields> | { status: 'evaluated' },
      now: Date,
    ): Promise<MeasureRow | undefined> {
      const [row] = await trx('measures')
        .where({ id: measureId, log_id: logId, version })
        .update({ ...fields, version: trx.raw('version + 1'), updated_at: now })
        .returning('*');
      return row as MeasureRow | undefined;
    },
  };
}

export type MeasureRepository = ReturnType<typeof measureRepository>;
