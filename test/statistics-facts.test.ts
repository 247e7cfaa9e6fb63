/**
 * The statistics count concerns, measures, evaluations, meetings and consents without joining their
 * logs: each row carries its log's unit, plan type, level, state and closing day, and a measure its
 * evaluation's day. These tests change logs, evaluations and consents as the application's database
 * role — a transfer, a level and plan type change, closing and reopening, an evaluation misregistered
 * and removed, a consent withdrawn, a row moved to another log — and check that the figures follow and
 * that no row's copy differs from its source (test/statistics-fixture.ts is the municipality, counted
 * there by hand). L1, the first log below, has three open measures (one past its deadline), one active
 * concern, one meeting held in the school year and a consent that runs out within 30 days.
 * A concern also carries whether it has an open measure in the service, at home and for the child, and an
 * evaluation whether the family's view was written in it: the drift check recounts those from their
 * sources after every change, and the logs of now counted per unit, plan type, level, holder and state
 * from the logs. Two writes at once on two connections (the last open measure of a concern evaluated while
 * a measure is added in another goal) leave the flags right, and a log whose group is missing from the
 * counts can still be closed, transferred and removed.
 */
import t from 'tap';
import { createClock, testApp, type TestApp } from './helpers/app.js';
import { buildStatWorld, TODAY, type StatWorld } from './statistics-fixture.js';
import { statisticsRepository, type Selection } from '../src/features/statistics/repository.js';
import type { Db } from '../src/db/knex.js';

let site: TestApp;
let world: StatWorld;
let app: Db;

t.before(async () => {
  site = await testApp(t, {}, { clock: createClock(TODAY) });
  world = await buildStatWorld(site.db);
  app = site.app.db;
});

const schoolYear = (unitIds: number[], more: Partial<Selection> = {}): Selection => ({
  unitIds,
  planType: null,
  level: null,
  from: '2025-08-01',
  to: '2026-07-31',
  today: '2026-03-15',
  byHolder: false,
  ...more,
});

/** The figures that read the copied facts, as plain numbers. */
async function figures(s: Selection) {
  const repo = statisticsRepository(app);
  const [measures, concerns, evaluations, meetings, relay] = await Promise.all([
    repo.measures(s),
    repo.concerns(s),
    repo.evaluations(s),
    repo.meetings(s, ['said_what_wanted']),
    repo.relay(s),
  ]);
  const all = measures.rows.find((r) => r.unit_id === null)!;
  const concernTotal = concerns.find((r) => r.is_total);
  const evaluationTotal = evaluations.find((r) => r.is_total);
  return {
    activeMeasures: all.active,
    overdue: all.overdue,
    due: all.due,
    onTime: all.on_time,
    concerns: concernTotal?.n ?? 0,
    concernsWithService: concernTotal?.service ?? 0,
    evaluations: evaluationTotal?.n ?? 0,
    meetings: meetings.held,
    consentsExpiring: relay.expiring,
    consentsExpired: relay.expired,
    consentsMissing: relay.withdrawn,
  };
}

/** Rows whose copy of their log's (or evaluation's) facts differs from the source: always none. */
async function drift(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['concerns', 'measures', 'evaluations', 'meetings', 'consents']) {
    const { rows } = await site.db.raw(
      `SELECT count(*)::int AS n FROM ${table} x JOIN logs l ON l.id = x.log_id
        WHERE x.log_unit_id IS DISTINCT FROM l.unit_id OR x.log_plan_type IS DISTINCT FROM l.plan_type
           OR x.log_level IS DISTINCT FROM l.level OR x.log_active IS DISTINCT FROM (l.status = 'active')
           OR x.log_closed_day IS DISTINCT FROM l.closed_day`,
    );
    out[table] = rows[0].n;
  }
  const { rows } = await site.db.raw(
    `SELECT count(*)::int AS n FROM measures m LEFT JOIN evaluations e ON e.measure_id = m.id
      WHERE m.evaluated_day IS DISTINCT FROM e.evaluated_day
         OR m.evaluation_misregistered IS DISTINCT FROM e.misregistered`,
  );
  out.evaluation_of_measures = rows[0].n;
  // A concern's open measures of each kind, recounted from the measures.
  const open = (responsible: string) =>
    `EXISTS (SELECT 1 FROM measures m WHERE m.concern_id = c.id AND m.status <> 'evaluated'
                AND m.responsible = '${responsible}')`;
  const { rows: flags } = await site.db.raw(
    `SELECT count(*)::int AS n FROM concerns c
      WHERE (c.open_service_measure, c.open_home_measure, c.open_child_measure)
            IS DISTINCT FROM (${open('actor')}, ${open('guardians')}, ${open('child')})`,
  );
  out.open_measures_of_concerns = flags[0].n;
  const { rows: views } = await site.db.raw(
    `SELECT count(*)::int AS n FROM evaluations WHERE family_view_written IS DISTINCT FROM (btrim(family_view) <> '')`,
  );
  out.family_view_of_evaluations = views[0].n;
  // The logs of now per unit, plan type, level, holder and state, recounted from the logs.
  const { rows: groups } = await site.db.raw(
    `SELECT count(*)::int AS n FROM statistics_log_counts c
       FULL JOIN (SELECT unit_id, plan_type, level, holder_id, status, count(*)::int AS n FROM logs
                   GROUP BY 1, 2, 3, 4, 5) l
         USING (unit_id, plan_type, level, holder_id, status)
      WHERE c.n IS DISTINCT FROM l.n`,
  );
  out.log_counts = groups[0].n;
  return out;
}
const NO_DRIFT = {
  concerns: 0,
  measures: 0,
  evaluations: 0,
  meetings: 0,
  consents: 0,
  evaluation_of_measures: 0,
  open_measures_of_concerns: 0,
  family_view_of_evaluations: 0,
  log_counts: 0,
};

/** An active log of U1 with open measures, one of them past its deadline (L1 of the fixture). */
async function logWithOverdueMeasure(): Promise<number> {
  const row = await site
    .db('measures as m')
    .join('logs as l', 'l.id', 'm.log_id')
    .where({ 'l.unit_id': world.u1, 'l.status': 'active' })
    .whereNot('m.status', 'evaluated')
    .where('m.deadline', '<', '2026-03-15')
    .orderBy('l.id')
    .first('l.id');
  return row.id as number;
}

t.test('the hand-counted figures before any change, with every copy equal to its source', async (t) => {
  t.same(await drift(), NO_DRIFT);
  t.same(await figures(schoolYear([world.u1])), {
    activeMeasures: 18,
    overdue: 3,
    due: 13,
    onTime: 8,
    concerns: 12,
    concernsWithService: 6,
    evaluations: 10,
    meetings: 6,
    consentsExpiring: 2,
    consentsExpired: 1,
    consentsMissing: 0,
  });
});

t.test('a transfer moves the log and its rows to the new unit, and back', async (t) => {
  const logId = await logWithOverdueMeasure();
  const u1 = await figures(schoolYear([world.u1]));
  const u3 = await figures(schoolYear([world.u3]));
  await app('logs').where({ id: logId }).update({ unit_id: world.u3 });
  t.same(await drift(), NO_DRIFT);
  const u1After = await figures(schoolYear([world.u1]));
  const u3After = await figures(schoolYear([world.u3]));
  t.same(
    [
      u1After.activeMeasures,
      u1After.overdue,
      u1After.concerns,
      u1After.concernsWithService,
      u1After.consentsExpiring,
    ],
    [u1.activeMeasures - 3, u1.overdue - 1, u1.concerns - 1, u1.concernsWithService - 1, 1],
    "U1 loses the log's three open measures (one overdue), its concern and its running-out consent",
  );
  t.same(
    [u3After.activeMeasures, u3After.overdue, u3After.concerns, u3After.consentsExpiring],
    [u3.activeMeasures + 3, u3.overdue + 1, u3.concerns + 1, u3.consentsExpiring + 1],
    'U3 gains them',
  );
  t.same(
    await figures(schoolYear([world.u1, world.u3])),
    await (async () => {
      await app('logs').where({ id: logId }).update({ unit_id: world.u1 });
      return figures(schoolYear([world.u1, world.u3]));
    })(),
    'the two units together count the same wherever the log is',
  );
  t.same(await figures(schoolYear([world.u1])), u1, 'moved back: U1 as before');
  t.same(await drift(), NO_DRIFT);
});

t.test('a level or plan type change moves the rows between the filters', async (t) => {
  const logId = await logWithOverdueMeasure();
  const level1 = await figures(schoolYear([world.u1], { level: 1 }));
  const level2 = await figures(schoolYear([world.u1], { level: 2 }));
  t.equal(level2.activeMeasures, 0, 'no log at level 2 yet');
  await app('logs').where({ id: logId }).update({ level: 2 });
  t.same(await drift(), NO_DRIFT);
  t.equal((await figures(schoolYear([world.u1], { level: 1 }))).activeMeasures, level1.activeMeasures - 3);
  t.same(
    await figures(schoolYear([world.u1], { level: 2 })),
    {
      ...level2,
      activeMeasures: 3,
      overdue: 1,
      due: 1,
      concerns: 1,
      concernsWithService: 1,
      meetings: 1,
      consentsExpiring: 1,
    },
    'level 2 has the log: its open measures, its deadline passed, its concern, meeting and consent',
  );

  await app('logs').where({ id: logId }).update({ plan_type: 'familieplan' });
  t.same(await drift(), NO_DRIFT);
  t.equal((await figures(schoolYear([world.u1], { planType: 'familieplan' }))).activeMeasures, 3);
  t.equal((await figures(schoolYear([world.u1], { planType: 'stafettlogg' }))).activeMeasures, 15);

  await app('logs').where({ id: logId }).update({ level: 1, plan_type: 'stafettlogg' });
  t.same(await figures(schoolYear([world.u1], { level: 1 })), level1, 'changed back: as before');
  t.same(await drift(), NO_DRIFT);
});

t.test('closing a log takes its rows out of the figures of now; reopening brings them back', async (t) => {
  const logId = await logWithOverdueMeasure();
  const before = await figures(schoolYear([world.u1]));
  // Closed on 10 March 2026 (Oslo): the deadline of 1 March had passed while it was active, so it still
  // counts among the period's deadlines; the open measures and the active concern do not count now.
  await app('logs')
    .where({ id: logId })
    .update({ status: 'passive', closed_at: new Date('2026-03-10T10:00:00Z') });
  t.same(await drift(), NO_DRIFT);
  t.same(await figures(schoolYear([world.u1])), {
    ...before,
    activeMeasures: before.activeMeasures - 3,
    overdue: before.overdue - 1,
    concerns: before.concerns - 1,
    concernsWithService: before.concernsWithService - 1,
    consentsExpiring: before.consentsExpiring - 1,
  });
  // Closed on the deadline itself: that deadline no longer counts (the log was not active after it).
  await app('logs')
    .where({ id: logId })
    .update({ closed_at: new Date('2026-03-01T10:00:00Z') });
  t.same(await drift(), NO_DRIFT);
  t.equal((await figures(schoolYear([world.u1]))).due, before.due - 1);

  await app('logs').where({ id: logId }).update({ status: 'active', closed_at: null });
  t.same(await drift(), NO_DRIFT);
  t.same(await figures(schoolYear([world.u1])), before, 'reopened: as before');
});

t.test('a consent withdrawn: the log counts as without consent until a new one is given', async (t) => {
  const logId = await logWithOverdueMeasure();
  const before = await figures(schoolYear([world.u1]));
  await app('consents')
    .where({ log_id: logId })
    .update({ withdrawn_at: new Date('2026-03-14T10:00:00Z') });
  t.same(await drift(), NO_DRIFT);
  t.same(await figures(schoolYear([world.u1])), {
    ...before,
    consentsExpiring: before.consentsExpiring - 1,
    consentsMissing: before.consentsMissing + 1,
  });
  await app('consents').where({ log_id: logId }).update({ withdrawn_at: null });
  t.same(await figures(schoolYear([world.u1])), before, 'given again: as before');
});

t.test('an evaluation misregistered, removed or written again: the deadlines follow', async (t) => {
  const before = await figures(schoolYear([world.u1]));
  const onTime = await app('evaluations as e')
    .join('measures as m', 'm.id', 'e.measure_id')
    .where({ 'm.log_unit_id': world.u1, 'e.misregistered': false })
    .whereRaw('e.evaluated_day <= m.deadline')
    .orderBy('e.id')
    .first('e.id', 'e.measure_id');
  await app('evaluations').where({ id: onTime.id }).update({ misregistered: true });
  t.same(await drift(), NO_DRIFT);
  const misregistered = await figures(schoolYear([world.u1]));
  t.same(
    [misregistered.due, misregistered.onTime, misregistered.evaluations],
    [before.due - 1, before.onTime - 1, before.evaluations - 1],
    'a misregistered evaluation leaves its deadline and its verdict out',
  );

  const row = await app('evaluations').where({ id: onTime.id }).first();
  await app('evaluations').where({ id: onTime.id }).delete();
  t.same(await drift(), NO_DRIFT);
  const removed = await figures(schoolYear([world.u1]));
  t.same([removed.due, removed.onTime], [before.due, before.onTime - 1], 'without one: due, not kept');

  // Written again as it was (its id is new; its day is generated from the time).
  const fields: Record<string, unknown> = { ...(row as Record<string, unknown>), misregistered: false };
  delete fields.id;
  delete fields.evaluated_day;
  await app('evaluations').insert(fields);
  t.same(await drift(), NO_DRIFT);
  t.same(await figures(schoolYear([world.u1])), before, 'written again: as before');
});

t.test('a row moved to another log takes that log’s facts, whatever it was given', async (t) => {
  const logId = await logWithOverdueMeasure();
  const other = await site.db('logs').where({ unit_id: world.u3, status: 'active' }).first('id');
  const [inserted] = await app('meetings')
    .insert({
      log_id: logId,
      starts_at: new Date('2026-02-02T09:00:00Z'),
      purpose: 'Møte',
      status: 'closed',
      created_by: (await site.db('logs').where({ id: logId }).first('holder_id')).holder_id,
      log_unit_id: world.u3,
      log_level: 3,
      log_active: false,
    })
    .returning('id');
  t.same(await drift(), NO_DRIFT, 'the given copies are replaced by the log’s');
  await app('meetings').where({ id: inserted.id }).update({ log_id: other.id });
  t.same(await drift(), NO_DRIFT, 'moved: it takes the other log’s facts');
  await app('meetings').where({ id: inserted.id }).update({ log_unit_id: world.u2 });
  t.same(await drift(), NO_DRIFT, 'a copy written on its own is put right');
  const copy = await app('meetings').where({ id: inserted.id }).first('log_unit_id');
  t.equal(copy.log_unit_id, world.u3, 'the other log is in U3');
  await app('meetings').where({ id: inserted.id }).delete();
});

t.test(
  'a measure written, given to someone else, evaluated, reopened, moved or removed: its concern follows',
  async (t) => {
    const logId = await logWithOverdueMeasure();
    const log = await site.db('logs').where({ id: logId }).first('holder_id');
    const kinds = async () => {
      const total = (await statisticsRepository(app).concerns(schoolYear([world.u1]))).find(
        (r) => r.is_total,
      )!;
      return {
        n: total.n,
        service: total.service,
        home: total.home,
        child: total.child,
        all: total.all_three,
      };
    };
    const before = await kinds();
    // A new concern without measures: counted, with no kind of measure.
    const [concern] = await app('concerns')
      .insert({ log_id: logId, title: 'Oppmerksomhet', created_by: log.holder_id })
      .returning('id');
    const [goal] = await app('goals')
      .insert({ log_id: logId, concern_id: concern.id, text: 'Mål', created_by: log.holder_id })
      .returning('id');
    t.same(await drift(), NO_DRIFT);
    t.same(await kinds(), { ...before, n: before.n + 1 }, 'a concern without measures has none of the three');

    const [measure] = await app('measures')
      .insert({
        log_id: logId,
        concern_id: concern.id,
        goal_id: goal.id,
        text: 'Tiltak',
        responsible: 'guardians',
        start_date: '2026-03-01',
        deadline: '2026-04-01',
        created_by: log.holder_id,
      })
      .returning('id');
    t.same(await drift(), NO_DRIFT);
    t.same(await kinds(), { ...before, n: before.n + 1, home: before.home + 1 }, 'a measure at home');

    await app('measures').where({ id: measure.id }).update({ responsible: 'child' });
    t.same(await drift(), NO_DRIFT);
    t.same(await kinds(), { ...before, n: before.n + 1, child: before.child + 1 }, 'given to the child');

    await app('measures').where({ id: measure.id }).update({ status: 'evaluated' });
    t.same(await drift(), NO_DRIFT);
    t.same(await kinds(), { ...before, n: before.n + 1 }, 'evaluated: no longer open');

    await app('measures').where({ id: measure.id }).update({ status: 'ongoing' });
    t.same(await drift(), NO_DRIFT);
    t.same(await kinds(), { ...before, n: before.n + 1, child: before.child + 1 }, 'reopened');

    // Moved to a concern of another log in U3: the new concern loses it, the other gains it.
    const other = await site
      .db('concerns')
      .where({ log_unit_id: world.u3, status: 'active', log_active: true })
      .orderBy('id')
      .first('id', 'log_id');
    const u3 = await statisticsRepository(app).concerns(schoolYear([world.u3]));
    const hadChild = await site
      .db('measures')
      .where({ concern_id: other.id, responsible: 'child' })
      .whereNot('status', 'evaluated')
      .first('id');
    await app('measures').where({ id: measure.id }).update({ concern_id: other.id, log_id: other.log_id });
    t.same(await drift(), NO_DRIFT);
    t.same(await kinds(), { ...before, n: before.n + 1 }, 'moved away: U1 has no such measure');
    const u3After = (await statisticsRepository(app).concerns(schoolYear([world.u3]))).find(
      (r) => r.is_total,
    )!;
    const u3Before = u3.find((r) => r.is_total)!;
    t.equal(u3After.child, u3Before.child + (hadChild ? 0 : 1), 'U3 counts its concern for the child once');
    t.equal(
      (await site.db('concerns').where({ id: other.id }).first('open_child_measure')).open_child_measure,
      true,
      'the concern it moved to has a measure for the child',
    );

    await app('measures').where({ id: measure.id }).delete();
    t.same(await drift(), NO_DRIFT);
    t.same(await statisticsRepository(app).concerns(schoolYear([world.u3])), u3, 'removed: U3 as before');
    await app('goals').where({ id: goal.id }).delete();
    await app('concerns').where({ id: concern.id }).delete();
    t.same(await kinds(), before, 'U1 as before');
    t.same(await drift(), NO_DRIFT);
  },
);

t.test('the family’s view written in an evaluation, changed or emptied: the share follows', async (t) => {
  const familyView = async () =>
    (await statisticsRepository(app).evaluations(schoolYear([world.u1]))).find((r) => r.is_total)!
      .family_view;
  const before = await familyView();
  const row = await app('evaluations')
    .where({ log_unit_id: world.u1, misregistered: false, family_view: '' })
    .whereBetween('evaluated_day', ['2025-08-01', '2026-07-31'])
    .whereNotIn('measure_id', app('family_views').select('measure_id'))
    .orderBy('id')
    .first('id');
  await app('evaluations').where({ id: row.id }).update({ family_view: 'Vi er fornøyde' });
  t.same(await drift(), NO_DRIFT);
  t.equal(await familyView(), before + 1, 'written');
  await app('evaluations').where({ id: row.id }).update({ family_view: '   ' });
  t.same(await drift(), NO_DRIFT);
  t.equal(await familyView(), before, 'only spaces: not written');
  // A copy that says it was written is put right by what it holds.
  await app('evaluations').where({ id: row.id }).update({ family_view_written: true });
  t.same(await drift(), NO_DRIFT);
  t.equal(await familyView(), before);
  await app('evaluations').where({ id: row.id }).update({ family_view: '' });
});

t.test('a log written, given to another holder or removed: the counts of logs follow', async (t) => {
  const repo = statisticsRepository(app);
  const counts = async (byHolder = false) => {
    const rows = await repo.logs(schoolYear([world.u1, world.u3], { byHolder }));
    const pick = (set: string, key: string | null = null) =>
      rows.find((r) => r.set === set && (key === null || r.key === key));
    return {
      active: pick('all')?.active ?? 0,
      passive: pick('all')?.passive ?? 0,
      u1: pick('unit', String(world.u1))?.active ?? 0,
      u3: pick('unit', String(world.u3))?.active ?? 0,
      level3: pick('level', '3')?.active ?? 0,
      holders: Object.fromEntries(rows.filter((r) => r.set === 'holder').map((r) => [r.key, r.active])),
    };
  };
  const before = await counts(true);
  const logId = await logWithOverdueMeasure();
  const log = await site.db('logs').where({ id: logId }).first();
  const other = await site
    .db('unit_memberships')
    .where({ unit_id: world.u1 })
    .whereNot('user_id', log.holder_id)
    .orderBy('user_id')
    .first('user_id');

  await app('logs').where({ id: logId }).update({ holder_id: other.user_id });
  t.same(await drift(), NO_DRIFT);
  const moved = await counts(true);
  t.equal(moved.active, before.active, 'the same logs in all');
  t.equal(moved.holders[String(log.holder_id)] ?? 0, (before.holders[String(log.holder_id)] ?? 0) - 1);
  t.equal(moved.holders[String(other.user_id)] ?? 0, (before.holders[String(other.user_id)] ?? 0) + 1);
  await app('logs').where({ id: logId }).update({ holder_id: log.holder_id });
  t.same(await counts(true), before, 'given back: as before');

  // A new log at level 3 in U3, then removed.
  const { municipality_id } = await site.db('children').where({ id: log.child_id }).first('municipality_id');
  const [child] = await app('children')
    .insert({
      municipality_id,
      unit_id: world.u3,
      first_name: 'Barn',
      last_name: 'Ny',
      birth_date: '2016-01-01',
    })
    .returning('id');
  const [added] = await app('logs')
    .insert({ ...pickLog(log), child_id: child.id, unit_id: world.u3, level: 3, status: 'active' })
    .returning('id');
  t.same(await drift(), NO_DRIFT);
  t.same(
    await counts(),
    { ...before, holders: {}, active: before.active + 1, u3: before.u3 + 1, level3: before.level3 + 1 },
    'written: counted in its unit and level',
  );
  await app('logs')
    .where({ id: added.id })
    .update({ status: 'passive', closed_at: new Date('2026-03-10T10:00:00Z') });
  t.same(await drift(), NO_DRIFT);
  t.same(await counts(), { ...before, holders: {}, passive: before.passive + 1 }, 'closed: passive');
  await app('logs').where({ id: added.id }).delete();
  t.same(await drift(), NO_DRIFT);
  t.same(await counts(true), before, 'removed: as before');
});

/** The columns a new log copies from another. */
function pickLog(log: Record<string, unknown>) {
  return {
    plan_type: log.plan_type,
    holder_id: log.holder_id,
    startup_note: 'Oppstart',
    created_by: log.created_by,
    created_at: log.created_at,
  };
}

/** Sends a query now (a query builder runs only when awaited, and again at each await). */
function started<T>(query: PromiseLike<T>): Promise<T> {
  return Promise.resolve(query);
}

/**
 * Waits until `pending` has settled or a connection waits for a lock another transaction holds on a
 * statement about measures (no time limit: one or the other always happens).
 */
async function settledOrWaiting(pending: Promise<unknown>): Promise<'settled' | 'waiting'> {
  let settled = false;
  pending.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (;;) {
    if (settled) return 'settled';
    const { rows } = await site.db.raw(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'
          AND query ILIKE '%"measures"%'`,
    );
    if (rows[0].n > 0) return 'waiting';
    await new Promise((resolve) => setImmediate(resolve));
  }
}

t.test(
  'a concern’s last open measure evaluated while another connection adds one in another goal: the flag stays',
  async (t) => {
    const logId = await logWithOverdueMeasure();
    const log = await site.db('logs').where({ id: logId }).first('holder_id', 'unit_id');
    const colleague = await site
      .db('unit_memberships')
      .where({ unit_id: log.unit_id })
      .whereNot('user_id', log.holder_id)
      .orderBy('user_id')
      .first('user_id');
    const [concern] = await app('concerns')
      .insert({ log_id: logId, title: 'Oppmerksomhet', created_by: log.holder_id })
      .returning('id');
    const goals = await app('goals')
      .insert(
        ['Mål 1', 'Mål 2'].map((text) => ({
          log_id: logId,
          concern_id: concern.id,
          text,
          created_by: log.holder_id,
        })),
      )
      .returning('id');
    const measure = (goalId: number, userId: number) => ({
      log_id: logId,
      concern_id: concern.id,
      goal_id: goalId,
      text: 'Tiltak i tjenesten',
      responsible: 'actor',
      responsible_user_id: userId,
      start_date: '2026-03-01',
      deadline: '2026-04-01',
      created_by: log.holder_id,
    });
    const [last] = await app('measures').insert(measure(goals[0].id, log.holder_id)).returning('id');
    t.same(await drift(), NO_DRIFT);

    // The holder evaluates the last open measure in the service; before that commits, a colleague on
    // another connection adds one to the concern's other goal.
    const holder = await app.transaction();
    const colleagueTrx = await app.transaction();
    try {
      await holder('measures').where({ id: last.id }).update({ status: 'evaluated' });
      const adding = started(colleagueTrx('measures').insert(measure(goals[1].id, colleague.user_id)));
      await settledOrWaiting(adding);
      await holder.commit();
      await adding;
      await colleagueTrx.commit();
    } finally {
      if (!holder.isCompleted()) await holder.rollback();
      if (!colleagueTrx.isCompleted()) await colleagueTrx.rollback();
    }
    t.same(await drift(), NO_DRIFT, 'the concern’s flags equal its measures, recounted');
    t.equal(
      (await site.db('concerns').where({ id: concern.id }).first('open_service_measure'))
        .open_service_measure,
      true,
      'the concern has an open measure in the service',
    );

    // The other way round: the colleague's measure first, the evaluation waits for it.
    await app('measures').where({ concern_id: concern.id }).delete();
    const [again] = await app('measures').insert(measure(goals[0].id, log.holder_id)).returning('id');
    const adder = await app.transaction();
    const evaluator = await app.transaction();
    try {
      await adder('measures').insert(measure(goals[1].id, colleague.user_id));
      const evaluating = started(
        evaluator('measures').where({ id: again.id }).update({ status: 'evaluated' }),
      );
      await settledOrWaiting(evaluating);
      await adder.commit();
      await evaluating;
      await evaluator.commit();
    } finally {
      if (!adder.isCompleted()) await adder.rollback();
      if (!evaluator.isCompleted()) await evaluator.rollback();
    }
    t.same(await drift(), NO_DRIFT, 'in the other order too');

    // Two colleagues each add a goal and a measure to the same concern at the same time: neither waits
    // for the other's reference to the concern (no deadlock).
    const first = await app.transaction();
    const second = await app.transaction();
    try {
      const [g1] = await first('goals')
        .insert({ log_id: logId, concern_id: concern.id, text: 'Mål 3', created_by: log.holder_id })
        .returning('id');
      const [g2] = await second('goals')
        .insert({ log_id: logId, concern_id: concern.id, text: 'Mål 4', created_by: log.holder_id })
        .returning('id');
      await first('measures').insert({
        ...measure(g1.id, log.holder_id),
        responsible: 'child',
        responsible_user_id: null,
      });
      const secondAdds = started(
        second('measures').insert({
          ...measure(g2.id, log.holder_id),
          responsible: 'guardians',
          responsible_user_id: null,
        }),
      );
      await settledOrWaiting(secondAdds);
      await first.commit();
      await secondAdds;
      await second.commit();
    } finally {
      if (!first.isCompleted()) await first.rollback();
      if (!second.isCompleted()) await second.rollback();
    }
    t.same(await drift(), NO_DRIFT, 'both measures counted');

    await app('measures').where({ concern_id: concern.id }).delete();
    await app('goals').where({ concern_id: concern.id }).delete();
    await app('concerns').where({ id: concern.id }).delete();
    t.same(await drift(), NO_DRIFT);
  },
);

t.test(
  'a log whose group is missing from the counts can still be closed, transferred and removed',
  async (t) => {
    const logId = await logWithOverdueMeasure();
    const log = await site.db('logs').where({ id: logId }).first();
    const { municipality_id } = await site
      .db('children')
      .where({ id: log.child_id })
      .first('municipality_id');
    const [child] = await app('children')
      .insert({
        municipality_id,
        unit_id: world.u3,
        first_name: 'Barn',
        last_name: 'Hull',
        birth_date: '2016-01-01',
      })
      .returning('id');
    const [added] = await app('logs')
      .insert({ ...pickLog(log), child_id: child.id, unit_id: world.u3, level: 3, status: 'active' })
      .returning('id');
    const group = async () => {
      const row = await site
        .db('logs')
        .where({ id: added.id })
        .first('unit_id', 'plan_type', 'level', 'holder_id', 'status');
      return { row, count: await site.db('statistics_log_counts').where(row).first('n') };
    };
    /** Removes the log's group from the counts by hand, as a back-fill that missed it would have left it. */
    const gap = async () => {
      const { row, count } = await group();
      t.equal(count?.n, 1, 'the log is alone in its group');
      await site.db('statistics_log_counts').where(row).delete();
    };

    await gap();
    await t.resolves(
      app('logs')
        .where({ id: added.id })
        .update({ status: 'passive', closed_at: new Date('2026-03-10T10:00:00Z') }),
      'closed',
    );
    t.same(await drift(), NO_DRIFT, 'the group it left is not counted below 0; the one it joined counts it');

    await gap();
    await t.resolves(app('logs').where({ id: added.id }).update({ unit_id: world.u1 }), 'transferred');
    t.same(await drift(), NO_DRIFT);

    await gap();
    await t.resolves(app('logs').where({ id: added.id }).delete(), 'removed');
    t.same(await drift(), NO_DRIFT);
    await app('children').where({ id: child.id }).delete();
  },
);
