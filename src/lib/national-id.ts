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

/** The full birth year from the two-digit year and the individual number (Skatteetaten's ranges). */
function birthYear(yy: number, individual: number): number | null {
  if (individual <= 499) return 1900 + yy;
  if (individual <= 749 && yy >= 54) return 1800 + yy;
  if (yy <= 39) return 2000 + yy;
  if (individual >= 900) return 1900 + yy;
  return null;
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
  const yy = d[4]! * 10 + d[5]!;
  const year = birthYear(yy, d[6]! * 100 + d[7]! * 10 + d[8]!) ?? 2000 + yy;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return 'date'; // 31 April, 30 February …
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

/** The birth date in a national identity number (D-, H- and synthetic numbers included), as ISO. */
export function birthDateFromNationalId(input: string): string | null {
  const value = normalizeNationalId(input);
  if (nationalIdProblem(value) !== null) return null;
  let day = Number(value.slice(0, 2));
  let month = Number(value.slice(2, 4));
  const yy = Number(value.slice(4, 6));
  const individual = Number(value.slice(6, 9));
  if (day > 40) day -= 40;
  if (month > 80) month -= 80;
  else if (month > 40) month -= 40;
  let century: number;
  if (individual <= 499) century = 1900;
  else if (individual <= 749 && yy >= 54) century = 1800;
  else if (yy <= 39) century = 2000;
  else if (individual >= 900) century = 1900;
  else return null;
  const iso = `${century + yy}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const check = new Date(`${iso}T12:00:00Z`);
  return !Number.isNaN(check.getTime()) && check.toISOString().slice(0, 10) === iso ? iso : null;
}
