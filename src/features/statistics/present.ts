/**
 * The statistics' figures as data (a table per figure: rows of values, a total row, the kind of chart)
 * and how one value reads: on the page, in the chart and in the CSV file. A hidden count reads
 * "under 5" or "skjult", exactly as suppression.ts decided; nothing here can undo that.
 */
import { intlLocale, type Locale, type Translate } from '../../i18n/index.js';
import type { CellState } from './suppression.js';

export type Value =
  | { kind: 'count'; value: number | null; state: CellState }
  /** A share from 0 to 1; null: hidden; undefined: nothing to share (0 of 0). */
  | { kind: 'share'; value: number | null | undefined }
  /** A mean on the meeting scale (1–5); null: hidden; undefined: no answers. */
  | { kind: 'mean'; value: number | null | undefined }
  | { kind: 'days'; value: number | null | undefined }
  /** A number someone entered (children in a unit); null: not entered. */
  | { kind: 'known'; value: number | null }
  | { kind: 'empty' };

export interface FigureRow {
  label: string;
  values: Value[];
  total?: boolean;
}

export type Chart =
  { type: 'bars'; column: number; goal?: number } | { type: 'lines'; columns: number[] } | null;

export interface Figure {
  /** Also the CSV table's name and the anchor on the page. */
  id: string;
  title: string;
  summary: string;
  /** Header of each column; the first names the rows. */
  columns: string[];
  rows: FigureRow[];
  chart: Chart;
  note?: string;
}

export interface Section {
  id: string;
  title: string;
  figures: Figure[];
}

const intl = intlLocale;

/** How a value reads on the page and in a chart's labels. */
export function present(value: Value, t: Translate, locale: Locale): string {
  switch (value.kind) {
    case 'count':
      if (value.state === 'small') return t('stats.small');
      if (value.state === 'hidden') return t('stats.hidden');
      return (value.value ?? 0).toLocaleString(intl(locale));
    case 'share':
      if (value.value === undefined) return '–';
      if (value.value === null) return t('stats.hidden');
      return t('stats.percent', { n: Math.round(value.value * 100) });
    case 'mean':
      if (value.value === undefined) return '–';
      if (value.value === null) return t('stats.hidden');
      return value.value.toLocaleString(intl(locale), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    case 'days':
      if (value.value === undefined) return '–';
      if (value.value === null) return t('stats.hidden');
      return t('stats.days', { n: Math.round(value.value) });
    case 'known':
      return value.value === null ? t('stats.notEntered') : value.value.toLocaleString(intl(locale));
    case 'empty':
      return '';
  }
}

/** How a value reads in a CSV cell: plain digits, whole percents, the locale's decimal mark. */
export function presentCsv(value: Value, t: Translate, locale: Locale): string {
  switch (value.kind) {
    case 'count':
      return value.state === 'shown' ? String(value.value ?? 0) : present(value, t, locale);
    case 'share':
      return typeof value.value === 'number'
        ? String(Math.round(value.value * 100))
        : present(value, t, locale);
    case 'days':
      return typeof value.value === 'number' ? String(Math.round(value.value)) : present(value, t, locale);
    case 'known':
      return value.value === null ? present(value, t, locale) : String(value.value);
    default:
      return present(value, t, locale);
  }
}

/** The number a chart draws for a value, or null when nothing may be drawn. */
export function plotted(value: Value): number | null {
  switch (value.kind) {
    case 'count':
      return value.state === 'shown' ? value.value : null;
    case 'share':
    case 'mean':
    case 'days':
      return typeof value.value === 'number' ? value.value : null;
    case 'known':
      return value.value;
    default:
      return null;
  }
}

/** "jan. 2026" / "Jan 2026" for a 'YYYY-MM' month. */
export function monthLabel(month: string, locale: Locale): string {
  return new Date(`${month}-15T12:00:00Z`).toLocaleDateString(intl(locale), {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
