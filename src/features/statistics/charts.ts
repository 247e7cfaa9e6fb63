/**
 * Charts drawn on the server as SVG: horizontal bars for categories, a line per series across months.
 * A chart repeats its table for the eye; the table beside it is what screen readers and keyboards use,
 * so the SVG is aria-hidden (the GOV.UK way: one accessible version, not two that can disagree).
 * Presentation attributes only (the CSP allows no inline style), colours with at least 4.5:1 against
 * white, and never colour alone: every bar carries its value as text, lines differ by dash and marker
 * and are named in a legend. A hidden value draws nothing: the bar's text says "under 5" or "skjult".
 */
import { intlLocale, type Locale, type Translate } from '../../i18n/index.js';
import { plotted, present, type Figure } from './present.js';

const WIDTH = 640;
const FONT = 'Arial, Helvetica, sans-serif';
const TEXT = '#0b0c0c';
const MUTED = '#505a5f';
const GRID = '#b1b4b6';
/** Series colours (on white: 6.1:1, 6.5:1, 7.6:1), each also with its own dash and marker. */
const SERIES = [
  { colour: '#1a65a6', dash: '', marker: 'circle' },
  { colour: '#b3261e', dash: '8 4', marker: 'square' },
  { colour: '#00703c', dash: '2 3', marker: 'diamond' },
] as const;

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A round number at or above `value`, for an axis. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function svg(height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" viewBox="0 0 ${WIDTH} ${height}" ` +
    `width="100%" preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false" ` +
    `font-family="${FONT}" font-size="14">${body}</svg>`
  );
}

/** The SVG for a figure, or '' when it has no chart or nothing to draw. */
export function chartSvg(figure: Figure, t: Translate, locale: Locale): string {
  if (!figure.chart) return '';
  return figure.chart.type === 'bars'
    ? bars(figure, figure.chart.column, figure.chart.goal, t, locale)
    : lines(figure, figure.chart.columns, t, locale);
}

function bars(
  figure: Figure,
  column: number,
  goal: number | undefined,
  t: Translate,
  locale: Locale,
): string {
  const rows = figure.rows.filter((r) => !r.total);
  if (!rows.length) return '';
  const values = rows.map((r) => r.values[column - 1]!);
  const kind = values[0]!.kind;
  const numbers = values.map(plotted);
  const largest = Math.max(0, ...numbers.map((n) => n ?? 0));
  const max =
    kind === 'share'
      ? Math.min(1, niceMax(Math.max(largest, goal ?? 0) * 100) / 100)
      : kind === 'mean'
        ? 5
        : niceMax(largest);
  const left = 8;
  const barArea = WIDTH - left - 110;
  const rowHeight = 46;
  const top = goal === undefined ? 4 : 24;
  const height = top + rows.length * rowHeight + 4;
  let body = '';
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    const n = numbers[i];
    const text = escape(present(values[i]!, t, locale));
    body += `<text x="${left}" y="${y + 15}" fill="${TEXT}">${escape(shorten(row.label, 80))}</text>`;
    if (n === null || n === undefined) {
      body += `<text x="${left}" y="${y + 36}" fill="${MUTED}" font-style="italic">${text}</text>`;
      return;
    }
    const w = Math.max(n > 0 ? 2 : 0, Math.round((Math.min(n, max) / max) * barArea));
    body += `<rect x="${left}" y="${y + 22}" width="${w}" height="18" fill="${SERIES[0].colour}"/>`;
    body += `<text x="${left + w + 6}" y="${y + 36}" fill="${TEXT}" font-weight="bold">${text}</text>`;
  });
  if (goal !== undefined) {
    const x = left + Math.round((goal / max) * barArea);
    const label = escape(t('stats.chart.goal', { goal: t('stats.percent', { n: Math.round(goal * 100) }) }));
    body += `<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${height}" stroke="${TEXT}" stroke-width="2" stroke-dasharray="4 3"/>`;
    body += `<text x="${x + 4}" y="${top - 8}" fill="${TEXT}">${label}</text>`;
  }
  return svg(height, body);
}

function marker(shape: string, x: number, y: number, colour: string): string {
  if (shape === 'circle') return `<circle cx="${x}" cy="${y}" r="4" fill="${colour}"/>`;
  if (shape === 'square') return `<rect x="${x - 4}" y="${y - 4}" width="8" height="8" fill="${colour}"/>`;
  return `<path d="M${x} ${y - 5}L${x + 5} ${y}L${x} ${y + 5}L${x - 5} ${y}Z" fill="${colour}"/>`;
}

function lines(figure: Figure, columns: number[], t: Translate, locale: Locale): string {
  const rows = figure.rows.filter((r) => !r.total);
  if (!rows.length) return '';
  const series = columns.map((col) => rows.map((r) => plotted(r.values[col - 1]!)));
  const max = niceMax(Math.max(0, ...series.flat().map((n) => n ?? 0)));
  const left = 48;
  const right = 16;
  const legendHeight = 26 * Math.ceil(columns.length / 2);
  const top = legendHeight + 12;
  const plotHeight = 200;
  const bottom = top + plotHeight;
  const height = bottom + 40;
  const step = rows.length > 1 ? (WIDTH - left - right) / (rows.length - 1) : 0;
  const x = (i: number) => left + (rows.length > 1 ? i * step : (WIDTH - left - right) / 2);
  const y = (n: number) => bottom - (n / max) * plotHeight;
  let body = '';
  // Legend: a short stretch of each line with its marker, and the series' name.
  columns.forEach((col, k) => {
    const s = SERIES[k % SERIES.length]!;
    const lx = 8 + (k % 2) * 300;
    const ly = 16 + Math.floor(k / 2) * 26;
    body += `<line x1="${lx}" y1="${ly - 5}" x2="${lx + 36}" y2="${ly - 5}" stroke="${s.colour}" stroke-width="3"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`;
    body += marker(s.marker, lx + 18, ly - 5, s.colour);
    body += `<text x="${lx + 44}" y="${ly}" fill="${TEXT}">${escape(figure.columns[col]!)}</text>`;
  });
  // Axis: four grid lines with their values.
  for (let g = 0; g <= 4; g++) {
    const value = (max * g) / 4;
    const gy = y(value);
    body += `<line x1="${left}" y1="${gy}" x2="${WIDTH - right}" y2="${gy}" stroke="${GRID}" stroke-width="1"/>`;
    const label = Number.isInteger(value) ? value.toLocaleString(intlLocale(locale)) : '';
    body += `<text x="${left - 6}" y="${gy + 5}" fill="${MUTED}" text-anchor="end">${label}</text>`;
  }
  const every = Math.max(1, Math.ceil(rows.length / 8));
  rows.forEach((row, i) => {
    if (i % every !== 0 && i !== rows.length - 1) return;
    body += `<text x="${x(i)}" y="${bottom + 22}" fill="${MUTED}" text-anchor="middle">${escape(shorten(row.label, 12))}</text>`;
  });
  // Each series: a path broken where a value is hidden, with a marker at every shown point.
  series.forEach((points, k) => {
    const s = SERIES[k % SERIES.length]!;
    let d = '';
    let pen = false;
    points.forEach((n, i) => {
      if (n === null || n === undefined) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(n).toFixed(1)}`;
      pen = true;
    });
    if (d)
      body += `<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="3"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`;
    points.forEach((n, i) => {
      if (n !== null && n !== undefined) body += marker(s.marker, x(i), y(n), s.colour);
    });
  });
  void t;
  return svg(height, body);
}
