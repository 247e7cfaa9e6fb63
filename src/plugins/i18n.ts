/** The reader's language: bokmål unless the "lang" cookie asks for English. */
import fp from 'fastify-plugin';
import { isLocale, translator, type Locale } from '../i18n/index.js';

const translators = { nb: translator('nb'), en: translator('en') };

export const LANG_COOKIE = 'lang';

export default fp(
  async (app) => {
    app.decorateRequest('locale', 'nb');
    app.decorateRequest('t', translators.nb);
    app.addHook('onRequest', async (request) => {
      const wanted = request.cookies?.[LANG_COOKIE];
      const locale: Locale = isLocale(wanted) ? wanted : 'nb';
      request.locale = locale;
      request.t = translators[locale];
    });
  },
  { name: 'i18n', dependencies: ['session'] },
);
