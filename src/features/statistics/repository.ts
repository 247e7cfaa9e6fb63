/**
 * The statistics' queries: one summary query per figure group, over the logs of the chosen units,
 * plan type and level; counts only (GROUP BY with FILTER and GROUPING SETS), never a row per log and
 * never a child's name, identity number or any free text. Concerns, measures, evaluations, meetings and
 * consents carry their log's unit, plan type, level, state and closing day (kept by triggers: migration
 * 20261126002600_statistics_log_facts), so their figures read one table and never join the logs; a
 * concern also carries which kinds of open measure it has, and an evaluation whether the family's view
 * was written in it (20261127040000_statistics_lean_reads), so each figure reads one index. Days
 * are Oslo calendar days: a period runs from its first day's midnight to the midnight after its last
 * day. Each query opens with a comment naming it, so EXPLAIN output and the database's own statistics
 * can be read per query.
 */
import type { Db } from '../../db/knex.js';

export interface Selection {
  unitIds: number[];
  planType: string | null;
  level: number | null;
  from: string;
  to: string;
  today: string;
  /** Per holder (a unit's page) as well as per unit. */
  byHolder: boolean;
}

export interface LogGroupRow {
  set: 'all' | 'unit' | 'holder' | 'level' | 'plan_type' | 'month';
  key: string | null;
  holder_name: string | null;
  active: number;
  passive: number;
  created: number;
  children: number;
  median_age: number | null;
}

export interface MonthRow {
  series: 'created' | 'closed' | 'missed';
  month: string;
  n: number;
}

export interface MeasureRow {
  unit_id: number | null;
  active: number;
  overdue: number;
  due: number;
  on_time: number;
}

export interface ConcernRow {
  category_id: number | null;
  is_total: boolean;
  n: number;
  service: number;
  home: number;
  child: number;
  all_three: number;
}

export interface EvaluationRow {
  family_effect: string | null;
  is_total: boolean;
  n: number;
  family_view: number;
}

export interface RelayRow {
  expiring: number;
  expired: number;
  withdrawn: number;
  outgoing: number;
  incoming: number;
  holderless: number;
}

export interface MeetingRow {
  held: number;
  answers: Record<string, { n: number; mean: number | null }>;
}

export interface UnitRow {
  id: number;
  name: string;
  kind: string;
  district_id: number;
  district_name: string;
}

const OSLO = `'Europe/Oslo'`;

/** Ids as one PostgreSQL array literal (knex would spread a JavaScript array into a list of bindings). */
const ids = (values: number[]) => `{${values.map((v) => Math.trunc(v)).join(',')}}`;

/**
 * The logs of the selection, as a WHERE clause on alias `alias` (the logs, or their counts per group,
 * which name the columns alike), with its bindings.
 */
function logWhere(s: Selection, alias = 'l'): { sql: string; bindings: (string | number)[] } {
  const parts = [`${alias}.unit_id = ANY(?::int[])`];
  const bindings: (string | number)[] = [ids(s.unitIds)];
  if (s.planType) {
    parts.push(`${alias}.plan_type = ?`);
    bindings.push(s.planType);
  }
  if (s.level) {
    parts.push(`${alias}.level = ?`);
    bindings.push(s.level);
  }
  return { sql: parts.join(' AND '), bindings };
}

/**
 * The same selection on the rows that carry their log's facts (concerns, measures, evaluations, meetings,
 * consents), as a WHERE clause on alias `alias`, with its bindings.
 */
function factWhere(s: Selection, alias: string): { sql: string; bindings: (string | number)[] } {
  const parts = [`${alias}.log_unit_id = ANY(?::int[])`];
  const bindings: (string | number)[] = [ids(s.unitIds)];
  if (s.planType) {
    parts.push(`${alias}.log_plan_type = ?`);
    bindings.push(s.planType);
  }
  if (s.level) {
    parts.push(`${alias}.log_level = ?`);
    bindings.push(s.level);
  }
  return { sql: parts.join(' AND '), bindings };
}

/** The period as timestamps: its first day's midnight and the midnight after its last day, in Oslo. */
const periodStart = `(?::date)::timestamp AT TIME ZONE ${OSLO}`;
const periodEnd = `(?::date + 1)::timestamp AT TIME ZONE ${OSLO}`;

/** The last day a deadline can have and have passed: the period's end, or yesterday. */
function lastDue(s: Selection): string {
  const yesterday = new Date(`${s.today}T12:00:00Z`);
  yesterday.setUTCDate(yesterday.getUTCDate() - 1);
  const y = yesterday.toISOString().slice(0, 10);
  return s.to < y ? s.to : y;
}

export function statisticsRepository(db: Db) {
  return {
    /** The municipality's units with their districts, by name. */
    async units(municipalityId: number): Promise<UnitRow[]> {
      return db('units as u')
        .join('districts as d', 'd.id', 'u.district_id')
        .where('d.municipality_id', municipalityId)
        .orderBy([{ column: 'u.name' }, { column: 'u.id' }])
        .select('u.id', 'u.name', 'u.kind', 'u.district_id', 'd.name as district_name');
    },

    async districts(municipalityId: number): Promise<{ id: number; name: string }[]> {
      return db('districts')
        .where({ municipality_id: municipalityId })
        .orderBy([{ column: 'name' }, { column: 'id' }])
        .select('id', 'name');
    },

    async categories(municipalityId: number): Promise<{ id: number; label: string; code: string | null }[]> {
      return db('concern_categories')
        .where({ municipality_id: municipalityId })
        .orderBy([{ column: 'position' }, { column: 'id' }])
        .select('id', 'label', 'code');
    },

    /**
     * Logs: active and passive per unit, level, plan type and holder, from the logs of now counted per
     * group (statistics_log_counts: about a third as many rows as logs); created in the period per month
     * and in all, from the logs' index by unit and day of creation; then the children with a log in
     * the period per unit and the median age of the active logs (the two figures that need distinct
     * values or an order).
     */
    async logs(s: Selection): Promise<LogGroupRow[]> {
      const where = logWhere(s);
      const counted = logWhere(s, 'c');
      const sets = [
        '()',
        '(c.unit_id)',
        '(c.level)',
        '(c.plan_type)',
        ...(s.byHolder ? ['(c.holder_id)'] : []),
      ];
      const counts = db.raw(
        `/* statistics:logs */
        WITH g AS (
          SELECT CASE WHEN grouping(c.unit_id) = 0 THEN 'unit' WHEN grouping(c.level) = 0 THEN 'level'
                      WHEN grouping(c.plan_type) = 0 THEN 'plan_type'
                      ${s.byHolder ? "WHEN grouping(c.holder_id) = 0 THEN 'holder'" : ''}
                      ELSE 'all' END AS set,
                 c.unit_id, c.level, c.plan_type, ${s.byHolder ? 'c.holder_id' : 'NULL::int AS holder_id'},
                 coalesce(sum(c.n) FILTER (WHERE c.status = 'active'), 0)::int AS active,
                 coalesce(sum(c.n) FILTER (WHERE c.status = 'passive'), 0)::int AS passive
          FROM statistics_log_counts c
          WHERE ${counted.sql}
          GROUP BY GROUPING SETS (${sets.join(', ')})
        ), m AS (
          SELECT to_char(date_trunc('month', l.created_day::timestamp), 'YYYY-MM') AS month, count(*)::int AS n
          FROM logs l
          WHERE ${where.sql} AND l.created_day BETWEEN ?::date AND ?::date
          GROUP BY ROLLUP (date_trunc('month', l.created_day::timestamp))
        )
        SELECT g.set, coalesce(g.unit_id::text, g.level::text, g.plan_type, g.holder_id::text) AS key,
               g.active, g.passive,
               CASE WHEN g.set = 'all' THEN coalesce((SELECT m.n FROM m WHERE m.month IS NULL), 0) ELSE 0 END AS created,
               h.name AS holder_name
        FROM g LEFT JOIN users h ON h.id = g.holder_id
        UNION ALL
        SELECT 'month', m.month, 0, 0, m.n, NULL FROM m WHERE m.month IS NOT NULL`,
        [...counted.bindings, ...where.bindings, s.from, s.to],
      );
      // Both read the logs' covering index (logs_statistics) in unit order: no table, no hashing.
      const extra = db.raw(
        `/* statistics:children */
        SELECT l.unit_id, count(DISTINCT l.child_id)::int AS children, NULL::float AS median_age
        FROM logs l
        WHERE ${where.sql} AND l.created_day <= ?::date AND (l.status = 'active' OR l.closed_day >= ?::date)
        GROUP BY l.unit_id
        UNION ALL
        SELECT NULL, NULL, percentile_cont(0.5) WITHIN GROUP (ORDER BY ?::date - l.created_day)
        FROM logs l WHERE ${where.sql} AND l.status = 'active'`,
        [...where.bindings, s.to, s.from, s.today, ...where.bindings],
      );
      const [{ rows }, { rows: more }] = await Promise.all([counts, extra]);
      const groups = (rows as Omit<LogGroupRow, 'children' | 'median_age'>[]).map((r) => ({
        ...r,
        children: 0,
        median_age: null as number | null,
      }));
      for (const r of more as {
        unit_id: number | null;
        children: number | null;
        median_age: number | null;
      }[]) {
        if (r.unit_id === null) {
          const all = groups.find((g) => g.set === 'all');
          if (all) all.median_age = r.median_age;
          continue;
        }
        const unit = groups.find((g) => g.set === 'unit' && g.key === String(r.unit_id));
        if (unit) unit.children = r.children ?? 0;
      }
      return groups;
    },

    /** Per month of the period: logs closed with the family. (Created: logs(); missed deadlines: measures().) */
    async months(s: Selection): Promise<MonthRow[]> {
      const where = logWhere(s);
      const { rows } = await db.raw(
        `/* statistics:closed */
        SELECT 'closed' AS series, to_char(k.closed_on::timestamp, 'YYYY-MM') AS month, count(*)::int AS n
        FROM log_closures k JOIN logs l ON l.id = k.log_id
        WHERE ${where.sql} AND k.kind = 'closed' AND k.closed_on BETWEEN ?::date AND ?::date
        GROUP BY 2`,
        [...where.bindings, s.from, s.to],
      );
      return rows as MonthRow[];
    },

    /**
     * Measures: active and past their deadline now (per unit too), read from the measures not yet
     * evaluated; and the deadlines of the period that have passed, kept or not, per month.
     */
    async measures(s: Selection): Promise<{ rows: MeasureRow[]; missed: MonthRow[] }> {
      const where = factWhere(s, 'm');
      const open = db.raw(
        `/* statistics:measures-now */
        SELECT CASE WHEN grouping(m.log_unit_id) = 0 THEN m.log_unit_id END AS unit_id,
               count(*)::int AS active, count(*) FILTER (WHERE m.deadline < ?::date)::int AS overdue
        FROM measures m
        WHERE m.status <> 'evaluated' AND m.log_active AND ${where.sql}
        GROUP BY GROUPING SETS ((), (m.log_unit_id))`,
        [s.today, ...where.bindings],
      );
      const due = db.raw(
        `/* statistics:deadlines */
        SELECT to_char(date_trunc('month', m.deadline::timestamp), 'YYYY-MM') AS month, grouping(date_trunc('month', m.deadline::timestamp)) = 1 AS is_total,
               count(*)::int AS due, count(*) FILTER (WHERE m.evaluated_day <= m.deadline)::int AS on_time
        FROM measures m
        WHERE m.deadline BETWEEN ?::date AND ?::date AND ${where.sql}
          AND (m.log_active OR m.log_closed_day > m.deadline) AND m.evaluation_misregistered IS NOT TRUE
        GROUP BY GROUPING SETS ((), (date_trunc('month', m.deadline::timestamp)))`,
        [s.from, lastDue(s), ...where.bindings],
      );
      const [{ rows: now }, { rows: deadlines }] = await Promise.all([open, due]);
      const total = (deadlines as { is_total: boolean; due: number; on_time: number }[]).find(
        (r) => r.is_total,
      );
      const rows = (now as { unit_id: number | null; active: number; overdue: number }[]).map((r) => ({
        ...r,
        due: r.unit_id === null ? (total?.due ?? 0) : 0,
        on_time: r.unit_id === null ? (total?.on_time ?? 0) : 0,
      }));
      if (!rows.some((r) => r.unit_id === null))
        rows.push({
          unit_id: null,
          active: 0,
          overdue: 0,
          due: total?.due ?? 0,
          on_time: total?.on_time ?? 0,
        });
      const missed = (deadlines as { month: string; is_total: boolean; due: number; on_time: number }[])
        .filter((r) => !r.is_total)
        .map((r) => ({ series: 'missed' as const, month: r.month, n: r.due - r.on_time }));
      return { rows, missed };
    },

    /**
     * Active concerns in active logs, by category, and whether each has an open measure in the service, at
     * home, for the child (kept on the concern: migration 20261127040000_statistics_lean_reads).
     */
    async concerns(s: Selection): Promise<ConcernRow[]> {
      const where = factWhere(s, 'c');
      const { rows } = await db.raw(
        `/* statistics:concerns */
        SELECT c.category_id, grouping(c.category_id) = 1 AS is_total, count(*)::int AS n,
               count(*) FILTER (WHERE c.open_service_measure)::int AS service,
               count(*) FILTER (WHERE c.open_home_measure)::int AS home,
               count(*) FILTER (WHERE c.open_child_measure)::int AS child,
               count(*) FILTER (WHERE c.open_service_measure AND c.open_home_measure
                                  AND c.open_child_measure)::int AS all_three
        FROM concerns c
        WHERE ${where.sql} AND c.log_active AND c.status = 'active'
        GROUP BY GROUPING SETS ((), (c.category_id))`,
        where.bindings,
      );
      return rows as ConcernRow[];
    },

    /** Evaluations made in the period (not corrections of misregistered measures), by the family's verdict. */
    async evaluations(s: Selection): Promise<EvaluationRow[]> {
      const where = factWhere(s, 'e');
      const { rows } = await db.raw(
        `/* statistics:evaluations */
        SELECT e.family_effect, grouping(e.family_effect) = 1 AS is_total, count(*)::int AS n,
               count(*) FILTER (WHERE e.family_view_written
                 OR e.measure_id IN (SELECT f.measure_id FROM family_views f))::int AS family_view
        FROM evaluations e
        WHERE e.evaluated_day BETWEEN ?::date AND ?::date AND NOT e.misregistered AND ${where.sql}
        GROUP BY GROUPING SETS ((), (e.family_effect))`,
        [s.from, s.to, ...where.bindings],
      );
      return rows as EvaluationRow[];
    },

    /** Now: consents running out or gone, pending transfers, and logs whose holder cannot hold them. */
    async relay(s: Selection): Promise<RelayRow> {
      const where = logWhere(s);
      const standing = factWhere(s, 'c');
      // Per active log its latest consent not withdrawn (consents carry their log's facts); an active log
      // without one has had its consent withdrawn or never had one. The active logs per unit and holder
      // (from the logs of now counted per group) give both the logs without consent and the logs whose
      // holder cannot hold them.
      const counted = logWhere(s, 'c');
      const { rows } = await db.raw(
        `/* statistics:relay */
        WITH k AS (
          SELECT count(*) FILTER (WHERE x.valid_until BETWEEN ?::date AND ?::date + 30)::int AS expiring,
                 count(*) FILTER (WHERE x.valid_until < ?::date)::int AS expired, count(*)::int AS n
          FROM (SELECT max(c.valid_until) AS valid_until FROM consents c
                WHERE ${standing.sql} AND c.log_active AND c.withdrawn_at IS NULL
                GROUP BY c.log_unit_id, c.log_id) x
        ), h AS (
          SELECT c.unit_id, c.holder_id, sum(c.n) AS n FROM statistics_log_counts c
          WHERE ${counted.sql} AND c.status = 'active'
          GROUP BY c.unit_id, c.holder_id
        )
        SELECT k.expiring, k.expired,
          ((SELECT coalesce(sum(h.n), 0) FROM h) - k.n)::int AS withdrawn,
          (SELECT count(*) FROM transfers t JOIN logs l ON l.id = t.log_id
            WHERE t.status = 'pending' AND t.from_unit_id = ANY(?::int[]) AND ${where.sql})::int AS outgoing,
          (SELECT count(*) FROM transfers t JOIN logs l ON l.id = t.log_id
            WHERE t.status = 'pending' AND t.to_unit_id = ANY(?::int[]) AND t.from_unit_id <> ALL(?::int[])
              ${s.planType ? 'AND l.plan_type = ?' : ''} ${s.level ? 'AND l.level = ?' : ''})::int AS incoming,
          (SELECT coalesce(sum(h.n), 0) FROM h JOIN users u ON u.id = h.holder_id
            WHERE u.disabled_at IS NOT NULL OR NOT EXISTS (
              SELECT 1 FROM unit_memberships um
              WHERE um.unit_id = h.unit_id AND um.user_id = h.holder_id AND um.may_hold))::int AS holderless
        FROM k`,
        [
          s.today,
          s.today,
          s.today,
          ...standing.bindings,
          ...counted.bindings,
          ids(s.unitIds),
          ...where.bindings,
          ids(s.unitIds),
          ids(s.unitIds),
          ...(s.planType ? [s.planType] : []),
          ...(s.level ? [s.level] : []),
        ],
      );
      return rows[0] as RelayRow;
    },

    /** Meetings held in the period, and the families' answers to the evaluation questions (guardian or child). */
    async meetings(s: Selection, questions: readonly string[]): Promise<MeetingRow> {
      const where = factWhere(s, 'mt');
      const columns = questions
        .map((q) => `count(ev.${q})::int AS ${q}_n, avg(ev.${q})::float AS ${q}_mean`)
        .join(', ');
      const { rows } = await db.raw(
        `/* statistics:meetings */
        WITH mt AS (
          SELECT mt.id FROM meetings mt
          WHERE ${where.sql} AND mt.status = 'closed' AND mt.starts_at >= ${periodStart} AND mt.starts_at < ${periodEnd}
        )
        SELECT (SELECT count(*) FROM mt)::int AS held, ${columns}
        FROM meeting_evaluations ev JOIN mt ON mt.id = ev.meeting_id
        WHERE ev.respondent IN ('guardian', 'child')`,
        [...where.bindings, s.from, s.to],
      );
      const row = rows[0] as Record<string, number | null>;
      return {
        held: Number(row.held ?? 0),
        answers: Object.fromEntries(
          questions.map((q) => [q, { n: Number(row[`${q}_n`] ?? 0), mean: row[`${q}_mean`] ?? null }]),
        ),
      };
    },

    /** The number of children each unit entered for a school year. */
    async childCounts(unitIds: number[], schoolYear: number): Promise<Map<number, number>> {
      const rows = await db('unit_child_counts')
        .whereRaw('unit_id = ANY(?::int[])', [ids(unitIds)])
        .where({ school_year: schoolYear })
        .select('unit_id', 'children');
      return new Map(rows.map((r) => [r.unit_id as number, r.children as number]));
    },

    /** Every school year's number for one unit, newest first, with who entered it. */
    childCountHistory(unitId: number) {
      return db('unit_child_counts as c')
        .join('users as u', 'u.id', 'c.updated_by')
        .where('c.unit_id', unitId)
        .orderBy('c.school_year', 'desc')
        .select('c.school_year', 'c.children', 'c.updated_at', 'u.name as updated_by_name') as Promise<
        { school_year: number; children: number; updated_at: Date; updated_by_name: string }[]
      >;
    },

    async saveChildCount(
      unitId: number,
      schoolYear: number,
      children: number,
      userId: number,
      at: Date,
    ): Promise<void> {
      await db('unit_child_counts')
        .insert({ unit_id: unitId, school_year: schoolYear, children, updated_by: userId, updated_at: at })
        .onConflict(['unit_id', 'school_year'])
        .merge(['children', 'updated_by', 'updated_at']);
    },
  };
}

export type StatisticsRepository = ReturnType<typeof statisticsRepository>;
