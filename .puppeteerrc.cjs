/**
 * Puppeteer's configuration, read when it installs and when it runs. Puppeteer 24 fails the whole
 * `npm install` when its own browser download cannot reach the network, so it downloads only when no
 * browser is found on this machine: PUPPETEER_EXECUTABLE_PATH or a system Chromium/Chrome (the same
 * list as SYSTEM_BROWSERS in src/lib/chromium.ts, which picks the browser at run time).
 */
const { existsSync } = require('node:fs');

const systemBrowsers = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];
const explicit = (process.env.PUPPETEER_EXECUTABLE_PATH ?? '').trim();

module.exports = {
  skipDownload: explicit ? existsSync(explicit) : systemBrowsers.some((file) => existsSync(file)),
};
