/** SQL for concerns: the municipality's categories, one concern, a new one at the end, a save over a version. */
import type { Knex } from 'knex';

export function concernRepository(db: Knex) {
  return {
    categories(municipalityId: number): Promise<{ id: number; label: string; code: string | null }[]> {
      return db('concern_categories')
        .where({ municipality_id: municipalityId })
        .orderBy('position')
        .select('id', 'label', 'code');
    },

    find(logId: number, concernId: number) {
      return db('concerns').where({ id: concernId, log_id: logId }).first();
    },

    /** A new concern, placed after the log's others. */
    async insert(trx: Knex.Transaction, row: Record<string, unknown> & { log_id: number }): Promise<number> {
      const last = await trx('concerns')
        .where({ log_id: row.log_id })
        .max<{ max: number | null }>('position as max')
        .first();
      const [inserted] = await trx('concerns')
        .insert({ ...row, position: (last?.max ?? 0) + 1 })
        .returning('id');
      return inserted.id as number;
    },

    /** Saves only over `version`; false when someone saved in between. */
    async update(logId: number, concernId: number, version: number, changes: Record<string, unknown>) {
      const rows = await db('concerns')
        .where({ id: concernId, log_id: logId, version })
        .update({ ...changes, version: version + 1 })
        .returning('id');
      return rows.length > 0;
    },
  };
}

export type ConcernRepository = ReturnType<typeof concernRepository>;
