/**
 * Signing in as oneself: identity numbers for staff and guardians (a keyed hash to match ID-porten's
 * `pid`, and the masked form to show), an employee id for the municipality's login, the language of the
 * person's e-mails, when the account was first taken into use, the sign-ins a person can look back on,
 * and single-use links (invitations, password resets) stored as hashes. A young person signed in by
 * their own number may have no e-mail address, so the address becomes optional.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    // HMAC-SHA256 of the number under IDENTITY_KEY (hex): equal numbers match, the table holds no number.
    t.string('national_id_hash', 64).nullable();
    // "120313 *****": the birth-date part only, for the leader's and holder's pages.
    t.string('national_id_masked', 13).nullable();
    t.string('employee_id', 100).nullable();
    t.string('locale', 10).notNullable().defaultTo('nb');
    t.timestamp('activated_at', { useTz: true }).nullable();
    t.index(['national_id_hash']);
  });
  await knex.raw('ALTER TABLE users ALTER COLUMN email DROP NOT NULL');
  await knex.raw('CREATE INDEX users_employee_id ON users (municipality_id, lower(employee_id))');
  // Accounts that could already sign in have been taken into use.
  await knex('users')
    .whereNotNull('password_hash')
    .update({ activated_at: knex.ref('created_at') });

  await knex.schema.createTable('sign_ins', (t) => {
    t.bigIncrements('id');
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.timestamp('at', { useTz: true }).notNullable();
    // password, idporten, municipal
    t.string('method', 20).notNullable();
    // The level of assurance the provider vouched for (acr), if any.
    t.string('level', 60).nullable();
    t.index(['user_id', 'at']);
  });

  await knex.schema.createTable('account_tokens', (t) => {
    t.increments('id');
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    // invitation, password_reset
    t.string('kind', 20).notNullable();
    // SHA-256 of the link's secret (hex); set when the e-mail is made, so the secret itself is never stored.
    t.string('token_hash', 64).nullable().unique();
    t.integer('created_by').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('sent_at', { useTz: true }).nullable();
    t.timestamp('expires_at', { useTz: true }).nullable();
    t.timestamp('used_at', { useTz: true }).nullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.index(['user_id', 'kind']);
  });
  await knex.raw(
    "ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_kind CHECK (kind IN ('invitation', 'password_reset'))",
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
