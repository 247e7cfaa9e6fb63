/**
 * Between meetings: glimmers, notes (private and log notes) with their history, PDF attachments on log
 * notes, e-mail notification preferences, and the keys that keep a scheduled notice from going out twice.
 * The job queue itself (pg-boss) keeps its own schema and creates it at start.
 */
import type { Knex } from 'knex';

export const NOTIFICATION_KINDS = [
  'log_created',
  'transfer',
  'measure_assigned',
  'deadline_soon',
  'weekly_glimmer',
  'consent_expiring',
] as const;
/** Largest attachment stored, in bytes; the upload route stops reading at the configured limit, this is the hard ceiling. */
export const ATTACHMENT_HARD_LIMIT = 20 * 1024 * 1024;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('glimmers', (t) => {
    t.increments('id');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    // Tied to a concern: then only those who see that concern see the glimmer (rule 8).
    t.integer('concern_id').nullable().references('concerns.id').onDelete('CASCADE');
    t.integer('author_id').notNullable().references('users.id');
    t.string('author_role', 20).notNullable();
    t.text('text').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('edited_at', { useTz: true }).nullable();
    t.index(['log_id', 'created_at']);
    t.index(['author_id', 'created_at']);
  });
  await knex.raw(
    `ALTER TABLE glimmers ADD CONSTRAINT glimmers_text_check CHECK (char_length(text) BETWEEN 1 AND 1000)`,
  );

  // Private notes: the author's alone (log_id and concern_id null). Log notes: the holder's, tied to a concern.
  await knex.schema.createTable('notes', (t) => {
    t.increments('id');
    t.string('kind', 10).notNullable();
    t.integer('author_id').notNullable().references('users.id');
    t.integer('log_id').nullable().references('logs.id').onDelete('CASCADE');
    t.integer('concern_id').nullable().references('concerns.id').onDelete('CASCADE');
    t.text('text').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['author_id', 'kind', 'updated_at']);
    t.index(['log_id', 'concern_id']);
  });
  await knex.raw(`
    ALTER TABLE notes ADD CONSTRAINT notes_kind_check CHECK (
      (kind = 'private' AND log_id IS NULL AND concern_id IS NULL) OR
      (kind = 'log' AND log_id IS NOT NULL AND concern_id IS NOT NULL));
    ALTER TABLE notes ADD CONSTRAINT notes_text_check CHECK (char_length(text) BETWEEN 1 AND 10000);
  `);

  // Every saved text of a note, oldest first: the history. The current text is also in notes.text.
  await knex.schema.createTable('note_versions', (t) => {
    t.increments('id');
    t.integer('note_id').notNullable().references('notes.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.text('text').notNullable();
    t.integer('saved_by').notNullable().references('users.id');
    t.timestamp('saved_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['note_id', 'version']);
  });

  // PDF attachments, stored in the database (outside any web root) and only served through the app.
  await knex.schema.createTable('note_attachments', (t) => {
    t.increments('id');
    t.integer('note_id').notNullable().references('notes.id').onDelete('CASCADE');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.string('filename', 120).notNullable();
    t.integer('size').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('content').notNullable();
    t.integer('uploaded_by').notNullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['note_id']);
  });
  await knex.raw(
    `ALTER TABLE note_attachments ADD CONSTRAINT note_attachments_size_check CHECK (size > 0 AND size <= ${ATTACHMENT_HARD_LIMIT} AND octet_length(content) = size)`,
  );

  // A row means the person turned that kind of e-mail off; no row means on.
  await knex.schema.createTable('notification_preferences', (t) => {
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('kind', 30).notNullable();
    t.boolean('enabled').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['user_id', 'kind']);
  });
  await knex.raw(
    `ALTER TABLE notification_preferences ADD CONSTRAINT notification_preferences_kind_check CHECK (kind IN (${NOTIFICATION_KINDS.map((k) => `'${k}'`).join(',')}))`,
  );

  // Scheduled notices (deadline soon, weekly reminder) claim a key here first, so a notice goes out once.
  await knex.schema.createTable('notification_keys', (t) => {
    t.string('key', 200).primary();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
