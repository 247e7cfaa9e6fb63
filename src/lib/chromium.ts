/**
 * Finding and starting headless Chromium: shared by the PDF feature and the browser tests.
 * Resolution order: PUPPETEER_EXECUTABLE_PATH, then a system Chromium/Chrome, then Puppeteer's own
 * download (absent on closed networks, where its install exits 0 without a browser).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer';

/** Puppeteer, loaded on first use: a server that has not printed yet starts without it (~0.3–0.7 s). */
const loadPuppeteer = async () => (await import('puppeteer')).default;

export const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
] as const;

/** The browser to run, or null when none is installed. `explicit` overrides the environment. */
export async function findChromium(
  explicit = process.env.PUPPETEER_EXECUTABLE_PATH?.trim() ?? '',
): Promise<string | null> {
  if (explicit) return existsSync(explicit) ? explicit : null;
  const system = SYSTEM_BROWSERS.find((candidate) => existsSync(candidate));
  if (system) return system;
  try {
    // Puppeteer 24 answers with a string, 25 with a promise: await works for both.
    const own = await (await loadPuppeteer()).executablePath();
    return own && existsSync(own) ? own : null;
  } catch {
    return null;
  }
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Flags for a quiet headless browser on a closed network; no sandbox only when running as root. */
export function chromiumArgs(): string[] {
  return [
    ...(isRoot() ? ['--no-sandbox'] : []),
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--no-first-run',
    '--no-default-browser-check',
  ];
}

export interface LaunchedChromium {
  browser: Browser;
  /** Closes the browser and removes its fresh profile folder. */
  close: () => Promise<void>;
}

/** Launches headless Chromium with a fresh, throw-away profile. */
export async function launchChromium(explicitPath = ''): Promise<LaunchedChromium> {
  const executablePath = await findChromium(explicitPath || undefined);
  if (!executablePath) {
    throw new Error(
      'No Chromium found. Set PUPPETEER_EXECUTABLE_PATH or install one (Debian: apt-get install -y chromium).',
    );
  }
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'stafett-chromium-'));
  try {
    const browser = await (
      await loadPuppeteer()
    ).launch({
      executablePath,
      headless: true,
      userDataDir,
      args: chromiumArgs(),
      // Puppeteer's own handlers would kill the browser on a stop signal (and exit 130 on SIGINT) while
      // prints are still running: whoever launched the browser closes it (the server after its requests).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    return {
      browser,
      close: async () => {
        await browser.close().catch(() => {});
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
