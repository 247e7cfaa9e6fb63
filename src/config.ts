/**
 * The environment, read and checked once. Development has safe defaults; production requires the
 * values that must never be guessed (SESSION_KEY, DATABASE_URL). The result is typed and frozen.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export type Environment = 'development' | 'test' | 'production';

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
  /** The municipality's accessibility statement on uustatus.no (ACCESSIBILITY_STATEMENT_URL); empty: none yet. */
  readonly accessibilityStatementUrl: string;
  /** Who is the controller for the personal data and how to reach them (PRIVACY_CONTACT); empty: not set. */
  readonly privacyContact: string;
  /** A practice installation (TRAINING): demo data only, reset at start and every night, a banner on every page. */
  readonly training: boolean;
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
  const config: Config = {
    env: nodeEnv,
    isProduction,
    host,
    port,
    baseUrl: (env.BASE_URL?.trim() || `http://localhost:${port}`).replace(/\/+$/, ''),
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
    accessibilityStatementUrl: env.ACCESSIBILITY_STATEMENT_URL?.trim() || '',
    privacyContact: env.PRIVACY_CONTACT?.trim() || '',
    training: bool(env, 'TRAINING', false, problems),
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
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
