/**
 * The staircase's progress: when a step was marked done and by whom. A step that is not done has no
 * date. Steps marked done before this migration keep done = true without a date.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('measure_steps', (t) => {
    t.date('done_on').nullable();
    t.integer('done_by').nullable().references('users.id').onDelete('SET NULL');
    t.index(['measure_id', 'position']);
  });
  await knex.raw(
    'ALTER TABLE measure_steps ADD CONSTRAINT measure_steps_done_on CHECK (done OR (done_on IS NULL AND done_by IS NULL))',
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
