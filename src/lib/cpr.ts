/**
 * Danish CPR numbers: DDMMYY-SSSS, ten digits, the hyphen optional. A number is valid when it has that
 * form and its first six digits are a real date in the century the seventh digit gives (the CPR
 * office's rule below). There is no modulus-11 check: numbers without a valid check digit have been
 * issued since 2007, so the check would refuse real people. (The npm package danish-ssn checks exactly
 * that modulus and lets impossible dates roll over into the next month, so it is not used.)
 *
 * Century from the 7th digit (the first of the four after the date) and the year YY:
 *   0–3: 1900–1999
 *   4 and 9: YY 00–36 → 2000–2036, YY 37–99 → 1937–1999
 *   5–8: YY 00–57 → 2000–2057, YY 58–99 → 1858–1899
 */

export type CprProblem = 'empty' | 'digits' | 'length' | 'format' | 'date';

/** What people type around the number: spaces around it and a space instead of the hyphen. */
export function normalizeCpr(input: string): string {
  return input
    .trim()
    .replace(/^(\d{6}) (\d{4})$/, '$1$2')
    .replace('-', '');
}

/** The year of birth a CPR number's date means, by the seventh digit. */
export function cprYear(yy: number, seventh: number): number {
  if (seventh <= 3) return 1900 + yy;
  if (seventh === 4 || seventh === 9) return yy <= 36 ? 2000 + yy : 1900 + yy;
  return yy <= 57 ? 2000 + yy : 1800 + yy;
}

/** The birth date (ISO) in a CPR number of the right form, or null when the date does not exist. */
export function cprBirthDate(value: string): string | null {
  if (!/^[0-9]{10}$/.test(value)) return null;
  const year = cprYear(Number(value.slice(4, 6)), Number(value[6]));
  const iso = `${year}-${value.slice(2, 4)}-${value.slice(0, 2)}`;
  const date = new Date(`${iso}T12:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : null;
}

/** What is wrong with a typed CPR number, or null when it is valid. */
export function cprProblem(input: string): CprProblem | null {
  const text = input.trim();
  if (text === '') return 'empty';
  if (!/^[0-9 -]+$/.test(text)) return 'digits';
  const digits = text.replace(/[^0-9]/g, '');
  if (digits.length !== 10) return 'length';
  if (!/^[0-9]{6}[- ]?[0-9]{4}$/.test(text)) return 'format';
  return cprBirthDate(digits) ? null : 'date';
}

/** Shows only the birth-date part: "120313-****". */
export function maskCpr(value: string | null | undefined): string {
  if (!value) return '';
  return `${normalizeCpr(value).slice(0, 6)}-****`;
}
