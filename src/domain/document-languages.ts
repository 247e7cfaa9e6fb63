/**
 * The languages the consent paperwork (consent form and information letter) is printed in. These are
 * document languages, not interface languages: their texts live in src/features/consent-papers/texts/,
 * apart from the interface catalogue. `review` marks texts no one on the team reads natively (README).
 */
export const DOCUMENT_LANGUAGES = ['nb', 'nn', 'en', 'da', 'pl', 'uk', 'ar', 'so'] as const;
export type DocumentLanguage = (typeof DOCUMENT_LANGUAGES)[number];

export interface DocumentLanguageInfo {
  /** BCP 47 tag for <html lang> and the PDF's /Lang. */
  lang: string;
  dir: 'ltr' | 'rtl';
  /** The language's name in itself, for the choice of language. */
  name: string;
  /** The text needs review by a native speaker before it is relied on. */
  review: boolean;
}

export const DOCUMENT_LANGUAGE_INFO: Record<DocumentLanguage, DocumentLanguageInfo> = {
  nb: { lang: 'nb', dir: 'ltr', name: 'Norsk bokmål', review: false },
  nn: { lang: 'nn', dir: 'ltr', name: 'Norsk nynorsk', review: true },
  en: { lang: 'en', dir: 'ltr', name: 'English', review: false },
  da: { lang: 'da', dir: 'ltr', name: 'Dansk', review: true },
  pl: { lang: 'pl', dir: 'ltr', name: 'Polski', review: true },
  uk: { lang: 'uk', dir: 'ltr', name: 'Українська', review: true },
  ar: { lang: 'ar', dir: 'rtl', name: 'العربية', review: true },
  so: { lang: 'so', dir: 'ltr', name: 'Soomaali', review: true },
};

export const isDocumentLanguage = (value: unknown): value is DocumentLanguage =>
  typeof value === 'string' && (DOCUMENT_LANGUAGES as readonly string[]).includes(value);

/** The two documents: the consent form to sign and the information letter to the family. */
export const CONSENT_DOCUMENTS = ['form', 'letter'] as const;
export type ConsentDocument = (typeof CONSENT_DOCUMENTS)[number];
