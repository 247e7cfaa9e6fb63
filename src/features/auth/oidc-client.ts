/**
 * OpenID Connect with openid-client: issuer discovery (read on first use, tried again after a failure),
 * the authorization request (code flow, PKCE S256, state, nonce; ID-porten's acr_values), and the code
 * exchange with every check on the ID token: signature (non-repudiation checks against the provider's
 * keys), issuer, audience, expiry, nonce, and the level of assurance. What goes wrong becomes one short
 * reason, for a clear page and the audit trail; nothing of the token is logged.
 */
import * as client from 'openid-client';
import { IDPORTEN_LEVELS, type OidcSettings, type SignInProviderId } from '../../config.js';

export type SignInFailure =
  | 'unreachable' // the provider did not answer
  | 'state' // no sign-in in progress here, or another one
  | 'expired' // the sign-in took too long
  | 'cancelled' // the person stopped at the provider
  | 'code' // the code was used already or ran out
  | 'issuer'
  | 'audience'
  | 'signature'
  | 'nonce'
  | 'token_expired'
  | 'level' // below the level required
  | 'no_identity' // the token names nobody we can match
  | 'no_match' // nobody here has that identity
  | 'invitation' // the invitation was used, withdrawn or ran out meanwhile
  | 'invitation_other' // the invitation belongs to someone else
  | 'invalid_response';

export class SignInFailed extends Error {
  constructor(readonly reason: SignInFailure) {
    super(`sign-in failed: ${reason}`);
    this.name = 'SignInFailed';
  }
}

/** A sign-in on its way through the provider, kept in the (encrypted) session cookie until the callback. */
export interface PendingSignIn {
  provider: SignInProviderId;
  state: string;
  nonce: string;
  verifier: string;
  /** When it started (ms, the app's clock). */
  at: number;
}

/** What a verified ID token tells us. */
export interface VerifiedIdentity {
  provider: SignInProviderId;
  /** ID-porten: the identity number (pid); the municipality's login: the configured claim's value. */
  subject: string;
  level: string | null;
  idToken: string;
}

/** How long a sign-in may take at the provider. */
export const PENDING_MAX_MS = 10 * 60_000;

const LEVEL_RANK = new Map<string, number>(IDPORTEN_LEVELS.map((level, i) => [level, i]));

/** Whether an ID-porten level is at least the minimum. Unknown levels are below every known one. */
export function meetsLevel(level: unknown, minimum: string): boolean {
  const have = typeof level === 'string' ? (LEVEL_RANK.get(level) ?? -1) : -1;
  return have >= (LEVEL_RANK.get(minimum) ?? Infinity);
}

/** The reason an openid-client call failed, from its error. */
export function failureOf(error: unknown): SignInFailure {
  if (error instanceof SignInFailed) return error.reason;
  if (error instanceof client.AuthorizationResponseError)
    return error.error === 'access_denied' ? 'cancelled' : 'invalid_response';
  if (error instanceof client.ResponseBodyError)
    return error.error === 'invalid_grant' ? 'code' : 'invalid_response';
  if (error instanceof client.ClientError) {
    const cause = error.cause as { message?: string; cause?: { claim?: string } } | undefined;
    switch (error.code) {
      case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED': {
        const claim = cause?.cause?.claim;
        if (claim === 'iss') return 'issuer';
        if (claim === 'aud' || claim === 'azp') return 'audience';
        if (claim === 'nonce') return 'nonce';
        return 'invalid_response';
      }
      case 'OAUTH_KEY_SELECTION_FAILED':
        return 'signature';
      case 'OAUTH_INVALID_RESPONSE':
        return /signature/i.test(cause?.message ?? '') ? 'signature' : 'invalid_response';
      case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
        return 'token_expired';
      case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
      case 'OAUTH_RESPONSE_IS_NOT_JSON':
        return 'unreachable';
      default:
        return 'invalid_response';
    }
  }
  const e = error as { name?: string; message?: string } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'unreachable';
  if (error instanceof TypeError && /fetch failed|network/i.test(e?.message ?? '')) return 'unreachable';
  return 'invalid_response';
}

export interface OidcClient {
  readonly settings: OidcSettings;
  /** The provider's address for this sign-in, and what to keep until it comes back. */
  begin(redirectUri: string, locale: string, now: Date): Promise<{ url: URL; pending: PendingSignIn }>;
  /** Exchanges the code and checks the ID token; throws SignInFailed. */
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<VerifiedIdentity>;
  /** Where to send the browser to end the provider's session, if the provider has such an endpoint. */
  endSessionEndpoint(): Promise<string | null>;
}

export function oidcClient(settings: OidcSettings): OidcClient {
  let discovered: Promise<client.Configuration> | null = null;

  const configuration = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        { id_token_signed_response_alg: 'RS256' },
        settings.clientAuth === 'client_secret_post'
          ? client.ClientSecretPost(settings.clientSecret)
          : client.ClientSecretBasic(settings.clientSecret),
        {
          timeout: 10,
          // Plain http only for a local provider (config.ts refuses it in production).
          execute: [
            ...(settings.issuer.startsWith('http:') ? [client.allowInsecureRequests] : []),
            client.enableNonRepudiationChecks,
          ],
        },
      )
      .catch((error: unknown) => {
        discovered = null; // tried again on the next sign-in
        throw error;
      });
    return discovered;
  };

  return {
    settings,

    async begin(redirectUri, locale, now) {
      let config: client.Configuration;
      try {
        config = await configuration();
      } catch {
        throw new SignInFailed('unreachable');
      }
      const verifier = client.randomPKCECodeVerifier();
      const pending: PendingSignIn = {
        provider: settings.id,
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier,
        at: now.getTime(),
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: settings.scope,
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
        ui_locales: locale,
        ...(settings.minLevel ? { acr_values: settings.minLevel } : {}),
      });
      return { url, pending };
    },

    async finish(callbackUrl, pending) {
      let config: client.Configuration;
      try {
        config = await configuration();
      } catch {
        throw new SignInFailed('unreachable');
      }
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw new SignInFailed(failureOf(error));
      }
      const claims = tokens.claims();
      const idToken = tokens.id_token;
      if (!claims || !idToken) throw new SignInFailed('invalid_response');
      const level = typeof claims.acr === 'string' ? claims.acr : null;
      if (settings.minLevel && !meetsLevel(claims.acr, settings.minLevel)) throw new SignInFailed('level');
      const value = claims[settings.matchClaim];
      if (typeof value !== 'string' || !value.trim() || value.length > 254)
        throw new SignInFailed('no_identity');
      return { provider: settings.id, subject: value.trim(), level, idToken };
    },

    async endSessionEndpoint() {
      try {
        return (await configuration()).serverMetadata().end_session_endpoint ?? null;
      } catch {
        return null;
      }
    },
  };
}
