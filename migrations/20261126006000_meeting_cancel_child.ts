/**
 * Meetings can be cancelled (with the reason and who did it, kept for the record), and the child can
 * take part in a meeting: the participant row that is the child is marked, so the form and the
 * invitations know it without comparing names. A transfer records whether the old holder stays a
 * participant of the meetings still to come.
 */
import type { Knex } from 'knex';

export const MEETING_STATUSES_WITH_CANCELLED = ['planned', 'running', 'closed', 'cancelled'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('meetings', (t) => {
    t.text('cancel_reason').notNullable().defaultTo('');
    t.timestamp('cancelled_at', { useTz: true }).nullable();
    t.integer('cancelled_by').nullable().references('users.id');
  });
  await knex.raw(`
    ALTER TABLE meetings DROP CONSTRAINT meetings_status_check;
    ALTER TABLE meetings ADD CONSTRAINT meetings_status_check
      CHECK (status IN (${MEETING_STATUSES_WITH_CANCELLED.map((s) => `'${s}'`).join(', ')}));
    ALTER TABLE meetings ADD CONSTRAINT meetings_cancelled_check
      CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL));
  `);
  await knex.schema.alterTable('meeting_participants', (t) => {
    t.boolean('is_child').notNullable().defaultTo(false);
  });
  await knex.schema.alterTable('transfers', (t) => {
    t.boolean('old_holder_stays_in_meetings').notNullable().defaultTo(false);
  });
  await knex.raw(
    'CREATE UNIQUE INDEX meeting_participants_one_child ON meeting_participants (meeting_id) WHERE is_child',
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
