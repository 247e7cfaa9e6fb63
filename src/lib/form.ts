/**
 * The form-field library every feature's form.ts uses: reading a posted body (str, strings, dateParts),
 * checking fields (text, choices, dates, ids, e-mail addresses) with the form's own messages, collecting
 * errors in field order (each { text, href: '#field-id' }), the one result shape every parser returns
 * (FormResult: { values, errors, input }), and the once-per-form-token pieces. Pure: no app, no database.
 */
import { randomUUID } from 'node:crypto';
import { parseDateParts, type DateParts, type DateProblem } from './dates.js';

export interface FieldError {
  text: string;
  href: string;
}

export type Body = Record<string, unknown>;

export function asBody(body: unknown): Body {
  return body && typeof body === 'object' ? (body as Body) : {};
}

/** A posted string (first value if repeated), '' when absent. Line endings normalised. */
export function str(body: Body, name: string): string {
  const raw = body[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : '';
}

/** Every posted value of a repeated field (checkboxes). */
export function strings(body: Body, name: string): string[] {
  const raw = body[name];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((v): v is string => typeof v === 'string');
}

/**
 * A browser leaves unticked checkboxes out of a post, so "nothing ticked" and "not posted at all" look
 * the same. Forms whose checkboxes can take something away carry a hidden `marker=1`; a post is the
 * whole form only with it and with every field a browser always sends (text inputs, even empty).
 */
export function postedWhole(body: Body, marker: string, alwaysSent: string[] = []): boolean {
  return str(body, marker) === '1' && alwaysSent.every((name) => name in body);
}

/**
 * The three boxes of a date field exactly as typed (name-day, name-month, name-year; or name_day … with
 * separator '_'), so a date that is refused comes back as the person wrote it.
 */
export function dateParts(body: Body, name: string, separator: '-' | '_' = '-'): DateParts {
  return {
    day: str(body, `${name}${separator}day`),
    month: str(body, `${name}${separator}month`),
    year: str(body, `${name}${separator}year`),
  };
}

// C0 control characters other than tab and newline, DEL, and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export type TextProblem = 'required' | 'tooLong' | 'control';

export function textProblem(
  value: string,
  options: { required?: boolean | undefined; max: number },
): TextProblem | null {
  if (options.required && value.trim() === '') return 'required';
  if (value.length > options.max) return 'tooLong';
  if (CONTROL.test(value)) return 'control';
  return null;
}

/** Collects errors in field order. */
export class Errors {
  readonly list: FieldError[] = [];
  add(field: string, text: string): void {
    if (!this.list.some((e) => e.href === `#${field}`)) this.list.push({ text, href: `#${field}` });
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Looks like an e-mail address, and is no longer than one can be (254 characters). */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** The largest value of a PostgreSQL integer column (ids, versions). */
export const INT_MAX = 2147483647;

/** A positive integer id from typed text (a field, a URL segment), or null when it cannot be one. */
export function idValue(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= INT_MAX ? id : null;
}

/**
 * A row version from a form's hidden "version" field. Missing or garbled (huge, negative, not a
 * number) gives 0, which no row has: the save is then answered as a conflict, with both texts shown.
 */
export function versionValue(raw: string): number {
  if (!/^\d{1,10}$/.test(raw)) return 0;
  const version = Number(raw);
  return version <= INT_MAX ? version : 0;
}

/** The posted "version" field of a body (see versionValue). */
export function version(body: Body): number {
  return versionValue(str(body, 'version'));
}

export function oneOf<T extends string>(value: string, allowed: readonly T[]): T | null {
  return (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

// ---- the result every form parser returns ----

/**
 * What every form's parse function returns: `values` are what to show back in the form (as typed, trimmed
 * where the form trims), `errors` are in field order, each next to its field, and `input` (what the service
 * saves) is there exactly when `errors` is empty, null otherwise.
 */
export interface FormResult<V, I> {
  values: V;
  errors: FieldError[];
  input: I | null;
}

/** The result of a parse: `input()` is asked for only when nothing was wrong. */
export function formResult<V, I>(values: V, errors: Errors, input: () => I): FormResult<V, I> {
  return errors.empty ? { values, errors: [], input: input() } : { values, errors: errors.list, input: null };
}

/** Errors in the order the fields appear (by the position of their ids in `order`). */
export function inFieldOrder(errors: FieldError[], order: string[]): FieldError[] {
  const rank = (e: FieldError) => {
    const i = order.indexOf(e.href.slice(1));
    return i === -1 ? order.length : i;
  };
  return [...errors].sort((a, b) => rank(a) - rank(b));
}

// ---- field checks: each adds at most one error to its field, worded by the form ----

/**
 * A text field as it will be saved (trimmed by the caller where the form trims): required, no longer than
 * `max`, no control characters. `message` words the problem in the form's own keys. True when fine.
 */
export function checkText(
  errors: Errors,
  id: string,
  value: string,
  rule: { max: number; required?: boolean; message: (problem: TextProblem, max: number) => string },
): boolean {
  const problem = textProblem(value, { required: rule.required, max: rule.max });
  if (problem) errors.add(id, rule.message(problem, rule.max));
  return problem === null;
}

export type { DateProblem };

export type ChoiceProblem = 'required' | 'unknown';

/**
 * A radio or select value from a fixed list. Nothing chosen ('') is an error only when `required`; a value
 * outside the list always is. The chosen value, or null.
 */
export function checkChoice<T extends string>(
  errors: Errors,
  id: string,
  value: string,
  allowed: readonly T[],
  rule: { required?: boolean; message: (problem: ChoiceProblem) => string },
): T | null {
  if (value === '') {
    if (rule.required) errors.add(id, rule.message('required'));
    return null;
  }
  const chosen = oneOf(value, allowed);
  if (!chosen) errors.add(id, rule.message('unknown'));
  return chosen;
}

/**
 * A three-box date (see dateParts): the ISO date, or null. All boxes empty is an error only when
 * `required`; `years` narrows the years a date may have (beyond them it is 'invalid'). The error goes on
 * `id`, the day box's id.
 */
export function checkDate(
  errors: Errors,
  id: string,
  parts: DateParts,
  rule: { required?: boolean; years?: [number, number]; message: (problem: DateProblem) => string },
): string | null {
  const { value, problem } = parseDateParts(parts);
  if (problem === 'missing' && !rule.required) return null;
  const year = value ? Number(value.slice(0, 4)) : 0;
  const outside =
    value !== null && rule.years !== undefined && (year < rule.years[0] || year > rule.years[1]);
  if (problem || outside) {
    errors.add(id, rule.message(problem ?? 'invalid'));
    return null;
  }
  return value;
}

// ---- once per form token (the SQL is in db/form-submissions.ts) ----

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Double-clicked submits create one row: every create form carries a one-time token (a uuid made when the
 * form is shown); the first post claims it, a repeat goes where the first one went.
 */
export function newFormToken(): string {
  return randomUUID();
}

/** Is this a token a form could have carried (a post with anything else is simply not deduplicated)? */
export function isFormToken(token: string): boolean {
  return UUID.test(token);
}

/** The posted token (field `formToken`, or `name`), or a fresh one when it is missing or garbled. */
export function postedToken(body: Body, name = 'formToken'): string {
  const raw = str(body, name).trim().toLowerCase();
  return isFormToken(raw) ? raw : randomUUID();
}

/** Thrown inside a once-per-token change to roll it back (and free the token) with a reason to show. */
export class Refused<T> extends Error {
  constructor(readonly reason: T) {
    super('refused');
    this.name = 'Refused';
  }
}

/** A first post's result (where it led), or a repeat's: the first one's (null when the token was someone else's). */
export type OnceResult = { first: true; result: string } | { first: false; result: string | null };
