/**
 * The message catalogue: every UI string in ICU MessageFormat, one JSON file per locale in locales/
 * (bokmål is the source; the README's "Translations" says how to edit and add). t(key, values) formats a
 * message with intl-messageformat; each message is compiled once per locale, on first use, and cached
 * (a message without arguments becomes its plain text). Keys and their values are typed from nb.json
 * (message-keys.generated.ts).
 *
 * A missing key or a message that cannot be formatted is a "problem". By default a problem throws, so
 * tests and development fail loudly; production installs a handler (plugins/i18n.ts) that logs a warning
 * without any values, and the page shows the bokmål text, or the key when there is none.
 */
import { readFileSync } from 'node:fs';
import { IntlMessageFormat, MissingValueError } from 'intl-messageformat';
import { TYPE } from '@formatjs/icu-messageformat-parser';
import { DEFAULT_LOCALE, LOCALES, intlLocale, perLocale, type Locale } from './locales.js';
import type { MessageKey, MessageValues } from './message-keys.generated.js';

export {
  DEFAULT_LOCALE,
  LOCALES,
  LANGUAGES,
  intlLocale,
  isLocale,
  perLocale,
  type Locale,
} from './locales.js';
export type { MessageKey, MessageValues } from './message-keys.generated.js';

/** The values a key takes: none for a plain message, otherwise exactly its arguments. */
export type MessageArgs<K extends MessageKey> = [MessageValues[K]] extends [never]
  ? []
  : [values: MessageValues[K]];
export type Translate = <K extends MessageKey>(key: K, ...values: MessageArgs<K>) => string;
/** A key whose message takes no values (for keys kept in variables: error results, field rules). */
export type PlainMessageKey = {
  [K in MessageKey]: [MessageValues[K]] extends [never] ? K : never;
}[MessageKey];

type Catalogue = Readonly<Record<string, string>>;

function load(locale: Locale): Catalogue {
  const file = new URL(`./locales/${locale}.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as Catalogue;
}

const catalogues = new Map<Locale, Catalogue>(LOCALES.map((locale) => [locale, load(locale)]));

/** The messages of one locale as written in its file (for tests and tools). */
export function catalogue(locale: Locale): Catalogue {
  return catalogues.get(locale)!;
}

/** Whether a key exists (in bokmål, the source): for keys built from data, such as form field names. */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(catalogue(DEFAULT_LOCALE), key);
}

/** A compiled message: its plain text, or a function of its values. */
type Compiled = string | ((values: Record<string, unknown> | undefined) => string);
const compiledPerLocale = new Map<Locale, Map<string, Compiled>>(LOCALES.map((l) => [l, new Map()]));
/** Format problems are reported once per key and locale, not on every render. */
const reported = new Set<string>();

export interface MessageProblem {
  /** missing: no such key in this locale; invalid: the message does not parse; format: formatting failed. */
  kind: 'missing' | 'invalid' | 'format';
  locale: Locale;
  key: string;
  /** intl-messageformat's error code (e.g. MISSING_VALUE); never the values themselves. */
  code?: string;
}

export class MessageProblemError extends Error {
  override name = 'MessageProblemError';
  constructor(readonly problem: MessageProblem) {
    super(
      `message ${problem.key} (${problem.locale}): ${problem.kind}${problem.code ? ` ${problem.code}` : ''}`,
    );
  }
}

const throwProblem = (problem: MessageProblem) => {
  throw new MessageProblemError(problem);
};
let handleProblem: (problem: MessageProblem) => void = throwProblem;

/**
 * Who hears of a problem. A handler that returns lets the page go on (the text shown is the bokmål
 * message or the key); the default throws. Returns a function that puts back the previous handler.
 */
export function onMessageProblem(handler: ((problem: MessageProblem) => void) | 'throw'): () => void {
  const previous = handleProblem;
  const use = (next: (problem: MessageProblem) => void) => {
    handleProblem = next;
    // What was cached under the old handler (a fallback text, "already reported") no longer holds.
    for (const cache of compiledPerLocale.values()) cache.clear();
    reported.clear();
  };
  use(handler === 'throw' ? throwProblem : handler);
  return () => use(previous);
}

/**
 * Intl formatters for intl-messageformat, made once per locale (its own are made per message). Numbers
 * are grouped from five digits ("1000 tegn", "10 000 tegn"), as Norwegian writes them and as the texts
 * that name limits in words already do.
 */
const formattersOf = perLocale((tag) => {
  const made = new Map<string, unknown>();
  const once = <T>(kind: string, options: unknown, make: () => T): T => {
    const id = `${kind} ${options === undefined ? '' : JSON.stringify(options)}`;
    let formatter = made.get(id) as T | undefined;
    if (formatter === undefined) {
      formatter = make();
      made.set(id, formatter);
    }
    return formatter;
  };
  return {
    getNumberFormat: (_: unknown, options?: Intl.NumberFormatOptions) =>
      once('number', options, () => new Intl.NumberFormat(tag, { useGrouping: 'min2', ...options })),
    getDateTimeFormat: (_: unknown, options?: Intl.DateTimeFormatOptions) =>
      once('date', options, () => new Intl.DateTimeFormat(tag, options)),
    // Asked for on every plural with { type }: keyed by the type alone.
    getPluralRules: (_: unknown, options?: Intl.PluralRulesOptions) =>
      once(`plural ${options?.type ?? ''}`, undefined, () => new Intl.PluralRules(tag, options)),
  };
});

/** What intl-messageformat makes of a plain argument: text as is, a number as digits, nothing as ''. */
const asText = (value: unknown) =>
  typeof value === 'number' || typeof value === 'bigint' || value ? String(value) : '';

function compile(locale: Locale, key: string): Compiled {
  const message = catalogue(locale)[key];
  if (message === undefined) {
    handleProblem({ kind: 'missing', locale, key });
    return locale === DEFAULT_LOCALE ? key : compiled(DEFAULT_LOCALE, key);
  }
  let format: IntlMessageFormat;
  try {
    format = new IntlMessageFormat(message, intlLocale(locale), undefined, {
      ignoreTag: true,
      formatters: formattersOf(locale),
    });
  } catch {
    handleProblem({ kind: 'invalid', locale, key });
    return locale === DEFAULT_LOCALE ? key : compiled(DEFAULT_LOCALE, key);
  }
  const ast = format.getAst();
  if (ast.every((el) => el.type === TYPE.literal)) return ast.map((el) => el.value).join('');
  // Text with plain arguments ("Velkommen, {name}"), the most common kind: joined here, without the
  // general formatter's work per call. Plurals, numbers and the rest go through intl-messageformat.
  if (ast.every((el) => el.type === TYPE.literal || el.type === TYPE.argument)) {
    const parts = ast.map((el) => (el.type === TYPE.literal ? { text: el.value } : { name: el.value }));
    return (values) => {
      let out = '';
      for (const part of parts) {
        if ('text' in part) out += part.text;
        else if (values && part.name in values) out += asText(values[part.name]);
        else throw new MissingValueError(part.name, message);
      }
      return out;
    };
  }
  return (values) => {
    const out = format.format(values as Record<string, string | number> | undefined);
    return Array.isArray(out) ? out.join('') : String(out);
  };
}

function compiled(locale: Locale, key: string): Compiled {
  const cache = compiledPerLocale.get(locale)!;
  let entry = cache.get(key);
  if (entry === undefined) {
    entry = compile(locale, key);
    cache.set(key, entry);
  }
  return entry;
}

function format(locale: Locale, key: string, values: Record<string, unknown> | undefined): string {
  const entry = compiled(locale, key);
  if (typeof entry === 'string') return entry;
  try {
    return entry(values);
  } catch (error) {
    const problem: MessageProblem = { kind: 'format', locale, key, code: (error as { code?: string }).code };
    const id = `${locale} ${key} ${problem.code ?? ''}`;
    if (handleProblem === throwProblem || !reported.has(id)) {
      reported.add(id);
      handleProblem(problem);
    }
    return key;
  }
}

/** Messages an installation words its own way: a key and the key of its wording (lib/national-id.ts). */
export type Wording = Readonly<Partial<Record<MessageKey, MessageKey>>>;

/**
 * The t() of one locale. With a wording (the installation's country: "CPR-nummer" in Denmark), the keys
 * it names are read from their own keys. Translators are made once per locale and wording, and shared.
 */
export function translator(locale: Locale, wording?: Wording): Translate {
  let made = translators.get(wording ?? NO_WORDING);
  if (!made) translators.set(wording ?? NO_WORDING, (made = new Map()));
  let t = made.get(locale);
  if (!t) {
    const words = wording ?? NO_WORDING;
    t = ((key: MessageKey, values?: Record<string, unknown>) =>
      format(locale, words[key] ?? key, values)) as Translate;
    made.set(locale, t);
  }
  return t;
}
const NO_WORDING: Wording = Object.freeze({});
const translators = new WeakMap<Wording, Map<Locale, Translate>>();
