/**
 * Times of day in Europe/Oslo: meetings are typed as a calendar day plus "HH:MM" and stored as instants.
 * Daylight saving is handled by asking Intl for the offset at the instant.
 */
import { DEFAULT_LOCALE, perLocale, type Locale } from '../i18n/locales.js';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function osloFields(d: Date): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts.formatToParts(d)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** Minutes Oslo is ahead of UTC at this instant (60 in winter, 120 in summer). */
export function osloOffsetMinutes(d: Date): number {
  const f = osloFields(d);
  const asUtc = Date.UTC(f.year!, f.month! - 1, f.day!, f.hour!, f.minute!, f.second!);
  return Math.round((asUtc - Math.floor(d.getTime() / 1000) * 1000) / 60000);
}

/** "HH:MM" or "H.MM" (also "0930", "9"), or null when it is not a time of day. */
export function parseTimeOfDay(value: string): string | null {
  const v = value.trim().replace(/\s+/g, '');
  const m = /^(\d{1,2})(?:[:.]?(\d{2}))?$/.exec(v);
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2] ?? '0');
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** The instant of an Oslo wall-clock time ('YYYY-MM-DD' + 'HH:MM'). */
export function osloInstant(isoDate: string, time: string): Date {
  const [y, mo, d] = isoDate.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let guess = new Date(wall - osloOffsetMinutes(new Date(wall)) * 60000);
  guess = new Date(wall - osloOffsetMinutes(guess) * 60000);
  return guess;
}

/** The Oslo time of day of an instant, 'HH:MM'. */
export function osloTime(d: Date): string {
  const f = osloFields(d);
  return `${String(f.hour).padStart(2, '0')}:${String(f.minute).padStart(2, '0')}`;
}

const dateTime = perLocale(
  (tag) =>
    new Intl.DateTimeFormat(tag, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: 'Europe/Oslo',
    }),
);
const weekday = perLocale(
  (tag) => new Intl.DateTimeFormat(tag, { weekday: 'long', timeZone: 'Europe/Oslo' }),
);

const timeOfDay = perLocale(
  (tag) => new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Oslo' }),
);

/**
 * The time of day in Oslo as each language writes it ("10:15"), as `toLocaleTimeString` gives it with
 * these options, from one formatter per language: toLocaleTimeString builds a new one on every call.
 */
export function formatTimeOfDay(d: Date, locale: Locale = DEFAULT_LOCALE): string {
  return timeOfDay(locale).format(d);
}

/** "23. november 2026 kl. 10:15" / "23 November 2026 at 10:15": each language's own way, from Intl. */
export function formatDateTime(d: Date, locale: Locale = DEFAULT_LOCALE): string {
  return dateTime(locale).format(d);
}

/** "mandag 23. november 2026 kl. 10:15": the weekday helps when planning. */
export function formatDateTimeLong(d: Date, locale: Locale = DEFAULT_LOCALE): string {
  return `${weekday(locale).format(d)} ${formatDateTime(d, locale)}`;
}
