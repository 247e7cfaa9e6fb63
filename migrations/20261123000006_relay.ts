/**
 * The relay: transfers to a new holder (pending until accepted), closing a log (passive) and reopening
 * it, consent notices sent once, deleted logs remembered for their archive prints, and uploaded export
 * files waiting for the importer's consent.
 */
import type { Knex } from 'knex';

export const TRANSFER_KINDS = ['internal', 'unit'] as const;
export const TRANSFER_STATUSES = ['pending', 'accepted', 'declined', 'withdrawn'] as const;
export const CLOSURE_KINDS = ['closed', 'left_behind'] as const;
export const CONSENT_NOTICE_KINDS = ['expiring', 'expired'] as const;

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('transfers', (t) => {
    t.increments('id');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.string('kind', 20).notNullable();
    // Who held the log and where, when it was sent; who sent it (the holder, or a leader on their behalf).
    t.integer('from_unit_id').notNullable().references('units.id');
    t.integer('from_holder_id').notNullable().references('users.id');
    t.integer('created_by').notNullable().references('users.id');
    t.integer('to_unit_id').notNullable().references('units.id');
    // Null: sent to the receiving unit's leader, who picks the new holder.
    t.integer('to_user_id').nullable().references('users.id');
    t.integer('assigned_by').nullable().references('users.id');
    t.text('reason').notNullable();
    t.boolean('consent_confirmed').notNullable().defaultTo(false);
    // The concerns that go along; null means all of them (an internal transfer).
    t.specificType('concern_ids', 'integer[]').nullable();
    t.string('status', 20).notNullable().defaultTo('pending');
    t.integer('decided_by').nullable().references('users.id');
    t.timestamp('decided_at', { useTz: true }).nullable();
    t.text('decline_reason').nullable();
    // The passive log that kept the concerns that did not go along.
    t.integer('passive_log_id').nullable().references('logs.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['to_user_id', 'status']);
    t.index(['to_unit_id', 'status']);
    t.index(['from_holder_id', 'status']);
  });
  await knex.raw(`
    ALTER TABLE transfers ADD CONSTRAINT transfers_kind_check CHECK (kind IN (${list(TRANSFER_KINDS)}));
    ALTER TABLE transfers ADD CONSTRAINT transfers_status_check CHECK (status IN (${list(TRANSFER_STATUSES)}));
    ALTER TABLE transfers ADD CONSTRAINT transfers_consent_check CHECK (kind = 'internal' OR consent_confirmed);
    ALTER TABLE transfers ADD CONSTRAINT transfers_decided_check CHECK ((status = 'pending') = (decided_at IS NULL));
    -- Rule 10: one pending transfer per log at a time.
    CREATE UNIQUE INDEX transfers_one_pending_per_log ON transfers (log_id) WHERE status = 'pending';
  `);

  // Each time a log became passive: closed with the family, or left behind at a transfer; and its reopening.
  await knex.schema.createTable('log_closures', (t) => {
    t.increments('id');
    t.integer('log_id').notNullable().references('logs.id').onDelete('CASCADE');
    t.string('kind', 20).notNullable();
    t.date('closed_on').notNullable();
    t.text('reason').notNullable();
    t.integer('closed_by').notNullable().references('users.id');
    t.timestamp('closed_at', { useTz: true }).notNullable();
    t.integer('transfer_id').nullable().references('transfers.id').onDelete('SET NULL');
    t.timestamp('reopened_at', { useTz: true }).nullable();
    t.integer('reopened_by').nullable().references('users.id');
    t.integer('reopen_consent_id').nullable().references('consents.id').onDelete('SET NULL');
    t.index(['log_id', 'closed_at']);
  });
  await knex.raw(
    `ALTER TABLE log_closures ADD CONSTRAINT log_closures_kind_check CHECK (kind IN (${list(CLOSURE_KINDS)}))`,
  );

  // A consent notice (30 days before expiry, and at expiry) goes out once per consent.
  await knex.schema.createTable('consent_notices', (t) => {
    t.integer('consent_id').notNullable().references('consents.id').onDelete('CASCADE');
    t.string('kind', 20).notNullable();
    t.timestamp('sent_at', { useTz: true }).notNullable();
    t.primary(['consent_id', 'kind']);
  });
  await knex.raw(
    `ALTER TABLE consent_notices ADD CONSTRAINT consent_notices_kind_check CHECK (kind IN (${list(CONSENT_NOTICE_KINDS)}))`,
  );

  // A deleted log leaves its archive prints (archive_prints.log_ref) and this line, so the leader can
  // still find and export the prints. No plan content: only what names the archive record.
  await knex.schema.createTable('deleted_logs', (t) => {
    t.integer('log_ref').primary();
    t.integer('unit_id').notNullable().references('units.id');
    t.string('child_name', 201).notNullable();
    t.date('birth_date').notNullable();
    t.string('plan_type', 40).notNullable();
    t.date('created_on').notNullable();
    t.integer('deleted_by').notNullable().references('users.id');
    t.timestamp('deleted_at', { useTz: true }).notNullable();
    t.index(['unit_id', 'deleted_at']);
  });

  // An uploaded export file, checked against the schema, waiting for the importer to register consent.
  // Removed by the daily relay job after a day; log_id is set once the import made a log.
  await knex.schema.createTable('log_imports', (t) => {
    t.uuid('id').primary();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.jsonb('document').notNullable();
    t.integer('log_id').nullable().references('logs.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['created_at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
