/** The audit_events table: rows are only ever inserted (the database refuses anything else). */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';

export function auditRepository(db: Db) {
  return {
    /** Inserts the rows, inside `trx` when given. */
    async insert(rows: object | object[], trx?: Knex.Transaction): Promise<void> {
      await (trx ?? db)('audit_events').insert(rows);
    },
  };
}
