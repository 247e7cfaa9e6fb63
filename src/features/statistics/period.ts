/**
 * The periods a statistics page can cover, as calendar days in Europe/Oslo (both ends included):
 * this school year (1 August – 31 July), the last 12 months (this month and the eleven before it, from
 * the 1st) and a range the reader types. Also the months of a period, for the monthly charts.
 */
export const PERIOD_CHOICES = ['school-year', 'last-12-months', 'custom'] as const;
export type PeriodChoice = (typeof PERIOD_CHOICES)[number];

export interface Period {
  choice: PeriodChoice;
  from: string;
  to: string;
}

/** The longest range a reader may ask for, in years (the monthly charts stay readable). */
export const MAX_PERIOD_YEARS = 5;

const pad = (n: number) => String(n).padStart(2, '0');

/** The school year a day falls in, named by the year it starts (2026 = 1 Aug 2026 – 31 Jul 2027). */
export function schoolYearOf(day: string): number {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return month >= 8 ? year : year - 1;
}

export function schoolYearRange(startYear: number): { from: string; to: string } {
  return { from: `${startYear}-08-01`, to: `${startYear + 1}-07-31` };
}

/** The first day of the month `months` months before the month of `day`. */
export function monthStart(day: string, monthsBack = 0): string {
  const [year, month] = day.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) - monthsBack;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}-01`;
}

export function presetPeriod(choice: Exclude<PeriodChoice, 'custom'>, today: string): Period {
  if (choice === 'school-year') return { choice, ...schoolYearRange(schoolYearOf(today)) };
  return { choice, from: monthStart(today, 11), to: today };
}

/** 'YYYY-MM' for every month the period touches, oldest first. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = monthStart(from); m <= to; m = nextMonth(m)) months.push(m.slice(0, 7));
  return months;
}

function nextMonth(first: string): string {
  const [year, month] = first.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`;
}

/** Whether `to` lies more than MAX_PERIOD_YEARS after `from`. */
export function tooLong(from: string, to: string): boolean {
  const [year, month, day] = from.split('-');
  return to >= `${Number(year) + MAX_PERIOD_YEARS}-${month}-${day}`;
}
