/**
 * Failed sign-ins, counted in the database so that every instance of the application sees the same
 * counts: one row per (account, address) pair and one per address. Keys are SHA-256 hashes, so the
 * table holds neither e-mail addresses (also mistyped and unknown ones) nor IP addresses.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('login_failures', (t) => {
    // 'pair': an account and an address; 'address': an address, whichever accounts it tries.
    t.string('scope', 10).notNullable();
    t.string('key', 64).notNullable();
    t.integer('failures').notNullable().defaultTo(0);
    // When the address's counting window started; when the pair last failed.
    t.timestamp('window_start', { useTz: true }).notNullable();
    t.timestamp('last_failure_at', { useTz: true }).nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['scope', 'key']);
    t.index(['updated_at']);
  });
  await knex.raw(
    "ALTER TABLE login_failures ADD CONSTRAINT login_failures_scope CHECK (scope IN ('pair', 'address'))",
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
