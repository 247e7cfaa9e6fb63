/**
 * The configuration reference: every variable is declared once (src/config.ts VARIABLES), the README's
 * table is that list, and a start with an unknown Stafett-like or misspelled variable warns, naming it
 * but never its value.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { loadConfig, unknownVariables, unknownVariableWarnings, VARIABLES } from '../src/config.js';
import { README, withTable } from '../scripts/config-docs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

t.test('the README lists exactly the variables declared in src/config.ts', async (t) => {
  const readme = readFileSync(README, 'utf8');
  t.equal(withTable(readme), readme, 'README table = generated table (run npm run docs:config)');
  for (const v of VARIABLES) t.match(readme, `| \`${v.name}\` |`, `${v.name} is in the README`);
});

t.test('every variable the code reads is declared, and each declared one is read', async (t) => {
  // loadConfig throws on a read of an undeclared name; a proxy records what it reads.
  const asked = new Set<string>();
  const env = new Proxy({ NODE_ENV: 'test' } as Record<string, string | undefined>, {
    get: (target, name: string) => {
      asked.add(name);
      return target[name];
    },
  });
  t.doesNotThrow(() => loadConfig(env), 'loadConfig reads only declared names');
  const sources = ['src', 'scripts', 'test/helpers']
    .flatMap((dir) => readAll(path.join(root, dir)))
    .join('\n');
  for (const v of VARIABLES) {
    if (v.scope) t.ok(sources.includes(v.name), `${v.name} (${v.scope}) is read by the ${v.scope} code`);
    else t.ok(asked.has(v.name), `${v.name} is read by loadConfig`);
  }
  const read = new Set([...sources.matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!));
  const known = new Set(VARIABLES.map((v) => v.name));
  t.same(
    [...read].filter((name) => !known.has(name) && !['PATH', 'HOME', 'CI'].includes(name)),
    [],
    'every process.env.X in src, scripts and the test helpers is declared',
  );
});

function readAll(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return readAll(full);
    if (full.endsWith(path.join('src', 'config.ts'))) return []; // the declarations themselves
    return /\.(ts|js|mjs|sh)$/.test(entry) ? [readFileSync(full, 'utf8')] : [];
  });
}

t.test('unknown Stafett-like and misspelled names are found; ordinary ones are not', async (t) => {
  const found = unknownVariables({
    DATABSE_URL: 'postgres://secret@x/y',
    SESSION_IDLE_MINUTE: '10',
    STAFETT_DEBUG: '1',
    LOGIN_MAX_FAILURE: '3',
    port: '8080',
    SMTP_PASSWORD: 'hunter2',
    HOME: '/root',
    PATH: '/usr/bin',
    PWD: '/srv',
    HOSTNAME: 'box',
    PGHOST: 'db',
    NODE_OPTIONS: '--max-old-space-size=512',
    TERM: 'xterm',
    npm_config_cache: '/tmp',
    DATABASE_URL: 'postgres://x/y',
    HOST: '0.0.0.0',
  });
  t.same(found, [
    { name: 'DATABSE_URL', suggestion: 'DATABASE_URL' },
    { name: 'LOGIN_MAX_FAILURE', suggestion: 'LOGIN_MAX_FAILURES' },
    { name: 'SESSION_IDLE_MINUTE', suggestion: 'SESSION_IDLE_MINUTES' },
    { name: 'SMTP_PASSWORD', suggestion: null },
    { name: 'STAFETT_DEBUG', suggestion: null },
    { name: 'port', suggestion: 'PORT' },
  ]);
  const warnings = unknownVariableWarnings({ DATABSE_URL: 'postgres://user:secret@db/x' }).join('\n');
  t.match(warnings, 'DATABSE_URL');
  t.match(warnings, 'DATABASE_URL');
  t.notMatch(warnings, 'secret', 'the value is never shown');
});

t.test('a real start warns once per unknown variable, naming it and not its value', async (t) => {
  // The start stops at once on a bad NODE_ENV value, after the configuration was read; the warnings of
  // unknown names come only after a successful read, so give a good config and stop at the database.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      SESSION_KEY: 'd'.repeat(64),
      IDENTITY_KEY: 'e'.repeat(64),
      // Nothing listens on port 9: the start fails at the database, after the warnings.
      DATABASE_URL: 'postgres://app:pw@127.0.0.1:9/stafett',
      DATABSE_URL: 'postgres://app:very-secret@127.0.0.1/x',
      STAFETT_FOO: 'hidden-value',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  const lines = output.split('\n');
  t.equal(lines.filter((l) => l.includes('DATABSE_URL')).length, 1, 'one warning for DATABSE_URL');
  t.match(output, /DATABSE_URL.*DATABASE_URL/, 'with what it was probably meant to be');
  t.equal(lines.filter((l) => l.includes('STAFETT_FOO')).length, 1, 'one warning for STAFETT_FOO');
  t.notMatch(output, /very-secret|hidden-value/, 'values never appear');
});
