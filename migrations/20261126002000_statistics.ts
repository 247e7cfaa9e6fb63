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
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
