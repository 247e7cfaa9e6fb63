/**
 * Loads a log's whole plan (concerns → goals → measures → steps, evaluations) in one statement, whatever
 * its size (five parts of it: src/db/one-statement.ts), and assembles the tree the templates render.
 * The parts also go into the log page's own statement (features/logs/sections.ts).
 */
import { compiled, type Db, type Placeholders } from '../../db/knex.js';
import { oneStatement, rows, type Results } from '../../db/one-statement.js';
import type { ConcernView, GoalView, MeasureView } from '../../domain/plan-tree.js';

export interface TreeOptions {
  /** Only these concerns (an actor's or a partial read grant's view); all when undefined. */
  concernIds?: number[];
  /** The name shown for the guardians as a responsible party, and for the child. */
  guardiansLabel: string;
  childName: string;
}

/** The values of the tree's queries (concernIds only when some concerns are shown). */
interface TreeValues extends Record<string, unknown> {
  logId: number;
  concernIds: number[];
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rows as the tables have them (select *) */
export function planRepository(db: Db) {
  type P = Placeholders<TreeValues>;
  /** The log's concerns this person sees (`some`: only those in concernIds), as a sub-select of ids. */
  const concernIdsOf = (p: P, some: boolean) => {
    const q = db('concerns').where('log_id', p('logId')).select('id');
    if (some) q.whereRaw('?? = any(?)', ['id', p('concernIds')]);
    return q;
  };
  /** The five levels' queries, each with its SQL made once per shape (all concerns, or some). */
  const levels = (some: boolean) => ({
    concerns: compiled<TreeValues>(db, (p) => {
      const q = db('concerns as c')
        .leftJoin('concern_categories as k', 'k.id', 'c.category_id')
        .where('c.log_id', p('logId'))
        .orderBy([{ column: 'c.position' }, { column: 'c.id' }])
        .select('c.*', 'k.label as category_label', 'k.code as category_code', 'k.is_activity_plan');
      if (some) q.whereRaw('?? = any(?)', ['c.id', p('concernIds')]);
      return q;
    }),
    goals: compiled<TreeValues>(db, (p) =>
      db('goals')
        .whereIn('concern_id', concernIdsOf(p, some))
        .orderBy([{ column: 'position' }, { column: 'id' }])
        .select('*'),
    ),
    measures: compiled<TreeValues>(db, (p) =>
      db('measures as m')
        .leftJoin('users as u', 'u.id', 'm.responsible_user_id')
        .whereIn('m.concern_id', concernIdsOf(p, some))
        .orderBy([{ column: 'm.position' }, { column: 'm.id' }])
        .select('m.*', 'u.name as responsible_user_name'),
    ),
    steps: compiled<TreeValues>(db, (p) =>
      db('measure_steps as s')
        .join('measures as m', 'm.id', 's.measure_id')
        .whereIn('m.concern_id', concernIdsOf(p, some))
        .orderBy([{ column: 's.measure_id' }, { column: 's.position' }])
        .select('s.*'),
    ),
    evaluations: compiled<TreeValues>(db, (p) =>
      db('evaluations as e')
        .join('measures as m', 'm.id', 'e.measure_id')
        .join('users as u', 'u.id', 'e.evaluated_by')
        .whereIn('m.concern_id', concernIdsOf(p, some))
        .orderBy('e.id')
        .select('e.*', 'u.name as evaluated_by_name'),
    ),
  });
  const all = levels(false);
  const some = levels(true);

  const repository = {
    /** The five parts of the tree: each level in one sub-select. */
    treeParts(logId: number, concernIds?: number[]) {
      const level = concernIds ? some : all;
      const values = { logId, concernIds: concernIds ?? [] };
      return {
        concerns: rows<any>(level.concerns(values)),
        goals: rows<any>(level.goals(values)),
        measures: rows<any>(level.measures(values)),
        steps: rows<any>(level.steps(values)),
        evaluations: rows<any>(level.evaluations(values)),
      };
    },

    async loadTree(logId: number, options: TreeOptions): Promise<ConcernView[]> {
      return assembleTree(await oneStatement(db, repository.treeParts(logId, options.concernIds)), options);
    },
  };
  return repository;
}

type TreeRows = Results<ReturnType<ReturnType<typeof planRepository>['treeParts']>>;

/** The tree from the rows of its five levels. */
export function assembleTree(loaded: TreeRows, options: TreeOptions): ConcernView[] {
  const { concerns, goals, measures, steps, evaluations } = loaded;
  const measureViews = new Map<number, MeasureView[]>();
  const stepsByMeasure = new Map<number, MeasureView['steps']>();
  for (const s of steps) {
    const list = stepsByMeasure.get(s.measure_id) ?? [];
    list.push({ id: s.id, position: s.position, text: s.text, done: s.done, doneOn: s.done_on });
    stepsByMeasure.set(s.measure_id, list);
  }
  const evaluationByMeasure = new Map(evaluations.map((e) => [e.measure_id as number, e]));
  for (const m of measures) {
    const e = evaluationByMeasure.get(m.id);
    const view: MeasureView = {
      id: m.id,
      goalId: m.goal_id,
      concernId: m.concern_id,
      text: m.text,
      responsible: m.responsible,
      responsibleUserId: m.responsible_user_id,
      responsibleName:
        m.responsible === 'actor'
          ? m.responsible_user_name
          : m.responsible === 'guardians'
            ? options.guardiansLabel
            : options.childName,
      startDate: m.start_date,
      deadline: m.deadline,
      status: m.status,
      correctsMeasureId: m.corrects_measure_id,
      position: m.position,
      version: m.version,
      textWrittenAt: m.text_written_at,
      steps: stepsByMeasure.get(m.id) ?? [],
      evaluation: e
        ? {
            id: e.id,
            misregistered: e.misregistered,
            happened: e.happened,
            effect: e.effect,
            familyEffect: e.family_effect,
            familyView: e.family_view,
            comment: e.comment,
            nextStep: e.next_step,
            evaluatedBy: e.evaluated_by_name,
            evaluatedAt: e.evaluated_at,
          }
        : null,
    };
    const list = measureViews.get(m.goal_id) ?? [];
    list.push(view);
    measureViews.set(m.goal_id, list);
  }
  const goalViews = new Map<number, GoalView[]>();
  for (const g of goals) {
    const list = goalViews.get(g.concern_id) ?? [];
    list.push({
      id: g.id,
      concernId: g.concern_id,
      text: g.text,
      owner: g.owner,
      ownerWords: g.owner_words,
      arena: g.arena,
      targetDate: g.target_date,
      status: g.status,
      decision: g.decision,
      position: g.position,
      version: g.version,
      measures: measureViews.get(g.id) ?? [],
    });
    goalViews.set(g.concern_id, list);
  }
  return concerns.map((c) => ({
    id: c.id,
    title: c.title,
    categoryId: c.category_id,
    categoryLabel: c.category_label,
    categoryCode: c.category_code ?? null,
    isActivityPlan: Boolean(c.is_activity_plan),
    successIndicator: c.success_indicator,
    mfWorldView: c.mf_world_view,
    mfCoping: c.mf_coping,
    mfPreconditions: c.mf_preconditions,
    mfService: c.mf_service,
    mfHome: c.mf_home,
    status: c.status,
    closingReason: c.closing_reason,
    position: c.position,
    version: c.version,
    goals: goalViews.get(c.id) ?? [],
  }));
}
