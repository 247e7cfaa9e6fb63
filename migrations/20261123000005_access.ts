/**
 * Access: forms kept when a session ran out, drafts saved while typing (both encrypted at rest), the
 * actor's progress comments, the family's view on measures due for evaluation, who withdrew a read
 * grant — and a harder audit trail: its append-only triggers fire ALWAYS (also with
 * session_replication_role = replica), and where the migration runs as a superuser an event trigger
 * refuses any DDL that would disable or drop them.
 */
import type { Knex } from 'knex';

export const FAMILY_EFFECTS = ['worked', 'partly', 'did_not_work'] as const;

export async function up(knex: Knex): Promise<void> {
  // A form posted after the session had expired: kept for the same user, sealed (AES-256-GCM).
  await knex.schema.createTable('saved_forms', (t) => {
    t.uuid('id').primary();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('method', 10).notNullable();
    t.string('path', 500).notNullable();
    t.binary('sealed').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['user_id', 'expires_at']);
    t.index(['expires_at']);
  });

  // Long texts saved while typing (JavaScript only), one per user, form action and field; sealed.
  await knex.schema.createTable('drafts', (t) => {
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('path', 500).notNullable();
    t.string('field', 100).notNullable();
    t.binary('sealed').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.primary(['user_id', 'path', 'field']);
    t.index(['expires_at']);
  });

  // The responsible actor's (or the holder's) comments on how a measure is going.
  await knex.schema.createTable('measure_comments', (t) => {
    t.increments('id');
    t.integer('measure_id').notNullable().references('measures.id').onDelete('CASCADE');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.integer('author_id').notNullable().references('users.id');
    t.text('text').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['measure_id', 'created_at']);
  });

  // The family's view on a measure due for evaluation: one per guardian (or the youth) and measure.
  await knex.schema.createTable('family_views', (t) => {
    t.increments('id');
    t.integer('measure_id').notNullable().references('measures.id').onDelete('CASCADE');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.integer('user_id').notNullable().references('users.id');
    t.string('effect', 20).notNullable();
    t.text('view').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['measure_id', 'user_id']);
    t.index(['log_id']);
  });
  await knex.raw(
    `ALTER TABLE family_views ADD CONSTRAINT family_views_effect_check CHECK (effect IN (${FAMILY_EFFECTS.map((e) => `'${e}'`).join(', ')}))`,
  );

  await knex.schema.alterTable('read_grants', (t) => {
    t.integer('withdrawn_by').nullable().references('users.id');
    t.index(['user_id']);
  });

  // The audit trail: the triggers fire whatever the session's replication role.
  await knex.raw(`
    ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_no_update;
    ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_no_truncate;
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;
  `);
  const [{ rolsuper }] = (await knex.raw('SELECT rolsuper FROM pg_roles WHERE rolname = current_user'))
    .rows as {
    rolsuper: boolean;
  }[];
  if (rolsuper) {
    await knex.raw(`
      CREATE FUNCTION audit_events_guard() RETURNS event_trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT count(*) FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
             WHERE c.relname = 'audit_events'
               AND tg.tgname IN ('audit_events_no_update', 'audit_events_no_truncate')
               AND tg.tgenabled = 'A') < 2 THEN
          RAISE EXCEPTION 'the audit trail stays append-only: its triggers cannot be disabled or dropped'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
      END $$;
      CREATE EVENT TRIGGER audit_events_guard_ddl ON ddl_command_end EXECUTE FUNCTION audit_events_guard();
      CREATE EVENT TRIGGER audit_events_guard_drop ON sql_drop EXECUTE FUNCTION audit_events_guard();
    `);
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
