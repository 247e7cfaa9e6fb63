/**
 * A city-sized municipality for measuring the statistics: "Storby kommune" with 10 districts, 200 units,
 * 2,000 staff and 30,000 logs, with concerns, goals, measures, evaluations, meetings, the families'
 * meeting evaluations, consents, closings, pending transfers and the children per unit, in the
 * proportions a municipality using logs for years would have. Written in SQL (INSERT … SELECT over
 * generate_series, with explicit ids; a random filter names a column, or PostgreSQL draws it once
 * for the whole statement) in one transaction on one connection, with a fixed random seed,
 * so it takes seconds and gives the same world every time. No real person: names are "Barn 123" and
 * "Ansatt 12-3", and no child has an identity number.
 *
 * Sign-in (password "stafett-demo"): admin@storby.example (municipal administrator) and
 * leder@storby.example (leader of the first three units).
 */
import type { Knex } from 'knex';
import { hashPassword } from '../src/lib/password.js';
import { DEMO_PASSWORD } from '../seeds/01_organisation.js';

export const LARGE = {
  municipality: 'Storby kommune',
  admin: 'admin@storby.example',
  leader: 'leder@storby.example',
  units: 200,
  staffPerUnit: 10,
  logs: 30_000,
  children: 27_000,
};

export interface LargeWorld {
  municipalityId: number;
  /** The units leder@storby.example leads (the first is the unit page measured). */
  leaderUnitIds: number[];
  created: boolean;
}

/** Fills the database (as its owner) unless Storby is already there. */
export async function seedLarge(db: Knex, log: (line: string) => void = () => {}): Promise<LargeWorld> {
  const existing = await db('municipalities').where({ name: LARGE.municipality }).first('id');
  if (existing) return { ...(await describe(db, existing.id as number)), created: false };
  const hash = await hashPassword(DEMO_PASSWORD);
  const started = Date.now();
  /** Runs the statements of one step in order (one at a time: bound parameters allow one statement per query). */
  const step = async (
    trx: Knex.Transaction,
    label: string,
    sql: string,
    bindings: Knex.RawBinding[] = [],
  ) => {
    const t0 = Date.now();
    const rest = [...bindings];
    for (const statement of sql
      .split(/;\s*\n/)
      .map((x) => x.trim())
      .filter(Boolean)) {
      const count = (statement.match(/\?/g) ?? []).length;
      await trx.raw(statement, rest.splice(0, count));
    }
    log(`  ${label.padEnd(28)} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
  const municipalityId = await db.transaction(async (trx) => {
    await trx.raw('SET LOCAL statement_timeout = 0');
    await trx.raw('SELECT setseed(0.42)');
    const [m] = await trx('municipalities').insert({ name: LARGE.municipality }).returning('id');
    const mid = m.id as number;
    // Ids are given explicitly (base + ordinal), so later rows can point at earlier ones without lookups.
    const base = async (table: string) =>
      Number((await trx.raw(`SELECT coalesce(max(id), 0) AS n FROM ${table}`)).rows[0].n) + 1000;
    const b = {
      district: await base('districts'),
      unit: await base('units'),
      user: await base('users'),
      child: await base('children'),
      log: await base('logs'),
      concern: await base('concerns'),
      goal: await base('goals'),
      measure: await base('measures'),
      meeting: await base('meetings'),
      category: await base('concern_categories'),
    };
    const S = LARGE.staffPerUnit;
    await step(
      trx,
      'districts, units, categories',
      `INSERT INTO districts (id, municipality_id, name)
         SELECT ${b.district} + d, ?, 'Bydel ' || d FROM generate_series(1, 10) d;
       INSERT INTO units (id, district_id, name, kind)
         SELECT ${b.unit} + u, ${b.district} + 1 + (u - 1) % 10,
                CASE WHEN u <= 90 THEN 'Skole ' WHEN u <= 160 THEN 'Barnehage ' WHEN u <= 175 THEN 'Helsestasjon '
                     WHEN u <= 185 THEN 'PPT ' WHEN u <= 195 THEN 'Barnevern ' ELSE 'Tjeneste ' END || lpad(u::text, 3, '0'),
                CASE WHEN u <= 90 THEN 'school' WHEN u <= 160 THEN 'kindergarten' WHEN u <= 175 THEN 'health_station'
                     WHEN u <= 185 THEN 'ppt' WHEN u <= 195 THEN 'child_welfare' ELSE 'other' END
         FROM generate_series(1, ${LARGE.units}) u;
       INSERT INTO concern_categories (id, municipality_id, label, is_activity_plan, position)
         SELECT ${b.category} + k, ?, (ARRAY['Skolemiljø (§ 12-4 opplæringslova)', 'Fravær', 'Psykisk helse og trivsel',
                'Språk og kommunikasjon', 'Læring', 'Sosiale ferdigheter', 'Fysisk helse', 'Familie og hjem'])[k],
                k = 1, k
         FROM generate_series(1, 8) k;`,
      [mid, mid],
    );
    // Staff: per unit 1 leader, 1 superuser, 4 holders, 4 actors (user id = base + (unit-1)*S + k).
    await step(
      trx,
      'staff and memberships',
      `INSERT INTO users (id, municipality_id, email, name, kind, password_hash, disabled_at)
         SELECT ${b.user} + (u - 1) * ${S} + k, ?, 'u' || u || '-' || k || '@storby.example', 'Ansatt ' || u || '-' || k,
                'staff', ?, CASE WHEN random() < 0.01 THEN now() END
         FROM generate_series(1, ${LARGE.units}) u, generate_series(1, ${S}) k;
       INSERT INTO unit_memberships (unit_id, user_id, title, is_leader, is_superuser, may_hold, may_be_actor)
         SELECT ${b.unit} + u, ${b.user} + (u - 1) * ${S} + k, CASE WHEN k = 1 THEN 'Leder' ELSE 'Ansatt' END,
                k = 1, k = 2, k <= 6 AND NOT (k = 6 AND u % 25 = 0), true
         FROM generate_series(1, ${LARGE.units}) u, generate_series(1, ${S}) k;
       INSERT INTO users (id, municipality_id, email, name, kind, password_hash, is_municipal_admin)
         VALUES (${b.user} + ${LARGE.units * S + 1}, ?, '${LARGE.admin}', 'Kommuneadministrator Storby', 'staff', ?, true),
                (${b.user} + ${LARGE.units * S + 2}, ?, '${LARGE.leader}', 'Leder Storby', 'staff', ?, false);
       INSERT INTO unit_memberships (unit_id, user_id, title, is_leader, may_hold)
         SELECT ${b.unit} + u, ${b.user} + ${LARGE.units * S + 2}, 'Leder', true, true FROM generate_series(1, 3) u;`,
      [mid, hash, mid, hash, mid, hash],
    );
    await step(
      trx,
      'children',
      `INSERT INTO children (id, municipality_id, unit_id, first_name, last_name, birth_date)
         SELECT ${b.child} + c, ?, ${b.unit} + 1 + (c - 1) % ${LARGE.units}, 'Barn', c::text,
                (now() - (365 * (1 + random() * 16)) * interval '1 day')::date
         FROM generate_series(1, ${LARGE.children}) c;`,
      [mid],
    );
    // Logs over the last four years; about two in three still active. The unit is the child's own unit
    // for most, another unit for some (health station, PPT); the holder one of the unit's four holders.
    await step(
      trx,
      'logs, closings, consents',
      `CREATE TEMP TABLE gl ON COMMIT DROP AS
         SELECT i, ${b.log} + i AS id, ${b.child} + 1 + (i - 1) % ${LARGE.children} AS child_id,
                CASE WHEN random() < 0.85 THEN 1 + (i - 1) % ${LARGE.children} % ${LARGE.units}
                     ELSE 161 + floor(random() * 35)::int END AS unit_n,
                3 + floor(random() * 4)::int AS holder_k, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                now() - (random() * 1460) * interval '1 day' AS created_at
         FROM generate_series(1, ${LARGE.logs}) i;
       INSERT INTO logs (id, child_id, plan_type, level, holder_id, unit_id, status, startup_note, created_by,
                         closed_at, closed_reason, created_at, updated_at)
         SELECT id, child_id,
                CASE WHEN r1 < 0.70 THEN 'stafettlogg' WHEN r1 < 0.82 THEN 'individuell_plan'
                     WHEN r1 < 0.92 THEN 'oppfolgingsplan' WHEN r1 < 0.97 THEN 'familieplan' ELSE 'barnets_plan' END,
                CASE WHEN r2 < 0.5 THEN 1 WHEN r2 < 0.9 THEN 2 ELSE 3 END,
                ${b.user} + (unit_n - 1) * ${S} + holder_k, ${b.unit} + unit_n,
                CASE WHEN r3 < 0.65 THEN 'active' ELSE 'passive' END, 'Oppstart etter samtale med familien.',
                ${b.user} + (unit_n - 1) * ${S} + holder_k,
                CASE WHEN r3 >= 0.65 THEN least(now(), created_at + (30 + r4 * 700) * interval '1 day') END,
                CASE WHEN r3 >= 0.65 THEN 'Avsluttet etter avtale med familien.' END, created_at, created_at
         FROM gl;
       INSERT INTO log_closures (log_id, kind, closed_on, reason, closed_by, closed_at)
         SELECT l.id, 'closed', (l.closed_at AT TIME ZONE 'Europe/Oslo')::date, 'Avsluttet etter avtale med familien.',
                l.holder_id, l.closed_at
         FROM logs l WHERE l.id > ${b.log} AND l.status = 'passive';
       INSERT INTO consents (log_id, given_by, given_by_role, given_on, valid_until, services, recorded_by, withdrawn_at,
                             created_at, updated_at)
         SELECT l.id, 'Foresatte', 'guardians', (l.created_at AT TIME ZONE 'Europe/Oslo')::date,
                (l.created_at AT TIME ZONE 'Europe/Oslo')::date + (300 + floor(random() * 500)::int),
                '{school}', l.holder_id, CASE WHEN random() < 0.02 THEN now() END, l.created_at, l.created_at
         FROM logs l WHERE l.id > ${b.log};`,
    );
    // Concerns: 1–3 per log (two on average); goals: 1–2 per concern; measures: 2 per goal.
    await step(
      trx,
      'concerns and goals',
      `CREATE TEMP TABLE gc ON COMMIT DROP AS
         SELECT row_number() OVER (ORDER BY l.id, n) AS i, l.id AS log_id, l.holder_id, l.created_at, n
         FROM logs l, generate_series(1, 3) n
         WHERE l.id > ${b.log} AND (n = 1 OR (n = 2 AND l.id * 0 + random() < 0.7) OR (n = 3 AND l.id * 0 + random() < 0.3));
       INSERT INTO concerns (id, log_id, title, category_id, status, position, created_by, created_at, updated_at)
         SELECT ${b.concern} + i, log_id, 'Oppmerksomhet', CASE WHEN random() < 0.15 THEN NULL
                ELSE ${b.category} + 1 + floor(random() * 8)::int END,
                CASE WHEN random() < 0.8 THEN 'active' WHEN random() < 0.75 THEN 'solved' ELSE 'closed' END,
                n, holder_id, created_at, created_at
         FROM gc;
       CREATE TEMP TABLE gg ON COMMIT DROP AS
         SELECT row_number() OVER (ORDER BY c.i, k.n) AS i, ${b.concern} + c.i AS concern_id, c.log_id, c.holder_id,
                c.created_at, k.n
         FROM gc c, generate_series(1, 2) k(n) WHERE k.n = 1 OR c.i * 0 + random() < 0.5;
       INSERT INTO goals (id, log_id, concern_id, text, owner, arena, status, position, created_by, created_at, updated_at)
         SELECT ${b.goal} + i, log_id, concern_id, 'Målet nås', 'child', 'school', 'active', n, holder_id, created_at, created_at
         FROM gg;`,
    );
    // Measures start within the log's life; deadlines 2–8 weeks on. Most past deadlines are evaluated,
    // some late; half of the responsible parties are actors (one active measure per actor and concern).
    await step(
      trx,
      'measures and evaluations',
      `CREATE TEMP TABLE gm ON COMMIT DROP AS
         SELECT row_number() OVER (ORDER BY g.i, k.n) AS i, g.i AS goal_i, g.concern_id, g.log_id, g.holder_id, k.n,
                row_number() OVER (PARTITION BY g.concern_id ORDER BY g.i, k.n) AS in_concern,
                (g.created_at + (random() * greatest(1, extract(epoch FROM now() - g.created_at) / 86400 - 20))
                   * interval '1 day')::date AS start_date,
                random() AS r1, random() AS r2, random() AS r3
         FROM gg g, generate_series(1, 2) k(n);
       INSERT INTO measures (id, log_id, concern_id, goal_id, text, responsible, responsible_user_id, start_date, deadline,
                             status, position, created_by, text_written_at, created_at, updated_at)
         SELECT ${b.measure} + m.i, m.log_id, m.concern_id, ${b.goal} + m.goal_i, 'Tiltak',
                CASE WHEN m.r1 < 0.5 THEN 'actor' WHEN m.r1 < 0.8 THEN 'guardians' ELSE 'child' END,
                CASE WHEN m.r1 < 0.5 THEN ${b.user} + (l.unit_id - ${b.unit} - 1) * ${S} + 6 + m.in_concern::int END,
                m.start_date,
                m.start_date + (14 + floor(m.r2 * 42)::int),
                CASE WHEN m.start_date + (14 + floor(m.r2 * 42)::int) < now()::date - 7 AND m.r3 < 0.85 THEN 'evaluated'
                     WHEN m.start_date < now()::date THEN 'ongoing' ELSE 'planned' END,
                m.n, m.holder_id, m.start_date, m.start_date, m.start_date
         FROM gm m JOIN logs l ON l.id = m.log_id;
       INSERT INTO evaluations (measure_id, log_id, misregistered, happened, effect, family_effect, family_view,
                                next_step, evaluated_by, evaluated_at)
         SELECT m.id, m.log_id, random() < 0.02, 'yes',
                (ARRAY['worked', 'partly', 'did_not_work'])[1 + floor(random() * 3)::int],
                (ARRAY['worked', 'worked', 'partly', 'did_not_work'])[1 + floor(random() * 4)::int],
                CASE WHEN random() < 0.45 THEN 'Familien mener tiltaket hjalp.' ELSE '' END, 'continue', m.created_by,
                least(now(), (m.deadline + (floor(random() * 30)::int - 12))::timestamp AT TIME ZONE 'Europe/Oslo' + interval '12 hours')
         FROM measures m WHERE m.id > ${b.measure} AND m.status = 'evaluated';`,
    );
    // Meetings: two per log on average, spread over its life; half of the held ones evaluated by the family.
    await step(
      trx,
      'meetings and evaluations',
      `INSERT INTO meetings (id, log_id, starts_at, purpose, status, created_by, closed_at, created_at, updated_at)
         SELECT ${b.meeting} + row_number() OVER (ORDER BY l.id, n), l.id, s.at, 'Oppfølgingsmøte',
                CASE WHEN s.at < now() THEN 'closed' ELSE 'planned' END, l.holder_id,
                CASE WHEN s.at < now() THEN s.at + interval '1 hour' END, l.created_at, l.created_at
         FROM logs l, generate_series(1, 3) n,
              LATERAL (SELECT l.created_at + random() * (coalesce(l.closed_at, now() + interval '30 days') - l.created_at) AS at) s
         WHERE l.id > ${b.log} AND (n = 1 OR (n = 2 AND l.id * 0 + random() < 0.7) OR (n = 3 AND l.id * 0 + random() < 0.3));
       INSERT INTO meeting_evaluations (meeting_id, respondent, said_what_wanted, understood, talked_about_important,
                                        respected, language_clear, help_coherent, recorded_by, recorded_at)
         SELECT mt.id, CASE WHEN n = 1 THEN 'guardian' ELSE 'child' END,
                3 + floor(random() * 3)::int, 2 + floor(random() * 4)::int, 3 + floor(random() * 3)::int,
                4 + floor(random() * 2)::int, CASE WHEN random() < 0.9 THEN 2 + floor(random() * 4)::int END,
                1 + floor(random() * 5)::int, mt.created_by, mt.closed_at
         FROM meetings mt, generate_series(1, 2) n
         WHERE mt.id > ${b.meeting} AND mt.status = 'closed' AND mt.id * 0 + random() < (CASE WHEN n = 1 THEN 0.5 ELSE 0.2 END);`,
    );
    await step(
      trx,
      'transfers and children',
      `INSERT INTO transfers (log_id, kind, from_unit_id, from_holder_id, created_by, to_unit_id, reason,
                              consent_confirmed, status, created_at)
         SELECT l.id, 'unit', l.unit_id, l.holder_id, l.holder_id, ${b.unit} + 1 + (l.id * 7) % ${LARGE.units},
                'Barnet bytter skole.', true, 'pending', now() - interval '3 days'
         FROM logs l WHERE l.id > ${b.log} AND l.status = 'active' AND l.id * 0 + random() < 0.01;
       INSERT INTO unit_child_counts (unit_id, school_year, children, updated_by, updated_at)
         SELECT u.id, y, CASE u.kind WHEN 'school' THEN 250 + floor(random() * 350)::int
                                     WHEN 'kindergarten' THEN 60 + floor(random() * 60)::int
                                     ELSE 800 + floor(random() * 1200)::int END,
                ${b.user} + (u.id - ${b.unit} - 1) * ${S} + 1, now()
         FROM units u, generate_series(extract(year FROM now())::int - 2, extract(year FROM now())::int) y
         WHERE u.district_id > ${b.district} AND u.district_id <= ${b.district} + 10 AND u.id * 0 + random() < 0.9;`,
    );
    for (const [table, id] of [
      ['districts', b.district],
      ['units', b.unit],
      ['users', b.user],
      ['children', b.child],
      ['logs', b.log],
      ['concerns', b.concern],
      ['goals', b.goal],
      ['measures', b.measure],
      ['meetings', b.meeting],
      ['concern_categories', b.category],
    ] as const) {
      void id;
      await trx.raw(
        `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`,
      );
    }
    return mid;
  });
  // Fresh visibility maps too, so the summary queries' index-only scans need not visit the table.
  await db.raw('VACUUM ANALYZE');
  log(`  ${'in all'.padEnd(28)} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { ...(await describe(db, municipalityId)), created: true };
}

async function describe(db: Knex, municipalityId: number): Promise<Omit<LargeWorld, 'created'>> {
  const led = await db('unit_memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where({ 'u.email': LARGE.leader, 'm.is_leader': true })
    .orderBy('m.unit_id')
    .pluck('m.unit_id');
  return { municipalityId, leaderUnitIds: led as number[] };
}

/** Counts for the report: rows per table in the municipality. */
export async function largeCounts(db: Knex, municipalityId: number): Promise<Record<string, number>> {
  const { rows } = await db.raw(
    `WITH l AS (SELECT l.id FROM logs l JOIN units u ON u.id = l.unit_id JOIN districts d ON d.id = u.district_id
                WHERE d.municipality_id = ?)
     SELECT (SELECT count(*) FROM units u JOIN districts d ON d.id = u.district_id WHERE d.municipality_id = ?) AS units,
            (SELECT count(*) FROM l) AS logs,
            (SELECT count(*) FROM concerns WHERE log_id IN (SELECT id FROM l)) AS concerns,
            (SELECT count(*) FROM goals WHERE log_id IN (SELECT id FROM l)) AS goals,
            (SELECT count(*) FROM measures WHERE log_id IN (SELECT id FROM l)) AS measures,
            (SELECT count(*) FROM evaluations WHERE log_id IN (SELECT id FROM l)) AS evaluations,
            (SELECT count(*) FROM meetings WHERE log_id IN (SELECT id FROM l)) AS meetings,
            (SELECT count(*) FROM meeting_evaluations e JOIN meetings m ON m.id = e.meeting_id
              WHERE m.log_id IN (SELECT id FROM l)) AS meeting_evaluations,
            (SELECT count(*) FROM consents WHERE log_id IN (SELECT id FROM l)) AS consents`,
    [municipalityId, municipalityId],
  );
  return rows[0] as Record<string, number>;
}
