/** Opening the database the way `npm start` does: DATABASE_URL, or the embedded server. */
import type { Config } from '../config.js';
import { createDb, type Db } from './knex.js';
import { startEmbedded, type EmbeddedDb } from './embedded.js';

export interface OpenDatabase {
  db: Db;
  embedded: EmbeddedDb | null;
  close: () => Promise<void>;
}

export async function openDatabase(config: Config): Promise<OpenDatabase> {
  let embedded: EmbeddedDb | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbedded({ dir: config.embeddedDbDir, port: config.embeddedDbPort });
    await embedded.createDatabase('stafett');
    url = embedded.url('stafett');
  }
  const db = createDb(url);
  return {
    db,
    embedded,
    close: async () => {
      await db.destroy();
      await embedded?.stop();
    },
  };
}

export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db('users').count<{ count: number }[]>('* as count').first();
  return Number(row?.count ?? 0) === 0;
}
