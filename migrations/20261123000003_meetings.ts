import type { Knex } from 'knex';

export const MEETING_MODES = ['in_person', 'phone', 'video'] as const;
export const MEETING_STATUSES = ['planned', 'running', 'closed'] as const;
/** The phases of a meeting, from the "Gode møter" guide. */
export const MEETING_PHASES = [
  'welcome',
  'current_situation',
  'concerns_goals',
  'measures',
  'summary',
  'closing',
] as const;
export const PRINT_REASONS = ['meeting', 'yearly', 'transfer', 'closing', 'deletion'] as const;

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('meetings', (t) => {
    t.increments('id');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.smallint('duration_minutes').notNullable().defaultTo(60);
    t.string('mode', 20).notNullable().defaultTo('in_person');
    t.string('place', 300).notNullable().defaultTo('');
    t.text('purpose').notNullable();
    t.string('status', 20).notNullable().defaultTo('planned');
    t.string('current_phase', 30).nullable();
    t.text('agreements').notNullable().defaultTo('');
    t.timestamp('next_meeting_at', { useTz: true }).nullable();
    t.timestamp('started_at', { useTz: true }).nullable();
    t.timestamp('closed_at', { useTz: true }).nullable();
    t.integer('closed_by').nullable().references('users.id');
    t.integer('created_by').notNullable().references('users.id');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['log_id', 'starts_at']);
  });
  await knex.raw(`
    ALTER TABLE meetings ADD CONSTRAINT meetings_mode_check CHECK (mode IN (${list(MEETING_MODES)}));
    ALTER TABLE meetings ADD CONSTRAINT meetings_status_check CHECK (status IN (${list(MEETING_STATUSES)}));
    ALTER TABLE meetings ADD CONSTRAINT meetings_phase_check CHECK (current_phase IS NULL OR current_phase IN (${list(MEETING_PHASES)}));
    ALTER TABLE meetings ADD CONSTRAINT meetings_duration_check CHECK (duration_minutes BETWEEN 10 AND 480);
    -- One meeting at a time runs in a log.
    CREATE UNIQUE INDEX meetings_one_running_per_log ON meetings (log_id) WHERE status = 'running';
  `);

  // People in the log (user_id) or others by name and role.
  await knex.schema.createTable('meeting_participants', (t) => {
    t.increments('id');
    t.integer('meeting_id').notNullable().references('meetings.id').onDelete('CASCADE');
    t.integer('user_id').nullable().references('users.id');
    t.string('name', 200).notNullable().defaultTo('');
    t.string('role', 200).notNullable().defaultTo('');
    t.smallint('position').notNullable().defaultTo(0);
    t.index(['meeting_id']);
  });
  await knex.raw(`
    ALTER TABLE meeting_participants ADD CONSTRAINT meeting_participants_who_check CHECK (user_id IS NOT NULL OR name <> '');
    CREATE UNIQUE INDEX meeting_participants_user_unique ON meeting_participants (meeting_id, user_id) WHERE user_id IS NOT NULL;
  `);

  // The family's evaluation of a meeting: the follow-up guide's questions on a scale of 1–5 (null: not answered).
  await knex.schema.createTable('meeting_evaluations', (t) => {
    t.increments('id');
    t.integer('meeting_id').notNullable().references('meetings.id').onDelete('CASCADE');
    t.string('respondent', 20).notNullable(); // guardian | child | other
    t.smallint('said_what_wanted').nullable();
    t.smallint('understood').nullable();
    t.smallint('talked_about_important').nullable();
    t.smallint('respected').nullable();
    t.smallint('language_clear').nullable();
    t.smallint('help_coherent').nullable();
    t.text('could_be_different').notNullable().defaultTo('');
    t.integer('recorded_by').notNullable().references('users.id');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['meeting_id']);
  });
  await knex.raw(`
    ALTER TABLE meeting_evaluations ADD CONSTRAINT meeting_evaluations_respondent_check CHECK (respondent IN ('guardian', 'child', 'other'));
    ALTER TABLE meeting_evaluations ADD CONSTRAINT meeting_evaluations_scale_check CHECK (
      coalesce(said_what_wanted, 1) BETWEEN 1 AND 5 AND coalesce(understood, 1) BETWEEN 1 AND 5 AND
      coalesce(talked_about_important, 1) BETWEEN 1 AND 5 AND coalesce(respected, 1) BETWEEN 1 AND 5 AND
      coalesce(language_clear, 1) BETWEEN 1 AND 5 AND coalesce(help_coherent, 1) BETWEEN 1 AND 5);
  `);

  // Every PDF made of a log is kept as an archive record. log_ref keeps the log's id after the log is
  // deleted (a print is made before deletion: archive duty), when log_id is set to null.
  await knex.schema.createTable('archive_prints', (t) => {
    t.increments('id');
    t.integer('log_id').nullable().references('logs.id').onDelete('SET NULL');
    t.integer('log_ref').notNullable();
    t.integer('meeting_id').nullable().references('meetings.id').onDelete('SET NULL');
    t.string('reason', 20).notNullable();
    t.integer('made_by').nullable().references('users.id');
    t.timestamp('made_at', { useTz: true }).notNullable();
    t.string('filename', 200).notNullable();
    t.integer('size').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('pdf').notNullable();
    t.index(['log_id', 'made_at']);
    t.index(['log_ref']);
  });
  await knex.raw(
    `ALTER TABLE archive_prints ADD CONSTRAINT archive_prints_reason_check CHECK (reason IN (${list(PRINT_REASONS)}))`,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
