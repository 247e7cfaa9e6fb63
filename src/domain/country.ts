/**
 * The countries an installation can be set up for (COUNTRY): what each decides for the whole
 * installation. Norway: fødselsnummer/D-number, bokmål, the stafettlogg. Denmark: the CPR number,
 * Danish, and the child's plan (barnets plan; "ungeplan" for a young person from 16).
 */
import type { Locale } from '../i18n/locales.js';
import type { PlanType } from './plan.js';

export const COUNTRIES = ['NO', 'DK'] as const;
export type Country = (typeof COUNTRIES)[number];

export interface CountrySettings {
  /** The default interface language (a locale code of src/i18n/locales.ts). */
  readonly locale: Locale;
  /** The plan type a new log starts with. */
  readonly defaultPlanType: PlanType;
}

export const COUNTRY_SETTINGS: Readonly<Record<Country, CountrySettings>> = Object.freeze({
  NO: { locale: 'nb', defaultPlanType: 'stafettlogg' },
  DK: { locale: 'da', defaultPlanType: 'barnets_plan' },
});

export function isCountry(value: unknown): value is Country {
  return typeof value === 'string' && (COUNTRIES as readonly string[]).includes(value);
}
