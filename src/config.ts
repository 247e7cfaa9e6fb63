/**
 * The environment, read and checked once. Development has safe defaults; production requires the
 * values that must never be guessed (SESSION_KEY, DATABASE_URL). The result is typed and frozen.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';

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

function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name];
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
  const raw = env[name];
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
  if (!issuer) return null;
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
  const rawEnv = env.NODE_ENV ?? 'development';
  let nodeEnv: Environment = 'development';
  if (rawEnv === 'development' || rawEnv === 'test' || rawEnv === 'production') nodeEnv = rawEnv;
  else problems.push(`NODE_ENV must be development, test or production (got "${rawEnv}")`);
  const isProduction = nodeEnv === 'production';

  const databaseUrl = (env.DATABASE_URL ?? '').trim();
  if (isProduction && !databaseUrl) problems.push('DATABASE_URL is required in production');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const databaseOwnerUrl = (env.DATABASE_OWNER_URL ?? '').trim();
  if (databaseOwnerUrl && !/^postgres(ql)?:\/\//.test(databaseOwnerUrl)) {
    problems.push('DATABASE_OWNER_URL must start with postgres:// or postgresql://');
  }
  if (databaseOwnerUrl && !databaseUrl) {
    problems.push('DATABASE_OWNER_URL is only used with DATABASE_URL (the application role)');
  }

  let sessionKey: Buffer;
  const rawKey = (env.SESSION_KEY ?? '').trim();
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
  const host = env.HOST?.trim() || '127.0.0.1';
  const baseUrl = (env.BASE_URL?.trim() || `http://localhost:${port}`).replace(/\/+$/, '');

  let idporten = oidcSettings(env, 'idporten', 'IDPORTEN', isProduction, problems);
  let municipal = oidcSettings(env, 'municipal', 'MUNICIPAL', isProduction, problems);
  // Development with no provider configured: a local one behaves like ID-porten's test environment and
  // also stands in for the municipality's login (one issuer, two client registrations).
  let localIdp: Config['localIdp'] = null;
  if (nodeEnv === 'development' && !idporten && !municipal && bool(env, 'LOCAL_IDP', true, problems)) {
    const idpPort = integer(env, 'LOCAL_IDP_PORT', port === 0 ? 3001 : port + 1, 1, 65535, problems);
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
    idporten = local('idporten');
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
    embeddedDbDir: path.resolve(cwd, env.EMBEDDED_DB_DIR?.trim() || '.data/postgres'),
    embeddedDbPort: integer(env, 'EMBEDDED_DB_PORT', 54329, 1024, 65535, problems),
    sessionKey,
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60, problems),
    sessionAbsoluteHours: integer(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 7, problems),
    secureCookies: bool(env, 'SECURE_COOKIES', isProduction, problems),
    trustProxy: bool(env, 'TRUST_PROXY', false, problems),
    loginMaxFailures: integer(env, 'LOGIN_MAX_FAILURES', 5, 1, 1000, problems),
    loginWindowMinutes: integer(env, 'LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60, problems),
    youthConsentAge: integer(env, 'YOUTH_CONSENT_AGE', 16, 12, 18, problems),
    youthAccessAge: integer(env, 'YOUTH_ACCESS_AGE', 16, 12, 18, problems),
    logLevel: env.LOG_LEVEL?.trim() || (nodeEnv === 'test' ? 'silent' : 'info'),
    chromiumPath: env.PUPPETEER_EXECUTABLE_PATH?.trim() || '',
    smtpUrl: env.SMTP_URL?.trim() || '',
    mailFrom: env.MAIL_FROM?.trim() || 'Stafett <ikke-svar@stafett.invalid>',
    attachmentMaxBytes: integer(env, 'ATTACHMENT_MAX_MB', 5, 1, 20, problems) * 1024 * 1024,
    notifyRetryDelaySeconds: integer(env, 'NOTIFY_RETRY_DELAY_SECONDS', 30, 1, 3600, problems),
    jobsPollSeconds: integer(env, 'JOBS_POLL_SECONDS', 2, 1, 60, problems),
    deadlineNoticeDays: integer(env, 'DEADLINE_NOTICE_DAYS', 3, 1, 30, problems),
    localPasswords,
    idporten,
    municipal,
    localIdp,
    identityKey: identityKeyFrom({ ...env, NODE_ENV: nodeEnv }, problems),
    invitationDays: integer(env, 'INVITATION_DAYS', 7, 1, 60, problems),
    passwordResetMinutes: integer(env, 'PASSWORD_RESET_MINUTES', 60, 5, 24 * 60, problems),
  };
  if (config.smtpUrl && !/^smtps?:\/\/[^\s]+$/.test(config.smtpUrl))
    problems.push('SMTP_URL must start with smtp:// or smtps://');
  if (!/^[^<>\r\n]*<?[^\s@<>]+@[^\s@<>]+>?$/.test(config.mailFrom))
    problems.push(
      'MAIL_FROM must be an e-mail address, optionally with a name: Stafett <noreply@example.com>',
    );
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
