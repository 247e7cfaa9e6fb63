/**
 * Identity numbers, by the installation's country (COUNTRY): the one interface through which every
 * form, sign-in, seed and print validates, normalises, masks, hashes and reads the birth date from a
 * person's number. Norway: fødselsnummer and D-number (fnr.ts, @navikt/fnrvalidator); Denmark: the CPR
 * number (cpr.ts). `identityNumbers(country)` gives the country's rules; they are made once.
 *
 * People's own numbers are stored as a keyed hash (users.national_id_hash): equal numbers give equal
 * hashes, and without the key the hashes cannot be turned back into numbers by trying the valid ones.
 * A child's number is stored normalised (children.national_id: 11 digits in Norway, 10 in Denmark).
 */
import { createHmac } from 'node:crypto';
import type { Country } from '../domain/country.js';
import type { MessageKey } from '../i18n/message-keys.generated.js';
import { birthDateFromFnr, fnrProblem, maskFnr, normalizeFnr, type FnrProblem } from './fnr.js';
import { cprBirthDate, cprProblem, maskCpr, normalizeCpr, type CprProblem } from './cpr.js';

export type NationalIdProblem = FnrProblem | CprProblem;

export interface NationalIdOptions {
  /** Accept synthetic test numbers (Norway: month + 80): in development and tests, never in production. */
  synthetic?: boolean;
}

export interface IdentityNumbers {
  readonly country: Country;
  /** Whether test numbers can be told from real ones (Norway's synthetic numbers; Denmark has none). */
  readonly hasSyntheticNumbers: boolean;
  /** The number as stored and compared: separators people type removed. */
  normalize(input: string): string;
  /** What a form says is wrong with a typed number, or null when it is valid. */
  problem(input: string, options?: NationalIdOptions): NationalIdProblem | null;
  isValid(input: string, options?: NationalIdOptions): boolean;
  /** Only the birth-date part, for showing: "120313 *****" / "120313-****". */
  mask(value: string | null | undefined): string;
  /** The birth date (ISO) in a valid number, or null (no such date, or after `today`). */
  birthDate(input: string, today: string): string | null;
  /** HMAC-SHA256 of the normalised number under the identity key, hex: what users.national_id_hash holds. */
  digest(value: string, key: Buffer): string;
  /**
   * The messages this country words differently, each with the key of its own wording (the number is
   * a CPR number in Denmark): the request's translator uses these (plugins/i18n.ts).
   */
  readonly messages: Readonly<Partial<Record<MessageKey, MessageKey>>>;
}

const digestOf = (normalize: (input: string) => string) => (value: string, key: Buffer) =>
  createHmac('sha256', key).update(normalize(value)).digest('hex');

const norway: IdentityNumbers = Object.freeze({
  country: 'NO',
  hasSyntheticNumbers: true,
  normalize: normalizeFnr,
  problem: (input: string, options: NationalIdOptions = {}) => fnrProblem(input, options),
  isValid: (input: string, options: NationalIdOptions = {}) => fnrProblem(input, options) === null,
  mask: maskFnr,
  birthDate: birthDateFromFnr,
  digest: digestOf(normalizeFnr),
  messages: Object.freeze({}),
});

/** In Denmark every message that names the identity number names the CPR number. */
const DANISH_WORDS = {
  'nationalId.empty': 'cpr.empty',
  'nationalId.digits': 'cpr.digits',
  'nationalId.length': 'cpr.length',
  'nationalId.format': 'cpr.format',
  'nationalId.date': 'cpr.date',
  'create.childNationalId': 'cpr.create.childNationalId',
  'create.childNationalId.hint': 'cpr.create.childNationalId.hint',
  'create.guardianNationalId': 'cpr.create.guardianNationalId',
  'create.guardianNationalId.hint': 'cpr.create.guardianNationalId.hint',
  'err.guardianNationalId.same': 'cpr.err.guardianNationalId.same',
  'err.guardianNationalId.other': 'cpr.err.guardianNationalId.other',
  'guardians.nationalId': 'cpr.guardians.nationalId',
  'guardians.nationalId.label': 'cpr.guardians.nationalId.label',
  'staff.nationalId': 'cpr.staff.nationalId',
  'staff.nationalId.hint': 'cpr.staff.nationalId.hint',
  'staff.err.nationalIdOther': 'cpr.staff.err.nationalIdOther',
  'staff.err.nationalIdRequired': 'cpr.staff.err.nationalIdRequired',
  'account.nationalId': 'cpr.account.nationalId',
  'relay.export.format': 'cpr.relay.export.format',
  'relay.importConfirm.nationalIdHint': 'cpr.relay.importConfirm.nationalIdHint',
  'relay.err.import.birthDate': 'cpr.relay.err.import.birthDate',
  'signin.demo.localIdp': 'cpr.signin.demo.localIdp',
} as const satisfies Partial<Record<MessageKey, MessageKey>>;

const denmark: IdentityNumbers = Object.freeze({
  country: 'DK',
  hasSyntheticNumbers: false,
  normalize: normalizeCpr,
  // Denmark has no synthetic numbers to tell apart: the option changes nothing.
  problem: (input: string) => cprProblem(input),
  isValid: (input: string) => cprProblem(input) === null,
  mask: maskCpr,
  birthDate: (input: string, today: string) => {
    if (cprProblem(input)) return null;
    const born = cprBirthDate(normalizeCpr(input));
    return born && born <= today ? born : null;
  },
  digest: digestOf(normalizeCpr),
  messages: Object.freeze(DANISH_WORDS),
});

/** The identity-number rules of a country. */
export function identityNumbers(country: Country): IdentityNumbers {
  return country === 'DK' ? denmark : norway;
}
