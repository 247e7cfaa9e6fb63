/**
 * Signing in and out. The sign-in page offers the ways in that are configured, in plain words:
 * ID-porten, the municipality's login (for staff), and e-mail and password (unless LOCAL_PASSWORDS is
 * off). Signing out ends Stafett's session and, after a provider's sign-in, the provider's session too
 * (RP-initiated logout with id_token_hint and post_logout_redirect_uri). The services are built once,
 * here, and handed to the sub-routes: OpenID Connect, invitation and reset links, the person's own page.
 */
import type { FastifyInstance } from 'fastify';
import { endSession } from '../../plugins/session/index.js';
import { safeLocalPath } from '../../plugins/views.js';
import { setLanguageCookie } from '../../plugins/i18n.js';
import { isLocale } from '../../i18n/index.js';
import type { SignInProviderId } from '../../config.js';
import { mailerFor } from '../notifications/index.js';
import { parseLogin } from './form.js';
import { oidcClient, type OidcClient } from './oidc-client.js';
import { signInRecorder } from './sign-in.js';
import { declareAccountJobs } from './account-jobs.js';
import oidcRoutes from './oidc-routes.js';
import linkRoutes from './link-routes.js';
import accountRoutes from './account-routes.js';
import { queryStrings, type Schemas } from '../../lib/route-schemas.js';

export default async function authRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const service = app.services.auth;
  const clients = new Map<SignInProviderId, OidcClient>();
  if (app.config.idporten) clients.set('idporten', oidcClient(app.config.idporten));
  if (app.config.municipal) clients.set('municipal', oidcClient(app.config.municipal));
  const accounts = app.services.accounts;
  const invitations = app.services.invitations;
  const completeSignIn = signInRecorder(app);
  declareAccountJobs(app, invitations, mailerFor(app));
  if (clients.size) await app.register(oidcRoutes, { clients, accounts, invitations, completeSignIn });
  await app.register(linkRoutes, { invitations, completeSignIn });
  await app.register(accountRoutes, { accounts });

  const showDemo = app.config.env !== 'production';
  const passwords = app.config.localPasswords;
  const ways = {
    idporten: clients.has('idporten'),
    municipal: clients.has('municipal'),
    municipalName: app.config.municipal?.displayName || '',
    password: passwords,
    localIdp: Boolean(app.config.localIdp),
  };

  const loginPage = { schema: { querystring: queryStrings('expired', 'loggedOut') } };
  app.get('/login', loginPage, async (request, reply) => {
    if (request.user) return reply.redirect('/', 303);
    const query = request.query;
    return reply.page('auth/login', {
      values: { email: '' },
      errors: [],
      expired: query.expired === '1' || request.sessionExpired,
      formKept: Boolean(request.session.get('savedForm')),
      loggedOut: query.loggedOut === '1',
      showDemo,
      ways,
    });
  });

  if (passwords) {
    app.post('/login', async (request, reply) => {
      const { values, errors, input } = parseLogin(request.body, request.t);
      const render = (status: number, errorList: { text: string; href: string }[]) =>
        reply
          .code(status)
          .page('auth/login', { values: { email: values.email }, errors: errorList, showDemo, ways });
      if (!input) return render(422, errors);

      const result = await service.login(input.email, input.password, request.ip);
      if (!result.ok && result.reason === 'limited') {
        await app.audit(request, {
          action: 'login_failed',
          objectType: 'password.limited',
          outcome: 'denied',
          userId: null,
          role: 'anonymous',
        });
        reply.header('Retry-After', String(result.retryAfterSeconds));
        // Under a minute the wait is told in seconds, otherwise in whole minutes rounded up.
        const seconds = result.retryAfterSeconds;
        const wait =
          seconds < 60
            ? { unit: 'second', count: seconds }
            : { unit: 'minute', count: Math.ceil(seconds / 60) };
        return render(429, [{ text: request.t('login.error.rateLimited', wait), href: '#email' }]);
      }
      if (!result.ok) {
        await app.audit(request, {
          action: 'login_failed',
          objectType: 'password',
          outcome: 'denied',
          userId: null,
          role: 'anonymous',
        });
        return render(401, [{ text: request.t('login.error.invalid'), href: '#email' }]);
      }
      return reply.redirect(
        await completeSignIn(request, { userId: result.userId, method: 'password', level: null }),
        303,
      );
    });
  }

  app.post('/logout', async (request, reply) => {
    const provider = request.session.get('providerLogout');
    if (request.user) await app.audit(request, { action: 'logout', objectType: provider?.provider ?? '' });
    await endSession(app, request, 'logout');
    const client = provider ? clients.get(provider.provider) : undefined;
    const endpoint = client ? await client.endSessionEndpoint() : null;
    if (!provider || !endpoint) return reply.redirect('/login?loggedOut=1', 303);
    // The provider's own sign-out (RP-initiated logout): a link the browser follows (at once with
    // JavaScript), a top-level GET so the provider sees its own session; a form posted from here could
    // reach neither its session cookie nor, under this site's CSP (form-action 'self'), the provider.
    const url = new URL(endpoint);
    url.searchParams.set('id_token_hint', provider.idToken);
    url.searchParams.set('post_logout_redirect_uri', `${app.config.baseUrl}/logged-out`);
    url.searchParams.set('client_id', client!.settings.clientId);
    return reply.page('auth/provider-logout', {
      href: url.href,
      providerName:
        provider.provider === 'idporten'
          ? request.t('signin.idporten')
          : ways.municipalName || request.t('signin.municipal'),
    });
  });

  app.post('/language', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const lang = isLocale(body.lang) ? body.lang : app.config.defaultLocale;
    setLanguageCookie(reply, lang, app.config.secureCookies);
    // A signed-in person's choice is stored with the account: it follows them to other browsers and is
    // the language of everything sent to them.
    if (request.user && isLocale(body.lang)) await accounts.setLocale(request.user.id, lang);
    return reply.redirect(safeLocalPath(body.returnTo), 303);
  });
}
