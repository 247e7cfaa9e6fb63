/**
 * The text of each notice. It says only that something happened and where to sign in: never the
 * child's name, identity number, or anything from the plan (QUALITY.md, rule 14). Written in the
 * recipient's language (features/languages), with the country's wording: `t` is app.translator(locale).
 */
import type { Translate } from '../../i18n/index.js';
import type { NoticeKind } from './kinds.js';

export interface NoticeText {
  subject: string;
  text: string;
}

export function composeNotice(
  kind: NoticeKind,
  logId: number | null,
  baseUrl: string,
  t: Translate,
): NoticeText {
  // A transfer's receiver cannot open the log before accepting: send them to "Mine logger", where it waits.
  const link =
    kind === 'weekly_glimmer' || !logId
      ? `${baseUrl}/glimmers`
      : kind === 'transfer'
        ? `${baseUrl}/logs`
        : `${baseUrl}/logs/${logId}`;
  const text = [
    t('mail.greeting'),
    '',
    t(`mail.${kind}.body`),
    '',
    t('mail.signIn'),
    link,
    '',
    t('mail.privacy'),
    t('mail.preferences', { url: `${baseUrl}/notifications` }),
    '',
    t('mail.signature'),
  ].join('\n');
  return { subject: t(`mail.${kind}.subject`), text };
}
