/**
 * The text of the account e-mails, in the person's language: an invitation (with a single-use link
 * that expires) and a password-reset link. Never anything about a child, and never an identity number.
 * `t` is the person's language with the country's wording (app.translator).
 */
import type { Locale, Translate } from '../../i18n/index.js';
import { formatDate, osloDate } from '../../lib/dates.js';
import type { TokenKind } from './token-repository.js';

export interface AccountMail {
  subject: string;
  text: string;
}

export function composeAccountMail(
  input: {
    kind: TokenKind;
    locale: Locale;
    name: string;
    link: string;
    expiresAt: Date;
    /** ID-porten is a way in (said in the invitation). */
    idporten: boolean;
    /** Passwords can be chosen (said in the invitation). */
    passwords: boolean;
    minutes: number;
  },
  t: Translate,
): AccountMail {
  const { locale } = input;
  if (input.kind === 'password_reset') {
    return {
      subject: t('mail.reset.subject'),
      text: [
        t('mail.hello', { name: input.name }),
        '',
        t('mail.reset.body'),
        input.link,
        '',
        t('mail.reset.expires', { minutes: input.minutes }),
        t('mail.reset.notYou'),
        '',
        t('mail.signature'),
      ].join('\n'),
    };
  }
  const ways = [
    input.idporten ? t('mail.invitation.idporten') : '',
    input.passwords ? t('mail.invitation.password') : '',
  ].filter(Boolean);
  return {
    subject: t('mail.invitation.subject'),
    text: [
      t('mail.hello', { name: input.name }),
      '',
      t('mail.invitation.body'),
      '',
      t('mail.invitation.link'),
      input.link,
      '',
      ...ways,
      t('mail.invitation.expires', { date: formatDate(osloDate(input.expiresAt), locale) }),
      t('mail.invitation.notYou'),
      '',
      t('mail.signature'),
    ].join('\n'),
  };
}
