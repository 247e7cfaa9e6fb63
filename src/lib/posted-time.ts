/** Showing times of glimmers and notes: "3. desember 2026 kl. 10:12", in Europe/Oslo. */
import { perLocale, type Locale } from '../i18n/index.js';

const formats = perLocale(
  (tag) =>
    new Intl.DateTimeFormat(tag, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/Oslo',
    }),
);

export function formatDateTime(d: Date, locale: Locale): string {
  return formats(locale).format(d);
}
