/**
 * The message catalogue: every UI string, in bokmål (default) and English. Templates call t(key, params);
 * "{name}" in a message is replaced by params.name. A missing key in English falls back to bokmål.
 */
import { nb } from './nb.js';
import { en } from './en.js';

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
