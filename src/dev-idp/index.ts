/**
 * The local identity provider: a real OpenID Connect provider (oidc-provider) on localhost that behaves
 * like ID-porten's test environment. Its sign-in page lets you pick one of the test people (every demo
 * person, with their synthetic identity number) or type a synthetic number, and choose the level of
 * assurance; it issues `pid` and `acr` in the ID token, requires PKCE (S256), and ends its session on
 * RP-initiated logout (id_token_hint, post_logout_redirect_uri). The same provider also stands in for
 * the municipality's login: a second client registration, whose page asks for the person's e-mail
 * address and which gets the `email` claim instead of `pid`.
 *
 * `npm start` starts it in development when no provider is configured (server.ts); the tests start it
 * in-process on a free port. oidc-provider is a development dependency: production never loads this (server.ts imports it only in
 * development).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';
import { memoryAdapterFactory } from './memory-adapter.js';
import { IDPORTEN_LEVELS } from '../config.js';
import { accountIdOf, pickPerson, type Signed, type TestPerson } from './people.js';
import type { Country } from '../domain/country.js';
import { idpPage, readForm, serveStylesheet } from './pages.js';

export type { TestPerson } from './people.js';

export interface LocalIdpClient {
  kind: 'idporten' | 'municipal';
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface LocalIdpOptions {
  /** 0 (default): a free port. */
  port?: number;
  host?: string;
  /** Default: http://host:port. A different one when the provider is reached through another address. */
  issuer?: string;
  clients: LocalIdpClient[];
  people: TestPerson[];
  /** The installation's country: which identity numbers can be typed (default Norway's synthetic ones). */
  country?: Country;
  /** The signing keys (private JWKs); by default one RSA key made at start. */
  jwks?: { keys: Record<string, unknown>[] };
  /** How long an authorization code may be exchanged (seconds; default 60, as ID-porten). */
  codeTtlSeconds?: number;
}

export interface LocalIdp {
  readonly issuer: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * oidc-provider, loaded on first use. It warns on import about any runtime but Node.js 22+; it was
 * checked on Node.js 20 (../shared STACK.md), so that one line is left out of the output.
 */
async function loadOidcProvider(): Promise<typeof import('oidc-provider')> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
    warn(...args);
  };
  try {
    return await import('oidc-provider');
  } finally {
    console.warn = warn;
  }
}

const LEVEL_RANK = new Map<string, number>(IDPORTEN_LEVELS.map((level, i) => [level, i]));

/** The signing key the provider uses when none is given: RS256, as ID-porten. */
export async function newSigningKeys(): Promise<{ keys: Record<string, unknown>[] }> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { keys: [{ ...jwk, use: 'sig', alg: 'RS256', kid: randomBytes(8).toString('hex') }] };
}

export async function startLocalIdp(options: LocalIdpOptions): Promise<LocalIdp> {
  const host = options.host ?? '127.0.0.1';
  const jwks = options.jwks ?? (await newSigningKeys());
  const signed = new Map<string, Signed>();
  const kindOf = (clientId: string | undefined) =>
    options.clients.find((c) => c.clientId === clientId)?.kind ?? 'idporten';

  let provider: Provider | null = null;
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      }
      res.end(`Lokal testinnlogging: ${error instanceof Error ? error.name : 'feil'}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = options.issuer ?? `http://${host}:${port}`;

  // Its own pages may send the browser on to the registered clients (and to itself).
  const formTargets = [
    "'self'",
    ...new Set(
      options.clients.flatMap((c) =>
        [...c.redirectUris, ...c.postLogoutRedirectUris].map((u) => new URL(u).origin),
      ),
    ),
  ].join(' ');
  const csp = `default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action ${formTargets}`;

  const oidcProvider = await loadOidcProvider();
  const { Check, base } = oidcProvider.interactionPolicy;
  const policy = base();
  // Like ID-porten: a higher level than the earlier session's, or a person this client cannot be told
  // about, means signing in again.
  policy.get('login')!.checks.add(
    new Check('level_too_low', 'a higher level of assurance was requested', (ctx: KoaContextWithOIDC) => {
      const requested = String(ctx.oidc.params?.acr_values ?? '')
        .split(' ')
        .filter(Boolean);
      // Only an earlier session is re-asked; a level just chosen on the page is what it is (and may be
      // below the one asked for, for the client to refuse).
      if (!requested.length || !ctx.oidc.session?.accountId || ctx.oidc.result?.login)
        return Check.NO_NEED_TO_PROMPT;
      const have = LEVEL_RANK.get(ctx.oidc.session.acr ?? '') ?? -1;
      const lowest = Math.min(...requested.map((l) => LEVEL_RANK.get(l) ?? 99));
      return have < lowest ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );
  policy.get('login')!.checks.add(
    new Check(
      'unknown_to_client',
      'the client needs what this person did not give',
      (ctx: KoaContextWithOIDC) => {
        const accountId = ctx.oidc.session?.accountId;
        if (!accountId) return Check.NO_NEED_TO_PROMPT;
        const person = signed.get(accountId);
        const kind = kindOf(ctx.oidc.client?.clientId);
        const missing = !person || (kind === 'idporten' ? !person.pid : !person.email);
        return missing ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
      },
    ),
  );

  const configuration: Configuration = {
    adapter: memoryAdapterFactory(),
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      client_name: c.kind === 'idporten' ? 'Stafett (ID-porten)' : 'Stafett (kommunens innlogging)',
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    pkce: { required: () => true },
    acrValues: [...IDPORTEN_LEVELS],
    claims: {
      openid: ['sub', 'pid'],
      profile: ['name'],
      email: ['email', 'email_verified'],
      acr: null,
      auth_time: null,
      sid: null,
    },
    scopes: ['openid', 'profile', 'email'],
    // ID-porten puts `pid` in the ID token itself.
    conformIdTokenClaims: false,
    async findAccount(ctx, sub) {
      const person = signed.get(sub);
      if (!person) return undefined;
      const kind = kindOf(ctx.oidc.client?.clientId);
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            ...(kind === 'idporten' && person.pid ? { pid: person.pid } : {}),
            ...(kind === 'municipal' && person.email ? { email: person.email, email_verified: true } : {}),
            ...(person.name ? { name: person.name } : {}),
          };
        },
      };
    },
    async loadExistingGrant(ctx) {
      const clientId = ctx.oidc.client!.clientId;
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(clientId);
      const found = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (found) return found;
      // First-party clients: no consent screen, as in ID-porten.
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      return grant;
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = idpPage('logout', { title: 'Logg ut', form });
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = idpPage('logged-out', { title: 'Logget ut' });
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = idpPage('error', { title: 'Noe gikk galt', error: String(out.error ?? '') });
    },
    cookies: {
      keys: [randomBytes(32).toString('hex')],
      names: {
        session: 'stafett_idp_session',
        interaction: 'stafett_idp_interaction',
        resume: 'stafett_idp_resume',
      },
    },
    jwks: jwks as Configuration['jwks'],
    ttl: {
      AuthorizationCode: options.codeTtlSeconds ?? 60,
      IdToken: 3600,
      AccessToken: 600,
      Interaction: 3600,
      Grant: 3600,
      // ID-porten's single sign-on lasts at most two hours.
      Session: 2 * 3600,
    },
  };

  provider = new oidcProvider.default(issuer, configuration);
  provider.use(async (ctx, next) => {
    await next();
    ctx.set('Content-Security-Policy', csp);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
  });
  const oidc = provider.callback();

  /** Its own pages: the sign-in page, cancelling, and the stylesheet; everything else is oidc-provider's. */
  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([A-Za-z0-9_-]{1,64})(\/login|\/abort)?$/.exec(url.pathname);
    if (url.pathname === '/assets/app.css') return serveStylesheet(res);
    if (!match || !provider) return void oidc(req, res);
    const send = (status: number, html: string) => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Security-Policy', csp);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.end(html);
    };
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return send(400, idpPage('error', { title: 'Noe gikk galt', error: 'invalid_request' }));
    }
    const kind = kindOf(String(details.params.client_id ?? ''));
    const requested = String(details.params.acr_values ?? '')
      .split(' ')
      .find((l) => LEVEL_RANK.has(l));
    const page = (status: number, values: Record<string, string>, errors: { text: string; href: string }[]) =>
      send(
        status,
        idpPage('login', {
          title: kind === 'idporten' ? 'ID-porten (lokal test)' : 'Kommunens innlogging (lokal test)',
          kind,
          uid: details.uid,
          people: options.people,
          danish: options.country === 'DK',
          values: { level: requested ?? 'idporten-loa-high', person: '', typed: '', ...values },
          errors,
        }),
      );

    if (match[2] === '/abort' && req.method === 'GET') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'End-User aborted interaction' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (!match[2] && req.method === 'GET') return page(200, {}, []);
    if (match[2] !== '/login' || req.method !== 'POST')
      return send(404, idpPage('error', { title: 'Fant ikke siden', error: 'not_found' }));

    const form = await readForm(req);
    const values = {
      person: form.get('person') ?? '',
      typed: form.get('typed') ?? '',
      level: form.get('level') ?? '',
    };
    const picked = pickPerson(options.people, kind, values.person, values.typed, options.country ?? 'NO');
    const errors: { text: string; href: string }[] = [];
    if ('problem' in picked) {
      const text = {
        none:
          kind === 'idporten'
            ? 'Velg en testperson eller skriv et fødselsnummer'
            : 'Velg en testperson eller skriv en e-postadresse',
        nationalId:
          options.country === 'DK'
            ? 'CPR-nummeret er ikke gyldig: 10 siffer som starter med en fødselsdato (DDMMÅÅ-XXXX)'
            : 'Fødselsnummeret er ikke gyldig: 11 siffer med riktige kontrollsifre',
        notSynthetic: 'Bare syntetiske testnumre kan brukes her (måned + 80)',
        email: 'Skriv en gyldig e-postadresse',
      }[picked.problem];
      errors.push({ text, href: picked.problem === 'none' ? '#person' : '#typed' });
    }
    if (kind === 'idporten' && !LEVEL_RANK.has(values.level))
      errors.push({ text: 'Velg sikkerhetsnivå', href: '#level' });
    if (errors.length || 'problem' in picked) return page(422, values, errors);
    const accountId = accountIdOf(picked.person);
    signed.set(accountId, { ...signed.get(accountId), ...picked.person });
    await provider.interactionFinished(
      req,
      res,
      {
        login: {
          accountId,
          ...(kind === 'idporten' ? { acr: values.level, amr: ['TestID'] } : { amr: ['pwd'] }),
        },
      },
      { mergeWithLastSubmission: false },
    );
  }

  return {
    issuer,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
