/** The glimmer form: a short text, optionally tied to one of the concerns the person sees. */
import type { Translate } from '../../i18n/index.js';
import { asBody, Errors, str, textProblem } from '../../lib/form.js';

export const GLIMMER_MAX = 1000;

export interface GlimmerValues {
  text: string;
  concernId: string;
  formToken: string;
}

export interface GlimmerParsed {
  text: string;
  concernId: number | null;
}

/** `concernIds`: the concerns this person may tie a glimmer to (those they see). */
export function parseGlimmer(
  rawBody: unknown,
  t: Translate,
  concernIds: number[],
  prefix = 'glimmer',
): { values: GlimmerValues; parsed: GlimmerParsed | null; errors: Errors } {
  const body = asBody(rawBody);
  const values: GlimmerValues = {
    text: str(body, 'text').trim(),
    concernId: str(body, 'concernId'),
    formToken: str(body, 'formToken'),
  };
  const errors = new Errors();
  const problem = textProblem(values.text, { required: true, max: GLIMMER_MAX });
  if (problem === 'required') errors.add(`${prefix}-text`, t('glimmer.err.required'));
  else if (problem === 'tooLong')
    errors.add(`${prefix}-text`, t('glimmer.err.tooLong', { max: GLIMMER_MAX, count: values.text.length }));
  else if (problem === 'control') errors.add(`${prefix}-text`, t('glimmer.err.control'));
  let concernId: number | null = null;
  if (values.concernId !== '') {
    concernId = /^\d{1,10}$/.test(values.concernId) ? Number(values.concernId) : NaN;
    if (!concernIds.includes(concernId)) errors.add(`${prefix}-concernId`, t('glimmer.err.concern'));
  }
  return { values, parsed: errors.empty ? { text: values.text, concernId } : null, errors };
}
