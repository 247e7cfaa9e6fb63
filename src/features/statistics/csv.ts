/**
 * A figure's table as a CSV file for Excel, with the page's own suppression ("under 5", "skjult").
 *
 * Semicolons between fields and a UTF-8 byte-order mark: Norwegian Excel uses the locale's list
 * separator, which is ";" because "," is the decimal mark, so a ";" file opens in columns when it is
 * double-clicked (a "," file lands in one column); the BOM makes Excel read UTF-8, so æ, ø and å come
 * through (a "sep=;" line would make it ignore the BOM). Lines end in CRLF (RFC 4180). A field that
 * begins with = + - @ or a tab is prefixed with ' so Excel does not run it as a formula (unit and
 * category names and holders' names are typed by people).
 */
import { stringify } from 'csv-stringify/sync';
import type { Locale, Translate } from '../../i18n/index.js';
import { presentCsv, type Figure } from './present.js';

const FORMULA = /^[=+\-@\t\r]/;

const safe = (text: string) => (FORMULA.test(text) ? `'${text}` : text);

export function figureCsv(figure: Figure, t: Translate, locale: Locale): string {
  const header = figure.columns.map((c, i) =>
    figure.rows.some((r) => r.values[i - 1]?.kind === 'share') ? `${c} (%)` : c,
  );
  const records = [
    header,
    ...figure.rows.map((row) => [row.label, ...row.values.map((v) => presentCsv(v, t, locale))]),
  ].map((record) => record.map(safe));
  return stringify(records, { bom: true, delimiter: ';', record_delimiter: 'windows' });
}

/** A file name that says what and when: stafett-statistikk-logs-by-level-2026-08-01-2027-07-31.csv. */
export function csvFileName(figureId: string, from: string, to: string): string {
  return `stafett-statistikk-${figureId}-${from}-${to}.csv`;
}
