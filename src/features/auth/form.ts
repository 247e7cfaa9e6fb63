/**
 * The sign-in form (e-mail and password) → FormResult { values, errors, input }. Only the e-mail address
 * is handed back to the form; the password never is.
 */
import type { Translate } from '../../i18n/index.js';
import { asBody, Errors, formResult, isEmailAddress, str, type FormResult } from '../../lib/form.js';

export interface LoginInput {
  email: string;
  password: string;
}

export function parseLogin(body: unknown, t: Translate): FormResult<{ email: string }, LoginInput> {
  const raw = asBody(body);
  // Shown again as typed; an address no account can have is simply wrong, like a wrong password.
  const email = str(raw, 'email').trim();
  const password = typeof raw.password === 'string' ? raw.password.slice(0, 1000) : '';
  const errors = new Errors();
  if (!email) errors.add('email', t('login.error.email'));
  else if (!isEmailAddress(email)) errors.add('email', t('login.error.invalid'));
  if (!password) errors.add('password', t('login.error.password'));
  return formResult({ email }, errors, () => ({ email, password }));
}
