/**
 * The statistics forms. The page's GET form: which period (this school year, the last 12 months, or a
 * range typed in two date boxes) and which logs (plan type, level; on the area page also the kind of
 * unit and, for the municipal administrator, the district). And the leader's POST form: how many
 * children or pupils a unit has in a school year. Each returns { values (as typed), errors, input }.
 */
import type { PlainMessageKey, Translate } from '../../i18n/index.js';
import type { DateParts } from '../../lib/dates.js';
import {
  asBody,
  checkChoice,
  checkDate,
  dateParts,
  Errors,
  formResult,
  str,
  type FormResult,
} from '../../lib/form.js';
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

/** A period's first or last day, required, worded `stats.err.<name>.<problem>`. */
function periodDay(errors: Errors, t: Translate, name: 'from' | 'to', parts: DateParts): string | null {
  return checkDate(errors, `${name}-day`, parts, {
    required: true,
    message: (problem) => t(`stats.err.${name}.${problem}` as PlainMessageKey),
  });
}

export function parseFilters(
  query: unknown,
  t: Translate,
  options: FilterOptions,
): FormResult<FilterValues, Filters> {
  const values = filterValues(query);
  const errors = new Errors();
  const choice = checkChoice(errors, 'period', values.period, PERIOD_CHOICES, {
    required: true,
    message: () => t('stats.err.choice'),
  });
  let period: Period | null = null;
  if (choice === 'custom') {
    const from = periodDay(errors, t, 'from', values.from);
    const to = periodDay(errors, t, 'to', values.to);
    if (from && to && to < from) errors.add('to-day', t('stats.err.order'));
    else if (from && to && tooLong(from, to))
      errors.add('to-day', t('stats.err.tooLong', { years: MAX_PERIOD_YEARS }));
    else if (from && to) period = { choice, from, to };
  } else if (choice) {
    period = presetPeriod(choice as Exclude<PeriodChoice, 'custom'>, options.today);
  }
  const planType = checkChoice(errors, 'planType', values.planType, PLAN_TYPES, {
    message: () => t('stats.err.choice'),
  });
  const level = values.level ? (LEVELS.find((l) => String(l) === values.level) ?? null) : null;
  if (values.level && !level) errors.add('level', t('stats.err.choice'));
  let unitKind: UnitKind | null = null;
  if (options.unitKinds) {
    unitKind = checkChoice(errors, 'unitKind', values.unitKind, UNIT_KINDS, {
      message: () => t('stats.err.choice'),
    });
  }
  let districtId: number | null = null;
  if (options.districts && values.district) {
    districtId = options.districts.find((d) => String(d) === values.district) ?? null;
    if (!districtId) errors.add('district', t('stats.err.choice'));
  }
  return formResult(values, errors, () => ({ period: period!, planType, level, unitKind, districtId }));
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
): FormResult<ChildCountValues, { schoolYear: number; children: number }> {
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
  return formResult(values, errors, () => ({ schoolYear: schoolYear!, children: children! }));
}
