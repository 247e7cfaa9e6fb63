/**
 * Statistics that read one index and nothing else. A concern carries whether it has an open measure in
 * the service, at home and for the child (kept by a trigger on measures: a measure written, removed,
 * evaluated, reopened, given to someone else or moved to another concern recomputes the flags of the
 * concern it left and the concern it joined), so the concerns figure no longer joins every open measure
 * to its concern. The logs of now are counted per unit, plan type, level, holder and state in a table
 * of their own (kept by a trigger on logs), so the counts of active and passive logs read one narrow
 * row per group (about 10,600 for the 30,000 logs of the generated city) rather than every log. An evaluation carries whether the family's view was written in it (kept
 * by a trigger). The logs get a covering index for the children with a log in the period and the median
 * age, and their index by unit and day of creation holds plan type and level, so the logs created in the
 * period are counted from it; a unit's standing consents are read in the order of their logs, so each
 * log's latest is found without hashing. Each index holds what its query reads: the scans are
 * index-only.
 */
import type { Knex } from 'knex';

/** The three kinds of measure the guide asks every concern to have, by the measure's `responsible`. */
const KINDS = [
  { column: 'open_service_measure', responsible: 'actor' },
  { column: 'open_home_measure', responsible: 'guardians' },
  { column: 'open_child_measure', responsible: 'child' },
] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('SET LOCAL statement_timeout = 0');

  // ---- concerns: whether each kind of open measure exists ----
  await knex.raw(`
    ALTER TABLE concerns
      ${KINDS.map((k) => `ADD COLUMN ${k.column} boolean NOT NULL DEFAULT false`).join(',\n      ')}`);
  await knex.raw(`
    UPDATE concerns c SET ${KINDS.map((k) => `${k.column} = x.${k.column}`).join(', ')}
      FROM (SELECT m.concern_id,
                   ${KINDS.map((k) => `bool_or(m.responsible = '${k.responsible}') AS ${k.column}`).join(',\n                   ')}
              FROM measures m WHERE m.status <> 'evaluated' GROUP BY m.concern_id) x
     WHERE x.concern_id = c.id`);
  // The trigger's lookup: a concern's open measures by whom they are for.
  await knex.raw(`
    CREATE INDEX measures_open_by_concern ON measures (concern_id, responsible) WHERE status <> 'evaluated'`);
  await knex.raw(`
    CREATE FUNCTION statistics_concern_open_measures(concern integer) RETURNS void LANGUAGE sql AS $$
      UPDATE concerns c SET
        ${KINDS.map(
          (k) => `${k.column} = EXISTS (SELECT 1 FROM measures m
          WHERE m.concern_id = c.id AND m.status <> 'evaluated' AND m.responsible = '${k.responsible}')`,
        ).join(',\n        ')}
       WHERE c.id = concern
         AND (${KINDS.map((k) => k.column).join(', ')}) IS DISTINCT FROM (
           ${KINDS.map(
             (k) => `EXISTS (SELECT 1 FROM measures m
             WHERE m.concern_id = c.id AND m.status <> 'evaluated' AND m.responsible = '${k.responsible}')`,
           ).join(',\n           ')})
    $$;
    CREATE FUNCTION statistics_give_measure_facts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        PERFORM statistics_concern_open_measures(OLD.concern_id);
      END IF;
      IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.concern_id IS DISTINCT FROM OLD.concern_id) THEN
        PERFORM statistics_concern_open_measures(NEW.concern_id);
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER measures_statistics_facts
      AFTER INSERT OR DELETE OR UPDATE OF concern_id, status, responsible ON measures
      FOR EACH ROW EXECUTE FUNCTION statistics_give_measure_facts()`);

  // ---- evaluations: whether the family's view was written (a plain column a trigger keeps, not a
  // generated one, so a row read with * can be written back as it is) ----
  await knex.raw(`ALTER TABLE evaluations ADD COLUMN family_view_written boolean NOT NULL DEFAULT false`);
  await knex.raw(`UPDATE evaluations SET family_view_written = true WHERE btrim(family_view) <> ''`);
  await knex.raw(`
    CREATE FUNCTION statistics_take_family_view() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.family_view_written := btrim(NEW.family_view) <> '';
      RETURN NEW;
    END $$;
    CREATE TRIGGER evaluations_family_view_written
      BEFORE INSERT OR UPDATE OF family_view, family_view_written ON evaluations
      FOR EACH ROW EXECUTE FUNCTION statistics_take_family_view()`);

  // ---- the logs of now, counted per unit, plan type, level, holder and state ----
  // A log written, removed, transferred, given to another holder, moved to another level or plan type,
  // closed or reopened: its old group loses one and its new group gains one, in the same statement. A
  // group that reaches 0 is removed, so the table holds only the groups there are (about 10,600 for
  // the 30,000 logs of the generated city).
  await knex.raw(`
    CREATE TABLE statistics_log_counts (
      unit_id integer NOT NULL,
      plan_type varchar(40) NOT NULL,
      level smallint NOT NULL,
      holder_id integer NOT NULL,
      status varchar(20) NOT NULL,
      n integer NOT NULL CHECK (n > 0),
      PRIMARY KEY (unit_id, plan_type, level, holder_id, status)
    )`);
  await knex.raw(`
    INSERT INTO statistics_log_counts (unit_id, plan_type, level, holder_id, status, n)
    SELECT unit_id, plan_type, level, holder_id, status, count(*) FROM logs GROUP BY 1, 2, 3, 4, 5`);
  await knex.raw(`
    CREATE FUNCTION statistics_count_logs() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        DELETE FROM statistics_log_counts
         WHERE (unit_id, plan_type, level, holder_id, status)
             = (OLD.unit_id, OLD.plan_type, OLD.level, OLD.holder_id, OLD.status) AND n = 1;
        IF NOT FOUND THEN
          UPDATE statistics_log_counts SET n = n - 1
           WHERE (unit_id, plan_type, level, holder_id, status)
               = (OLD.unit_id, OLD.plan_type, OLD.level, OLD.holder_id, OLD.status);
        END IF;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        INSERT INTO statistics_log_counts AS c (unit_id, plan_type, level, holder_id, status, n)
        VALUES (NEW.unit_id, NEW.plan_type, NEW.level, NEW.holder_id, NEW.status, 1)
        ON CONFLICT (unit_id, plan_type, level, holder_id, status) DO UPDATE SET n = c.n + 1;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER logs_statistics_counts AFTER INSERT OR DELETE ON logs
      FOR EACH ROW EXECUTE FUNCTION statistics_count_logs();
    CREATE TRIGGER logs_statistics_counts_moved AFTER UPDATE OF unit_id, plan_type, level, holder_id, status ON logs
      FOR EACH ROW
      WHEN ((OLD.unit_id, OLD.plan_type, OLD.level, OLD.holder_id, OLD.status)
            IS DISTINCT FROM (NEW.unit_id, NEW.plan_type, NEW.level, NEW.holder_id, NEW.status))
      EXECUTE FUNCTION statistics_count_logs()`);

  // ---- the indexes, each holding what its query reads ----
  await knex.raw(`
    DROP INDEX concerns_active_in_active_logs;
    CREATE INDEX concerns_active_in_active_logs ON concerns (log_unit_id)
      INCLUDE (log_plan_type, log_level, category_id, ${KINDS.map((k) => k.column).join(', ')})
      WHERE status = 'active' AND log_active;
    DROP INDEX evaluations_made;
    CREATE INDEX evaluations_made ON evaluations (log_unit_id, evaluated_day)
      INCLUDE (log_plan_type, log_level, family_effect, measure_id, family_view_written) WHERE NOT misregistered;
    DROP INDEX logs_unit_created;
    CREATE INDEX logs_unit_created ON logs (unit_id, created_day) INCLUDE (plan_type, level);
    CREATE INDEX logs_statistics ON logs (unit_id, child_id)
      INCLUDE (status, created_day, closed_day, level, plan_type, holder_id);
    DROP INDEX consents_standing;
    CREATE INDEX consents_standing ON consents (log_unit_id, log_id)
      INCLUDE (log_plan_type, log_level, valid_until) WHERE log_active AND withdrawn_at IS NULL;
  `);
  for (const table of ['concerns', 'measures', 'evaluations', 'logs', 'consents', 'statistics_log_counts'])
    await knex.raw(`ANALYZE ${table}`);
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
