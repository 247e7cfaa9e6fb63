import type { Translate } from '../../i18n/index.js';

export interface FieldError {
  text: string;
  href: string;
}

export interface LoginValues {
  email: string;
  password: string;
}

export function parseLogin(body: unknown, t: Translate): { values: LoginValues; errors: FieldError[] } {
  const raw = (body ?? {}) as Record<string, unknown>;
  const email = typeof raw.email === 'string' ? raw.email.trim().slice(0, 254) : '';
  const password = typeof raw.password === 'string' ? raw.password.slice(0, 1000) : '';
  const errors: FieldError[] = [];
  if (!email) errors.push({ text: t('login.error.email'), href: '#email' });
  if (!password) errors.push({ text: t('login.error.password'), href: '#password' });
  return { values: { email, password }, errors };
}
