/** Note forms: the text (private and log notes), the concern of a log note, and the version when editing. */
import type { Translate } from '../../i18n/index.js';
import { asBody, Errors, str, textProblem } from '../../lib/form.js';

export const NOTE_MAX = 10000;

export interface NoteValues {
  text: string;
  concernId: string;
  version: string;
  formToken: string;
}

export function parseNote(
  rawBody: unknown,
  t: Translate,
  options: { concernIds?: number[] } = {},
): { values: NoteValues; text: string | null; concernId: number | null; errors: Errors } {
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
  const problem = textProblem(values.text, { required: true, max: NOTE_MAX });
  if (problem === 'required') errors.add('note-text', t('note.err.required'));
  else if (problem === 'tooLong')
    errors.add('note-text', t('note.err.tooLong', { max: NOTE_MAX, count: values.text.length }));
  else if (problem === 'control') errors.add('note-text', t('note.err.control'));
  return { values, text: problem ? null : values.text, concernId, errors };
}
