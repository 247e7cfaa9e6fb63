/**
 * The error message for one field, for templates (every template has it as `it.fieldError`): a form's
 * errors are a list of { text, href: '#field-id' } (see form.ts), and a field shows the text of the
 * error that links to it.
 */
import type { FieldError } from './form.js';

/** The text of the error whose href is '#' + id (id may start with '#'), or undefined. */
export function fieldError(errors: readonly FieldError[] | null | undefined, id: string): string | undefined {
  if (!errors) return undefined;
  const href = id.startsWith('#') ? id : '#' + id;
  return errors.find((e) => e.href === href)?.text;
}
