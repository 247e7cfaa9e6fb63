/**
 * The pages behind single-use links. An invitation: the person signs in through ID-porten (or, staff,
 * the municipality's login), which binds that identity to the account — or, where local passwords are
 * on, chooses a password. "Glemt passord": the same answer for every address; the reset link lets the
 * person choose a new password. A link's secret only passes through the address once: it is swapped
 * for the link's id in the encrypted session and the browser is sent on to a clean address. A used,
 * withdrawn or expired link gets a page that says so (and an audit row).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenKind } from './token-repository.js';
import type { InvitationService, LinkProblem, OpenLink } from './invitation-service.js';
import type { CompleteSignIn } from './sign-in.js';
import { parseNewPassword, parseResetRequest, PASSWORD_MIN } from './password-form.js';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** A password-reset link being used (its id). */
    passwordReset: number;
  }
}

export interface LinkDeps {
  invitations: InvitationService;
  completeSignIn: CompleteSignIn;
}

export default async function linkRoutes(app: FastifyInstance, deps: LinkDeps) {
  const { invitations, completeSignIn } = deps;
  const passwords = app.config.localPasswords;

  const refused = async (
    request: FastifyRequest,
    reply: FastifyReply,
    kind: TokenKind,
    problem: LinkProblem,
  ) => {
    await app.audit(request, {
      action: kind === 'invitation' ? 'invitation_refused' : 'password_reset_refused',
      objectType: problem,
      role: request.user ? undefined : 'anonymous',
    });
    return reply
      .code(problem === 'unknown' ? 404 : 410)
      .page('auth/link-refused', { kind, problem, passwords });
  };

  const ways = (link: OpenLink) => ({
    idporten: Boolean(app.config.idporten),
    municipal: Boolean(app.config.municipal) && link.account.kind === 'staff',
    municipalName: app.config.municipal?.displayName || '',
    password: passwords,
  });

  /** The link in the address: kept in the session by its id, then the same page without the secret. */
  const takeFromAddress = async (
    request: FastifyRequest,
    reply: FastifyReply,
    kind: TokenKind,
    path: string,
  ): Promise<FastifyReply | string | null> => {
    const token = (request.query as Record<string, unknown>).token;
    if (token === undefined) return null;
    const link = await invitations.open(token, kind);
    if ('problem' in link) return refused(request, reply, kind, link.problem);
    request.session.set(kind === 'invitation' ? 'invitation' : 'passwordReset', link.token.id);
    return reply.redirect(path, 303);
  };

  const invitationPage = (reply: FastifyReply, link: OpenLink, errors: { text: string; href: string }[]) =>
    reply.page('auth/invitation', { account: link.account, ways: ways(link), errors, min: PASSWORD_MIN });

  app.get('/invitation', async (request, reply) => {
    const taken = await takeFromAddress(request, reply, 'invitation', '/invitation');
    if (taken) return taken;
    const link = await invitations.openById(request.session.get('invitation'), 'invitation');
    if ('problem' in link) return refused(request, reply, 'invitation', link.problem);
    return invitationPage(reply, link, []);
  });

  if (passwords) {
    app.post('/invitation', async (request, reply) => {
      const link = await invitations.openById(request.session.get('invitation'), 'invitation');
      if ('problem' in link) return refused(request, reply, 'invitation', link.problem);
      const { errors, input } = parseNewPassword(request.body, request.t, { email: link.account.email });
      if (!input) return invitationPage(reply.code(422), link, errors);
      const userId = await invitations.setPassword(link, input.password);
      if (userId === null) return refused(request, reply, 'invitation', 'used');
      await app.audit(request, {
        action: 'invitation.accept',
        objectType: 'user',
        objectId: userId,
        userId,
        role: '',
        unitId: null,
      });
      await app.audit(request, {
        action: 'password.set',
        objectType: 'user',
        objectId: userId,
        userId,
        role: '',
        unitId: null,
      });
      return reply.redirect(await completeSignIn(request, { userId, method: 'password', level: null }), 303);
    });

    app.get('/password/forgot', async (_request, reply) =>
      reply.page('auth/forgot', { values: { email: '' }, errors: [], sent: false }),
    );

    app.post('/password/forgot', async (request, reply) => {
      const { values, errors, input } = parseResetRequest(request.body, request.t);
      if (!input) return reply.code(422).page('auth/forgot', { values, errors, sent: false });
      // The same work and the same answer whether or not the address belongs to anyone.
      await invitations.requestReset(input.email, request.locale);
      await app.audit(request, {
        action: 'password_reset.request',
        role: request.user ? undefined : 'anonymous',
      });
      return reply.page('auth/forgot', { values: { email: '' }, errors: [], sent: true });
    });

    const resetPage = (reply: FastifyReply, errors: { text: string; href: string }[]) =>
      reply.page('auth/reset', { errors, min: PASSWORD_MIN });

    app.get('/password/reset', async (request, reply) => {
      const taken = await takeFromAddress(request, reply, 'password_reset', '/password/reset');
      if (taken) return taken;
      const link = await invitations.openById(request.session.get('passwordReset'), 'password_reset');
      if ('problem' in link) return refused(request, reply, 'password_reset', link.problem);
      return resetPage(reply, []);
    });

    app.post('/password/reset', async (request, reply) => {
      const link = await invitations.openById(request.session.get('passwordReset'), 'password_reset');
      if ('problem' in link) return refused(request, reply, 'password_reset', link.problem);
      const { errors, input } = parseNewPassword(request.body, request.t, { email: link.account.email });
      if (!input) return resetPage(reply.code(422), errors);
      const userId = await invitations.setPassword(link, input.password);
      if (userId === null) return refused(request, reply, 'password_reset', 'used');
      await app.audit(request, {
        action: 'password.reset',
        objectType: 'user',
        objectId: userId,
        userId,
        role: '',
        unitId: null,
      });
      return reply.redirect(await completeSignIn(request, { userId, method: 'password', level: null }), 303);
    });
  }
}
