/** Configuration: safe defaults locally, required secrets in production, clear refusals for bad values. */
import path from 'node:path';
import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.js';

const KEY = 'a'.repeat(64);

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/stafett');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

t.test('development starts with no settings at all', async (t) => {
  const config = loadConfig({}, '/srv/stafett');
  t.equal(config.env, 'development');
  t.equal(config.isProduction, false);
  t.equal(config.port, 3000);
  t.equal(config.host, '127.0.0.1', 'listens only locally unless told otherwise');
  t.equal(config.databaseUrl, '', 'no DATABASE_URL: the embedded database is used');
  t.equal(config.embeddedDbDir, path.resolve('/srv/stafett', '.data/postgres'));
  t.equal(config.sessionKey.length, 32, 'a random 32-byte session key');
  t.equal(config.secureCookies, false);
  t.equal(config.sessionIdleMinutes, 30, 'idle timeout 30 minutes');
  t.equal(config.sessionAbsoluteHours, 12, 'absolute limit 12 hours');
  t.equal(config.loginMaxFailures, 5);
  t.equal(config.baseUrl, 'http://localhost:3000');
  t.ok(Object.isFrozen(config), 'the configuration cannot be changed afterwards');
  t.notSame(loadConfig({}).sessionKey, config.sessionKey, 'each development process gets its own key');
});

t.test(
  'production without SESSION_KEY, DATABASE_URL and IDENTITY_KEY refuses to start, naming each',
  async (t) => {
    t.throws(() => loadConfig({ NODE_ENV: 'production' }), ConfigError);
    const problems = problemsOf({ NODE_ENV: 'production' });
    t.equal(problems.length, 3, 'every problem reported at once');
    t.ok(
      problems.some((p) => p.includes('IDENTITY_KEY')),
      "names IDENTITY_KEY (the key of the identity numbers' hashes)",
    );
    t.ok(
      problems.some((p) => p.includes('SESSION_KEY')),
      'names SESSION_KEY',
    );
    t.ok(
      problems.some((p) => p.includes('DATABASE_URL')),
      'names DATABASE_URL',
    );
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (error) {
      t.match(
        (error as Error).message,
        /SESSION_KEY[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*SESSION_KEY/,
        'message names both',
      );
    }
  },
);

t.test('production with all three set starts with secure cookies', async (t) => {
  const config = loadConfig({
    NODE_ENV: 'production',
    SESSION_KEY: KEY,
    DATABASE_URL: 'postgres://db/stafett',
    IDENTITY_KEY: 'b'.repeat(64),
  });
  t.same(config.identityKey, Buffer.from('b'.repeat(64), 'hex'));
  t.equal(config.isProduction, true);
  t.equal(config.secureCookies, true, 'Secure cookies by default in production');
  t.same(config.sessionKey, Buffer.from(KEY, 'hex'));
  t.equal(config.logLevel, 'info');
});

t.test('a malformed SESSION_KEY is refused, in every environment', async (t) => {
  for (const key of ['abc', 'z'.repeat(64), 'a'.repeat(63), 'a'.repeat(65)]) {
    const problems = problemsOf({ SESSION_KEY: key });
    t.equal(problems.length, 1, `refused: ${key.slice(0, 8)}… (${key.length} characters)`);
    t.match(problems[0], /SESSION_KEY/);
  }
  t.equal(problemsOf({ SESSION_KEY: KEY.toUpperCase() }).length, 0, 'upper-case hex is fine');
});

t.test('PORT must be a whole number from 0 to 65535', async (t) => {
  for (const port of ['65536', '-1', '80.5', 'http', '99999999']) {
    const problems = problemsOf({ PORT: port });
    t.equal(problems.length, 1, `PORT=${port} refused`);
    t.match(problems[0], /PORT/);
  }
  t.equal(loadConfig({ PORT: '0' }).port, 0, 'PORT=0: any free port');
  t.equal(loadConfig({ PORT: '8080' }).port, 8080);
});

t.test('other bad values are named', async (t) => {
  t.match(problemsOf({ NODE_ENV: 'staging' })[0], /NODE_ENV/);
  t.match(problemsOf({ DATABASE_URL: 'mysql://x/y' })[0], /DATABASE_URL/);
  t.match(problemsOf({ SECURE_COOKIES: 'maybe' })[0], /SECURE_COOKIES/);
  t.match(problemsOf({ SESSION_IDLE_MINUTES: '0' })[0], /SESSION_IDLE_MINUTES/);
  const several = problemsOf({ PORT: 'x', LOGIN_MAX_FAILURES: '0', SESSION_KEY: 'short' });
  t.equal(several.length, 3, 'every problem is listed, not just the first');
});

t.test('test environment is quiet by default', async (t) => {
  t.equal(loadConfig({ NODE_ENV: 'test' }).logLevel, 'silent');
});

const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_KEY: KEY,
  DATABASE_URL: 'postgres://db/stafett',
  IDENTITY_KEY: 'c'.repeat(64),
};

t.test('sign-in providers from the environment: none, one or both', async (t) => {
  const none = loadConfig(PRODUCTION);
  t.same([none.idporten, none.municipal, none.localIdp], [null, null, null], 'none: passwords only');
  t.equal(none.localPasswords, true);

  const both = loadConfig({
    ...PRODUCTION,
    IDPORTEN_ISSUER: 'https://idporten.no/',
    IDPORTEN_CLIENT_ID: 'stafett-kommune',
    IDPORTEN_CLIENT_SECRET: 'secret',
    MUNICIPAL_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
    MUNICIPAL_CLIENT_ID: 'app',
    MUNICIPAL_CLIENT_SECRET: 'secret2',
    MUNICIPAL_CLIENT_AUTH: 'client_secret_post',
    MUNICIPAL_MATCH_CLAIM: 'employeeid',
    MUNICIPAL_NAME: 'Oslo kommunes innlogging',
    LOCAL_PASSWORDS: 'false',
  });
  t.equal(both.idporten?.issuer, 'https://idporten.no', 'without a trailing slash');
  t.equal(both.idporten?.minLevel, 'idporten-loa-high', "children's data: high by default");
  t.equal(both.idporten?.scope, 'openid profile');
  t.equal(both.idporten?.clientAuth, 'client_secret_basic');
  t.equal(both.municipal?.matchClaim, 'employeeid');
  t.equal(both.municipal?.clientAuth, 'client_secret_post');
  t.equal(both.municipal?.displayName, 'Oslo kommunes innlogging');
  t.equal(both.localPasswords, false);
  t.equal(
    loadConfig({
      ...PRODUCTION,
      IDPORTEN_ISSUER: 'https://idporten.no',
      IDPORTEN_CLIENT_ID: 'a',
      IDPORTEN_CLIENT_SECRET: 'b',
      IDPORTEN_ACR_VALUES: 'idporten-loa-substantial',
    }).idporten?.minLevel,
    'idporten-loa-substantial',
  );
});

t.test('a Danish installation refuses ID-porten and has no local ID-porten', async (t) => {
  const problems = problemsOf({
    ...PRODUCTION,
    COUNTRY: 'DK',
    IDPORTEN_ISSUER: 'https://idporten.no',
    IDPORTEN_CLIENT_ID: 'a',
    IDPORTEN_CLIENT_SECRET: 'b',
  });
  t.equal(problems.length, 1);
  t.match(problems[0], /IDPORTEN_ISSUER.*COUNTRY=DK/);
  const development = loadConfig({ COUNTRY: 'DK' }, '/srv/stafett');
  t.equal(development.idporten, null, 'no local ID-porten in Denmark');
  t.ok(development.municipal, 'the local stand-in for the municipality’s login stays');
  t.ok(
    loadConfig({
      ...PRODUCTION,
      IDPORTEN_ISSUER: 'https://idporten.no',
      IDPORTEN_CLIENT_ID: 'a',
      IDPORTEN_CLIENT_SECRET: 'b',
    }).idporten,
    'Norway keeps it',
  );
});

t.test('bad sign-in settings are refused, each named', async (t) => {
  const issues = problemsOf({ ...PRODUCTION, IDPORTEN_ISSUER: 'http://idporten.example' });
  t.ok(
    issues.some((p) => /IDPORTEN_ISSUER must use https/.test(p)),
    'https in production',
  );
  t.ok(issues.some((p) => /IDPORTEN_CLIENT_ID/.test(p)));
  t.ok(issues.some((p) => /IDPORTEN_CLIENT_SECRET/.test(p)));
  t.match(
    problemsOf({
      IDPORTEN_ISSUER: 'https://x',
      IDPORTEN_CLIENT_ID: 'a',
      IDPORTEN_CLIENT_SECRET: 'b',
      IDPORTEN_ACR_VALUES: 'Level4',
    })[0],
    /IDPORTEN_ACR_VALUES/,
  );
  t.match(
    problemsOf({
      MUNICIPAL_ISSUER: 'https://x',
      MUNICIPAL_CLIENT_ID: 'a',
      MUNICIPAL_CLIENT_SECRET: 'b',
      MUNICIPAL_CLIENT_AUTH: 'magic',
    })[0],
    /MUNICIPAL_CLIENT_AUTH/,
  );
  t.match(
    problemsOf({ ...PRODUCTION, LOCAL_PASSWORDS: 'false' })[0],
    /LOCAL_PASSWORDS=false needs a way to sign in/,
  );
  t.match(problemsOf({ IDENTITY_KEY: 'xyz' })[0], /IDENTITY_KEY/);
  t.equal(
    problemsOf({
      IDPORTEN_ISSUER: 'http://127.0.0.1:9999',
      IDPORTEN_CLIENT_ID: 'a',
      IDPORTEN_CLIENT_SECRET: 'b',
    }).length,
    0,
    'plain http outside production (a local provider)',
  );
});

t.test('development with no provider: the local one, on the next port, for both kinds', async (t) => {
  const config = loadConfig({ PORT: '4000' });
  t.same(config.localIdp, { port: 4001, issuer: 'http://localhost:4001' });
  t.equal(config.idporten?.issuer, 'http://localhost:4001');
  t.equal(config.municipal?.issuer, 'http://localhost:4001');
  t.not(config.idporten?.clientId, config.municipal?.clientId, 'two client registrations');
  t.equal(loadConfig({ LOCAL_IDP_PORT: '5555' }).localIdp?.port, 5555);
  t.equal(loadConfig({ LOCAL_IDP: 'false' }).localIdp, null, 'can be switched off');
  t.equal(loadConfig({ NODE_ENV: 'test' }).localIdp, null, 'never in tests (they start their own)');
  t.equal(loadConfig(PRODUCTION).localIdp, null, 'never in production');
  const configured = loadConfig({
    IDPORTEN_ISSUER: 'https://test.idporten.no',
    IDPORTEN_CLIENT_ID: 'a',
    IDPORTEN_CLIENT_SECRET: 'b',
  });
  t.equal(configured.localIdp, null, 'not when a provider is configured');
  t.equal(configured.municipal, null);
});

t.test('the help pages’ settings: the uustatus.no link must be https, the contact short', async (t) => {
  const config = loadConfig(
    {
      ACCESSIBILITY_STATEMENT_URL: 'https://uustatus.no/nb/erklaringer/publisert/abc',
      PRIVACY_CONTACT: 'Demo kommune, personvern@demo.example',
    },
    '/srv/stafett',
  );
  t.equal(config.accessibilityStatementUrl, 'https://uustatus.no/nb/erklaringer/publisert/abc');
  t.equal(config.privacyContact, 'Demo kommune, personvern@demo.example');
  t.equal(loadConfig({}, '/srv/stafett').accessibilityStatementUrl, '', 'no link unless given');
  t.match(
    problemsOf({ ACCESSIBILITY_STATEMENT_URL: 'javascript:alert(1)' }).join(),
    /ACCESSIBILITY_STATEMENT_URL/,
  );
  t.match(problemsOf({ PRIVACY_CONTACT: 'x'.repeat(301) }).join(), /PRIVACY_CONTACT/);
});

t.test('a practice installation never runs in production', async (t) => {
  t.equal(loadConfig({ TRAINING: 'true' }, '/srv/stafett').training, true);
  t.equal(loadConfig({}, '/srv/stafett').training, false);
  t.match(
    problemsOf({
      NODE_ENV: 'production',
      SESSION_KEY: KEY,
      DATABASE_URL: 'postgres://a@b/c',
      TRAINING: '1',
    }).join(),
    /TRAINING/,
  );
});
