/** The readiness probes' SQL: whether the database answers and has run the code's newest migration. */
import { migrationSource, type Db } from '../../db/knex.js';

/** The newest migration the code has. */
export async function newestMigration(): Promise<string> {
  const migrations = await migrationSource.getMigrations([]);
  return migrations.at(-1) ?? '';
}

export function healthRepository(db: Db) {
  return {
    /** Whether the migration of that name has run. */
    async hasMigration(name: string): Promise<boolean> {
      const { rows } = await db.raw('SELECT count(*)::int AS n FROM knex_migrations WHERE name = ?', [name]);
      return rows[0].n > 0;
    },
    /** Resolves when the database answers. */
    async ping(): Promise<void> {
      await db.raw('select 1');
    },
  };
}
