/**
 * npm start, npm run dev and the other npm scripts that run a TypeScript entry point: runs it in a
 * process group of its own and hands it the stop signal exactly once.
 *
 *   node scripts/run.js [--watch] src/server.ts [args…]
 *
 * NODE_ENV=production runs the build, `node dist/src/server.js` (made by `npm run build`); otherwise
 * the source under tsx, `node --import tsx src/server.ts`. --watch restarts it when a file it imports
 * changes (node --watch: the old process gets SIGTERM and is waited for).
 *
 * A terminal's Ctrl-C signals every process in its foreground group at once: npm, this script, and
 * without a group of its own also the server and what it started (the embedded PostgreSQL and
 * Chromium would stop under the requests still running). So only npm and this script get it; this
 * script passes the first SIGINT or SIGTERM (a closed terminal's SIGHUP as SIGTERM) to the server,
 * ignores the copies npm relays, and exits with the server's exit code once the server has answered
 * its requests and stopped. Whatever the server left in its group is then sent SIGTERM. package.json
 * starts this script with `exec`, so no shell stands between npm and it (a shell dies of SIGTERM at
 * once, and npm then exits 143 while the server is still finishing).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv[2] === '--watch';
const [entry, ...args] = process.argv.slice(watch ? 3 : 2);
if (!entry || !entry.endsWith('.ts')) {
  console.error('usage: node scripts/run.js [--watch] <file.ts> [args…]');
  process.exit(2);
}

const production = process.env.NODE_ENV === 'production';
const compiled = path.join(root, 'dist', entry.replace(/\.ts$/, '.js'));
if (production && !existsSync(compiled)) {
  console.error(
    `NODE_ENV=production runs the compiled JavaScript, and ${path.relative(root, compiled)} is missing: run \`npm run build\` first.`,
  );
  process.exit(1);
}
const nodeArgs = [
  ...(watch ? ['--watch'] : []),
  ...(production ? [compiled] : ['--import', 'tsx', path.join(root, entry)]),
  ...args,
];

const child = spawn(process.execPath, nodeArgs, {
  cwd: process.cwd(),
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});

let handedOn = false;
const handOn = (signal) => {
  if (handedOn) return;
  handedOn = true;
  child.kill(signal);
};
process.on('SIGINT', () => handOn('SIGINT'));
process.on('SIGTERM', () => handOn('SIGTERM'));
process.on('SIGHUP', () => handOn('SIGTERM'));

child.on('error', (error) => {
  console.error(`could not start ${entry}: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // nothing left in the server's group
  }
  process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0));
});
