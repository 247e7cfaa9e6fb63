/**
 * Small helpers for parsing posted forms. Each feature's form.ts uses them and returns
 * { values, errors }, errors ordered as the fields are, each { text, href: '#field-id' }.
 */
import type { DateParts } from './dates.js';

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

export function textProblem(value: string, options: { required?: boolean; max: number }): TextProblem | null {
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

/** The error text for one field, for templates: errorFor(errors, 'title'). */
export function errorFor(errors: FieldError[] | undefined, field: string): string | undefined {
  return errors?.find((e) => e.href === `#${field}`)?.text;
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
