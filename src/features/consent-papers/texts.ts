/**
 * The consent paperwork's texts: one JSON file per document language in texts/ (ICU MessageFormat, as
 * the interface catalogue, but kept apart from it: these languages are document languages, not all of
 * them interface languages). Bokmål is the source; every file has the same keys and placeholders
 * (texts.test.ts). A message is compiled once per language, on first use.
 */
import { readFileSync } from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';
import {
  DOCUMENT_LANGUAGES,
  DOCUMENT_LANGUAGE_INFO,
  type DocumentLanguage,
} from '../../domain/document-languages.js';

export type DocumentTexts = Readonly<Record<string, string>>;
export type DocumentTranslate = (key: string, values?: Record<string, string | number>) => string;

/** The file of one language's texts (also read by the tests). */
export const textsFile = (language: DocumentLanguage) => new URL(`./texts/${language}.json`, import.meta.url);

const loaded = new Map<DocumentLanguage, DocumentTexts>();

export function documentTexts(language: DocumentLanguage): DocumentTexts {
  let texts = loaded.get(language);
  if (!texts) {
    texts = JSON.parse(readFileSync(textsFile(language), 'utf8')) as DocumentTexts;
    loaded.set(language, texts);
  }
  return texts;
}

const compiled = new Map<string, IntlMessageFormat>();

/** Formats the documents' messages in one language; a missing key is an error (never another language). */
export function documentTranslator(language: DocumentLanguage): DocumentTranslate {
  const texts = documentTexts(language);
  const locale = DOCUMENT_LANGUAGE_INFO[language].lang;
  return (key, values) => {
    const message = texts[key];
    if (message === undefined) throw new Error(`consent paperwork text ${key} (${language}) is missing`);
    const id = `${language}\u0000${key}`;
    let format = compiled.get(id);
    if (!format) {
      format = new IntlMessageFormat(message, locale);
      compiled.set(id, format);
    }
    return String(format.format(values));
  };
}

/** Every language's texts, for the tests. */
export const allDocumentTexts = () =>
  Object.fromEntries(DOCUMENT_LANGUAGES.map((l) => [l, documentTexts(l)])) as Record<
    DocumentLanguage,
    DocumentTexts
  >;
