/**
 * The notice preferences form: which kinds of e-mail notice a person wants (checkboxes) →
 * FormResult { values, errors, input }. Unticked boxes are not posted, so only the whole form (with its
 * `prefs_form` marker) may turn notices off; anything else is refused as incomplete.
 */
import type { Translate } from '../../i18n/index.js';
import { asBody, Errors, formResult, postedWhole, strings, type FormResult } from '../../lib/form.js';

export const PREFERENCES_FORM = 'prefs_form';

export function parsePreferences(
  body: unknown,
  t: Translate,
): FormResult<{ enabled: string[] }, { enabled: string[] }> {
  const b = asBody(body);
  const enabled = strings(b, 'enabled');
  const errors = new Errors();
  if (!postedWhole(b, PREFERENCES_FORM)) errors.add('enabled', t('error.incompleteForm'));
  return formResult({ enabled }, errors, () => ({ enabled }));
}
