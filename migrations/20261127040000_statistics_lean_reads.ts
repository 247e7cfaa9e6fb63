/**
 * Statistics that read one index and nothing else. A concern carries whether it has an open measure in the
 * service, at home and for the child (kept by triggers on measures, once per statement: a measure written,
 * removed, evaluated, reopened, given to someone else or moved to another concern recomputes the flags of
 * the concern it left and the concern it joined), so the concerns figure no longer joins every open
 * measure to its concern. The logs of now are counted per unit, plan type, level, holder and state in a
 * table of their own (kept by triggers on logs, once per statement), so the counts of active and passive
 * logs read one narrow row per group (about 10,600 for the 30,000 logs of the generated city) rather than
 * every log. An evaluation carries whether the family's view was written in it (kept by a trigger). The
 * logs get a covering index for the children with a log in the period and the median age, and their index
 * by unit and day of creation holds plan type and level, so the logs created in the period are counted
 * from it; a unit's standing consents are read in the order of their logs, so each log's latest is found
 * without hashing. Each index holds what its query reads: the scans are index-only.
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
  // The back-fills below count rows before the triggers that keep the counts exist: an instance of the
  // previous release still running during a rolling start must not write a log, measure or evaluation
  // between the two (its row would be missing from the counts). Reads go on; writes wait for the commit.
  await knex.raw('LOCK TABLE logs, measures, evaluations IN SHARE ROW EXCLUSIVE MODE');

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
  // Written or removed: once per statement, over the concerns of its measures (transition tables: a seed
  // or an import that writes thousands of measures recomputes each concern once, not once per measure).
  // Changed: per row, and only when the measure's concern, state or kind changed (an update of its log's
  // facts or its evaluation's day does not touch the concerns).
  // Two writes at once (one evaluates a concern's last open measure of a kind while another adds one to
  // the same concern in another goal): each first locks the concerns it recounts, in id order, and
  // recounts in a statement of its own after the lock, so the second waits for the first and sees what it
  // committed (under READ COMMITTED each statement of a plpgsql function takes a new snapshot). FOR NO KEY
  // UPDATE, the lock the UPDATE takes anyway: a goal or measure written meanwhile holds FOR KEY SHARE on
  // its concern (its foreign key), which FOR UPDATE would wait for, so two such writers would deadlock.
  await knex.raw(`
    CREATE FUNCTION statistics_concerns_open_measures(ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM 1 FROM concerns WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
      UPDATE concerns c SET ${KINDS.map((k) => `${k.column} = x.${k.column}`).join(', ')}
        FROM (SELECT k.id,
                     ${KINDS.map((k) => `coalesce(bool_or(m.responsible = '${k.responsible}'), false) AS ${k.column}`).join(',\n                     ')}
                FROM unnest(ids) AS k(id)
                LEFT JOIN measures m ON m.concern_id = k.id AND m.status <> 'evaluated'
               GROUP BY k.id) x
       WHERE c.id = x.id AND (${KINDS.map((k) => `c.${k.column}`).join(', ')})
             IS DISTINCT FROM (${KINDS.map((k) => `x.${k.column}`).join(', ')});
    END $$;
    CREATE FUNCTION statistics_measures_written() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM statistics_concerns_open_measures(ARRAY(SELECT DISTINCT concern_id FROM new_measures));
      RETURN NULL;
    END $$;
    CREATE FUNCTION statistics_measures_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM statistics_concerns_open_measures(ARRAY(SELECT DISTINCT concern_id FROM old_measures));
      RETURN NULL;
    END $$;
    CREATE FUNCTION statistics_measure_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM statistics_concerns_open_measures(ARRAY[OLD.concern_id, NEW.concern_id]);
      RETURN NULL;
    END $$;
    CREATE TRIGGER measures_statistics_written AFTER INSERT ON measures
      REFERENCING NEW TABLE AS new_measures
      FOR EACH STATEMENT EXECUTE FUNCTION statistics_measures_written();
    CREATE TRIGGER measures_statistics_removed AFTER DELETE ON measures
      REFERENCING OLD TABLE AS old_measures
      FOR EACH STATEMENT EXECUTE FUNCTION statistics_measures_removed();
    CREATE TRIGGER measures_statistics_changed AFTER UPDATE OF concern_id, status, responsible ON measures
      FOR EACH ROW
      WHEN ((OLD.concern_id, OLD.status, OLD.responsible) IS DISTINCT FROM (NEW.concern_id, NEW.status, NEW.responsible))
      EXECUTE FUNCTION statistics_measure_changed()`);

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
  // A count never stops a log from being written: a group loses down to 0 and no further (no CHECK that
  // could fail the log's statement with it). Were a group ever short of logs (writes the counts missed),
  // its count stays at or below the truth and never goes below 0 (a -1 would be wrong in every figure it
  // enters), and it is right again once its last log has left it.
  await knex.raw(`
    CREATE TABLE statistics_log_counts (
      unit_id integer NOT NULL,
      plan_type varchar(40) NOT NULL,
      level smallint NOT NULL,
      holder_id integer NOT NULL,
      status varchar(20) NOT NULL,
      n integer NOT NULL,
      PRIMARY KEY (unit_id, plan_type, level, holder_id, status)
    )`);
  await knex.raw(`
    INSERT INTO statistics_log_counts (unit_id, plan_type, level, holder_id, status, n)
    SELECT unit_id, plan_type, level, holder_id, status, count(*) FROM logs GROUP BY 1, 2, 3, 4, 5`);
  // Written or removed: once per statement, from its transition tables; changed: per row, when its group
  // changed. The groups of the rows gone lose them, the groups of the rows come gain them.
  const KEY = 'unit_id, plan_type, level, holder_id, status';
  const cols = (alias: string) =>
    KEY.split(', ')
      .map((c) => `${alias}.${c}`)
      .join(', ');
  /** A row's group as jsonb_build_object's arguments. */
  const fields = (row: string) =>
    KEY.split(', ')
      .map((c) => `'${c}', ${row}.${c}`)
      .join(', ');
  await knex.raw(`
    CREATE FUNCTION statistics_count_logs(gone jsonb, came jsonb) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      WITH d AS (
        SELECT ${KEY}, sum(n)::int AS n FROM (
          SELECT ${KEY}, -1 AS n FROM jsonb_to_recordset(gone)
            AS g(unit_id integer, plan_type varchar(40), level smallint, holder_id integer, status varchar(20))
          UNION ALL
          SELECT ${KEY}, 1 FROM jsonb_to_recordset(came)
            AS c(unit_id integer, plan_type varchar(40), level smallint, holder_id integer, status varchar(20))
        ) x GROUP BY ${KEY} HAVING sum(n) <> 0
      ), u AS (
        UPDATE statistics_log_counts c SET n = greatest(c.n + d.n, 0) FROM d
         WHERE (${cols('c')}) = (${cols('d')})
        RETURNING ${cols('c')}
      )
      -- A group not there yet is written when it gains (its rows came); one written meanwhile by another
      -- statement is added to. A group not there that loses stays away: it held none the table knew of.
      INSERT INTO statistics_log_counts AS c (${KEY}, n)
      SELECT ${KEY}, n FROM d WHERE n > 0 AND (${KEY}) NOT IN (SELECT ${KEY} FROM u)
      ON CONFLICT (${KEY}) DO UPDATE SET n = c.n + excluded.n;
      DELETE FROM statistics_log_counts c
       WHERE c.n = 0 AND (${KEY}) IN (
         SELECT ${KEY} FROM jsonb_to_recordset(gone)
           AS g(unit_id integer, plan_type varchar(40), level smallint, holder_id integer, status varchar(20)));
    END $$;
    CREATE FUNCTION statistics_logs_written() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM statistics_count_logs('[]', (SELECT jsonb_agg(to_jsonb(r)) FROM (SELECT ${KEY} FROM new_logs) r));
      RETURN NULL;
    END $$;
    CREATE FUNCTION statistics_logs_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM statistics_count_logs((SELECT jsonb_agg(to_jsonb(r)) FROM (SELECT ${KEY} FROM old_logs) r), '[]');
      RETURN NULL;
    END $$;
    CREATE FUNCTION statistics_log_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM statistics_count_logs(
        jsonb_build_array(jsonb_build_object(${fields('OLD')})),
        jsonb_build_array(jsonb_build_object(${fields('NEW')})));
      RETURN NULL;
    END $$;
    CREATE TRIGGER logs_statistics_written AFTER INSERT ON logs
      REFERENCING NEW TABLE AS new_logs FOR EACH STATEMENT EXECUTE FUNCTION statistics_logs_written();
    CREATE TRIGGER logs_statistics_removed AFTER DELETE ON logs
      REFERENCING OLD TABLE AS old_logs FOR EACH STATEMENT EXECUTE FUNCTION statistics_logs_removed();
    CREATE TRIGGER logs_statistics_changed AFTER UPDATE OF ${KEY} ON logs
      FOR EACH ROW WHEN ((${cols('OLD')}) IS DISTINCT FROM (${cols('NEW')}))
      EXECUTE FUNCTION statistics_log_changed()`);

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
