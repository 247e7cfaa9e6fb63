/**
 * The interface languages, in one place. Each has a message file locales/<code>.json (ICU MessageFormat),
 * the name shown in the language switch (in the language itself), and the tag Intl uses for dates and
 * numbers. Adding a language is adding its JSON file and one line here. Bokmål is the source: the
 * catalogue every other is checked against and the fallback for a missing message (DEFAULT_LOCALE). The
 * language someone sees before choosing one is the installation's (config.defaultLocale, by COUNTRY).
 */
export const LANGUAGES = [
  { code: 'nb', label: 'Norsk (bokmål)', intl: 'nb-NO' },
  { code: 'nn', label: 'Norsk (nynorsk)', intl: 'nn-NO' },
  { code: 'da', label: 'Dansk', intl: 'da-DK' },
  { code: 'en', label: 'English', intl: 'en-GB' },
] as const;

export type Locale = (typeof LANGUAGES)[number]['code'];

export const LOCALES: readonly Locale[] = LANGUAGES.map((l) => l.code);

export const DEFAULT_LOCALE: Locale = 'nb';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

const intlTags = new Map<Locale, string>(LANGUAGES.map((l) => [l.code, l.intl]));

/** The BCP 47 tag to give Intl (toLocaleDateString, Intl.DateTimeFormat, Intl.NumberFormat). */
export function intlLocale(locale: Locale): string {
  return intlTags.get(locale) ?? intlTags.get(DEFAULT_LOCALE)!;
}

/** One formatter per locale, made once (building an Intl formatter per call is slow). */
export function perLocale<T>(make: (intlTag: string, locale: Locale) => T): (locale: Locale) => T {
  const made = new Map<Locale, T>();
  return (locale) => {
    let value = made.get(locale);
    if (value === undefined) {
      value = make(intlLocale(locale), locale);
      made.set(locale, value);
    }
    return value;
  };
}
