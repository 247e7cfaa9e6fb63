/**
 * postinstall: make sure there is a browser to print PDFs with, without ever failing the install.
 *
 * 1. PUPPETEER_EXECUTABLE_PATH, or a system Chromium/Chrome (the list in src/lib/chromium.ts): done.
 * 2. Otherwise Puppeteer's own download (works on ordinary machines with internet).
 * 3. Otherwise, as root on Debian/Ubuntu: Debian's chromium with apt-get.
 * 4. Otherwise a warning saying how to install one; the product runs, printing waits for a browser.
 *
 * STAFETT_SKIP_BROWSER=1 skips all of it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

function found() {
  const explicit = (process.env.PUPPETEER_EXECUTABLE_PATH ?? '').trim();
  if (explicit) return existsSync(explicit);
  return SYSTEM_BROWSERS.some((file) => existsSync(file));
}

function run(command, args, timeoutMs) {
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: timeoutMs });
  return result.status === 0;
}

if (process.env.STAFETT_SKIP_BROWSER === '1' || found()) process.exit(0);

console.log('Stafett: no Chromium found for printing PDFs; trying Puppeteer’s own download…');
if (
  run(
    process.execPath,
    ['node_modules/puppeteer/lib/cjs/puppeteer/node/cli.js', 'browsers', 'install', 'chrome'],
    180_000,
  )
) {
  process.exit(0);
}

const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (root && existsSync('/usr/bin/apt-get')) {
  console.log('Stafett: the download failed; installing Debian’s chromium with apt-get…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env, timeout: 300_000 });
  const install =
    update.status === 0 &&
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env, timeout: 600_000 })
      .status === 0;
  if (install && found()) process.exit(0);
}

console.warn(
  'Stafett: no browser for PDF printing. Install Chromium (Debian: apt-get install chromium) or set ' +
    'PUPPETEER_EXECUTABLE_PATH; everything else works without it.',
);
process.exit(0);
