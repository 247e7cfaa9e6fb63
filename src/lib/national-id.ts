/**
 * Norwegian national identity numbers (fødselsnummer, 11 digits): DDMMYY + individual number (3)
 * + two mod-11 check digits. D-numbers add 40 to the day; H-numbers add 40 to the month; synthetic
 * test numbers (Skatteetaten's Tenor) add 80 to the month.
 */
const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

export type NationalIdProblem = 'empty' | 'length' | 'digits' | 'date' | 'checksum';

function checkDigit(digits: number[], weights: number[]): number {
  const sum = weights.reduce((acc, w, i) => acc + w * digits[i]!, 0);
  const k = 11 - (sum % 11);
  return k === 11 ? 0 : k; // 10 means no valid number with these digits
}

/** Removes spaces and dots that people type as separators. */
export function normalizeNationalId(input: string): string {
  return input.replace(/[\s.]/g, '');
}

export function nationalIdProblem(input: string): NationalIdProblem | null {
  const value = normalizeNationalId(input);
  if (value === '') return 'empty';
  if (!/^\d+$/.test(value)) return 'digits';
  if (value.length !== 11) return 'length';
  const d = [...value].map(Number);
  let day = d[0]! * 10 + d[1]!;
  let month = d[2]! * 10 + d[3]!;
  if (day > 40) day -= 40;
  if (month > 80) month -= 80;
  else if (month > 40) month -= 40;
  if (day < 1 || day > 31 || month < 1 || month > 12) return 'date';
  const k1 = checkDigit(d, K1);
  const k2 = checkDigit(d, K2);
  if (k1 === 10 || k2 === 10 || k1 !== d[9] || k2 !== d[10]) return 'checksum';
  return null;
}

export function isValidNationalId(input: string): boolean {
  return nationalIdProblem(input) === null;
}

/** Adds the two check digits to nine digits; null when no valid number exists for them. */
export function withCheckDigits(nine: string): string | null {
  if (!/^\d{9}$/.test(nine)) return null;
  const d = [...nine].map(Number);
  const k1 = checkDigit(d, K1);
  if (k1 === 10) return null;
  const k2 = checkDigit([...d, k1], K2);
  if (k2 === 10) return null;
  return `${nine}${k1}${k2}`;
}

/** Shows only the birth-date part: "120313 *****". */
export function maskNationalId(value: string | null | undefined): string {
  if (!value) return '';
  return `${value.slice(0, 6)} *****`;
}
