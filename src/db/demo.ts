/**
 * The practice installation's reset: every table of the product emptied and the demo data loaded again,
 * as the owner role. The audit trail is left as it is (it is append-only, also here) and so are the
 * migrations' own tables and pg-boss's schema. Ids are not restarted, so audit rows about the old demo
 * logs never seem to be about the new ones. Refused in production, as the demo data itself is.
 */
import type { Db } from './knex.js';
import { seed } from './knex.js';
import type { Country } from '../domain/country.js';

const KEPT = ['audit_events', 'knex_migrations', 'knex_migrations_lock'];

export async function resetDemoData(owner: Db, country: Country = 'NO'): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('Demo data is never reset or seeded in production (NODE_ENV=production).');
  }
  const rows = (await owner('pg_tables')
    .where({ schemaname: 'public' })
    .whereNotIn('tablename', KEPT)
    .select('tablename')) as { tablename: string }[];
  if (rows.length) {
    const tables = rows.map((r) => `"public"."${r.tablename.replace(/"/g, '""')}"`).join(', ');
    await owner.raw(`TRUNCATE TABLE ${tables} CASCADE`);
  }
  await seed(owner, country);
}
