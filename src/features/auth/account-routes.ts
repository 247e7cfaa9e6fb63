/**
 * The person's own page ("Min konto"): who they are here (name, e-mail, the masked identity number),
 * the ways they can sign in, their language (a plain form: radios and a button, stored with the
 * account and used for the pages and for everything sent to them), and their last sign-ins (time, way
 * in, level), so someone else's use of the account can be noticed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDateTime } from '../../lib/oslo-time.js';
import { asBody, str } from '../../lib/form.js';
import { LANGUAGES, isLocale, type Locale } from '../../i18n/index.js';
import { setLanguageCookie } from '../../plugins/i18n.js';
import type { AccountService } from './account-service.js';

export const SIGN_INS_SHOWN = 10;

export default async function accountRoutes(app: FastifyInstance, deps: { accounts: AccountService }) {
  const { accounts } = deps;
  const guard = { preHandler: app.requireUser };

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    language: { value: string; error?: string; saved?: boolean },
  ) {
    const user = request.user!;
    const [account, signIns] = await Promise.all([
      accounts.byId(user.id),
      accounts.lastSignIns(user.id, SIGN_INS_SHOWN),
    ]);
    return reply.page('auth/account', {
      account: {
        name: account?.name ?? user.name,
        email: account?.email ?? '',
        nationalIdMasked: account?.national_id_masked ?? '',
      },
      language,
      languages: LANGUAGES.map((l) => ({ value: l.code, text: l.label, lang: l.code })),
      errors: language.error ? [{ text: language.error, href: '#lang' }] : [],
      signIns,
      formatDateTime: (d: Date) => formatDateTime(d, request.locale),
      ways: {
        idporten: Boolean(app.config.idporten),
        municipal: Boolean(app.config.municipal) && user.kind === 'staff',
        municipalName: app.config.municipal?.displayName || '',
        password: app.config.localPasswords && Boolean(account?.password_hash),
      },
    });
  }

  // The radios show the stored choice, or the language the pages are in when none is stored.
  app.get('/account', guard, async (request, reply) => {
    const saved = str(asBody(request.query), 'saved') === 'language';
    return render(request, reply, { value: request.locale, saved });
  });

  app.post('/account/language', guard, async (request, reply) => {
    const wanted = str(asBody(request.body), 'lang');
    if (!isLocale(wanted))
      return render(request, reply.code(422), {
        value: '',
        error: request.t('account.language.error'),
      });
    const lang: Locale = wanted;
    await accounts.setLocale(request.user!.id, lang);
    setLanguageCookie(reply, lang, app.config.secureCookies);
    return reply.redirect('/account?saved=language#language-title', 303);
  });
}
