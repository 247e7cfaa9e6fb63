/**
 * Signed consent forms: the scanned or photographed form the family signed, stored as a PDF (a photo is
 * turned into a one-page PDF) with the consent it documents, in the database (outside any web root) and
 * only served through the app.
 */
import type { Knex } from 'knex';

/** Largest stored file, whatever ATTACHMENT_MAX_MB says (a photo's PDF is a little larger than the photo). */
const SIGNED_FORM_HARD_LIMIT = 25 * 1024 * 1024;
const SIGNED_FORM_SOURCES = ['pdf', 'jpeg', 'png'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('consent_signed_forms', (t) => {
    t.increments('id');
    t.integer('consent_id').notNullable().references('consents.id').onDelete('CASCADE');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.string('filename', 120).notNullable();
    t.string('source', 10).notNullable();
    t.integer('size').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('content').notNullable();
    t.integer('uploaded_by').notNullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['log_id']);
    t.index(['consent_id']);
  });
  await knex.raw(
    `ALTER TABLE consent_signed_forms ADD CONSTRAINT consent_signed_forms_size_check CHECK (size > 0 AND size <= ${SIGNED_FORM_HARD_LIMIT} AND octet_length(content) = size)`,
  );
  await knex.raw(
    `ALTER TABLE consent_signed_forms ADD CONSTRAINT consent_signed_forms_source_check CHECK (source IN (${SIGNED_FORM_SOURCES.map((s) => `'${s}'`).join(', ')}))`,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
