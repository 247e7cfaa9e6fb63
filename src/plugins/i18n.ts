/**
 * The reader's language: the "lang" cookie when it names one of the languages (src/i18n/locales.ts),
 * bokmål otherwise. In production a missing message or one that cannot be formatted is logged as a
 * warning (key and locale only) and the page shows a fallback; elsewhere it throws, so tests fail loudly.
 */
import fp from 'fastify-plugin';
import { DEFAULT_LOCALE, isLocale, onMessageProblem, translator } from '../i18n/index.js';

export const LANG_COOKIE = 'lang';

export default fp(
  async (app) => {
    if (app.config.isProduction) {
      const restore = onMessageProblem((problem) =>
        app.log.warn({ messageProblem: problem }, 'message catalogue problem'),
      );
      app.addHook('onClose', async () => restore());
    }
    app.decorateRequest('locale', DEFAULT_LOCALE);
    app.decorateRequest('t', translator(DEFAULT_LOCALE));
    app.addHook('onRequest', async (request) => {
      const wanted = request.cookies?.[LANG_COOKIE];
      const locale = isLocale(wanted) ? wanted : DEFAULT_LOCALE;
      request.locale = locale;
      request.t = translator(locale);
    });
  },
  { name: 'i18n', dependencies: ['session'] },
);
