/**
 * The message catalogue: every UI string, in bokmål (default) and English, one file per area in
 * messages/. Templates call t(key, params); "{name}" in a message is replaced by params.name.
 * A key missing in English falls back to bokmål.
 */
import * as core from './messages/core.js';
import * as logs from './messages/logs.js';
import * as goals from './messages/goals.js';
import * as measures from './messages/measures.js';
import * as access from './messages/access.js';
import * as meetings from './messages/meetings.js';
import * as notes from './messages/notes.js';
import * as relay from './messages/relay.js';
import * as signin from './messages/signin.js';

export const nb = {
  ...core.nb,
  ...logs.nb,
  ...goals.nb,
  ...measures.nb,
  ...access.nb,
  ...meetings.nb,
  ...notes.nb,
  ...relay.nb,
  ...signin.nb,
};
const en: Partial<Record<MessageKey, string>> = {
  ...core.en,
  ...logs.en,
  ...goals.en,
  ...measures.en,
  ...access.en,
  ...meetings.en,
  ...notes.en,
  ...relay.en,
  ...signin.en,
};

export type Locale = 'nb' | 'en';
export const LOCALES: readonly Locale[] = ['nb', 'en'];
export type MessageKey = keyof typeof nb;
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const catalogues: Record<Locale, Partial<Record<MessageKey, string>>> = { nb, en };

export function isLocale(value: unknown): value is Locale {
  return value === 'nb' || value === 'en';
}

export function translator(locale: Locale): Translate {
  const catalogue = catalogues[locale];
  return (key, params) => {
    const message = catalogue[key] ?? nb[key] ?? key;
    if (!params) return message;
    return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };
}
