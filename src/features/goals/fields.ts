/**
 * Field checks shared by the plan forms (goals, measures, evaluations). Each adds at most one error
 * per field to an Errors list, with the message next to the field and in the summary.
 */
import type { PlainMessageKey, Translate } from '../../i18n/index.js';
import {
  dateParts as datePartsAsTyped,
  Errors,
  oneOf,
  textProblem,
  type Body,
  type FieldError,
} from '../../lib/form.js';
import { parseDateParts, type DateParts } from '../../lib/dates.js';

export interface TextRule {
  /** Field id (the error links to '#id'). */
  id: string;
  /** The field's name as the message says it ("Målet"). */
  name: string;
  max: number;
  /** Message when empty; the field is optional without it. */
  required?: PlainMessageKey;
}

/** Trims, checks length and control characters; returns the text as typed (trimmed). */
export function checkText(errors: Errors, t: Translate, value: string, rule: TextRule): string {
  const text = value.trim();
  const problem = textProblem(text, { required: Boolean(rule.required), max: rule.max });
  if (problem === 'required' && rule.required) errors.add(rule.id, t(rule.required));
  if (problem === 'tooLong')
    errors.add(rule.id, t('plan.error.tooLong', { field: rule.name, max: rule.max }));
  if (problem === 'control') errors.add(rule.id, t('plan.error.control', { field: rule.name }));
  return text;
}

/** A radio or select value from a fixed list; '' when nothing was chosen. Unknown values are errors. */
export function checkChoice<T extends string>(
  errors: Errors,
  t: Translate,
  value: string,
  allowed: readonly T[],
  rule: { id: string; required?: PlainMessageKey },
): T | '' {
  if (value === '') {
    if (rule.required) errors.add(rule.id, t(rule.required));
    return '';
  }
  const chosen = oneOf(value, allowed);
  if (!chosen) errors.add(rule.id, rule.required ? t(rule.required) : t('plan.error.unknownChoice'));
  return chosen ?? '';
}

/** The three posted parts of a date field named `name` (name_day, name_month, name_year), as typed. */
export function dateParts(body: Body, name: string): DateParts {
  return datePartsAsTyped(body, name, '_');
}

/** A three-field date: the ISO date, or null (missing, or an error was added). */
export function checkDate(
  errors: Errors,
  t: Translate,
  parts: DateParts,
  rule: { id: string; name: string; required?: PlainMessageKey; exampleYear: number },
): string | null {
  const { value, problem } = parseDateParts(parts);
  if (problem === 'missing') {
    if (rule.required) errors.add(rule.id, t(rule.required));
    return null;
  }
  if (problem === 'incomplete') errors.add(rule.id, t('plan.error.dateIncomplete', { field: rule.name }));
  if (problem === 'invalid')
    errors.add(rule.id, t('plan.error.dateInvalid', { field: rule.name, year: rule.exampleYear }));
  return value;
}

export { idValue, version } from '../../lib/form.js';

/** Errors in the order the fields appear (by the position of their ids in `order`). */
export function inFieldOrder(errors: FieldError[], order: string[]): FieldError[] {
  const rank = (e: FieldError) => {
    const i = order.indexOf(e.href.slice(1));
    return i === -1 ? order.length : i;
  };
  return [...errors].sort((a, b) => rank(a) - rank(b));
}

/** Is this a PostgreSQL unique violation (of the named constraint, when given)? */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && (!constraint || e.constraint === constraint);
}
