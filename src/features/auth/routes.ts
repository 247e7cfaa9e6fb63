import type { FastifyInstance } from 'fastify';
import { endSession, startSession } from '../../plugins/session.js';
import { hasPendingForms } from '../../plugins/saved-forms.js';
import { safeLocalPath } from '../../plugins/views.js';
import { LANG_COOKIE } from '../../plugins/i18n.js';
import { DEFAULT_LOCALE, isLocale } from '../../i18n/index.js';
import { parseLogin } from './form.js';
import { authService } from './service.js';

export default async function authRoutes(app: FastifyInstance) {
  const service = authService(
    app.db,
    { maxFailures: app.config.loginMaxFailures, longestWaitMinutes: app.config.loginWindowMinutes },
    () => app.now(),
  );
  const showDemo = app.config.env !== 'production';

  app.get('/login', async (request, reply) => {
    if (request.user) return reply.redirect('/', 303);
    const query = request.query as Record<string, string | undefined>;
    return reply.page('auth/login', {
      values: { email: '' },
      errors: [],
      expired: query.expired === '1' || request.sessionExpired,
      formKept: Boolean(request.session.get('savedForm')),
      loggedOut: query.loggedOut === '1',
      showDemo,
    });
  });

  app.post('/login', async (request, reply) => {
    const { values, errors } = parseLogin(request.body, request.t);
    const render = (status: number, errorList: { text: string; href: string }[]) =>
      reply.code(status).page('auth/login', { values: { email: values.email }, errors: errorList, showDemo });
    if (errors.length) return render(422, errors);

    const result = await service.login(values.email, values.password, request.ip);
    if (!result.ok && result.reason === 'limited') {
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
        outcome: 'denied',
        userId: null,
        role: 'anonymous',
      });
      return render(401, [{ text: request.t('login.error.invalid'), href: '#email' }]);
    }
    const next = safeLocalPath(request.session.get('next'));
    await startSession(app, request, result.userId);
    await app.audit(request, { action: 'login', userId: result.userId, role: '', unitId: null });
    // A form this person posted after their session had expired comes back first, filled in.
    if (await hasPendingForms(app, result.userId)) return reply.redirect('/form-restore', 303);
    return reply.redirect(next, 303);
  });

  app.post('/logout', async (request, reply) => {
    if (request.user) await app.audit(request, { action: 'logout' });
    await endSession(app, request, 'logout');
    return reply.redirect('/login?loggedOut=1', 303);
  });

  app.post('/language', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const lang = isLocale(body.lang) ? body.lang : DEFAULT_LOCALE;
    reply.setCookie(LANG_COOKIE, lang, {
      path: '/',
      maxAge: 365 * 24 * 3600,
      sameSite: 'lax',
      httpOnly: true,
      secure: app.config.secureCookies,
    });
    return reply.redirect(safeLocalPath(body.returnTo), 303);
  });
}
