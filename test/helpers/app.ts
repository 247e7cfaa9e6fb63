/**
 * The real app against this file's database (as the application role), for tests that call it with inject:
 *
 *   const { app, clock } = await testApp(t, { LOGIN_MAX_FAILURES: '3' });
 *   const agent = new Agent(app);
 *   await signIn(agent, 'stafettholder@stafett.example');
 *
 * The app is closed when the calling test ends; the database when the file ends.
 */
import tap from 'tap';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Db } from '../../src/db/knex.js';
import { DEMO_PASSWORD } from '../../seeds/01_organisation.js';
import { testDatabase, type TestDatabase } from './db.js';
import { guardTransactions, violations } from '../../src/db/transaction-guard.js';

export type Response = LightMyRequestResponse;

/** What the helpers need from a tap test. */
export interface Teardown {
  teardown(fn: () => unknown): void;
}

/** A clock the test moves by hand; starts at the real time unless told otherwise. */
export interface TestClock {
  now(): Date;
  set(date: Date | string | number): void;
  advance(ms: number): void;
}

export function createClock(start: Date | string | number = Date.now()): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (date) => {
      current = new Date(date).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

let shared: Promise<TestDatabase> | undefined;

/** The one database of this test file: created on first use, dropped when the file's tests are done. */
export function sharedDatabase(): Promise<TestDatabase> {
  if (!shared) {
    const database = testDatabase();
    shared = database;
    tap.teardown(async () => {
      const opened = await database.catch(() => null);
      await opened?.close();
    });
  }
  return shared;
}

/** Configuration as in a test run: NODE_ENV=test, quiet, plus the given environment overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH,
    ...overrides,
  });
}

export interface TestAppOptions {
  /** Another database handle, e.g. one pointing at a closed port to play "database down". */
  db?: Db;
  clock?: TestClock;
  /** Adds routes (e.g. a slow one) before the app is made ready. */
  routes?: (app: FastifyInstance) => void;
  /** Where the app's log goes (give LOG_LEVEL in the overrides, or nothing is logged). */
  logStream?: NodeJS.WritableStream;
  /** Give the app the owner role's pool (as the server does), for the retention of audit rows. */
  withOwner?: boolean;
  /** Answer each request's SQL statement count in a header (src/plugins/query-count). */
  countQueries?: boolean;
  /** A practice installation's reset of the demo data (with TRAINING=true). */
  resetDemo?: () => Promise<void>;
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  clock: TestClock;
  /** For arranging and checking data: the owner's pool (the app itself uses the application role's). */
  db: Db;
}

export async function testApp(
  t: Teardown,
  overrides: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database = options.db ? null : await sharedDatabase();
  // A second pool connection asked for inside a transaction fails at once (src/db/transaction-guard.ts).
  const appDb = guardTransactions(options.db ?? database!.appDb);
  const clock = options.clock ?? createClock();
  const config = testConfig(database ? { DATABASE_URL: database.appUrl, ...overrides } : overrides);
  const app = await buildApp({
    config,
    db: appDb,
    ownerDb: options.withOwner && database ? database.db : null,
    now: () => clock.now(),
    logStream: options.logStream,
    countQueries: options.countQueries,
    resetDemo: options.resetDemo,
  });
  const seen = violations.length;
  t.teardown(async () => {
    await app.close();
    // Also where the error was caught and only logged (e.g. a notice that could not be queued).
    if (violations.length > seen) {
      const stacks = new Set(violations.slice(seen).map((e) => e.stack ?? e.message));
      throw new Error(`second connection inside a transaction:\n${[...stacks].join('\n\n')}`);
    }
  });
  options.routes?.(app);
  await app.ready();
  return { app, config, clock, db: options.db ?? database!.db };
}

/** The `value` of the hidden CSRF field in a page, or '' when there is none. */
export function csrfTokenIn(html: string): string {
  return /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';
}

/**
 * A browser-like client for inject: keeps the cookies the app sets and sends them back, and puts the
 * CSRF token of the last page it saw into every form it posts (unless told not to).
 */
export class Agent {
  readonly cookies = new Map<string, string>();
  csrfToken = '';
  last: Response | undefined;

  constructor(
    readonly app: FastifyInstance,
    readonly headers: Record<string, string> = {},
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: Response): Response {
    const setCookie = response.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [key = '', raw = ''] = a.split('=').map((s) => s.trim());
        if (/^max-age$/i.test(key)) return Number(raw) <= 0;
        if (/^expires$/i.test(key)) return new Date(raw).getTime() <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const token = csrfTokenIn(response.body);
    if (token) this.csrfToken = token;
    this.last = response;
    return response;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await this.app.inject({
      method: 'GET',
      url,
      headers: { ...this.headers, cookie: this.cookieHeader(), ...headers },
    });
    return this.remember(response);
  }

  /** Posts a form; adds `_csrf` from the last page unless `csrf: false` or the form has its own. */
  async post(
    url: string,
    form: Record<string, string> = {},
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const fields = options.csrf === false || '_csrf' in form ? form : { _csrf: this.csrfToken, ...form };
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: {
        ...this.headers,
        cookie: this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        ...options.headers,
      },
      payload: new URLSearchParams(fields).toString(),
    });
    return this.remember(response);
  }

  /** GETs the Location of a redirect, as a browser would. */
  async follow(response: Response): Promise<Response> {
    const location = response.headers.location;
    if (typeof location !== 'string') throw new Error(`not a redirect: ${response.statusCode}`);
    return this.get(location);
  }
}

/** Signs in through the login form; returns the answer to the POST (303 on success). */
export async function postLogin(agent: Agent, email: string, password = DEMO_PASSWORD): Promise<Response> {
  await agent.get('/login');
  return agent.post('/login', { email, password });
}

/** Signs in and follows the redirect; returns the page the person lands on. Throws if refused. */
export async function signIn(agent: Agent, email: string, password = DEMO_PASSWORD): Promise<Response> {
  const response = await postLogin(agent, email, password);
  if (response.statusCode !== 303) {
    throw new Error(`sign-in as ${email} answered ${response.statusCode}, not 303`);
  }
  return agent.follow(response);
}
