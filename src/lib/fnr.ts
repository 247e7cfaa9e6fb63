/**
 * Norwegian national identity numbers (fødselsnummer, 11 digits): DDMMYY + individual number (3) + two
 * check digits. Validity comes from @navikt/fnrvalidator, which knows both check-digit rules (numbers
 * issued from 2032 may leave remainder 0–3 for the first check digit), D-numbers (day + 40), H-numbers
 * (month + 40) and synthetic test numbers (Skatteetaten's Tenor: month + 80). Here: what a form says is
 * wrong, whether test numbers are allowed, masking and the birth date. The rest of the code reaches
 * these through the country-aware interface in national-id.ts.
 */
import { idnr } from '@navikt/fnrvalidator';

export type FnrProblem = 'empty' | 'length' | 'digits' | 'date' | 'checksum' | 'synthetic';

/** Removes spaces and dots that people type as separators. */
export function normalizeFnr(input: string): string {
  return input.replace(/[\s.]/g, '');
}

/** What is wrong with a typed number, or null; synthetic test numbers only when `synthetic` allows them. */
export function fnrProblem(input: string, options: { synthetic?: boolean } = {}): FnrProblem | null {
  const value = normalizeFnr(input);
  if (value === '') return 'empty';
  if (!/^[0-9]+$/.test(value)) return 'digits';
  if (value.length !== 11) return 'length';
  const result = idnr(value);
  if (result.status === 'invalid') return result.reasons.includes('invalid date') ? 'date' : 'checksum';
  if ((result.type === 'tnr' || result.type === 'dnr-and-tnr') && !options.synthetic) return 'synthetic';
  return null;
}

/** Shows only the birth-date part: "120313 *****". */
export function maskFnr(value: string | null | undefined): string {
  if (!value) return '';
  return `${value.slice(0, 6)} *****`;
}

/**
 * The birth date (ISO) in a child's national identity number, D-, H- and synthetic numbers included.
 * The individual number does not tell the century for numbers issued from 2032, so the birth date is
 * the latest date with these digits that is not after `today` (a child is never a hundred years old).
 */
export function birthDateFromFnr(input: string, today: string): string | null {
  const value = normalizeFnr(input);
  if (!/^[0-9]{11}$/.test(value)) return null;
  let day = Number(value.slice(0, 2));
  let month = Number(value.slice(2, 4));
  const yy = Number(value.slice(4, 6));
  if (day > 40) day -= 40;
  if (month > 80) month -= 80;
  else if (month > 40) month -= 40;
  const thisCentury = Math.floor(Number(today.slice(0, 4)) / 100) * 100;
  for (const century of [thisCentury, thisCentury - 100]) {
    const iso = `${century + yy}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const check = new Date(`${iso}T12:00:00Z`);
    if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== iso) return null;
    if (iso <= today) return iso;
  }
  return null;
}
