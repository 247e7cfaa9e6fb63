/**
 * Note forms: the text (private and log notes), the concern of a log note, and the version when editing →
 * FormResult { values, errors, input }.
 */
import type { Translate } from '../../i18n/index.js';
import { asBody, checkText, Errors, formResult, str, type FormResult } from '../../lib/form.js';

export const NOTE_MAX = 10000;

export interface NoteValues {
  text: string;
  concernId: string;
  version: string;
  formToken: string;
}

export interface NoteInput {
  text: string;
  /** The log note's concern (null for a private note). */
  concernId: number | null;
}

export function parseNote(
  rawBody: unknown,
  t: Translate,
  options: { concernIds?: number[] } = {},
): FormResult<NoteValues, NoteInput> {
  const body = asBody(rawBody);
  const values: NoteValues = {
    text: str(body, 'text').trim(),
    concernId: str(body, 'concernId'),
    version: str(body, 'version'),
    formToken: str(body, 'formToken'),
  };
  const errors = new Errors();
  let concernId: number | null = null;
  if (options.concernIds) {
    concernId = /^\d{1,10}$/.test(values.concernId) ? Number(values.concernId) : null;
    if (values.concernId === '') errors.add('note-concernId', t('note.err.concern.required'));
    else if (concernId === null || !options.concernIds.includes(concernId))
      errors.add('note-concernId', t('note.err.concern'));
  }
  checkText(errors, 'note-text', values.text, {
    required: true,
    max: NOTE_MAX,
    message: (problem, max) =>
      problem === 'required'
        ? t('note.err.required')
        : problem === 'tooLong'
          ? t('note.err.tooLong', { max, count: values.text.length })
          : t('note.err.control'),
  });
  return formResult(values, errors, () => ({ text: values.text, concernId }));
}
