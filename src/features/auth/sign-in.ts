/**
 * The end of every successful sign-in, whichever way in: a new session, the sign-in recorded for the
 * person's own page (time, way in, level) and in the audit trail, the account marked as taken into use,
 * and where to go next (a form kept from an expired session first). A language chosen with the switch
 * before sign-in (the "lang" cookie) becomes the account's choice when the person has none yet, so what
 * is sent to them is written in it too. For a provider's sign-in the ID token is kept in the encrypted
 * session cookie, for ending the provider's session at sign-out.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { startSession } from '../../plugins/session/index.js';
import { hasPendingForms } from '../../plugins/saved-forms/index.js';
import { safeLocalPath } from '../../plugins/views.js';
import { LANG_COOKIE } from '../../plugins/i18n.js';
import { isLocale } from '../../i18n/index.js';
import type { SignInProviderId } from '../../config.js';

export type SignInMethod = 'password' | SignInProviderId;

declare module '@fastify/secure-session' {
  interface SessionData {
    /** The provider this session came from and its ID token: for RP-initiated logout. */
    providerLogout: { provider: SignInProviderId; idToken: string };
  }
}

export interface SignedIn {
  userId: number;
  method: SignInMethod;
  level: string | null;
  idToken?: string;
}

export function signInRecorder(app: FastifyInstance) {
  const accounts = app.services.accounts;

  /** Signs the person in; returns the address to go to. */
  return async function completeSignIn(request: FastifyRequest, signedIn: SignedIn): Promise<string> {
    const next = safeLocalPath(request.session.get('next'));
    await startSession(app, request, signedIn.userId);
    if (signedIn.idToken && signedIn.method !== 'password')
      request.session.set('providerLogout', { provider: signedIn.method, idToken: signedIn.idToken });
    const now = app.now();
    await accounts.recordSignIn(signedIn.userId, signedIn.method, signedIn.level, now);
    const chosen = request.cookies?.[LANG_COOKIE];
    if (isLocale(chosen)) await accounts.adoptLocale(signedIn.userId, chosen);
    await app.audit(request, {
      action: 'login',
      objectType: signedIn.method,
      userId: signedIn.userId,
      role: '',
      unitId: null,
    });
    // A form this person posted after their session had expired comes back first, filled in.
    if (await hasPendingForms(app, signedIn.userId)) return '/form-restore';
    return next;
  };
}

export type CompleteSignIn = ReturnType<typeof signInRecorder>;
