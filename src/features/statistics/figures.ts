/**
 * From the summary queries' counts to the page's figures. Every count goes through one Protector, with
 * the lines its tables publish (cells and their totals, shares), so the small-number rule sees the
 * whole page at once and the page, its charts and its CSV files show exactly the same. The one-line
 * summaries are written from what is shown, never from a hidden number.
 */
import type { Locale, MessageKey, PlainMessageKey, Translate } from '../../i18n/index.js';
import { EFFECTS, LEVELS, PLAN_TYPES } from '../../domain/plan.js';
import { EVALUATION_QUESTIONS } from '../../domain/meetings.js';
import { monthsOf, type Period } from './period.js';
import { monthLabel, present, type Figure, type FigureRow, type Section, type Value } from './present.js';
import { Protector, type Ref, type ShareRef } from './suppression.js';
import type {
  ConcernRow,
  EvaluationRow,
  LogGroupRow,
  MeasureRow,
  MeetingRow,
  MonthRow,
  RelayRow,
  UnitRow,
} from './repository.js';
import { categoryLabel } from '../../domain/categories.js';

/** The guide's goal: at least this share of the children are offered a log. */
export const COVERAGE_GOAL = 0.1;

export interface Aggregates {
  kind: 'unit' | 'area';
  period: Period;
  today: string;
  schoolYear: number;
  units: UnitRow[];
  logs: LogGroupRow[];
  months: MonthRow[];
  measures: MeasureRow[];
  concerns: ConcernRow[];
  evaluations: EvaluationRow[];
  relay: RelayRow;
  meetings: MeetingRow;
  categories: { id: number; label: string; code?: string | null }[];
  childCounts: Map<number, number>;
}

export function buildSections(a: Aggregates, t: Translate, locale: Locale): Section[] {
  const p = new Protector();
  const show = (text: Value) => present(text, t, locale);
  const groups = (set: LogGroupRow['set']) => a.logs.filter((r) => r.set === set);
  const all = groups('all')[0] ?? {
    active: 0,
    passive: 0,
    created: 0,
    children: 0,
    median_age: null,
  };

  // ---- register every count and every line before the rule runs ----
  const active = p.count(all.active);
  const passive = p.count(all.passive);
  const created = p.count(all.created);
  const lastMonth = (a.period.to < a.today ? a.period.to : a.today).slice(0, 7);
  const months = monthsOf(a.period.from, a.period.to).filter((m) => m <= lastMonth);
  const monthly = (series: MonthRow['series']) =>
    months.map((m) => a.months.find((r) => r.series === series && r.month === m)?.n ?? 0);
  const createdMonths = monthly('created').map((n) => p.count(n));
  p.line(createdMonths, created);
  const closedCounts = monthly('closed');
  const closed = p.count(closedCounts.reduce((s, n) => s + n, 0));
  const closedMonths = closedCounts.map((n) => p.count(n));
  p.line(closedMonths, closed);

  const byKey = (set: LogGroupRow['set'], key: string) => groups(set).find((r) => r.key === key)?.active ?? 0;
  const levels = LEVELS.map((l) => p.count(byKey('level', String(l))));
  p.line(levels, active);
  const planTypes = PLAN_TYPES.map((pt) => p.count(byKey('plan_type', pt)));
  p.line(planTypes, active);
  const holders = groups('holder')
    .filter((r) => r.active > 0)
    .sort((x, y) => (x.holder_name ?? '').localeCompare(y.holder_name ?? '', 'nb'));
  const holderCells = holders.map((h) => p.count(h.active));
  if (a.kind === 'unit') p.line(holderCells, active);

  const measureAll = a.measures.find((r) => r.unit_id === null) ?? {
    active: 0,
    overdue: 0,
    due: 0,
    on_time: 0,
  };
  const measuresActive = p.count(measureAll.active);
  const overdue = p.count(measureAll.overdue);
  const due = p.count(measureAll.due);
  const onTime: ShareRef = p.share(p.count(measureAll.on_time), due);
  const missedMonths = monthly('missed').map((n) => p.count(n));
  p.line(missedMonths, onTime.rest);

  const units = a.units;
  const unitActive = units.map((u) => p.count(byKey('unit', String(u.id))));
  const unitOverdue = units.map((u) => p.count(a.measures.find((r) => r.unit_id === u.id)?.overdue ?? 0));
  if (a.kind === 'area') {
    p.line(unitActive, active);
    p.line(unitOverdue, overdue);
  }

  const concernAll = a.concerns.find((r) => r.is_total) ?? {
    n: 0,
    service: 0,
    home: 0,
    child: 0,
    all_three: 0,
  };
  const concerns = p.count(concernAll.n);
  const known = new Set(a.categories.map((c) => c.id));
  const categoryRows = [
    ...a.categories.map((c) => ({
      label: categoryLabel(t, c),
      n: a.concerns.find((r) => !r.is_total && r.category_id === c.id)?.n ?? 0,
    })),
    {
      label: t('stats.category.none'),
      n: a.concerns
        .filter((r) => !r.is_total && (r.category_id === null || !known.has(r.category_id)))
        .reduce((s, r) => s + r.n, 0),
    },
  ];
  const categoryCells = categoryRows.map((r) => p.count(r.n));
  p.line(categoryCells, concerns);
  const kinds = (['service', 'home', 'child', 'all_three'] as const).map((k) => ({
    key: k,
    share: p.share(p.count(concernAll[k]), concerns),
  }));

  const evaluationAll = a.evaluations.find((r) => r.is_total) ?? { n: 0, family_view: 0 };
  const evaluations = p.count(evaluationAll.n);
  const outcomes = [...EFFECTS, null].map((effect) => ({
    effect,
    n: a.evaluations.find((r) => !r.is_total && r.family_effect === effect)?.n ?? 0,
  }));
  const outcomeCells = outcomes.map((o) => p.count(o.n));
  p.line(outcomeCells, evaluations);
  const familyView = p.share(p.count(evaluationAll.family_view), evaluations);

  const relayKeys = ['expiring', 'expired', 'withdrawn', 'outgoing', 'incoming', 'holderless'] as const;
  const relay = relayKeys.map((k) => ({ key: k, ref: p.count(a.relay[k]) }));

  const held = p.count(a.meetings.held);
  const questions = EVALUATION_QUESTIONS.map((q) => ({
    q,
    n: p.count(a.meetings.answers[q]?.n ?? 0),
    mean: a.meetings.answers[q]?.mean ?? null,
  }));
  const answers = p.count(Math.max(0, ...questions.map((q) => a.meetings.answers[q.q]?.n ?? 0)));

  // Coverage: children with a log in the period, against the number each unit entered for the school year.
  const unitChildren = units.map((u) => byKeyChildren(a, u.id));
  const childCells = unitChildren.map((n) => p.count(n));
  // One unit: its cell is the total (a second figure with the same number could be shown when it is hidden).
  const children = units.length === 1 ? childCells[0]! : p.count(unitChildren.reduce((s, n) => s + n, 0));
  if (units.length > 1) p.line(childCells, children);
  const coverageShares = units.map((u, i) => coverageShare(p, a, u.id, childCells[i]!, unitChildren[i]!));
  const entered = units.filter((u) => a.childCounts.has(u.id));
  const enteredChildren = units.reduce((s, u, i) => s + (a.childCounts.has(u.id) ? unitChildren[i]! : 0), 0);
  let areaCoverage: { cov: CoverageShare; sub: Ref } | null = null;
  if (a.kind === 'area' && entered.length) {
    const enteredCells = units.flatMap((u, i) => (a.childCounts.has(u.id) ? [childCells[i]!] : []));
    const sub = enteredCells.length === 1 ? enteredCells[0]! : p.count(enteredChildren);
    if (enteredCells.length > 1) p.line(enteredCells, sub);
    const enteredSum = entered.reduce((s, u) => s + a.childCounts.get(u.id)!, 0);
    areaCoverage = { cov: coverageOf(p, sub, enteredChildren, enteredSum), sub };
  }

  p.run();

  // ---- read the protected figures ----
  const c = (ref: Ref): Value => ({ kind: 'count', ...p.get(ref) });
  const s = (ref: ShareRef): Value => ({ kind: 'share', value: p.shareOf(ref) });
  const total = (ref: Ref): FigureRow => ({ label: t('stats.total'), values: [c(ref)], total: true });
  const rows = (labels: string[], refs: Ref[]): FigureRow[] =>
    labels.map((label, i) => ({ label, values: [c(refs[i]!)] }));
  /** "The largest shown" for a summary sentence; null when every cell is hidden or 0. */
  const largest = (labels: string[], refs: Ref[]) => {
    let best: { label: string; value: number } | null = null;
    refs.forEach((ref, i) => {
      const v = p.get(ref).value;
      if (v !== null && v > 0 && (!best || v > best.value)) best = { label: labels[i]!, value: v };
    });
    return best as { label: string; value: number } | null;
  };
  const barSummary = (key: MessageKey, labels: string[], refs: Ref[], whole: Ref) => {
    const top = largest(labels, refs);
    if (p.get(whole).value === 0) return t('stats.summary.none');
    if (!top) return t('stats.summary.hidden', { total: show(c(whole)) });
    return t(key, {
      label: top.label,
      value: show(c(refs[labels.indexOf(top.label)]!)),
      total: show(c(whole)),
    });
  };
  /** A share in a sentence: its percent, or words saying it is hidden. */
  const shareText = (v: Value) =>
    v.kind === 'share' && v.value === null ? t('stats.share.hidden') : show(v);
  const count = t('stats.col.count');
  const share = t('stats.col.share');
  const medianAge = p.statistic(active, all.median_age);

  const logSection: Figure[] = [
    {
      id: 'logs',
      title: t('stats.fig.logs'),
      summary: t('stats.fig.logs.summary', {
        active: show(c(active)),
        passive: show(c(passive)),
        created: show(c(created)),
        closed: show(c(closed)),
      }),
      columns: [t('stats.col.figure'), count],
      rows: [
        { label: t('stats.logs.active'), values: [c(active)] },
        { label: t('stats.logs.passive'), values: [c(passive)] },
        { label: t('stats.logs.created'), values: [c(created)] },
        { label: t('stats.logs.closed'), values: [c(closed)] },
        {
          label: t('stats.logs.medianAge'),
          values: [{ kind: 'days', value: all.active === 0 ? undefined : medianAge }],
        },
      ],
      chart: { type: 'bars', column: 1 },
    },
    {
      id: 'logs-by-month',
      title: t('stats.fig.logsByMonth'),
      summary: t('stats.fig.logsByMonth.summary', { created: show(c(created)), closed: show(c(closed)) }),
      columns: [t('stats.col.month'), t('stats.logs.createdShort'), t('stats.logs.closedShort')],
      rows: [
        ...months.map((m, i) => ({
          label: monthLabel(m, locale),
          values: [c(createdMonths[i]!), c(closedMonths[i]!)],
        })),
        { label: t('stats.total'), values: [c(created), c(closed)], total: true },
      ],
      chart: { type: 'lines', columns: [1, 2] },
    },
    {
      id: 'logs-by-level',
      title: t('stats.fig.byLevel'),
      summary: barSummary(
        'stats.fig.byLevel.summary',
        LEVELS.map((l) => t(`level.${l}`)),
        levels,
        active,
      ),
      columns: [t('stats.col.level'), t('stats.col.activeLogs')],
      rows: [
        ...rows(
          LEVELS.map((l) => t(`level.${l}`)),
          levels,
        ),
        total(active),
      ],
      chart: { type: 'bars', column: 1 },
    },
    {
      id: 'logs-by-plan-type',
      title: t('stats.fig.byPlanType'),
      summary: barSummary(
        'stats.fig.byPlanType.summary',
        PLAN_TYPES.map((pt) => t(`planType.${pt}`)),
        planTypes,
        active,
      ),
      columns: [t('stats.col.planType'), t('stats.col.activeLogs')],
      rows: [
        ...rows(
          PLAN_TYPES.map((pt) => t(`planType.${pt}`)),
          planTypes,
        ),
        total(active),
      ],
      chart: { type: 'bars', column: 1 },
    },
  ];
  if (a.kind === 'unit') {
    const names = holders.map((h) => h.holder_name ?? '');
    logSection.push({
      id: 'logs-by-holder',
      title: t('stats.fig.byHolder'),
      summary: barSummary('stats.fig.byHolder.summary', names, holderCells, active),
      columns: [t('stats.col.holder'), t('stats.col.activeLogs')],
      rows: [...rows(names, holderCells), total(active)],
      chart: { type: 'bars', column: 1 },
    });
  } else {
    const names = units.map((u) => u.name);
    logSection.push({
      id: 'logs-by-unit',
      title: t('stats.fig.byUnit'),
      summary: barSummary('stats.fig.byUnit.summary', names, unitActive, active),
      columns: [t('stats.col.unit'), t('stats.col.activeLogs'), t('stats.col.overdue')],
      rows: [
        ...names.map((label, i) => ({ label, values: [c(unitActive[i]!), c(unitOverdue[i]!)] })),
        { label: t('stats.total'), values: [c(active), c(overdue)], total: true },
      ],
      chart: { type: 'bars', column: 1 },
    });
  }

  const categoryLabels = categoryRows.map((r) => r.label);
  const concernSection: Figure[] = [
    {
      id: 'concerns-by-category',
      title: t('stats.fig.byCategory'),
      summary: barSummary('stats.fig.byCategory.summary', categoryLabels, categoryCells, concerns),
      columns: [t('stats.col.category'), t('stats.col.activeConcerns')],
      rows: [...rows(categoryLabels, categoryCells), total(concerns)],
      chart: { type: 'bars', column: 1 },
    },
    {
      id: 'concerns-measures',
      title: t('stats.fig.concernMeasures'),
      summary:
        p.get(concerns).value === 0
          ? t('stats.summary.none')
          : t('stats.fig.concernMeasures.summary', {
              share: shareText(s(kinds[3]!.share)),
              total: show(c(concerns)),
            }),
      columns: [t('stats.col.measureKind'), t('stats.col.concerns'), share],
      rows: kinds.map((k) => ({
        label: t(`stats.concerns.${k.key}` as PlainMessageKey),
        values: [c(k.share.numerator), s(k.share)],
      })),
      chart: { type: 'bars', column: 2 },
      note: t('stats.fig.concernMeasures.note'),
    },
  ];

  const outcomeLabels = outcomes.map((o) => t(o.effect ? `family.effect.${o.effect}` : 'stats.outcome.none'));
  const measureSection: Figure[] = [
    {
      id: 'measures',
      title: t('stats.fig.measures'),
      summary:
        p.shareOf(onTime) === undefined
          ? t('stats.fig.measures.summaryNoDue', { overdue: show(c(overdue)) })
          : t('stats.fig.measures.summary', { overdue: show(c(overdue)), onTime: shareText(s(onTime)) }),
      columns: [t('stats.col.figure'), count, share],
      rows: [
        { label: t('stats.measures.active'), values: [c(measuresActive), { kind: 'empty' }] },
        { label: t('stats.measures.overdue'), values: [c(overdue), { kind: 'empty' }] },
        { label: t('stats.measures.due'), values: [c(due), { kind: 'empty' }] },
        { label: t('stats.measures.onTime'), values: [c(onTime.numerator), s(onTime)] },
      ],
      chart: { type: 'bars', column: 1 },
    },
    {
      id: 'measures-missed-by-month',
      title: t('stats.fig.missedByMonth'),
      summary: t('stats.fig.missedByMonth.summary', { missed: show(c(onTime.rest)) }),
      columns: [t('stats.col.month'), t('stats.measures.missed')],
      rows: [
        ...months.map((m, i) => ({ label: monthLabel(m, locale), values: [c(missedMonths[i]!)] })),
        total(onTime.rest),
      ],
      chart: { type: 'lines', columns: [1] },
    },
    {
      id: 'evaluations-by-outcome',
      title: t('stats.fig.outcomes'),
      summary: barSummary('stats.fig.outcomes.summary', outcomeLabels, outcomeCells, evaluations),
      columns: [t('stats.col.outcome'), t('stats.col.evaluations')],
      rows: [...rows(outcomeLabels, outcomeCells), total(evaluations)],
      chart: { type: 'bars', column: 1 },
    },
    {
      id: 'evaluations-family-view',
      title: t('stats.fig.familyView'),
      summary:
        p.get(evaluations).value === 0
          ? t('stats.summary.none')
          : t('stats.fig.familyView.summary', {
              share: shareText(s(familyView)),
              total: show(c(evaluations)),
            }),
      columns: [t('stats.col.figure'), count, share],
      rows: [{ label: t('stats.evaluations.familyView'), values: [c(familyView.numerator), s(familyView)] }],
      chart: { type: 'bars', column: 2 },
    },
  ];

  const relayLabels = relay.map((r) => t(`stats.relay.${r.key}` as PlainMessageKey));
  const relaySection: Figure[] = [
    {
      id: 'consents-transfers',
      title: t('stats.fig.relay'),
      summary: t('stats.fig.relay.summary', {
        expiring: show(c(relay[0]!.ref)),
        expired: show(c(relay[1]!.ref)),
        pending: show(c(relay[3]!.ref)),
      }),
      columns: [t('stats.col.figure'), count],
      rows: rows(
        relayLabels,
        relay.map((r) => r.ref),
      ),
      chart: { type: 'bars', column: 1 },
    },
  ];

  const questionLabels = questions.map((q) => t(`meeting.eval.q.${q.q}` as PlainMessageKey));
  const meetingSection: Figure[] = [
    {
      id: 'meetings',
      title: t('stats.fig.meetings'),
      summary: t('stats.fig.meetings.summary', { held: show(c(held)), answers: show(c(answers)) }),
      columns: [t('stats.col.figure'), count],
      rows: [
        { label: t('stats.meetings.held'), values: [c(held)] },
        { label: t('stats.meetings.answers'), values: [c(answers)] },
      ],
      chart: { type: 'bars', column: 1 },
    },
    {
      id: 'meeting-evaluations',
      title: t('stats.fig.meetingEvaluations'),
      summary: meetingSummary(t, questions, questionLabels, p, show),
      columns: [t('stats.col.question'), t('stats.col.answers'), t('stats.col.mean')],
      rows: questions.map((q, i) => ({
        label: questionLabels[i]!,
        values: [
          c(q.n),
          { kind: 'mean', value: p.get(q.n).value === 0 ? undefined : p.statistic(q.n, q.mean) },
        ],
      })),
      chart: { type: 'bars', column: 2 },
      note: t('stats.fig.meetingEvaluations.note'),
    },
  ];

  const coverage = coverageFigure(a, t, show, p, units, childCells, children, coverageShares, areaCoverage);

  return [
    { id: 'logs', title: t('stats.section.logs'), figures: logSection },
    { id: 'concerns', title: t('stats.section.concerns'), figures: concernSection },
    { id: 'measures', title: t('stats.section.measures'), figures: measureSection },
    { id: 'relay', title: t('stats.section.relay'), figures: relaySection },
    { id: 'meetings', title: t('stats.section.meetings'), figures: meetingSection },
    { id: 'coverage', title: t('stats.section.coverage'), figures: [coverage] },
  ];
}

function byKeyChildren(a: Aggregates, unitId: number): number {
  return a.logs.find((r) => r.set === 'unit' && r.key === String(unitId))?.children ?? 0;
}

interface CoverageShare {
  entered: number | null;
  share: ShareRef | null;
  /** When more children have a log than were entered, no share line exists: the share is read directly. */
  over: boolean;
}

function coverageOf(p: Protector, withLog: Ref, withLogValue: number, entered: number): CoverageShare {
  if (entered < withLogValue) return { entered, share: null, over: true };
  return { entered, share: p.share(withLog, p.known(entered)), over: false };
}

function coverageShare(p: Protector, a: Aggregates, unitId: number, cell: Ref, value: number): CoverageShare {
  const entered = a.childCounts.get(unitId);
  if (entered === undefined) return { entered: null, share: null, over: false };
  return coverageOf(p, cell, value, entered);
}

function coverageValue(p: Protector, cov: CoverageShare, cell: Ref): Value {
  if (cov.entered === null) return { kind: 'empty' };
  if (cov.share) return { kind: 'share', value: p.shareOf(cov.share) };
  const n = p.get(cell).value;
  return { kind: 'share', value: n === null ? null : cov.entered === 0 ? undefined : n / cov.entered };
}

function coverageFigure(
  a: Aggregates,
  t: Translate,
  show: (v: Value) => string,
  p: Protector,
  units: UnitRow[],
  cells: Ref[],
  children: Ref,
  shares: CoverageShare[],
  area: { cov: CoverageShare; sub: Ref } | null,
): Figure {
  const c = (ref: Ref): Value => ({ kind: 'count', ...p.get(ref) });
  const year = `${a.schoolYear}–${a.schoolYear + 1}`;
  const goal = t('stats.percent', { n: Math.round(COVERAGE_GOAL * 100) });
  const rows: FigureRow[] = units.map((u, i) => ({
    label: u.name,
    values: [
      c(cells[i]!),
      { kind: 'known', value: shares[i]!.entered },
      coverageValue(p, shares[i]!, cells[i]!),
    ],
  }));
  if (a.kind === 'area') {
    rows.push({
      label: t('stats.total'),
      values: [
        c(children),
        { kind: 'known', value: area ? area.cov.entered : null },
        area ? coverageValue(p, area.cov, area.sub) : { kind: 'empty' },
      ],
      total: true,
    });
  }
  const main = rows[rows.length - 1]!.values[2]!;
  const summary =
    main.kind !== 'share'
      ? t('stats.fig.coverage.summaryMissing', { year, goal })
      : t('stats.fig.coverage.summary', { share: show(main), goal, year });
  return {
    id: 'coverage',
    title: t('stats.fig.coverage', { year }),
    summary,
    columns: [
      t('stats.col.unit'),
      t('stats.col.childrenWithLog'),
      t('stats.col.children'),
      t('stats.col.share'),
    ],
    rows,
    chart: { type: 'bars', column: 3, goal: COVERAGE_GOAL },
    note: t('stats.fig.coverage.note', { goal }),
  };
}

function meetingSummary(
  t: Translate,
  questions: { q: string; n: Ref; mean: number | null }[],
  labels: string[],
  p: Protector,
  show: (v: Value) => string,
): string {
  const shown = questions
    .map((q, i) => ({ label: labels[i]!, mean: p.statistic(q.n, q.mean) }))
    .filter((x): x is { label: string; mean: number } => x.mean !== null);
  if (!shown.length) return t('stats.fig.meetingEvaluations.summaryNone');
  const low = shown.reduce((x, y) => (y.mean < x.mean ? y : x));
  return t('stats.fig.meetingEvaluations.summary', {
    question: low.label,
    mean: show({ kind: 'mean', value: low.mean }),
  });
}
