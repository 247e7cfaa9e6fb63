/**
 * The reader's language: for a signed-in person who chose one, the language stored with their account
 * (so it follows them to any browser); otherwise the "lang" cookie when it names one of the languages
 * (src/i18n/locales.ts), the language switch's choice before sign-in; otherwise the installation's default
 * (config.defaultLocale: bokmål in Norway, Danish in Denmark). The switch used while signed in stores the
 * choice with the account (POST /language), as the person's own page does. Messages that name the identity
 * number use the country's word for it (lib/national-id.ts), on pages and in everything written without a
 * request (e-mails, prints): `app.translator(locale)` gives that translator. In production a missing message or one that
 * cannot be formatted is logged as a warning (key and locale only) and the page shows a fallback; elsewhere
 * it throws, so tests fail loudly.
 */
import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import { isLocale, onMessageProblem, translator, type Locale, type Translate } from '../i18n/index.js';
import { identityNumbers } from '../lib/national-id.js';

export const LANG_COOKIE = 'lang';

declare module 'fastify' {
  interface FastifyInstance {
    /** The messages of a language, with the country's wording (the identity number's name). */
    translator(locale: Locale): Translate;
  }
}

/** Remembers a language in this browser (the switch before sign-in; kept after sign-out too). */
export function setLanguageCookie(reply: FastifyReply, locale: Locale, secure: boolean): void {
  reply.setCookie(LANG_COOKIE, locale, {
    path: '/',
    maxAge: 365 * 24 * 3600,
    sameSite: 'lax',
    httpOnly: true,
    secure,
  });
}

export default fp(
  async (app) => {
    if (app.config.isProduction) {
      const restore = onMessageProblem((problem) =>
        app.log.warn({ messageProblem: problem }, 'message catalogue problem'),
      );
      app.addHook('onClose', async () => restore());
    }
    const fallback = app.config.defaultLocale;
    const wording = identityNumbers(app.config.country).messages;
    app.decorate('translator', (locale: Locale) => translator(locale, wording));
    app.decorateRequest('locale', fallback);
    app.decorateRequest('t', translator(fallback, wording));
    app.addHook('onRequest', async (request) => {
      const chosen = request.user?.locale;
      const wanted = request.cookies?.[LANG_COOKIE];
      const locale = isLocale(chosen) ? chosen : isLocale(wanted) ? wanted : fallback;
      request.locale = locale;
      request.t = translator(locale, wording);
    });
  },
  { name: 'i18n', dependencies: ['session'] },
);
