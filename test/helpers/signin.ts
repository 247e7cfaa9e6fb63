/**
 * Signing in through a real OpenID Connect provider in tests: the local identity provider
 * (src/dev-idp) started in-process on a free port, the app listening on another, configured for both
 * "ID-porten" and "the municipality's login" at that provider, and a small HTTP client that keeps
 * cookies and follows the redirects between them as a browser would.
 *
 *   const site = await signinApp(t);
 *   const client = new HttpClient();
 *   const landed = await idportenSignIn(client, site, { person: 'foresatt@stafett.example' });
 *
 * `tamper` puts a proxy in front of the provider that changes the ID token on its way from the token
 * endpoint to the app (another issuer, audience, nonce, a foreign signature …), as an attacker in the
 * middle or a misconfigured provider would: the app must refuse each.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { LOCAL_IDP_CLIENTS } from '../../src/config.js';
import { freePort } from '../../src/db/embedded.js';
import {
  newSigningKeys,
  startLocalIdp,
  type LocalIdp,
  type LocalIdpOptions,
} from '../../src/dev-idp/index.js';
import { demoTestPeople } from '../../seeds/01_organisation.js';
import { testApp, csrfTokenIn, type Teardown, type TestApp, type TestAppOptions } from './app.js';
import { newPage } from './browser.js';
import type { Page } from 'puppeteer';

export interface SigninApp extends TestApp {
  baseUrl: string;
  idp: LocalIdp;
  /** The provider's signing keys (private JWKs), for tests that forge or re-sign tokens. */
  keys: { keys: Record<string, unknown>[] };
  newPage(options?: { javascript?: boolean }): Promise<Page>;
}

/** Changes the ID token the token endpoint returns; gets its claims and the provider's key. */
export type Tamper = (token: {
  claims: Record<string, unknown>;
  header: Record<string, unknown>;
}) =>
  | { claims: Record<string, unknown>; header?: Record<string, unknown>; key?: 'provider' | 'foreign' }
  | 'exchange-twice';

export interface SigninOptions extends TestAppOptions {
  idp?: Partial<LocalIdpOptions>;
  /** A function that changes each ID token in transit (it may be swapped during the test). */
  tamper?: { current: Tamper | null };
}

export async function signinApp(
  t: Teardown,
  overrides: Record<string, string> = {},
  options: SigninOptions = {},
): Promise<SigninApp> {
  const appPort = await freePort();
  const baseUrl = `http://127.0.0.1:${appPort}`;
  const keys = await newSigningKeys();
  const clients = [
    {
      kind: 'idporten' as const,
      ...LOCAL_IDP_CLIENTS.idporten,
      redirectUris: [`${baseUrl}/login/idporten/callback`],
      postLogoutRedirectUris: [`${baseUrl}/logged-out`],
    },
    {
      kind: 'municipal' as const,
      ...LOCAL_IDP_CLIENTS.municipal,
      redirectUris: [`${baseUrl}/login/municipal/callback`],
      postLogoutRedirectUris: [`${baseUrl}/logged-out`],
    },
  ];
  let proxy: http.Server | null = null;
  let issuer: string | undefined;
  if (options.tamper) {
    proxy = await tamperProxy(options.tamper, keys);
    issuer = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  }
  const idp = await startLocalIdp({ clients, people: demoTestPeople(), jwks: keys, issuer, ...options.idp });
  if (proxy) proxyTargets.set(proxy, idp.port);
  t.teardown(async () => {
    await idp.close();
    if (proxy) await new Promise<void>((resolve) => proxy!.close(() => resolve()));
  });
  const site = await testApp(
    t,
    {
      BASE_URL: baseUrl,
      IDPORTEN_ISSUER: idp.issuer,
      IDPORTEN_CLIENT_ID: LOCAL_IDP_CLIENTS.idporten.clientId,
      IDPORTEN_CLIENT_SECRET: LOCAL_IDP_CLIENTS.idporten.clientSecret,
      MUNICIPAL_ISSUER: idp.issuer,
      MUNICIPAL_CLIENT_ID: LOCAL_IDP_CLIENTS.municipal.clientId,
      MUNICIPAL_CLIENT_SECRET: LOCAL_IDP_CLIENTS.municipal.clientSecret,
      ...overrides,
    },
    options,
  );
  await site.app.listen({ port: appPort, host: '127.0.0.1' });
  return {
    ...site,
    baseUrl,
    idp,
    keys,
    newPage: (pageOptions = {}) => newPage(t, { ...pageOptions, baseUrl }),
  };
}

const proxyTargets = new WeakMap<http.Server, number>();

/** A reverse proxy to the provider that rewrites the token endpoint's ID token. */
async function tamperProxy(tamper: { current: Tamper | null }, keys: { keys: Record<string, unknown>[] }) {
  const foreign = await newSigningKeys();
  /** The request as it came (Host included: the provider answers as the proxy's address). */
  const forward = (req: http.IncomingMessage, body: Buffer, target: number) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const upstream = http.request(
        { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 502,
              headers: response.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  const server = http.createServer(async (req, res) => {
    const target = proxyTargets.get(server)!;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    let upstream = await forward(req, body, target);
    const isToken = req.method === 'POST' && (req.url ?? '').startsWith('/token');
    if (isToken && tamper.current && upstream.status === 200) {
      const json = JSON.parse(upstream.text) as { id_token?: string };
      const claims = decodeJwt(json.id_token!) as Record<string, unknown>;
      const header = decodeProtectedHeader(json.id_token!) as Record<string, unknown>;
      const change = tamper.current({ claims, header });
      if (change === 'exchange-twice') {
        // Someone else got there first with the same code: the provider refuses it the second time.
        upstream = await forward(req, body, target);
      } else {
        const jwk = (change.key === 'foreign' ? foreign : keys).keys[0]!;
        const key = await importJWK(jwk as JWK, 'RS256');
        json.id_token = await new SignJWT(change.claims)
          .setProtectedHeader({ alg: 'RS256', kid: jwk.kid as string, ...(change.header ?? {}) })
          .sign(key);
        upstream = { ...upstream, text: JSON.stringify(json) };
      }
    }
    res.statusCode = upstream.status;
    for (const [name, value] of Object.entries(upstream.headers))
      if (value !== undefined && !['content-length', 'transfer-encoding', 'connection'].includes(name))
        res.setHeader(name, value);
    res.end(upstream.text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return server;
}

export interface ClientResponse {
  status: number;
  url: string;
  location: string;
  headers: Headers;
  body: string;
}

/** A browser without JavaScript, over fetch: keeps cookies (by name; the hosts differ only by port). */
export class HttpClient {
  readonly cookies = new Map<string, string>();
  last: ClientResponse | null = null;

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<ClientResponse> {
    const response = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const location = response.headers.get('location') ?? '';
    this.last = {
      status: response.status,
      url,
      location: location ? new URL(location, url).toString() : '',
      headers: response.headers,
      body: await response.text(),
    };
    return this.last;
  }

  get(url: string) {
    return this.request(url);
  }

  /** Posts a form of the app: the CSRF token of the last page is added. */
  post(url: string, form: Record<string, string>, csrf = csrfTokenIn(this.last?.body ?? '')) {
    return this.request(url, { form: { _csrf: csrf, ...form } });
  }

  /** Follows redirects until a page, or until `stop` says so for a redirect's target. */
  async follow(response: ClientResponse, stop?: (location: string) => boolean): Promise<ClientResponse> {
    let current = response;
    for (let hops = 0; current.status >= 300 && current.status < 400 && current.location; hops++) {
      if (hops > 15) throw new Error('too many redirects');
      if (stop?.(current.location)) return current;
      current = await this.get(current.location);
    }
    return current;
  }
}

export interface ProviderSignIn {
  /** A demo person, by e-mail (picked from the provider's list). */
  person?: string;
  /** Or a typed synthetic identity number (ID-porten) or e-mail address (the municipality's login). */
  typed?: string;
  level?: 'idporten-loa-high' | 'idporten-loa-substantial';
  /** Stop at the app's callback (its address, not followed). */
  stopAtCallback?: boolean;
}

/**
 * Starts at /login/<provider>, signs in at the provider's page, and follows the way back: the page the
 * app answers with at the end (or the redirect to the callback, with stopAtCallback).
 */
export async function providerSignIn(
  client: HttpClient,
  site: { baseUrl: string },
  provider: 'idporten' | 'municipal',
  how: ProviderSignIn,
  start = `/login/${provider}`,
): Promise<ClientResponse> {
  const atProvider = await client.follow(await client.get(new URL(start, site.baseUrl).toString()));
  if (!/\/interaction\//.test(atProvider.url)) return atProvider; // signed in at the provider already
  const people = demoTestPeople();
  const index = how.person ? people.findIndex((p) => p.email === how.person) : -1;
  const form: Record<string, string> = {
    person: index >= 0 ? String(index) : '',
    typed: how.typed ?? '',
    level: how.level ?? 'idporten-loa-high',
  };
  const action = /action="([^"]+\/login)"/.exec(atProvider.body)?.[1];
  if (!action) throw new Error(`no sign-in form at the provider:\n${atProvider.body.slice(0, 500)}`);
  const posted = await client.request(new URL(action, atProvider.url).toString(), { form });
  if (posted.status === 422) return posted;
  const callback = `${site.baseUrl}/login/${provider}/callback`;
  return client.follow(posted, how.stopAtCallback ? (location) => location.startsWith(callback) : undefined);
}
