/** Showing times of glimmers and notes: "3. desember 2026 kl. 10:12", in Europe/Oslo. */
import type { Locale } from '../../i18n/index.js';

const formats = {
  nb: new Intl.DateTimeFormat('nb-NO', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Oslo',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Oslo',
  }),
};

export function formatDateTime(d: Date, locale: Locale): string {
  return formats[locale].format(d);
}
