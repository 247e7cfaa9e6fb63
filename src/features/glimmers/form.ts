/**
 * The glimmer form: a short text, optionally tied to one of the concerns the person sees →
 * FormResult { values, errors, input }.
 */
import type { Translate } from '../../i18n/index.js';
import { asBody, checkText, Errors, formResult, str, type FormResult } from '../../lib/form.js';

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
): FormResult<GlimmerValues, GlimmerParsed> {
  const body = asBody(rawBody);
  const values: GlimmerValues = {
    text: str(body, 'text').trim(),
    concernId: str(body, 'concernId'),
    formToken: str(body, 'formToken'),
  };
  const errors = new Errors();
  checkText(errors, `${prefix}-text`, values.text, {
    required: true,
    max: GLIMMER_MAX,
    message: (problem, max) =>
      problem === 'required'
        ? t('glimmer.err.required')
        : problem === 'tooLong'
          ? t('glimmer.err.tooLong', { max, count: values.text.length })
          : t('glimmer.err.control'),
  });
  let concernId: number | null = null;
  if (values.concernId !== '') {
    concernId = /^\d{1,10}$/.test(values.concernId) ? Number(values.concernId) : NaN;
    if (!concernIds.includes(concernId)) errors.add(`${prefix}-concernId`, t('glimmer.err.concern'));
  }
  return formResult(values, errors, () => ({ text: values.text, concernId }));
}
