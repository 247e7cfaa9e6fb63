/**
 * The reader's language: the "lang" cookie when it names one of the languages (src/i18n/locales.ts),
 * otherwise the installation's default (config.defaultLocale: bokmål in Norway, Danish in Denmark).
 * Messages that name the identity number use the country's word for it (lib/national-id.ts). In
 * production a missing message or one that cannot be formatted is logged as a warning (key and locale
 * only) and the page shows a fallback; elsewhere it throws, so tests fail loudly.
 */
import fp from 'fastify-plugin';
import { isLocale, onMessageProblem, translator } from '../i18n/index.js';
import { identityNumbers } from '../lib/national-id.js';

export const LANG_COOKIE = 'lang';

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
    app.decorateRequest('locale', fallback);
    app.decorateRequest('t', translator(fallback, wording));
    app.addHook('onRequest', async (request) => {
      const wanted = request.cookies?.[LANG_COOKIE];
      const locale = isLocale(wanted) ? wanted : fallback;
      request.locale = locale;
      request.t = translator(locale, wording);
    });
  },
  { name: 'i18n', dependencies: ['session'] },
);
