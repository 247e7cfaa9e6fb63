/**
 * Statistics: how many children or pupils each unit has per school year (entered by its leader; the
 * denominator of coverage, the share of children with a log), and indexes for the statistics' summary
 * queries on a city-sized municipality.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('unit_child_counts', (t) => {
    t.integer('unit_id').notNullable().references('units.id').onDelete('CASCADE');
    // The school year by the year it starts: 2026 is 1 August 2026 – 31 July 2027.
    t.smallint('school_year').notNullable();
    t.integer('children').notNullable();
    t.integer('updated_by').notNullable().references('users.id');
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['unit_id', 'school_year']);
  });
  await knex.raw(`
    ALTER TABLE unit_child_counts ADD CONSTRAINT unit_child_counts_children_check CHECK (children BETWEEN 0 AND 100000);
    ALTER TABLE unit_child_counts ADD CONSTRAINT unit_child_counts_year_check CHECK (school_year BETWEEN 2000 AND 2200);
  `);

  // Oslo calendar days, kept beside their timestamps: periods and months compare days, and turning a
  // timestamp into an Oslo day row by row costs more than the rest of a summary query.
  await knex.raw(`
    ALTER TABLE logs
      ADD COLUMN created_day date GENERATED ALWAYS AS ((created_at AT TIME ZONE 'Europe/Oslo')::date) STORED,
      ADD COLUMN closed_day date GENERATED ALWAYS AS ((closed_at AT TIME ZONE 'Europe/Oslo')::date) STORED;
    ALTER TABLE evaluations
      ADD COLUMN evaluated_day date GENERATED ALWAYS AS ((evaluated_at AT TIME ZONE 'Europe/Oslo')::date) STORED;
  `);

  // The summary queries read only what a figure needs: measures not yet evaluated (now), deadlines in a
  // period, evaluations and meetings in a period, active concerns.
  await knex.raw(`
    CREATE INDEX measures_open_by_log ON measures (log_id) INCLUDE (deadline, concern_id, responsible)
      WHERE status <> 'evaluated';
    CREATE INDEX measures_deadline ON measures (deadline) INCLUDE (log_id);
    CREATE INDEX evaluations_log_day ON evaluations (log_id, evaluated_day);
    CREATE INDEX evaluations_day ON evaluations (evaluated_day);
    CREATE INDEX meetings_held ON meetings (starts_at) INCLUDE (log_id) WHERE status = 'closed';
    CREATE INDEX concerns_active_by_log ON concerns (log_id) INCLUDE (category_id) WHERE status = 'active';
    CREATE INDEX logs_unit_created ON logs (unit_id, created_day);
    CREATE INDEX log_closures_closed_on ON log_closures (closed_on) INCLUDE (log_id) WHERE kind = 'closed';
    CREATE INDEX transfers_pending_from ON transfers (from_unit_id) WHERE status = 'pending';
  `);
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
