/**
 * The make-a-print form: why (for a meeting, or the yearly print), which meeting, and the print's language
 * → FormResult { values, errors, input }. Nothing here is refused: an unknown reason is a meeting print, a
 * garbled meeting id is none, and an unknown (or no) language is the pages' own.
 */
import { isLocale, type Locale } from '../../i18n/index.js';
import { asBody, formResult, Errors, idValue, oneOf, str, type FormResult } from '../../lib/form.js';

export const MAKE_REASONS = ['meeting', 'yearly'] as const;

export interface MakePrintInput {
  reason: (typeof MAKE_REASONS)[number];
  meetingId: number | null;
  locale: Locale;
}

export function parseMakePrint(
  body: unknown,
  pagesLocale: Locale,
): FormResult<{ reason: string; meetingId: string; lang: string }, MakePrintInput> {
  const b = asBody(body);
  const values = { reason: str(b, 'reason'), meetingId: str(b, 'meetingId'), lang: str(b, 'lang') };
  return formResult(values, new Errors(), () => ({
    reason: oneOf(values.reason, MAKE_REASONS) ?? 'meeting',
    meetingId: idValue(values.meetingId),
    locale: isLocale(values.lang) ? values.lang : pagesLocale,
  }));
}
