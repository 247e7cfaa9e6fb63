/**
 * Versions for the log page's cache (features/logs/page-cache.ts). A rendered log page is kept under the
 * version of its log and the version of what every log shows from outside it (people's names, units,
 * concern categories, the municipality), and served again only while both are unchanged. So every write
 * to a table the page reads must move one of them, whichever code path makes it: triggers here, not the
 * application, move them.
 *
 *   - log_page_versions: one row per log, moved by a write to the log or to anything of it (its concerns,
 *     goals, measures and their steps, evaluations, glimmers, notes and attachments, meetings and their
 *     participants, guardians, consents, read grants, transfers, closings, archived prints, life areas,
 *     the family's views, the child's record);
 *   - page_epoch: one row, moved by a change to a person, a unit, a concern category or a municipality,
 *     and by emptying any of these tables (TRUNCATE, as the practice installation's reset does).
 *
 * The row triggers are deferred constraint triggers: they run at commit, after the transaction's own
 * writes, so a transaction takes a version row's lock only at its end, and two transactions writing the
 * same log wait for each other only for the moment of a commit. (Two transactions that each write the same
 * two logs, in opposite orders, can still deadlock at commit; PostgreSQL then ends one of them.) A
 * transaction moves each version once, however many rows it writes: the row remembers the transaction
 * that moved it last, and a transaction-local setting skips the lookup while the rows written are of the
 * log just moved. Readers see a new version in the same snapshot as the data it stands for.
 *
 * Writes made with triggers switched off (session_replication_role = replica) move nothing; the cache
 * keeps no page longer than ten minutes.
 */
import type { Knex } from 'knex';

/** Tables whose rows carry their log's id. */
const BY_LOG_ID = [
  'archive_prints',
  'concerns',
  'consents',
  'evaluations',
  'family_views',
  'glimmers',
  'goals',
  'life_areas',
  'log_closures',
  'log_guardians',
  'measures',
  'meetings',
  'note_attachments',
  'notes',
  'read_grants',
  'transfers',
];
/** Tables every log page may show something of. */
const EVERY_LOG = ['units', 'concern_categories', 'municipalities'];
/** What of a person a page can show; a sign-in, a password or a language changes none of it. */
const USER_COLUMNS = ['name', 'email', 'phone', 'kind', 'disabled_at', 'municipality_id', 'employee_id'];
/**
 * Tables whose rows reach their log through another row: the trigger function, the table that holds the
 * log's id, that id's column, the column matched, and the row's own column it is matched with.
 */
const VIA = [
  ['log_page_changed_by_measure', 'measures', 'log_id', 'id', 'measure_id'],
  ['log_page_changed_by_meeting', 'meetings', 'log_id', 'id', 'meeting_id'],
  ['log_page_changed_by_child', 'logs', 'id', 'child_id', 'id'],
] as const;
/** Every table behind a version: emptying one moves the epoch. */
const VERSIONED = [
  ...BY_LOG_ID,
  'logs',
  'measure_steps',
  'meeting_participants',
  'children',
  ...EVERY_LOG,
  'users',
];

const trigger = (table: string, fn: string, events = 'INSERT OR UPDATE OR DELETE', when = '') => `
  CREATE CONSTRAINT TRIGGER ${table}_log_page_changed AFTER ${events} ON ${table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW ${when} EXECUTE FUNCTION ${fn}()`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE SEQUENCE log_page_version_seq`);
  await knex.raw(`
    CREATE TABLE log_page_versions (
      log_id integer PRIMARY KEY REFERENCES logs (id) ON DELETE CASCADE,
      version bigint NOT NULL,
      xact bigint NOT NULL
    )`);
  // Every log has its row from the start: a first write to a log never inserts one (whose foreign key
  // would lock the log's row at commit, behind a transaction that holds it).
  await knex.raw(`
    INSERT INTO log_page_versions (log_id, version, xact)
      SELECT id, nextval('log_page_version_seq'), 0 FROM logs`);
  await knex.raw(`
    CREATE TABLE page_epoch (
      id smallint PRIMARY KEY CHECK (id = 1),
      version bigint NOT NULL,
      xact bigint NOT NULL
    )`);
  await knex.raw(`INSERT INTO page_epoch (id, version, xact) VALUES (1, nextval('log_page_version_seq'), 0)`);

  // Once per log and transaction (see above). A log removed in the same transaction has nothing left to
  // version.
  await knex.raw(`
    CREATE FUNCTION log_page_bump(log integer) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF log IS NULL OR current_setting('stafett.log_page_last', true) = log::text THEN RETURN; END IF;
      INSERT INTO log_page_versions (log_id, version, xact)
        SELECT l.id, nextval('log_page_version_seq'), txid_current() FROM logs l WHERE l.id = log
        ON CONFLICT (log_id) DO UPDATE SET version = excluded.version, xact = excluded.xact
          WHERE log_page_versions.xact <> excluded.xact;
      PERFORM set_config('stafett.log_page_last', log::text, true);
    END $$`);
  // The epoch: written again if its row is gone (a TRUNCATE of every table).
  await knex.raw(`
    CREATE FUNCTION page_epoch_bump() RETURNS void LANGUAGE sql AS $$
      INSERT INTO page_epoch (id, version, xact) VALUES (1, nextval('log_page_version_seq'), txid_current())
        ON CONFLICT (id) DO UPDATE SET version = excluded.version, xact = excluded.xact
          WHERE page_epoch.xact <> excluded.xact
    $$`);
  // A row of a table with log_id: its log (both, if the row moved to another log).
  await knex.raw(`
    CREATE FUNCTION log_page_changed_by_log_id() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN PERFORM log_page_bump(OLD.log_id); END IF;
      IF TG_OP <> 'DELETE' THEN PERFORM log_page_bump(NEW.log_id); END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE FUNCTION log_page_changed_log() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'DELETE' THEN PERFORM log_page_bump(NEW.id); END IF;
      RETURN NULL;
    END $$`);
  // A row that reaches its log through another: a measure's step, a meeting's participant, the child.
  for (const [fn, logs, log, match, key] of VIA) {
    await knex.raw(`
      CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM log_page_bump(x.${log}) FROM ${logs} x
          WHERE x.${match} IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.${key} END,
                               CASE WHEN TG_OP <> 'DELETE' THEN NEW.${key} END);
        RETURN NULL;
      END $$`);
  }
  await knex.raw(`
    CREATE FUNCTION page_epoch_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM page_epoch_bump();
      RETURN NULL;
    END $$`);

  for (const table of BY_LOG_ID) await knex.raw(trigger(table, 'log_page_changed_by_log_id'));
  await knex.raw(trigger('logs', 'log_page_changed_log', 'INSERT OR UPDATE'));
  await knex.raw(trigger('measure_steps', 'log_page_changed_by_measure'));
  await knex.raw(trigger('meeting_participants', 'log_page_changed_by_meeting'));
  await knex.raw(trigger('children', 'log_page_changed_by_child', 'UPDATE'));
  for (const table of EVERY_LOG) await knex.raw(trigger(table, 'page_epoch_changed'));
  // Only when a value a page shows changes, not when an update writes the same value again.
  await knex.raw(
    trigger(
      'users',
      'page_epoch_changed',
      `UPDATE OF ${USER_COLUMNS.join(', ')}`,
      `WHEN (${USER_COLUMNS.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')})`,
    ),
  );
  // TRUNCATE fires no row trigger: it moves the epoch, which every page is kept under.
  for (const table of VERSIONED)
    await knex.raw(`
      CREATE TRIGGER ${table}_log_page_truncated AFTER TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION page_epoch_changed()`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of VERSIONED) {
    await knex.raw(`DROP TRIGGER ${table}_log_page_truncated ON ${table}`);
    await knex.raw(`DROP TRIGGER ${table}_log_page_changed ON ${table}`);
  }
  for (const fn of [
    'log_page_changed_by_log_id',
    'log_page_changed_log',
    'log_page_changed_by_measure',
    'log_page_changed_by_meeting',
    'log_page_changed_by_child',
    'page_epoch_changed',
  ])
    await knex.raw(`DROP FUNCTION ${fn}()`);
  await knex.raw(`DROP FUNCTION log_page_bump(integer)`);
  await knex.raw(`DROP FUNCTION page_epoch_bump()`);
  await knex.raw(`DROP TABLE page_epoch`);
  await knex.raw(`DROP TABLE log_page_versions`);
  await knex.raw(`DROP SEQUENCE log_page_version_seq`);
}
