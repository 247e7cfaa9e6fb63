/**
 * Puppeteer's configuration, read when it installs and when it runs. Puppeteer 24 fails the whole
 * `npm install` when its own browser download cannot reach the network, so it never downloads during
 * the install: scripts/ensure-browser.js (the project's postinstall) finds or fetches a browser instead
 * and never fails the install.
 */
module.exports = { skipDownload: true };
