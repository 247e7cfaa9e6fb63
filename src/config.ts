/**
 * The environment, read and checked once. Development has safe defaults; production requires the
 * values that must never be guessed (SESSION_KEY, DATABASE_URL). The result is typed and frozen.
 *
 * VARIABLES below is the one list of every environment variable Stafett reads (name, default, meaning):
 * loadConfig reads nothing that is not in it, the README's table is generated from it
 * (`npm run docs:config`; a test fails when they differ), and unknownVariables() finds a misspelled or
 * unknown Stafett-like name in the environment so the start can warn about it.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  COUNTRIES,
  COUNTRY_SETTINGS,
  isCountry,
  type Country,
  type CountrySettings,
} from './domain/country.js';

export type Environment = 'development' | 'test' | 'production';

/** The two kinds of OpenID Connect provider: ID-porten for everyone, the municipality's own for staff. */
export type SignInProviderId = 'idporten' | 'municipal';

/** ID-porten's levels of assurance, lowest first. */
export const IDPORTEN_LEVELS = ['idporten-loa-substantial', 'idporten-loa-high'] as const;

export interface OidcSettings {
  readonly id: SignInProviderId;
  /** The issuer identifier; its /.well-known/openid-configuration is read at first use. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clientAuth: 'client_secret_basic' | 'client_secret_post';
  readonly scope: string;
  /** ID-porten: the lowest level accepted, asked for as acr_values. */
  readonly minLevel: string | null;
  /** The municipality's login: the claim matched against staff ('email', or a claim held as employee id). */
  readonly matchClaim: string;
  /** What the sign-in page calls the municipality's login ("Oslo kommunes innlogging"); empty: the default. */
  readonly displayName: string;
}

/** The client registrations of the local identity provider (development only; not secrets). */
export const LOCAL_IDP_CLIENTS = {
  idporten: { clientId: 'stafett-idporten', clientSecret: 'local-idporten-secret-not-for-production' },
  municipal: { clientId: 'stafett-kommune', clientSecret: 'local-kommune-secret-not-for-production' },
} as const;

/**
 * The key of the identity numbers' hashes. Required in production; elsewhere a fixed development key, so
 * the demo data (seeded once) keeps matching across restarts. Read by the seeds too.
 */
export function identityKeyFrom(env: Record<string, string | undefined>, problems: string[] = []): Buffer {
  const raw = (env.IDENTITY_KEY ?? '').trim();
  if (raw) {
    if (!/^[0-9a-fA-F]{64}$/.test(raw)) {
      problems.push(
        'IDENTITY_KEY must be 64 hexadecimal characters (32 bytes); make one with: openssl rand -hex 32',
      );
      return Buffer.alloc(32);
    }
    return Buffer.from(raw, 'hex');
  }
  if (env.NODE_ENV === 'production') {
    problems.push(
      'IDENTITY_KEY is required in production (openssl rand -hex 32); keep it: identity numbers are matched with it',
    );
  }
  return Buffer.from('stafett development identity key, not for production'.padEnd(32).slice(0, 32));
}

/** The installation's country (COUNTRY, default Norway). Read by the seeds and the start too. */
export function countryFrom(env: Record<string, string | undefined>, problems: string[] = []): Country {
  const raw = (env.COUNTRY ?? '').trim().toUpperCase();
  if (raw === '') return 'NO';
  if (isCountry(raw)) return raw;
  problems.push(`COUNTRY must be one of ${COUNTRIES.join(', ')} (got "${env.COUNTRY}")`);
  return 'NO';
}

export interface Config {
  readonly env: Environment;
  readonly isProduction: boolean;
  readonly host: string;
  readonly port: number;
  /** Public base address used in printed links and e-mails, without trailing slash. */
  readonly baseUrl: string;
  /** Empty when the embedded PostgreSQL should be used. */
  readonly databaseUrl: string;
  /** The owner role that runs migrations (DATABASE_OWNER_URL); empty: DATABASE_URL's role does. */
  readonly databaseOwnerUrl: string;
  readonly embeddedDbDir: string;
  readonly embeddedDbPort: number;
  /** 32 bytes for @fastify/secure-session. */
  readonly sessionKey: Buffer;
  readonly sessionIdleMinutes: number;
  readonly sessionAbsoluteHours: number;
  /** Megabytes of rendered log pages kept per instance (features/logs/page-cache.ts); 0: none. */
  readonly logPageCacheMb: number;
  readonly secureCookies: boolean;
  readonly trustProxy: boolean;
  readonly loginMaxFailures: number;
  readonly loginWindowMinutes: number;
  readonly youthConsentAge: number;
  readonly youthAccessAge: number;
  readonly logLevel: string;
  readonly chromiumPath: string;
  readonly smtpUrl: string;
  /** Sender of notification e-mails. */
  readonly mailFrom: string;
  /** Largest PDF attachment accepted, in bytes (ATTACHMENT_MAX_MB). */
  readonly attachmentMaxBytes: number;
  /** First wait before a failed e-mail is tried again; doubles on each try. */
  readonly notifyRetryDelaySeconds: number;
  /** How often the background job worker looks for new jobs. */
  readonly jobsPollSeconds: number;
  /** How many days before a measure's deadline the responsible party is reminded. */
  readonly deadlineNoticeDays: number;
  /** Port of the separate metrics listener (0: no metrics listener). */
  readonly metricsPort: number;
  readonly metricsHost: string;
  /** Bearer token the metrics listener requires; empty: none (only allowed on a loopback address). */
  readonly metricsToken: string;
  /** When the nightly retention job runs (cron, Europe/Oslo). */
  readonly retentionCron: string;
  /** Ended and timed-out sessions are removed after this many days. */
  readonly retentionSessionDays: number;
  /** Double-submit tokens of posted forms are removed after this many days. */
  readonly retentionFormTokenDays: number;
  /** Archive prints older than this many years are removed (0: kept for ever). */
  readonly retentionArchivePrintYears: number;
  /** Passive logs closed longer ago than this are deleted, deletion print first (0: never). */
  readonly retentionPassiveLogYears: number;
  /** Audit rows older than this many years are removed by the owner role (0: kept for ever). */
  readonly retentionAuditYears: number;
  /** Sign-in with e-mail and password (LOCAL_PASSWORDS). */
  readonly localPasswords: boolean;
  readonly idporten: OidcSettings | null;
  readonly municipal: OidcSettings | null;
  /** Development without a provider: the local identity provider to start, and where. */
  readonly localIdp: { readonly port: number; readonly issuer: string } | null;
  /** HMAC key for identity numbers (IDENTITY_KEY). */
  readonly identityKey: Buffer;
  /** How long an invitation link works, and a password-reset link. */
  readonly invitationDays: number;
  readonly passwordResetMinutes: number;
  /** The municipality's accessibility statement on uustatus.no (ACCESSIBILITY_STATEMENT_URL); empty: none yet. */
  readonly accessibilityStatementUrl: string;
  /** Who is the controller for the personal data and how to reach them (PRIVACY_CONTACT); empty: not set. */
  readonly privacyContact: string;
  /** A practice installation (TRAINING): demo data only, reset at start and every night, a banner on every page. */
  readonly training: boolean;
  /** The country the installation serves (COUNTRY): identity numbers, default language and plan type. */
  readonly country: Country;
  /** The interface language of someone who has not chosen one: the country's (nb in Norway, da in Denmark). */
  readonly defaultLocale: CountrySettings['locale'];
}

/** One environment variable: its name, its default as shown to people, and what it means. */
export interface Variable {
  readonly name: string;
  readonly default: string;
  readonly meaning: string;
  /** Read by the tests or the install, not by the running application. */
  readonly scope?: 'test' | 'install' | 'tools';
}

/** Every environment variable Stafett reads, in the order the README lists them. */
export const VARIABLES: readonly Variable[] = Object.freeze([
  {
    name: 'NODE_ENV',
    default: '`development`',
    meaning: '`production` requires `SESSION_KEY` and `DATABASE_URL`',
  },
  { name: 'PORT', default: '`3000`', meaning: 'where to listen' },
  {
    name: 'COUNTRY',
    default: '`NO`',
    meaning:
      '`NO` (Norway) or `DK` (Denmark): the identity number (fødselsnummer or CPR number), the default interface language (bokmål or Danish), the default plan type (stafettlogg or barnets plan) and the demo data',
  },
  {
    name: 'HOST',
    default: '`127.0.0.1`',
    meaning: 'the address to listen on (`0.0.0.0` behind a load balancer on another machine)',
  },
  { name: 'BASE_URL', default: '`http://localhost:PORT`', meaning: 'the public address, used in e-mails' },
  {
    name: 'DATABASE_URL',
    default: '(embedded PostgreSQL)',
    meaning: 'a `postgres://` URL: the application role, which owns nothing',
  },
  {
    name: 'DATABASE_OWNER_URL',
    default: '`DATABASE_URL`',
    meaning:
      'a `postgres://` URL: the owner role, which runs the migrations, backups and the removal of old audit rows',
  },
  {
    name: 'SESSION_KEY',
    default: 'random per start in development',
    meaning: '64 hex characters (`openssl rand -hex 32`); the same on every instance',
  },
  {
    name: 'SESSION_IDLE_MINUTES',
    default: '`30`',
    meaning: 'a session ends after this long without a request',
  },
  {
    name: 'SESSION_ABSOLUTE_HOURS',
    default: '`12`',
    meaning: 'a session ends this long after sign-in, whatever happens',
  },
  { name: 'SECURE_COOKIES', default: '`true` in production', meaning: '`Secure` cookies (behind TLS)' },
  {
    name: 'TRUST_PROXY',
    default: '`false`',
    meaning:
      "trust `X-Forwarded-*` from a reverse proxy (set it behind a load balancer, so the sign-in throttle sees the person's address)",
  },
  {
    name: 'LOGIN_MAX_FAILURES',
    default: '`5`',
    meaning:
      'failed sign-ins per account and address before each further try from that address must wait (30 s, doubling per failure, at most `LOGIN_WINDOW_MINUTES`); one address may fail 20 × this many times per window across all accounts. Never a lockout: the right password from another address always works. Counted in PostgreSQL, shared by every instance',
  },
  {
    name: 'LOGIN_WINDOW_MINUTES',
    default: '`15`',
    meaning: "the sign-in throttle's window and longest wait",
  },
  {
    name: 'IDENTITY_KEY',
    default: 'a fixed development key',
    meaning:
      "64 hex characters, **required in production**: the key of the identity numbers' hashes (see Signing in). Keep it: with another key no stored number matches",
  },
  {
    name: 'LOCAL_PASSWORDS',
    default: '`true`',
    meaning:
      'sign-in with e-mail and password, "Glemt passord" and choosing a password from an invitation; `false` leaves only the providers',
  },
  { name: 'INVITATION_DAYS', default: '`7`', meaning: 'how long an invitation link works' },
  { name: 'PASSWORD_RESET_MINUTES', default: '`60`', meaning: 'how long a password-reset link works' },
  {
    name: 'IDPORTEN_ISSUER',
    default: '(none)',
    meaning: "ID-porten's issuer (https://…); sign-in through ID-porten when set",
  },
  {
    name: 'IDPORTEN_CLIENT_ID',
    default: '(none)',
    meaning: "the client's id at ID-porten (required with `IDPORTEN_ISSUER`)",
  },
  {
    name: 'IDPORTEN_CLIENT_SECRET',
    default: '(none)',
    meaning: "the client's secret at ID-porten (required with `IDPORTEN_ISSUER`)",
  },
  { name: 'IDPORTEN_CLIENT_AUTH', default: '`client_secret_basic`', meaning: 'or `client_secret_post`' },
  {
    name: 'IDPORTEN_ACR_VALUES',
    default: '`idporten-loa-high`',
    meaning: 'the lowest level accepted (`idporten-loa-substantial` or `idporten-loa-high`)',
  },
  { name: 'IDPORTEN_SCOPE', default: '`openid profile`', meaning: 'the scopes asked for' },
  {
    name: 'MUNICIPAL_ISSUER',
    default: '(none)',
    meaning: "the municipality's login (https://…) for staff; sign-in through it when set",
  },
  {
    name: 'MUNICIPAL_CLIENT_ID',
    default: '(none)',
    meaning: "the client's id there (required with `MUNICIPAL_ISSUER`)",
  },
  {
    name: 'MUNICIPAL_CLIENT_SECRET',
    default: '(none)',
    meaning: "the client's secret there (required with `MUNICIPAL_ISSUER`)",
  },
  { name: 'MUNICIPAL_CLIENT_AUTH', default: '`client_secret_basic`', meaning: 'or `client_secret_post`' },
  {
    name: 'MUNICIPAL_MATCH_CLAIM',
    default: '`email`',
    meaning: 'the claim matched against registered staff (e-mail or an employee id claim)',
  },
  { name: 'MUNICIPAL_SCOPE', default: '`openid email profile`', meaning: 'the scopes asked for' },
  {
    name: 'MUNICIPAL_NAME',
    default: '"kommunens innlogging"',
    meaning: 'the name of the way in shown on the sign-in page',
  },
  {
    name: 'LOCAL_IDP',
    default: '`true` in development',
    meaning: 'with no provider configured in development, start the local OpenID Connect provider',
  },
  { name: 'LOCAL_IDP_PORT', default: '`PORT`+1', meaning: "the local provider's port" },
  {
    name: 'ACCESSIBILITY_STATEMENT_URL',
    default: '(none)',
    meaning:
      "the municipality's accessibility statement on uustatus.no (https://…), linked from /accessibility",
  },
  {
    name: 'PRIVACY_CONTACT',
    default: '(none)',
    meaning: 'the controller for the personal data and how to reach them, shown on /privacy',
  },
  {
    name: 'TRAINING',
    default: '`false`',
    meaning:
      'a practice installation (`npm run start:training`): demo data only, loaded again at start and every night, a banner on every page; refused in production',
  },
  { name: 'YOUTH_CONSENT_AGE', default: '`16`', meaning: 'from this age a young person can consent alone' },
  {
    name: 'YOUTH_ACCESS_AGE',
    default: '`16`',
    meaning: 'from this age a young person can have their own access',
  },
  {
    name: 'SMTP_URL',
    default: '(development catcher)',
    meaning:
      'e.g. `smtp://user:pass@mail.example:587`; in development without it, mail is caught locally and shown at `/dev/mail`',
  },
  { name: 'MAIL_FROM', default: '`Stafett <ikke-svar@stafett.invalid>`', meaning: 'sender of notices' },
  {
    name: 'NOTIFY_RETRY_DELAY_SECONDS',
    default: '`30`',
    meaning: 'first retry delay for a failed e-mail (it doubles, 14 tries)',
  },
  { name: 'JOBS_POLL_SECONDS', default: '`2`', meaning: 'how often background jobs are fetched' },
  {
    name: 'DEADLINE_NOTICE_DAYS',
    default: '`3`',
    meaning: 'how many days before a deadline the responsible party is told',
  },
  {
    name: 'ATTACHMENT_MAX_MB',
    default: '`5`',
    meaning: 'largest PDF attached to a log note, and largest signed consent form (PDF or photo)',
  },
  {
    name: 'PUPPETEER_EXECUTABLE_PATH',
    default: 'system Chromium if found',
    meaning: 'the browser used to print PDFs',
  },
  { name: 'EMBEDDED_DB_DIR', default: '`.data/postgres`', meaning: "the embedded database's data folder" },
  {
    name: 'EMBEDDED_DB_PORT',
    default: '`54329`',
    meaning: "the embedded database's port (another free one if taken)",
  },
  {
    name: 'LOG_PAGE_CACHE_MB',
    default: '`32`',
    meaning:
      'megabytes of rendered log pages each instance keeps, served again while nothing in the log has changed; `0` turns the cache off',
  },
  {
    name: 'LOG_LEVEL',
    default: '`info`',
    meaning: "Fastify's logger; logs never hold query strings, form bodies or identity numbers",
  },
  {
    name: 'METRICS_PORT',
    default: '(none: no metrics)',
    meaning: "serve Prometheus metrics at `/metrics` on this separate port, never on the application's port",
  },
  {
    name: 'METRICS_HOST',
    default: '`127.0.0.1`',
    meaning: 'the address of the metrics port; any other than a loopback address requires `METRICS_TOKEN`',
  },
  {
    name: 'METRICS_TOKEN',
    default: '(none)',
    meaning: 'when set, `/metrics` answers only `Authorization: Bearer <token>`; at least 16 characters',
  },
  {
    name: 'RETENTION_CRON',
    default: '`45 2 * * *`',
    meaning: 'when the nightly retention job runs (cron, Oslo time; once per cluster)',
  },
  {
    name: 'RETENTION_SESSION_DAYS',
    default: '`7`',
    meaning: 'ended and timed-out sessions are removed after this many days',
  },
  {
    name: 'RETENTION_FORM_TOKEN_DAYS',
    default: '`30`',
    meaning: 'the double-submit records of posted forms are removed after this many days',
  },
  {
    name: 'RETENTION_ARCHIVE_PRINT_YEARS',
    default: '`10`',
    meaning:
      'archive prints (meeting, yearly, transfer, closing and deletion PDFs) are removed this many years after they were made; `0` keeps them for ever',
  },
  {
    name: 'RETENTION_PASSIVE_LOG_YEARS',
    default: '`0` (off)',
    meaning:
      'passive logs closed this many years ago are deleted as a leader deletes them (deletion print first); `0` never',
  },
  {
    name: 'RETENTION_AUDIT_YEARS',
    default: '`10`',
    meaning:
      'audit rows older than this many years are removed, by the owner role only; `0` keeps them for ever',
  },
  {
    name: 'PG_BIN_DIR',
    default: '(searched)',
    meaning: 'folder with `pg_dump` and `pg_restore` for `npm run db:backup` / `db:restore`',
    scope: 'tools',
  },
  {
    name: 'STAFETT_SKIP_BROWSER',
    default: '(unset)',
    meaning: '`1`: `npm install` does not look for or install a browser',
    scope: 'install',
  },
  {
    name: 'TEST_DATABASE_URL',
    default: '(embedded PostgreSQL)',
    meaning: 'tests: a PostgreSQL server (a superuser connection) to create the test databases on',
    scope: 'test',
  },
  {
    name: 'TEST_DATABASE_TEMPLATE',
    default: '(set by `npm test`)',
    meaning: 'tests: the migrated and seeded template each test file copies',
    scope: 'test',
  },
  {
    name: 'JAVA_HOME',
    default: '(`java` on `PATH`)',
    meaning: 'tests: the Java runtime for the W3C Nu HTML checker',
    scope: 'test',
  },
  { name: 'TEST_LOG_LEVEL', default: '`silent`', meaning: "tests: the app's log level", scope: 'test' },
] satisfies Variable[]);

const KNOWN = new Set(VARIABLES.map((v) => v.name));

/** Prefixes of Stafett's own variables: any unknown name that starts with one is a mistake. */
const OWN_PREFIXES = [
  'STAFETT_',
  'SESSION_',
  'DATABASE_',
  'SMTP_',
  'LOGIN_',
  'METRICS_',
  'RETENTION_',
  'EMBEDDED_DB_',
  'YOUTH_',
  'NOTIFY_',
  'JOBS_',
  'MAIL_',
  'IDPORTEN_',
  'MUNICIPAL_',
  'LOCAL_IDP',
  'INVITATION_',
  'PASSWORD_RESET_',
];

/** Edit distance (insertions, deletions, substitutions) between two short names. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

export interface UnknownVariable {
  name: string;
  /** The known variable it is probably meant to be. */
  suggestion: string | null;
}

/**
 * Names in the environment that look like Stafett's but are not: an unknown name with one of Stafett's
 * prefixes, or a name close to a known one (case ignored; edit distance 1, or 2 for names of 8
 * characters or more, so HOME is not taken for HOST). Values are never looked at.
 */
export function unknownVariables(env: Env): UnknownVariable[] {
  const found: UnknownVariable[] = [];
  for (const name of Object.keys(env).sort()) {
    if (KNOWN.has(name) || name.startsWith('npm_')) continue;
    const upper = name.toUpperCase();
    let suggestion: string | null = null;
    let best = Infinity;
    for (const known of KNOWN) {
      const distance = levenshtein(upper, known);
      const allowed = known.length >= 8 ? 2 : 1;
      if (distance <= allowed && distance < best) {
        best = distance;
        suggestion = known;
      }
    }
    if (suggestion || OWN_PREFIXES.some((prefix) => upper.startsWith(prefix)))
      found.push({ name, suggestion });
  }
  return found;
}

/** One line per unknown variable, naming it (never its value) and what it may have been meant to be. */
export function unknownVariableWarnings(env: Env): string[] {
  return unknownVariables(env).map(
    ({ name, suggestion }) =>
      `Ukjent miljøvariabel / unknown environment variable ${name}` +
      (suggestion ? ` (mente du / did you mean ${suggestion}?)` : '') +
      ': it is ignored',
  );
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Ugyldig konfigurasjon / invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

/** Reads a declared variable; reading an undeclared one is a programming error (add it to VARIABLES). */
function declared(env: Env, name: string): string | undefined {
  if (!KNOWN.has(name)) throw new Error(`${name} is read but not declared in VARIABLES (src/config.ts)`);
  return env[name];
}

function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = declared(env, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    problems.push(`${name} must be a whole number between ${min} and ${max} (got "${raw}")`);
    return fallback;
  }
  const value = Number(raw);
  if (value < min || value > max) {
    problems.push(`${name} must be between ${min} and ${max} (got ${value})`);
    return fallback;
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = declared(env, name);
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}

function oidcSettings(
  env: Env,
  id: SignInProviderId,
  prefix: 'IDPORTEN' | 'MUNICIPAL',
  isProduction: boolean,
  problems: string[],
): OidcSettings | null {
  const issuer = (env[`${prefix}_ISSUER`] ?? '').trim().replace(/\/+$/, '');
  // A provider's other settings given without its issuer are a mistake worth naming (every one is read).
  const others = ['CLIENT_ID', 'CLIENT_SECRET', 'CLIENT_AUTH', 'SCOPE'].concat(
    id === 'idporten' ? ['ACR_VALUES'] : ['MATCH_CLAIM', 'NAME'],
  );
  const given = others.filter((name) => (env[`${prefix}_${name}`] ?? '').trim());
  if (!issuer) {
    if (given.length)
      problems.push(
        `${prefix}_${given[0]} is set but ${prefix}_ISSUER is not: set the issuer too, or remove it`,
      );
    return null;
  }
  let url: URL | null = null;
  try {
    url = new URL(issuer);
  } catch {
    problems.push(`${prefix}_ISSUER must be an address (https://…)`);
  }
  if (url && url.protocol !== 'https:' && (isProduction || url.protocol !== 'http:'))
    problems.push(`${prefix}_ISSUER must use https${isProduction ? ' in production' : ''}`);
  const clientId = (env[`${prefix}_CLIENT_ID`] ?? '').trim();
  const clientSecret = (env[`${prefix}_CLIENT_SECRET`] ?? '').trim();
  if (!clientId) problems.push(`${prefix}_CLIENT_ID is required with ${prefix}_ISSUER`);
  if (!clientSecret) problems.push(`${prefix}_CLIENT_SECRET is required with ${prefix}_ISSUER`);
  const auth = (env[`${prefix}_CLIENT_AUTH`] ?? '').trim() || 'client_secret_basic';
  if (auth !== 'client_secret_basic' && auth !== 'client_secret_post')
    problems.push(`${prefix}_CLIENT_AUTH must be client_secret_basic or client_secret_post (got "${auth}")`);
  let minLevel: string | null = null;
  if (id === 'idporten') {
    minLevel = (env.IDPORTEN_ACR_VALUES ?? '').trim() || 'idporten-loa-high';
    if (!(IDPORTEN_LEVELS as readonly string[]).includes(minLevel))
      problems.push(`IDPORTEN_ACR_VALUES must be one of ${IDPORTEN_LEVELS.join(', ')} (got "${minLevel}")`);
  }
  const matchClaim = id === 'municipal' ? (env.MUNICIPAL_MATCH_CLAIM ?? '').trim() || 'email' : 'pid';
  if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(matchClaim))
    problems.push('MUNICIPAL_MATCH_CLAIM must be a claim name');
  const scope =
    (env[`${prefix}_SCOPE`] ?? '').trim() ||
    (id === 'idporten'
      ? 'openid profile'
      : matchClaim === 'email'
        ? 'openid email profile'
        : 'openid profile');
  return {
    id,
    issuer,
    clientId,
    clientSecret,
    clientAuth: auth === 'client_secret_post' ? 'client_secret_post' : 'client_secret_basic',
    scope,
    minLevel,
    matchClaim,
    displayName: id === 'municipal' ? (env.MUNICIPAL_NAME ?? '').trim().slice(0, 100) : '',
  };
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const text = (name: string) => declared(env, name)?.trim() ?? '';
  const rawEnv = declared(env, 'NODE_ENV') ?? 'development';
  let nodeEnv: Environment = 'development';
  if (rawEnv === 'development' || rawEnv === 'test' || rawEnv === 'production') nodeEnv = rawEnv;
  else problems.push(`NODE_ENV must be development, test or production (got "${rawEnv}")`);
  const isProduction = nodeEnv === 'production';

  const databaseUrl = text('DATABASE_URL');
  if (isProduction && !databaseUrl) problems.push('DATABASE_URL is required in production');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const databaseOwnerUrl = text('DATABASE_OWNER_URL');
  if (databaseOwnerUrl && !/^postgres(ql)?:\/\//.test(databaseOwnerUrl)) {
    problems.push('DATABASE_OWNER_URL must start with postgres:// or postgresql://');
  }
  if (databaseOwnerUrl && !databaseUrl) {
    problems.push('DATABASE_OWNER_URL is only used with DATABASE_URL (the application role)');
  }

  let sessionKey: Buffer;
  const rawKey = text('SESSION_KEY');
  if (rawKey) {
    if (!/^[0-9a-fA-F]{64}$/.test(rawKey)) {
      problems.push(
        'SESSION_KEY must be 64 hexadecimal characters (32 bytes); make one with: openssl rand -hex 32',
      );
    }
    sessionKey = Buffer.from(rawKey.padEnd(64, '0').slice(0, 64), 'hex');
  } else {
    if (isProduction) problems.push('SESSION_KEY is required in production (openssl rand -hex 32)');
    // Development: a new key per process, so old cookies simply stop working after a restart.
    sessionKey = randomBytes(32);
  }

  const port = integer(env, 'PORT', 3000, 0, 65535, problems);
  const country = countryFrom({ COUNTRY: declared(env, 'COUNTRY') }, problems);
  const host = text('HOST') || '127.0.0.1';
  const baseUrl = (text('BASE_URL') || `http://localhost:${port}`).replace(/\/+$/, '');

  let idporten = oidcSettings(env, 'idporten', 'IDPORTEN', isProduction, problems);
  // ID-porten vouches for a Norwegian identity number, which is never a valid CPR number: in Denmark no
  // one could sign in with it.
  if (country === 'DK' && declared(env, 'IDPORTEN_ISSUER')) {
    problems.push(
      'IDPORTEN_ISSUER is set but COUNTRY=DK: ID-porten gives a Norwegian identity number, never a CPR number; remove the IDPORTEN_ settings',
    );
    idporten = null;
  }
  let municipal = oidcSettings(env, 'municipal', 'MUNICIPAL', isProduction, problems);
  // Development with no provider configured: a local one behaves like ID-porten's test environment and
  // also stands in for the municipality's login (one issuer, two client registrations).
  let localIdp: Config['localIdp'] = null;
  const localIdpWanted = bool(env, 'LOCAL_IDP', true, problems);
  const localIdpPort = integer(env, 'LOCAL_IDP_PORT', port === 0 ? 3001 : port + 1, 1, 65535, problems);
  if (nodeEnv === 'development' && !idporten && !municipal && localIdpWanted) {
    const idpPort = localIdpPort;
    let hostname = 'localhost';
    try {
      hostname = new URL(baseUrl).hostname;
    } catch {
      // BASE_URL is checked elsewhere
    }
    localIdp = {
      port: idpPort,
      issuer: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${idpPort}`,
    };
    const local = (id: SignInProviderId) =>
      oidcSettings(
        {
          ...env,
          [`${id === 'idporten' ? 'IDPORTEN' : 'MUNICIPAL'}_ISSUER`]: localIdp!.issuer,
          [`${id === 'idporten' ? 'IDPORTEN' : 'MUNICIPAL'}_CLIENT_ID`]: LOCAL_IDP_CLIENTS[id].clientId,
          [`${id === 'idporten' ? 'IDPORTEN' : 'MUNICIPAL'}_CLIENT_SECRET`]:
            LOCAL_IDP_CLIENTS[id].clientSecret,
        },
        id,
        id === 'idporten' ? 'IDPORTEN' : 'MUNICIPAL',
        false,
        problems,
      );
    if (country !== 'DK') idporten = local('idporten');
    municipal = local('municipal');
  }
  const localPasswords = bool(env, 'LOCAL_PASSWORDS', true, problems);
  if (!localPasswords && !idporten && !municipal)
    problems.push('LOCAL_PASSWORDS=false needs a way to sign in: set IDPORTEN_ISSUER or MUNICIPAL_ISSUER');

  const config: Config = {
    env: nodeEnv,
    isProduction,
    host,
    port,
    baseUrl,
    databaseUrl,
    databaseOwnerUrl,
    embeddedDbDir: path.resolve(cwd, text('EMBEDDED_DB_DIR') || '.data/postgres'),
    embeddedDbPort: integer(env, 'EMBEDDED_DB_PORT', 54329, 1024, 65535, problems),
    sessionKey,
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60, problems),
    sessionAbsoluteHours: integer(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 7, problems),
    logPageCacheMb: integer(env, 'LOG_PAGE_CACHE_MB', 32, 0, 4096, problems),
    secureCookies: bool(env, 'SECURE_COOKIES', isProduction, problems),
    trustProxy: bool(env, 'TRUST_PROXY', false, problems),
    loginMaxFailures: integer(env, 'LOGIN_MAX_FAILURES', 5, 1, 1000, problems),
    loginWindowMinutes: integer(env, 'LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60, problems),
    youthConsentAge: integer(env, 'YOUTH_CONSENT_AGE', 16, 12, 18, problems),
    youthAccessAge: integer(env, 'YOUTH_ACCESS_AGE', 16, 12, 18, problems),
    logLevel: text('LOG_LEVEL') || (nodeEnv === 'test' ? 'silent' : 'info'),
    chromiumPath: text('PUPPETEER_EXECUTABLE_PATH'),
    smtpUrl: text('SMTP_URL'),
    mailFrom: text('MAIL_FROM') || 'Stafett <ikke-svar@stafett.invalid>',
    attachmentMaxBytes: integer(env, 'ATTACHMENT_MAX_MB', 5, 1, 20, problems) * 1024 * 1024,
    notifyRetryDelaySeconds: integer(env, 'NOTIFY_RETRY_DELAY_SECONDS', 30, 1, 3600, problems),
    jobsPollSeconds: integer(env, 'JOBS_POLL_SECONDS', 2, 1, 60, problems),
    deadlineNoticeDays: integer(env, 'DEADLINE_NOTICE_DAYS', 3, 1, 30, problems),
    metricsPort: integer(env, 'METRICS_PORT', 0, 0, 65535, problems),
    metricsHost: text('METRICS_HOST') || '127.0.0.1',
    metricsToken: text('METRICS_TOKEN'),
    retentionCron: text('RETENTION_CRON') || '45 2 * * *',
    retentionSessionDays: integer(env, 'RETENTION_SESSION_DAYS', 7, 1, 3650, problems),
    retentionFormTokenDays: integer(env, 'RETENTION_FORM_TOKEN_DAYS', 30, 1, 3650, problems),
    retentionArchivePrintYears: integer(env, 'RETENTION_ARCHIVE_PRINT_YEARS', 10, 0, 100, problems),
    retentionPassiveLogYears: integer(env, 'RETENTION_PASSIVE_LOG_YEARS', 0, 0, 100, problems),
    retentionAuditYears: integer(env, 'RETENTION_AUDIT_YEARS', 10, 0, 100, problems),
    localPasswords,
    idporten,
    municipal,
    localIdp,
    identityKey: identityKeyFrom(
      { IDENTITY_KEY: declared(env, 'IDENTITY_KEY'), NODE_ENV: nodeEnv },
      problems,
    ),
    invitationDays: integer(env, 'INVITATION_DAYS', 7, 1, 60, problems),
    passwordResetMinutes: integer(env, 'PASSWORD_RESET_MINUTES', 60, 5, 24 * 60, problems),
    accessibilityStatementUrl: text('ACCESSIBILITY_STATEMENT_URL'),
    privacyContact: text('PRIVACY_CONTACT'),
    training: bool(env, 'TRAINING', false, problems),
    country,
    defaultLocale: COUNTRY_SETTINGS[country].locale,
  };
  if (config.accessibilityStatementUrl && !/^https:\/\/[^\s<>"]+$/.test(config.accessibilityStatementUrl))
    problems.push('ACCESSIBILITY_STATEMENT_URL must be an https:// address (the statement on uustatus.no)');
  if (config.privacyContact.length > 300) problems.push('PRIVACY_CONTACT can have at most 300 characters');
  if (config.training && isProduction)
    problems.push('TRAINING resets all data every night: it cannot run with NODE_ENV=production');
  if (config.smtpUrl && !/^smtps?:\/\/[^\s]+$/.test(config.smtpUrl))
    problems.push('SMTP_URL must start with smtp:// or smtps://');
  if (!/^[^<>\r\n]*<?[^\s@<>]+@[^\s@<>]+>?$/.test(config.mailFrom))
    problems.push(
      'MAIL_FROM must be an e-mail address, optionally with a name: Stafett <noreply@example.com>',
    );
  if (config.metricsToken && config.metricsToken.length < 16)
    problems.push('METRICS_TOKEN must be at least 16 characters (openssl rand -hex 16)');
  const loopback = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(config.metricsHost);
  if (config.metricsPort && !loopback && !config.metricsToken)
    problems.push(
      `METRICS_HOST ${config.metricsHost} is reachable from other machines: set METRICS_TOKEN too`,
    );
  if (!/^(\S+\s+){4}\S+$/.test(config.retentionCron))
    problems.push('RETENTION_CRON must be a cron expression of five fields, e.g. "45 2 * * *"');
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
