/** Dates as the municipality sees them: calendar days in Europe/Oslo, stored as 'YYYY-MM-DD'. */
import { DEFAULT_LOCALE, perLocale, type Locale } from '../i18n/locales.js';

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function osloDate(d: Date): string {
  return dayFormat.format(d);
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T12:00:00Z`) - Date.parse(`${fromIso}T12:00:00Z`)) / 86_400_000);
}

/** Whole years between a birth date and a day. */
export function ageOn(birthIso: string, dayIso: string): number {
  const [by, bm, bd] = birthIso.split('-').map(Number) as [number, number, number];
  const [y, m, d] = dayIso.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export type DateProblem = 'missing' | 'incomplete' | 'invalid';

/** GOV.UK-style three-field date: returns the ISO date, or the problem. */
export function parseDateParts(parts: DateParts): { value: string | null; problem: DateProblem | null } {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!day && !month && !year) return { value: null, problem: 'missing' };
  if (!day || !month || !year) return { value: null, problem: 'incomplete' };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { value: null, problem: 'invalid' };
  }
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const check = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== iso)
    return { value: null, problem: 'invalid' };
  if (Number(year) < 1900 || Number(year) > 2200) return { value: null, problem: 'invalid' };
  return { value: iso, problem: null };
}

export function isoToParts(iso: string | null | undefined): DateParts {
  if (!iso) return { day: '', month: '', year: '' };
  const [year, month, day] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' };
}

const longDate = perLocale((tag) => ({
  format: new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  /** The days formatted lately: a plan's page shows the same few dates many times. */
  done: new Map<string, string>(),
}));
const REMEMBERED_DAYS = 5000;

const shortDate = perLocale(
  (tag) =>
    new Intl.DateTimeFormat(tag, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }),
);

/** "21.11.2026" / "21/11/2026": where columns are narrow. One formatter per language, as formatDate. */
export function formatShortDate(iso: string | null | undefined, locale: Locale = DEFAULT_LOCALE): string {
  return iso ? shortDate(locale).format(new Date(`${iso}T12:00:00Z`)) : '';
}

/** "12. mars 2026" / "12 March 2026". The formatters are made once: building one per call is slow. */
export function formatDate(iso: string | null | undefined, locale: Locale = DEFAULT_LOCALE): string {
  if (!iso) return '';
  const { format, done } = longDate(locale);
  let text = done.get(iso);
  if (text === undefined) {
    text = format.format(new Date(`${iso}T12:00:00Z`));
    if (done.size >= REMEMBERED_DAYS) done.clear();
    done.set(iso, text);
  }
  return text;
}
