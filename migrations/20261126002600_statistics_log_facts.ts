/**
 * Statistics without joins: the rows the statistics count (concerns, measures, evaluations, meetings,
 * consents) carry what the filters and groups ask of their log — its unit, plan type, level, whether it
 * is active and the day it was closed — and a measure carries its evaluation's day and whether that
 * evaluation was misregistered. Triggers keep the copies equal to the source: a new or moved row takes
 * its log's facts, a change of the log (transfer, level, plan type, close, reopen) is copied to its rows
 * in the same statement, and an evaluation written, corrected or removed is copied to its measure. The
 * migration fills the columns for the rows there are. Each summary query then reads one table through
 * an index that matches its filter.
 */
import type { Knex } from 'knex';

/** The tables whose rows belong to one log and are counted by the statistics. */
const COUNTED = ['concerns', 'measures', 'evaluations', 'meetings', 'consents'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const table of COUNTED) {
    await knex.raw(`
      ALTER TABLE ${table}
        ADD COLUMN log_unit_id integer,
        ADD COLUMN log_plan_type varchar(40),
        ADD COLUMN log_level smallint,
        ADD COLUMN log_active boolean,
        ADD COLUMN log_closed_day date`);
  }
  await knex.raw(`
    ALTER TABLE measures
      ADD COLUMN evaluated_day date,
      ADD COLUMN evaluation_misregistered boolean`);

  // The rows there are (before the triggers, which would look each row's log up one by one; the new
  // columns hold every writer off until the migration commits).
  await knex.raw('SET LOCAL statement_timeout = 0');
  for (const table of COUNTED) {
    await knex.raw(`
      UPDATE ${table} x SET log_unit_id = l.unit_id, log_plan_type = l.plan_type, log_level = l.level,
             log_active = l.status = 'active', log_closed_day = l.closed_day
        FROM logs l WHERE l.id = x.log_id`);
  }
  await knex.raw(`
    UPDATE measures m SET evaluated_day = e.evaluated_day, evaluation_misregistered = e.misregistered
      FROM evaluations e WHERE e.measure_id = m.id`);
  for (const table of COUNTED) {
    await knex.raw(`
      ALTER TABLE ${table}
        ALTER COLUMN log_unit_id SET NOT NULL, ALTER COLUMN log_plan_type SET NOT NULL,
        ALTER COLUMN log_level SET NOT NULL, ALTER COLUMN log_active SET NOT NULL`);
  }

  // A row written or moved to another log takes that log's facts (whatever the writer put there).
  await knex.raw(`
    CREATE FUNCTION statistics_take_log_facts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      SELECT l.unit_id, l.plan_type, l.level, l.status = 'active', l.closed_day
        INTO NEW.log_unit_id, NEW.log_plan_type, NEW.log_level, NEW.log_active, NEW.log_closed_day
        FROM logs l WHERE l.id = NEW.log_id;
      RETURN NEW;
    END $$`);
  for (const table of COUNTED) {
    await knex.raw(`
      CREATE TRIGGER ${table}_log_facts
        BEFORE INSERT OR UPDATE OF log_id, log_unit_id, log_plan_type, log_level, log_active, log_closed_day
        ON ${table} FOR EACH ROW EXECUTE FUNCTION statistics_take_log_facts()`);
  }

  // A log transferred, moved to another level or plan type, closed or reopened: its rows follow.
  await knex.raw(`
    CREATE FUNCTION statistics_give_log_facts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      ${COUNTED.map(
        (table) => `UPDATE ${table} SET log_unit_id = NEW.unit_id, log_plan_type = NEW.plan_type,
             log_level = NEW.level, log_active = NEW.status = 'active', log_closed_day = NEW.closed_day
       WHERE log_id = NEW.id;`,
      ).join('\n      ')}
      RETURN NULL;
    END $$;
    CREATE TRIGGER logs_statistics_facts
      AFTER UPDATE OF unit_id, plan_type, level, status, closed_at ON logs FOR EACH ROW
      WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.plan_type IS DISTINCT FROM NEW.plan_type
            OR OLD.level IS DISTINCT FROM NEW.level OR OLD.status IS DISTINCT FROM NEW.status
            OR OLD.closed_at IS DISTINCT FROM NEW.closed_at)
      EXECUTE FUNCTION statistics_give_log_facts()`);

  // A measure's evaluation: its day and whether it was misregistered, kept on the measure.
  await knex.raw(`
    CREATE FUNCTION statistics_give_evaluation_facts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        UPDATE measures SET evaluated_day = NULL, evaluation_misregistered = NULL WHERE id = OLD.measure_id;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        UPDATE measures SET evaluated_day = NEW.evaluated_day, evaluation_misregistered = NEW.misregistered
         WHERE id = NEW.measure_id;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER evaluations_statistics_facts
      AFTER INSERT OR DELETE OR UPDATE OF measure_id, evaluated_at, misregistered ON evaluations
      FOR EACH ROW EXECUTE FUNCTION statistics_give_evaluation_facts()`);

  // One index per summary query, matching its filter (the columns it reads included): the unit first, so
  // a unit's page reads its own rows only and the municipality's reads each unit's range in turn.
  await knex.raw(`
    DROP INDEX measures_open_by_log;
    CREATE INDEX measures_open_in_active_logs ON measures (log_unit_id)
      INCLUDE (log_plan_type, log_level, deadline, concern_id, responsible)
      WHERE status <> 'evaluated' AND log_active;
    CREATE INDEX measures_due ON measures (log_unit_id, deadline)
      INCLUDE (log_plan_type, log_level, log_active, log_closed_day, evaluated_day, evaluation_misregistered);
    CREATE INDEX concerns_active_in_active_logs ON concerns (log_unit_id)
      INCLUDE (log_plan_type, log_level, category_id) WHERE status = 'active' AND log_active;
    CREATE INDEX evaluations_made ON evaluations (log_unit_id, evaluated_day)
      INCLUDE (log_plan_type, log_level, family_effect, measure_id) WHERE NOT misregistered;
    CREATE INDEX meetings_held_by_unit ON meetings (log_unit_id, starts_at)
      INCLUDE (log_plan_type, log_level) WHERE status = 'closed';
    CREATE INDEX consents_standing ON consents (log_unit_id)
      INCLUDE (log_plan_type, log_level, log_id, valid_until) WHERE log_active AND withdrawn_at IS NULL;
    DROP INDEX measures_deadline;
    DROP INDEX evaluations_day;
    DROP INDEX meetings_held;
    DROP INDEX concerns_active_by_log;
  `);
  for (const table of COUNTED) await knex.raw(`ANALYZE ${table}`);
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
