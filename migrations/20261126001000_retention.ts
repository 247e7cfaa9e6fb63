/**
 * Retention: a record of each nightly retention run; deleted_logs.deleted_by may be empty (a passive log
 * deleted by retention, not by a person); and the audit trail's trigger lets exactly one thing through:
 * a DELETE by the table's owner (never the application role, which has no DELETE on it anyway) inside a
 * transaction that has named a date with `set_config('stafett.audit_retention_before', …, true)`, of rows
 * older than that date. UPDATE and TRUNCATE stay refused for every role.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('retention_runs', (t) => {
    t.increments('id');
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true }).nullable();
    // Which instance ran it (host name and process id): one run per night for the whole cluster.
    t.string('instance', 200).notNullable();
    // Rows removed per kind; no personal data.
    t.jsonb('removed').notNullable().defaultTo('{}');
    t.string('outcome', 20).notNullable().defaultTo('running');
    t.index(['started_at']);
  });
  await knex.raw('ALTER TABLE deleted_logs ALTER COLUMN deleted_by DROP NOT NULL');
  await knex.raw(`
    CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      purge_before text := current_setting('stafett.audit_retention_before', true);
    BEGIN
      IF TG_OP = 'DELETE' AND coalesce(purge_before, '') <> ''
         AND current_user = (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = TG_RELID)
         AND OLD.at < purge_before::timestamptz THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
  `);
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
