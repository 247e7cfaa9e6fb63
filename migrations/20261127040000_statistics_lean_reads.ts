/**
 * Statistics that read one index and nothing else. A concern carries whether it has an open measure in
 * the service, at home and for the child (kept by a trigger on measures: a measure written, removed,
 * evaluated, reopened, given to someone else or moved to another concern recomputes the flags of the
 * concern it left and the concern it joined), so the concerns figure no longer joins every open measure
 * to its concern. An evaluation carries whether the family's view was written in it (kept by a
 * trigger). The logs get one covering index for the figures that read each log (children with a log in
 * the period, the median age, the counts by unit, level, plan type, holder and month), so those read
 * the index and never the table; a unit's standing consents are read in the order of their logs, so each
 * log's latest is found without hashing. Each index holds what its query reads, so the scans are
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

  // ---- the indexes, each holding what its query reads ----
  await knex.raw(`
    DROP INDEX concerns_active_in_active_logs;
    CREATE INDEX concerns_active_in_active_logs ON concerns (log_unit_id)
      INCLUDE (log_plan_type, log_level, category_id, ${KINDS.map((k) => k.column).join(', ')})
      WHERE status = 'active' AND log_active;
    DROP INDEX evaluations_made;
    CREATE INDEX evaluations_made ON evaluations (log_unit_id, evaluated_day)
      INCLUDE (log_plan_type, log_level, family_effect, measure_id, family_view_written) WHERE NOT misregistered;
    CREATE INDEX logs_statistics ON logs (unit_id, child_id)
      INCLUDE (status, created_day, closed_day, level, plan_type, holder_id);
    DROP INDEX consents_standing;
    CREATE INDEX consents_standing ON consents (log_unit_id, log_id)
      INCLUDE (log_plan_type, log_level, valid_until) WHERE log_active AND withdrawn_at IS NULL;
  `);
  for (const table of ['concerns', 'measures', 'evaluations', 'logs', 'consents'])
    await knex.raw(`ANALYZE ${table}`);
}

export async function down(): Promise<void> {
  throw new Error('Migrations only run forward.');
}
