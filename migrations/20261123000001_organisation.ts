import type { Knex } from 'knex';

export const UNIT_KINDS = [
  'kindergarten',
  'school',
  'health_station',
  'ppt',
  'child_welfare',
  'other',
] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('municipalities', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('districts', (t) => {
    t.increments('id');
    t.integer('municipality_id').notNullable().references('municipalities.id');
    t.string('name', 200).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('units', (t) => {
    t.increments('id');
    t.integer('district_id').notNullable().references('districts.id');
    t.string('name', 200).notNullable();
    t.enu('kind', UNIT_KINDS as unknown as string[]).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.integer('municipality_id').notNullable().references('municipalities.id');
    t.string('email', 254).notNullable();
    t.string('name', 200).notNullable();
    t.string('password_hash', 255).nullable();
    t.enu('kind', ['staff', 'guardian', 'youth']).notNullable();
    t.boolean('is_municipal_admin').notNullable().defaultTo(false);
    t.string('phone', 40).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('disabled_at', { useTz: true }).nullable();
  });
  await knex.raw('CREATE UNIQUE INDEX users_email_unique ON users (lower(email))');
  await knex.schema.createTable('unit_memberships', (t) => {
    t.increments('id');
    t.integer('unit_id').notNullable().references('units.id');
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('title', 200).notNullable().defaultTo('');
    t.boolean('is_leader').notNullable().defaultTo(false);
    t.boolean('is_superuser').notNullable().defaultTo(false);
    t.boolean('may_hold').notNullable().defaultTo(false);
    t.boolean('may_be_actor').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['unit_id', 'user_id']);
  });
  await knex.schema.createTable('children', (t) => {
    t.increments('id');
    t.integer('municipality_id').notNullable().references('municipalities.id');
    t.integer('unit_id').nullable().references('units.id');
    t.string('first_name', 100).notNullable();
    t.string('last_name', 100).notNullable();
    t.date('birth_date').notNullable();
    t.string('national_id', 11).nullable();
    t.integer('user_id').nullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['municipality_id', 'national_id']);
  });
  await knex.schema.createTable('child_guardians', (t) => {
    t.integer('child_id').notNullable().references('children.id').onDelete('CASCADE');
    t.integer('user_id').notNullable().references('users.id');
    t.string('relation', 100).notNullable().defaultTo('');
    t.primary(['child_id', 'user_id']);
  });
  await knex.schema.createTable('sessions', (t) => {
    t.uuid('id').primary();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_seen_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true }).nullable();
    t.string('ended_reason', 40).nullable();
  });

  // The audit trail: append-only. The database itself refuses UPDATE, DELETE and TRUNCATE.
  await knex.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('user_id').nullable();
    t.string('role', 40).notNullable().defaultTo('');
    t.integer('unit_id').nullable();
    t.string('action', 60).notNullable();
    t.string('object_type', 40).notNullable().defaultTo('');
    t.bigInteger('object_id').nullable();
    t.integer('log_id').nullable();
    t.string('outcome', 10).notNullable().defaultTo('ok');
    t.string('request_id', 64).notNullable().defaultTo('');
    t.index(['log_id', 'at']);
    t.index(['user_id', 'at']);
  });
  await knex.raw(`
    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
  `);
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
