import type { Translate } from '../../i18n/index.js';
import { asBody, isEmailAddress, str } from '../../lib/form.js';

export interface FieldError {
  text: string;
  href: string;
}

export interface LoginValues {
  email: string;
  password: string;
}

export function parseLogin(body: unknown, t: Translate): { values: LoginValues; errors: FieldError[] } {
  const raw = asBody(body);
  // Shown again as typed; an address no account can have is simply wrong, like a wrong password.
  const email = str(raw, 'email').trim();
  const password = typeof raw.password === 'string' ? raw.password.slice(0, 1000) : '';
  const errors: FieldError[] = [];
  if (!email) errors.push({ text: t('login.error.email'), href: '#email' });
  else if (!isEmailAddress(email)) errors.push({ text: t('login.error.invalid'), href: '#email' });
  if (!password) errors.push({ text: t('login.error.password'), href: '#password' });
  return { values: { email, password }, errors };
}
