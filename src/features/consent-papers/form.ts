/**
 * The consent paperwork's two small forms: what to print (document, language, which consent) and which
 * consent an uploaded signed form documents. Each returns { values, errors, input }: values as sent,
 * errors next to their fields, input when everything is right (else null).
 */
import type { Translate } from '../../i18n/index.js';
import { asBody, Errors, formResult, oneOf, str, type FormResult } from '../../lib/form.js';
import {
  CONSENT_DOCUMENTS,
  DOCUMENT_LANGUAGES,
  type ConsentDocument,
  type DocumentLanguage,
} from '../../domain/document-languages.js';

export interface PrintValues {
  language: string;
  consent: string;
  document: string;
}

export interface PrintInput {
  language: DocumentLanguage;
  consentId: number;
  document: ConsentDocument;
}

export function parsePrint(
  query: unknown,
  t: Translate,
  options: { consentIds: number[] },
): FormResult<PrintValues, PrintInput> {
  const q = asBody(query);
  const values: PrintValues = {
    language: str(q, 'language').slice(0, 20),
    consent: str(q, 'consent').slice(0, 20),
    document: str(q, 'document').slice(0, 20),
  };
  const errors = new Errors();
  const language = oneOf(values.language, DOCUMENT_LANGUAGES);
  if (!language) errors.add('language', t('consentPapers.err.language'));
  const consentId = consentIn(values.consent, options.consentIds);
  if (consentId === null) errors.add('print-consent', t('consentPapers.err.consent'));
  const document = oneOf(values.document, CONSENT_DOCUMENTS);
  if (!document) errors.add('print-form', t('consentPapers.err.document'));
  return formResult(values, errors, () => ({
    language: language!,
    consentId: consentId!,
    document: document!,
  }));
}

/**
 * The consent a signed form is uploaded for, and the form's one-time token (a double-clicked upload
 * stores one form); the file itself is checked in upload.ts.
 */
export function parseSignedFields(
  body: unknown,
  t: Translate,
  options: { consentIds: number[] },
): FormResult<{ consent: string; formToken: string }, { consentId: number; formToken: string }> {
  const b = asBody(body);
  const values = { consent: str(b, 'consent').slice(0, 20), formToken: str(b, 'formToken').slice(0, 64) };
  const consentId = consentIn(values.consent, options.consentIds);
  const errors = new Errors();
  if (consentId === null) errors.add('signed-consent', t('consentPapers.err.consent'));
  return formResult(values, errors, () => ({ consentId: consentId!, formToken: values.formToken }));
}

function consentIn(value: string, consentIds: number[]): number | null {
  const id = /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  return consentIds.includes(id) ? id : null;
}
