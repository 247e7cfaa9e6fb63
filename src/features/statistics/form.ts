/**
 * The statistics forms. The page's GET form: which period (this school year, the last 12 months, or a
 * range typed in two date boxes) and which logs (plan type, level; on the area page also the kind of
 * unit and, for the municipal administrator, the district). And the leader's POST form: how many
 * children or pupils a unit has in a school year. Each returns { values (as typed), errors, input }.
 */
import type { PlainMessageKey, Translate } from '../../i18n/index.js';
import { parseDateParts, type DateParts } from '../../lib/dates.js';
import { asBody, dateParts, Errors, oneOf, str, type FieldError } from '../../lib/form.js';
import { LEVELS, PLAN_TYPES, type Level, type PlanType } from '../../domain/plan.js';
import { UNIT_KINDS, type UnitKind } from '../../domain/organisation.js';
import {
  MAX_PERIOD_YEARS,
  PERIOD_CHOICES,
  presetPeriod,
  tooLong,
  type Period,
  type PeriodChoice,
} from './period.js';

export interface FilterValues {
  period: string;
  from: DateParts;
  to: DateParts;
  planType: string;
  level: string;
  unitKind: string;
  district: string;
}

export interface Filters {
  period: Period;
  planType: PlanType | null;
  level: Level | null;
  unitKind: UnitKind | null;
  districtId: number | null;
}

export interface FilterOptions {
  today: string;
  /** The area page: the kind of unit can be chosen. */
  unitKinds: boolean;
  /** The districts the reader may choose among (the municipal administrator), else null. */
  districts: number[] | null;
}

/** The query's values as typed, with the defaults for a first visit. */
export function filterValues(query: unknown): FilterValues {
  const q = asBody(query);
  return {
    period: str(q, 'period') || 'school-year',
    from: dateParts(q, 'from'),
    to: dateParts(q, 'to'),
    planType: str(q, 'planType'),
    level: str(q, 'level'),
    unitKind: str(q, 'unitKind'),
    district: str(q, 'district'),
  };
}

function checkDate(errors: Errors, t: Translate, name: 'from' | 'to', parts: DateParts): string | null {
  const { value, problem } = parseDateParts(parts);
  if (problem) errors.add(`${name}-day`, t(`stats.err.${name}.${problem}` as PlainMessageKey));
  return value;
}

export function parseFilters(
  query: unknown,
  t: Translate,
  options: FilterOptions,
): { values: FilterValues; errors: FieldError[]; input: Filters | null } {
  const values = filterValues(query);
  const errors = new Errors();
  const choice = oneOf(values.period, PERIOD_CHOICES);
  if (!choice) errors.add('period', t('stats.err.choice'));
  let period: Period | null = null;
  if (choice === 'custom') {
    const from = checkDate(errors, t, 'from', values.from);
    const to = checkDate(errors, t, 'to', values.to);
    if (from && to && to < from) errors.add('to-day', t('stats.err.order'));
    else if (from && to && tooLong(from, to))
      errors.add('to-day', t('stats.err.tooLong', { years: MAX_PERIOD_YEARS }));
    else if (from && to) period = { choice, from, to };
  } else if (choice) {
    period = presetPeriod(choice as Exclude<PeriodChoice, 'custom'>, options.today);
  }
  const planType = values.planType ? oneOf(values.planType, PLAN_TYPES) : null;
  if (values.planType && !planType) errors.add('planType', t('stats.err.choice'));
  const level = values.level ? (LEVELS.find((l) => String(l) === values.level) ?? null) : null;
  if (values.level && !level) errors.add('level', t('stats.err.choice'));
  let unitKind: UnitKind | null = null;
  if (options.unitKinds && values.unitKind) {
    unitKind = oneOf(values.unitKind, UNIT_KINDS);
    if (!unitKind) errors.add('unitKind', t('stats.err.choice'));
  }
  let districtId: number | null = null;
  if (options.districts && values.district) {
    districtId = options.districts.find((d) => String(d) === values.district) ?? null;
    if (!districtId) errors.add('district', t('stats.err.choice'));
  }
  const input = errors.empty && period ? { period, planType, level, unitKind, districtId } : null;
  return { values, errors: errors.list, input };
}

/** The filters as a query string (for the CSV links and the children page's way back). */
export function filterQuery(values: FilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  params.set('period', values.period);
  if (values.period === 'custom') {
    for (const name of ['from', 'to'] as const)
      for (const part of ['day', 'month', 'year'] as const) params.set(`${name}-${part}`, values[name][part]);
  }
  for (const name of ['planType', 'level', 'unitKind', 'district'] as const)
    if (values[name]) params.set(name, values[name]);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return params.toString();
}

// ---- the number of children in a unit, per school year ----

/** The largest number of children a unit can have (a typo guard, not a rule of the domain). */
export const CHILDREN_MAX = 100_000;

export interface ChildCountValues {
  schoolYear: string;
  children: string;
}

export function parseChildCount(
  body: unknown,
  t: Translate,
  schoolYears: number[],
): {
  values: ChildCountValues;
  errors: FieldError[];
  input: { schoolYear: number; children: number } | null;
} {
  const b = asBody(body);
  const values = { schoolYear: str(b, 'schoolYear'), children: str(b, 'children') };
  const errors = new Errors();
  const schoolYear = schoolYears.find((y) => String(y) === values.schoolYear) ?? null;
  if (!schoolYear) errors.add('schoolYear', t('stats.children.err.schoolYear'));
  const typed = values.children.trim().replace(/[\s\u00a0]/g, '');
  let children: number | null = null;
  if (!typed) errors.add('children', t('stats.children.err.missing'));
  else if (!/^\d{1,6}$/.test(typed) || Number(typed) > CHILDREN_MAX)
    errors.add('children', t('stats.children.err.invalid', { max: CHILDREN_MAX }));
  else children = Number(typed);
  const input = errors.empty && schoolYear && children !== null ? { schoolYear, children } : null;
  return { values, errors: errors.list, input };
}
