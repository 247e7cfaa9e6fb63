/**
 * Real Chromium for browser tests: one headless browser per test file, launched on first use and
 * closed when the file's tests are done; a new page per test.
 *
 *   const site = await browserApp(t);               // the real app, listening on 127.0.0.1
 *   const page = await site.newPage({ javascript: false });
 *   await signInBrowser(page, 'stafettholder@stafett.example');
 *   await expectAxeClean(t, page, 'start page');
 *
 * axe-core and JavaScript turned off: with page.setJavaScriptEnabled(false) Chromium still runs
 * page.evaluate() for synchronous code, but axe.run() never settles (the page's timers and promise
 * jobs do not run). So expectAxeClean turns JavaScript on just for the axe run and off again. That
 * does not run the page's own scripts: they were skipped while the page was parsed and are not run
 * afterwards, so axe checks the page as a no-JavaScript visitor gets it. axe is injected with
 * page.evaluate (DevTools evaluation is not subject to the page's CSP; addScriptTag would be).
 *
 * The page keeps its real CSP. axe's CSS preload (used by one rule, css-orientation-lock) needs
 * inline <style>, which that CSP refuses, so it is turned off: that rule reports "incomplete" and is
 * not checked. Bypassing the CSP would only take effect after a reload, and would test another page.
 *
 * Every page goto() opens and every page state expectAxeClean() checks is also laid out at 320 CSS px
 * (WCAG 1.4.10): document.documentElement.scrollWidth must stay within 320. expectAxeClean() also
 * checks that each field next to an error message is aria-invalid and described by the message.
 *
 * Valid HTML: every page a test's browser loads (the HTML the server sent) and every state axe checks
 * (the document as it is then, e.g. after an htmx swap) is kept, and a last test in the file runs the
 * W3C Nu HTML checker over all of them at once (test/helpers/html-check.ts): it fails with each error.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import tap, { type Extra } from 'tap';
import type { Browser, Page } from 'puppeteer';
import { launchChromium } from '../../src/lib/chromium.js';
import { DEMO_PASSWORD } from '../../seeds/01_organisation.js';
import { testApp, type Teardown, type TestApp, type TestAppOptions } from './app.js';
import { checkHtml, type HtmlDocument } from './html-check.js';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] as const;

let launched: Promise<Browser> | undefined;

/** The documents this file's pages showed, for the Nu HTML checker; bodies still being read. */
const visited: HtmlDocument[] = [];
const reading: Promise<void>[] = [];

function keepDocument(label: string, html: string) {
  if (!visited.some((doc) => doc.html === html)) visited.push({ label, html });
}

/** The file's last test: the Nu HTML checker over every document kept, in one run. */
function queueHtmlCheck() {
  tap.test('the Nu HTML checker finds no errors in the pages this file visited', async (t) => {
    await Promise.all(reading);
    const { checked, errors } = await checkHtml(visited);
    t.ok(checked > 0, `${checked} documents checked`);
    const lines = errors.map(
      (e) => `${e.label}${e.line ? `, line ${e.line}` : ''}: ${e.message}\n      ${e.extract}`,
    );
    t.same(lines, [], `no errors in ${checked} documents`);
  });
}

/** This file's browser: launched on first use, closed at the end of the file. */
export function sharedBrowser(): Promise<Browser> {
  if (!launched) {
    queueHtmlCheck();
    const chromium = launchChromium();
    launched = chromium.then((c) => c.browser);
    tap.teardown(async () => {
      const opened = await chromium.catch(() => null);
      await opened?.close();
    });
  }
  return launched;
}

/** What a page reported while it was used: script errors, CSP refusals, failed requests. */
export interface PageProblems {
  messages: string[];
}

const baseUrls = new WeakMap<Page, string>();
const problems = new WeakMap<Page, PageProblems>();

export function pageProblems(page: Page): string[] {
  return [...(problems.get(page)?.messages ?? [])];
}

export interface NewPageOptions {
  /** false: the page is loaded as by a browser with JavaScript turned off. Default true. */
  javascript?: boolean;
  /** The app's address; relative paths given to goto() are resolved against it. */
  baseUrl?: string;
}

/** A fresh page (in its own incognito-like context, so no cookies are shared), closed at the test's end. */
export async function newPage(t: Teardown, options: NewPageOptions = {}): Promise<Page> {
  const browser = await sharedBrowser();
  const context = await browser.createBrowserContext();
  t.teardown(() => context.close().catch(() => {}));
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.setJavaScriptEnabled(options.javascript ?? true);
  if (options.baseUrl) baseUrls.set(page, options.baseUrl);
  const seen: PageProblems = { messages: [] };
  problems.set(page, seen);
  page.on('pageerror', (error) => seen.messages.push(`script error: ${String(error)}`));
  page.on('console', (message) => {
    // Chromium logs every 4xx/5xx answer as a console error, also a page's own intended 404 or
    // 422: answers are judged below from the responses instead.
    if (message.type() === 'error' && !/^Failed to load resource/.test(message.text())) {
      seen.messages.push(`console: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    const request = response.request();
    const isPage = request.isNavigationRequest() && request.frame() === page.mainFrame();
    if (response.status() >= 400 && !isPage && new URL(response.url()).pathname !== '/favicon.ico') {
      seen.messages.push(`${response.status()} for ${response.url()}`);
    }
    const html = (response.headers()['content-type'] ?? '').startsWith('text/html');
    if (isPage && html && (response.status() < 300 || response.status() >= 400)) {
      const label = `${request.method()} ${new URL(response.url()).pathname} (${response.status()})`;
      reading.push(
        response.text().then(
          (body) => keepDocument(label, body),
          // Chromium drops a page's body when the test has already gone on to the next page (a quick
          // click or redirect); that page is not checked here. Pages axe checks are kept as they stand.
          () => undefined,
        ),
      );
    }
  });
  page.on('requestfailed', (request) => seen.messages.push(`request failed: ${request.url()}`));
  return page;
}

/** Navigates to a path of the app the page belongs to (or a full address); fails if the page does not reflow. */
export async function goto(page: Page, pathOrUrl: string) {
  const base = baseUrls.get(page) ?? page.url();
  const response = await page.goto(new URL(pathOrUrl, base).toString(), { waitUntil: 'load' });
  const wide = await reflowProblem(page);
  if (wide) throw new Error(`${pathOrUrl} scrolls sideways at ${REFLOW_WIDTH} px: ${wide}`);
  return response;
}

/** WCAG 1.4.10 (reflow): at 320 CSS px nothing may need scrolling sideways. */
export const REFLOW_WIDTH = 320;

/**
 * Lays the page out at 320 px wide, reads document.documentElement.scrollWidth and lays it out at its
 * own width again. Null when the page fits (or is not an HTML page); otherwise the width and the
 * innermost elements that reach past the edge.
 */
export async function reflowProblem(page: Page): Promise<string | null> {
  const isHtml = await page.evaluate(() => document.contentType === 'text/html' && document.body !== null);
  if (!isHtml) return null;
  const before = page.viewport() ?? { width: 800, height: 600 };
  await page.setViewport({ ...before, width: REFLOW_WIDTH });
  try {
    return await page.evaluate((width) => {
      const scrollWidth = document.documentElement.scrollWidth;
      if (scrollWidth <= width) return null;
      const name = (el: Element) =>
        el.tagName.toLowerCase() +
        (el.id ? `#${el.id}` : '') +
        [...el.classList].map((c) => `.${c}`).join('');
      const past = [...document.body.querySelectorAll('*')].filter(
        (el) => el.getBoundingClientRect().right > width + 0.5,
      );
      const innermost = past.filter((el) => !past.some((other) => other !== el && el.contains(other)));
      return `scrollWidth ${scrollWidth}; past the edge: ${innermost.slice(0, 5).map(name).join(', ')}`;
    }, REFLOW_WIDTH);
  } finally {
    await page.setViewport(before);
  }
}

/**
 * Every error message next to a field (GOV.UK's .error-message inside a .form-group) marks the
 * field: each of its inputs, selects and textareas carries aria-invalid="true", and each text field
 * (every part of a date group too) names the message in aria-describedby; a radio or checkbox is
 * described through its fieldset. The problems found, or none.
 */
export async function fieldErrorProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`;
    const describes = (el: Element, id: string) =>
      (el.getAttribute('aria-describedby') ?? '').split(/\s+/).includes(id);
    for (const message of document.querySelectorAll('.form-group .error-message')) {
      const group = message.closest('.form-group')!;
      if (!message.id) {
        problems.push(`an error message in ${name(group)} has no id to be described by`);
        continue;
      }
      const controls = [...group.querySelectorAll('input, select, textarea')].filter(
        (c) => c.closest('.form-group') === group && (c as HTMLInputElement).type !== 'hidden',
      );
      if (controls.length === 0) problems.push(`#${message.id} is next to no field`);
      for (const control of controls) {
        if (control.getAttribute('aria-invalid') !== 'true')
          problems.push(`${name(control)} is in error (#${message.id}) without aria-invalid="true"`);
        const choice = /^(radio|checkbox)$/.test((control as HTMLInputElement).type);
        const fieldset = control.closest('fieldset');
        const described =
          choice && fieldset ? describes(fieldset, message.id) : describes(control, message.id);
        if (!described) problems.push(`${name(control)} is not described by #${message.id}`);
      }
    }
    return problems;
  });
}

export interface BrowserApp extends TestApp {
  baseUrl: string;
  newPage: (options?: { javascript?: boolean }) => Promise<Page>;
}

/** The real app listening on 127.0.0.1 (any free port), and pages that know its address. */
export async function browserApp(
  t: Teardown,
  overrides: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<BrowserApp> {
  const site = await testApp(t, overrides, options);
  const baseUrl = await site.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...site, baseUrl, newPage: (pageOptions = {}) => newPage(t, { ...pageOptions, baseUrl }) };
}

/** Signs in through the real login form; throws with the page's error summary if it is refused. */
export async function signInBrowser(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await goto(page, '/login');
  await page.type('#email', email);
  await page.type('#password', password);
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click('form[action="/login"] [type="submit"]'),
  ]);
  if (new URL(page.url()).pathname === '/login') {
    const summary = await page.$eval(
      'body',
      (body) => body.querySelector('#error-summary')?.textContent ?? '',
    );
    throw new Error(`sign-in as ${email} was refused: ${summary.replace(/\s+/g, ' ').trim()}`);
  }
}

const require = createRequire(import.meta.url);
let axeSource: Promise<string> | undefined;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

/**
 * Runs axe-core on the page as it is now and fails the test with every violation, or passes. The same
 * page state is also checked at 320 px (reflowProblem) and for fields in error (fieldErrorProblems).
 */
export async function expectAxeClean(
  t: { pass(message: string): unknown; fail(message: string, extra: Extra): unknown },
  page: Page,
  label: string,
  /** false: a page the test broke on purpose, not a state of the app: kept out of the HTML check. */
  options: { htmlCheck?: boolean } = {},
): Promise<void> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  const javascriptWasOff = !page.isJavaScriptEnabled();
  if (options.htmlCheck !== false) {
    keepDocument(`${label} (${new URL(page.url()).pathname}, as shown)`, await page.content());
  }
  if (javascriptWasOff) await page.setJavaScriptEnabled(true);
  let violations: AxeViolation[];
  try {
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
    violations = await page.evaluate(
      async (tags) => {
        interface AxeResult {
          violations: {
            id: string;
            impact?: string | null;
            help: string;
            nodes: { target: unknown[]; failureSummary?: string }[];
          }[];
        }
        const axe = (
          window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResult> } }
        ).axe;
        const result = await axe.run(document, {
          runOnly: { type: 'tag', values: tags },
          resultTypes: ['violations'],
          // axe's CSS preload copies each stylesheet into an inline <style>, which the app's CSP
          // (style-src 'self') refuses; only css-orientation-lock needs it and stays "incomplete".
          preload: false,
        });
        return result.violations.map((v) => ({
          id: v.id,
          impact: v.impact ?? null,
          help: v.help,
          nodes: v.nodes.map((n) => ({
            target: n.target
              .map((part) => (Array.isArray(part) ? part.join(' >>> ') : String(part)))
              .join(' '),
            summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
          })),
        }));
      },
      [...AXE_TAGS],
    );
  } finally {
    if (javascriptWasOff) await page.setJavaScriptEnabled(false);
  }
  const where = `${label} (${new URL(page.url()).pathname}, JavaScript ${javascriptWasOff ? 'off' : 'on'})`;
  const wide = await reflowProblem(page);
  if (wide) t.fail(`reflow: ${where} scrolls sideways at ${REFLOW_WIDTH} px: ${wide}`, { wide });
  const fields = await fieldErrorProblems(page);
  if (fields.length) t.fail(`fields in error on ${where}:\n  ${fields.join('\n  ')}`, { fields });
  if (violations.length === 0) {
    t.pass(`axe: no violations on ${where}`);
    return;
  }
  const lines = violations.flatMap((v) => [
    `${v.id} [${v.impact ?? 'unknown impact'}]: ${v.help}`,
    ...v.nodes.map((n) => `    ${n.target}${n.summary ? ` — ${n.summary}` : ''}`),
  ]);
  t.fail(`axe: ${violations.length} violation(s) on ${where}:\n  ${lines.join('\n  ')}`, {
    violations: violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => n.target),
    })),
  });
}
