/**
 * Signing in through ID-porten and the municipality's login (OpenID Connect): starting at the provider,
 * the callback with every check, the choice when one person has several accounts, and the bad cases —
 * each answered with a clear page (never a 500) and an audit row: the provider unreachable, a sign-in
 * that is not this browser's or too old, a used or expired code, an ID token with the wrong issuer,
 * audience, signature or nonce or below the required level, a number that matches nobody, an invitation
 * that is spent or belongs to someone else. The identity number is never in an address or the log.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SignInProviderId } from '../../config.js';
import { asBody, str } from '../../lib/form.js';
import {
  SignInFailed,
  PENDING_MAX_MS,
  type OidcClient,
  type PendingSignIn,
  type SignInFailure,
  type VerifiedIdentity,
} from './oidc-client.js';
import type { AccountService } from './account-service.js';
import type { InvitationService } from './invitation-service.js';
import type { CompleteSignIn } from './sign-in.js';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** A sign-in on its way through a provider (state, nonce, PKCE verifier): used once, at the callback. */
    oidcPending: PendingSignIn;
    /** An invitation being accepted (its id): the next sign-in binds to that account. */
    invitation: number;
    /** Several accounts matched one identity: which, and how the person signed in. */
    accountChoice: {
      ids: number[];
      provider: SignInProviderId;
      level: string | null;
      idToken: string;
      at: number;
    };
  }
}

/** The choice between accounts waits this long. */
const CHOICE_MAX_MS = 5 * 60_000;

/** The answer's status for each reason: the provider away is 503, no access 403, the rest the request's fault. */
const STATUS: Partial<Record<SignInFailure, number>> = {
  unreachable: 503,
  no_match: 403,
  level: 403,
  invitation_other: 403,
};

export interface OidcDeps {
  clients: Map<SignInProviderId, OidcClient>;
  accounts: AccountService;
  invitations: InvitationService;
  completeSignIn: CompleteSignIn;
}

export default async function oidcRoutes(app: FastifyInstance, deps: OidcDeps) {
  const { clients, accounts, invitations, completeSignIn } = deps;
  const callbackPath = (id: SignInProviderId) => `/login/${id}/callback`;

  /** A refused sign-in: recorded, then the page that says what happened and how to go on. */
  const refuse = async (
    request: FastifyRequest,
    reply: FastifyReply,
    provider: SignInProviderId,
    reason: SignInFailure,
    userId: number | null = null,
  ) => {
    await app.audit(request, {
      action: 'login_failed',
      objectType: `${provider}.${reason}`,
      userId,
      role: 'anonymous',
      unitId: null,
    });
    return reply.code(STATUS[reason] ?? 400).page('auth/sign-in-failed', {
      reason,
      provider,
      providerName: providerName(request, provider),
    });
  };

  const providerName = (request: FastifyRequest, id: SignInProviderId) =>
    id === 'idporten'
      ? request.t('signin.idporten')
      : app.config.municipal?.displayName || request.t('signin.municipal');

  /** Uses the invitation in the session for this identity, in one transaction; the invited account's id. */
  const acceptInvitation = async (tokenId: number, identity: VerifiedIdentity) => {
    const link = await invitations.openById(tokenId, 'invitation');
    if ('problem' in link) throw new SignInFailed('invitation');
    const userId = link.account.id;
    return invitations.transaction(async (trx) => {
      await accounts.bind(trx, userId, identity);
      if (!(await invitations.use(trx, tokenId))) throw new SignInFailed('invitation');
      return userId;
    });
  };

  for (const [id, oidc] of clients) {
    const redirectUri = `${app.config.baseUrl}${callbackPath(id)}`;

    app.get(`/login/${id}`, async (request, reply) => {
      if (request.user && request.session.get('invitation') === undefined) return reply.redirect('/', 303);
      try {
        const { url, pending } = await oidc.begin(redirectUri, request.locale, app.now());
        request.session.set('oidcPending', pending);
        return reply.redirect(url.href, 303);
      } catch (error) {
        if (!(error instanceof SignInFailed)) throw error;
        return refuse(request, reply, id, error.reason);
      }
    });

    app.get(callbackPath(id), async (request, reply) => {
      const pending = request.session.get('oidcPending');
      request.session.set('oidcPending', undefined);
      const query = request.query as Record<string, unknown>;
      let identity;
      try {
        if (
          !pending ||
          pending.provider !== id ||
          typeof query.state !== 'string' ||
          query.state !== pending.state
        )
          throw new SignInFailed('state');
        if (app.now().getTime() - pending.at > PENDING_MAX_MS) throw new SignInFailed('expired');
        identity = await oidc.finish(new URL(request.url, app.config.baseUrl), pending);
      } catch (error) {
        if (!(error instanceof SignInFailed)) throw error;
        return refuse(request, reply, id, error.reason);
      }
      const signedIn = { method: id, level: identity.level, idToken: identity.idToken };

      const invitation = request.session.get('invitation');
      if (typeof invitation === 'number') {
        let userId: number;
        try {
          userId = await acceptInvitation(invitation, identity);
        } catch (error) {
          if (!(error instanceof SignInFailed)) throw error;
          return refuse(request, reply, id, error.reason);
        }
        await app.audit(request, {
          action: 'invitation.accept',
          objectType: 'user',
          objectId: userId,
          userId,
          role: '',
          unitId: null,
        });
        return reply.redirect(await completeSignIn(request, { userId, ...signedIn }), 303);
      }

      let matches;
      try {
        matches = await accounts.matches(identity);
      } catch (error) {
        if (!(error instanceof SignInFailed)) throw error;
        return refuse(request, reply, id, error.reason);
      }
      if (matches.candidates.length === 0)
        return refuse(request, reply, id, 'no_match', matches.disabled[0] ?? null);
      if (matches.candidates.length === 1)
        return reply.redirect(
          await completeSignIn(request, { userId: matches.candidates[0]!.userId, ...signedIn }),
          303,
        );
      request.session.set('accountChoice', {
        ids: matches.candidates.map((c) => c.userId),
        provider: id,
        level: identity.level,
        idToken: identity.idToken,
        at: app.now().getTime(),
      });
      return reply.redirect('/login/choose', 303);
    });
  }

  const pendingChoice = (request: FastifyRequest) => {
    const choice = request.session.get('accountChoice');
    if (!choice || app.now().getTime() - choice.at > CHOICE_MAX_MS) return null;
    return choice;
  };

  app.get('/login/choose', async (request, reply) => {
    const choice = pendingChoice(request);
    if (!choice) return reply.redirect('/login', 303);
    return reply.page('auth/choose', {
      candidates: await accounts.candidates(choice.ids),
      errors: [],
      chosen: '',
    });
  });

  app.post('/login/choose', async (request, reply) => {
    const choice = pendingChoice(request);
    if (!choice) return reply.redirect('/login', 303);
    const chosen = str(asBody(request.body), 'account');
    const candidates = await accounts.candidates(choice.ids);
    const picked = candidates.find((c) => String(c.userId) === chosen);
    if (!picked)
      return reply.code(422).page('auth/choose', {
        candidates,
        chosen,
        errors: [{ text: request.t('signin.choose.error'), href: `#account` }],
      });
    request.session.set('accountChoice', undefined);
    return reply.redirect(
      await completeSignIn(request, {
        userId: picked.userId,
        method: choice.provider,
        level: choice.level,
        idToken: choice.idToken,
      }),
      303,
    );
  });

  // Where the provider sends the browser after its own sign-out.
  app.get('/logged-out', async (_request, reply) => reply.redirect('/login?loggedOut=1', 303));
}
