/**
 * Forms for local passwords: choosing a new one (from an invitation or a reset link) and asking for a
 * reset link. Length rules as NIST SP 800-63B advises: at least PASSWORD_MIN characters, long ones
 * welcome (up to PASSWORD_MAX), any characters, no rules about kinds of characters; not the person's own
 * e-mail address; typed twice. Passwords are never sent back to the page.
 */
import type { Translate } from '../../i18n/index.js';
import { asBody, Errors, formResult, isEmailAddress, str, type FormResult } from '../../lib/form.js';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** Reads a password field as sent: not trimmed, not line-normalised. */
function rawPassword(body: Record<string, unknown>, name: string): string {
  const raw = body[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value : '';
}

export function parseNewPassword(
  body: unknown,
  t: Translate,
  context: { email: string | null },
): FormResult<Record<string, never>, { password: string }> {
  const b = asBody(body);
  const password = rawPassword(b, 'password');
  const repeat = rawPassword(b, 'passwordRepeat');
  const errors = new Errors();
  if (!password) errors.add('password', t('password.err.required'));
  else if ([...password].length < PASSWORD_MIN)
    errors.add('password', t('password.err.short', { min: PASSWORD_MIN }));
  else if ([...password].length > PASSWORD_MAX)
    errors.add('password', t('password.err.long', { max: PASSWORD_MAX }));
  else if (context.email && password.trim().toLowerCase() === context.email.toLowerCase())
    errors.add('password', t('password.err.email'));
  if (password && !errors.list.length && repeat !== password)
    errors.add('passwordRepeat', t('password.err.repeat'));
  return formResult({}, errors, () => ({ password }));
}

export function parseResetRequest(
  body: unknown,
  t: Translate,
): FormResult<{ email: string }, { email: string }> {
  const email = str(asBody(body), 'email').trim();
  const errors = new Errors();
  if (!email) errors.add('email', t('login.error.email'));
  else if (!isEmailAddress(email)) errors.add('email', t('password.err.emailFormat'));
  return formResult({ email }, errors, () => ({ email }));
}
