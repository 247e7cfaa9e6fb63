/**
 * PDFs with headless Chromium: one browser per process, launched on the first print and reused; a small
 * pool of pages, so people printing at the same time queue instead of starting browsers; a time limit
 * per print; a new browser when the old one crashes; the browser closed when the app closes. In
 * production one page is kept ready (`warm`): the browser starts in the background once the app is
 * ready, and again after a crash, so no one's print waits for it.
 *
 *   const pdf = await app.pdf.render({ html }, { footer: { left: 'Laget …', pages: 'Side {page} av {total}' } });
 *
 * HTML is rendered with page.setContent(), so it must carry its own CSS (inline <style>): nothing is
 * fetched from the network while printing. The page's margins, running header and footer are an @page
 * rule added to the document (pageCss). The PDF is tagged (headings, lists, tables), with an outline;
 * its title and language come from <title> and <html lang>. Chromium's tagged PDF is then finished to
 * meet PDF/UA-1 (src/lib/pdf-ua.ts): the running header and footer and decorative rules are artifacts,
 * list items are Lbl + LBody, and XMP metadata names the standard and the title.
 */
import fp from 'fastify-plugin';
import type { CDPSession, Page } from 'puppeteer';
import { launchChromium, type LaunchedChromium } from '../lib/chromium.js';
import { toPdfUa } from '../lib/pdf-ua.js';

export interface PdfFooter {
  /** Left side of every page's footer, e.g. when the PDF was made. */
  left: string;
  /** Right side; {page} and {total} become the page number and count. */
  pages: string;
}

export interface PdfRenderOptions {
  footer?: PdfFooter;
  /** Text at the top of every page (e.g. the document's title). */
  header?: string;
  /** Limit for this print once it has a page; default from the plugin. */
  timeoutMs?: number;
}

/** The document to print: HTML that carries its own CSS (nothing is fetched while printing). */
export interface PdfInput {
  html: string;
}

export interface PdfStats {
  /** Browsers started by this process so far. */
  launches: number;
  /** Process id of the running browser, or null. */
  browserPid: number | null;
  /** Pages in use and idle. */
  pagesBusy: number;
  pagesIdle: number;
  /** Prints waiting for a page. */
  queued: number;
  rendered: number;
  /** The last browser launch failed (and none has succeeded since). */
  lastLaunchFailed: boolean;
  /** Pages opened so far (a print on a page kept ready opens none). */
  pagesOpened: number;
}

/** Told of every print: how long it took (from asking for a page to the PDF) and how it ended. */
export type PrintListener = (seconds: number, outcome: 'ok' | PdfFailure) => void;

export interface PdfService {
  render(input: PdfInput, options?: PdfRenderOptions): Promise<Buffer>;
  /** Starts the browser and opens a page, so the next print need not wait for them. Never throws. */
  warm(): Promise<void>;
  stats(): PdfStats;
  /** Adds a listener told of every print (metrics). */
  onPrint(listener: PrintListener): void;
}

export type PdfFailure = 'unavailable' | 'timeout' | 'busy' | 'closed' | 'failed';

/** Printing failed; `reason` says why, for the error page. */
export class PdfError extends Error {
  constructor(
    readonly reason: PdfFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PdfError';
  }
}

export interface PdfPluginOptions {
  /** Pages printing at the same time (default 2). */
  poolSize?: number;
  /** Per print, once it has a page (default 15 s). */
  timeoutMs?: number;
  /** How long a print may wait for a free page (default 30 s). */
  queueTimeoutMs?: number;
  /** Keep one page ready: at start (once the app is ready) and after a crash. Default: in production. */
  warm?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    pdf: PdfService;
  }
}

/** The running header and footer's type: small, black, the system's sans-serif. */
const BAND = 'font: 8pt Arial, Helvetica, sans-serif; color: #000;';

/** A CSS string for any text: quotes, backslashes, angle brackets and control characters escaped. */
export function cssString(text: string): string {
  const escaped = text.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what is escaped here
    /[\u0000-\u001f\u007f"\\<>]/g,
    (c) => `\\${c.charCodeAt(0).toString(16)} `,
  );
  return `"${escaped}"`;
}

/**
 * The page's margins and its running header and footer, as a CSS @page rule with margin boxes:
 * Chromium lays them out with the document (Puppeteer's header and footer templates are documents of
 * their own, rendered again for every page, and took about a fifth of a full plan's print). The footer's
 * {page} and {total} become the page counters. Content in the margin boxes is drawn outside every tag,
 * so pdf-ua.ts makes it an artifact, as before.
 */
export function pageCss(options: Pick<PdfRenderOptions, 'header' | 'footer'>): string {
  const { header, footer } = options;
  const withBands = Boolean(footer || header);
  const rules = [`margin: ${withBands ? '20mm' : '15mm'} 15mm;`];
  if (header) rules.push(`@top-left { content: ${cssString(header)}; ${BAND} }`);
  if (footer) {
    const pages = footer.pages
      .split(/(\{page\}|\{total\})/)
      .filter((part) => part !== '')
      .map((part) =>
        part === '{page}' ? 'counter(page)' : part === '{total}' ? 'counter(pages)' : cssString(part),
      );
    rules.push(`@bottom-left { content: ${cssString(footer.left)}; ${BAND} }`);
    if (pages.length) rules.push(`@bottom-right { content: ${pages.join(' ')}; ${BAND} }`);
  }
  return `@page { ${rules.join(' ')} }`;
}

/**
 * The document with the page rule first: in its head, else after its html tag or doctype. The
 * document's own @page rules come later and win (the plan's print sets its margins in print.css).
 */
export function withPageCss(html: string, css: string): string {
  const style = `<style>${css}</style>`;
  const opening = [/<head(?:\s[^>]*)?>/i, /<html(?:\s[^>]*)?>/i, /<!doctype[^>]*>/i]
    .map((tag) => tag.exec(html))
    .find((found) => found !== null);
  const at = opening ? opening.index + opening[0].length : 0;
  return `${html.slice(0, at)}${style}${html.slice(at)}`;
}

/** A data: URL the document loads: in an attribute (src, srcset, href, data, poster) or a CSS url(). */
export const LOADS_DATA_URL = /(?:\b(?:src|srcset|href|data|poster)\s*=\s*["']?|url\(\s*["']?)\s*data:/i;

/** Each page's DevTools session, opened with the page. */
const cdpSessions = new WeakMap<Page, CDPSession>();

/**
 * What a page kept ready prints once: some pages of what a plan's print has (headings, paragraphs,
 * lists, tables), so the browser's layout and print code and the PDF finishing are warm.
 */
const WARM_UP: PdfInput = {
  html: `<!DOCTYPE html><html lang="nb"><head><title>Stafett</title></head><body>${'<h2>Stafett</h2><p>Klar til å skrive ut planen.</p><ul><li>Klar</li><li>Ferdig</li></ul><table><tr><th>Tiltak</th><th>Frist</th></tr><tr><td>Klar</td><td>1. januar</td></tr></table>'.repeat(30)}</body></html>`,
};
const WARM_UP_BANDS: PdfRenderOptions = {
  header: 'Stafett',
  footer: { left: 'Stafett', pages: '{page} / {total}' },
};

interface Waiter {
  resolve: (page: Page) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** The browser and its pages. Exported for tests of the pool itself. */
export class PdfPool {
  private launching: Promise<LaunchedChromium> | null = null;
  private current: LaunchedChromium | null = null;
  private readonly idle: Page[] = [];
  private busy = 0;
  private readonly waiters: Waiter[] = [];
  private closed = false;
  private warming: Promise<void> | null = null;
  /** Open a new page after the browser dies, so one is ready again (see `warm`). */
  keepWarm = false;
  launches = 0;
  rendered = 0;
  lastLaunchFailed = false;
  pagesOpened = 0;

  constructor(
    private readonly executablePath: string,
    private readonly size: number,
    private readonly queueTimeoutMs: number,
    private readonly log: { warn: (obj: object, msg: string) => void } = { warn: () => {} },
  ) {}

  stats(): PdfStats {
    return {
      launches: this.launches,
      browserPid: this.current?.browser.process()?.pid ?? null,
      pagesBusy: this.busy,
      pagesIdle: this.idle.length,
      queued: this.waiters.length,
      rendered: this.rendered,
      lastLaunchFailed: this.lastLaunchFailed,
      pagesOpened: this.pagesOpened,
    };
  }

  private browser(): Promise<LaunchedChromium> {
    if (this.closed) return Promise.reject(new PdfError('closed', 'the PDF service is closed'));
    if (this.current?.browser.connected) return Promise.resolve(this.current);
    this.launching ??= (async () => {
      try {
        const launched = await launchChromium(this.executablePath).catch((error: unknown) => {
          this.lastLaunchFailed = true;
          throw error;
        });
        this.launches += 1;
        this.lastLaunchFailed = false;
        if (this.closed) {
          await launched.close();
          throw new PdfError('closed', 'the PDF service closed while the browser started');
        }
        this.current = launched;
        launched.browser.on('disconnected', () => {
          if (this.current !== launched) return;
          this.log.warn(
            { launches: this.launches },
            'PDF browser disconnected; the next print starts a new one',
          );
          this.current = null;
          this.idle.length = 0; // those pages died with it
          void launched.close();
          if (this.keepWarm) void this.warm();
        });
        return launched;
      } catch (error) {
        if (error instanceof PdfError) throw error;
        throw new PdfError(
          'unavailable',
          `the browser for printing could not start: ${(error as Error).message}`,
          { cause: error },
        );
      } finally {
        this.launching = null;
      }
    })();
    return this.launching;
  }

  private async newPage(): Promise<Page> {
    const { browser } = await this.browser();
    const page = await browser.newPage();
    this.pagesOpened += 1;
    try {
      cdpSessions.set(page, await page.createCDPSession());
      // Nothing leaves the machine while printing: the document brings its CSS inline.
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        const url = request.url();
        if (url.startsWith('data:') || url === 'about:blank') void request.continue().catch(() => {});
        else void request.abort('blockedbyclient').catch(() => {});
      });
      return page;
    } catch (error) {
      void page.close().catch(() => {});
      throw error;
    }
  }

  /**
   * Starts the browser and parks one open page in the pool, after one warm-up print on it, unless a
   * page is already open; a print then starts at once; while a warm-up runs, returns that one. A
   * failure is logged, not thrown: the next print tries again.
   */
  warm(): Promise<void> {
    if (this.warming) return this.warming;
    if (this.closed || this.busy > 0 || this.idle.some((p) => !p.isClosed())) return Promise.resolve();
    this.warming = (async () => {
      try {
        const page = await this.acquire();
        // One print of a few pages on it: the browser's print path and the PDF finishing are then
        // warm too, and the first real print on the page is quicker.
        const printed = await renderOn(page, WARM_UP, WARM_UP_BANDS, 10_000).then(
          () => true,
          (error: unknown) => {
            // A shutdown closes the browser under it: that is no failure worth a warning.
            if (!this.closed)
              this.log.warn({ err: error }, 'PDF warm-up print failed; the next print opens a new page');
            return false;
          },
        );
        this.release(page, printed);
      } catch (error) {
        if (!this.closed)
          this.log.warn({ err: error }, 'PDF browser could not be started in advance; the next print tries');
      } finally {
        this.warming = null;
      }
    })();
    return this.warming;
  }

  /** A page to print on: an idle one, a new one while the pool has room, or the next one freed. */
  async acquire(): Promise<Page> {
    if (this.closed) throw new PdfError('closed', 'the PDF service is closed');
    const browserUp = this.current?.browser.connected;
    while (this.idle.length) {
      const page = this.idle.pop()!;
      if (browserUp && !page.isClosed()) {
        this.busy += 1;
        return page;
      }
    }
    if (this.busy < this.size) {
      this.busy += 1;
      try {
        return await this.newPage();
      } catch (error) {
        this.busy -= 1;
        this.wakeNext();
        throw error;
      }
    }
    return new Promise<Page>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new PdfError('busy', `no page free for printing within ${this.queueTimeoutMs} ms`));
        }, this.queueTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Gives a page back; a page that failed or timed out is closed and replaced when someone waits. */
  release(page: Page, healthy: boolean): void {
    const reusable =
      healthy &&
      !this.closed &&
      !page.isClosed() &&
      this.current !== null &&
      page.browser() === this.current.browser;
    if (!reusable) {
      if (!page.isClosed()) void page.close().catch(() => {});
      this.busy -= 1;
      this.wakeNext();
      return;
    }
    const next = this.waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(page);
      return;
    }
    this.busy -= 1;
    this.idle.push(page);
  }

  /** A slot came free: open a new page for the first in the queue. */
  private wakeNext(): void {
    const next = this.waiters.shift();
    if (!next) return;
    clearTimeout(next.timer);
    this.busy += 1;
    this.newPage().then(next.resolve, (error: Error) => {
      this.busy -= 1;
      next.reject(error);
      this.wakeNext();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new PdfError('closed', 'the PDF service is closing'));
    }
    const launching = this.launching;
    if (launching) await launching.catch(() => null);
    // The browser first: a warm-up print still running on it then fails at once, instead of being
    // waited for.
    const current = this.current;
    this.current = null;
    this.idle.length = 0;
    if (current) await current.close();
    await this.warming;
  }
}

/**
 * Prints the document on the page within `timeoutMs`, or throws PdfError('timeout'). After a failure
 * or a timeout the page is not to be used again: the caller closes it (PdfPool.release), which also
 * ends the print still running on it.
 */
export async function renderOn(
  page: Page,
  input: PdfInput,
  options: PdfRenderOptions,
  timeoutMs: number,
): Promise<Buffer> {
  const job = printOn(page, input, options, timeoutMs);
  job.catch(() => {}); // after a timeout the page is closed under it; that rejection is expected
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PdfError('timeout', `printing took longer than ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([job, limit]);
  } finally {
    clearTimeout(timer);
  }
}

async function printOn(
  page: Page,
  input: PdfInput,
  options: PdfRenderOptions,
  timeoutMs: number,
): Promise<Buffer> {
  // No request leaves the page but for data: URLs, so a document without them (as an attribute or a
  // CSS url()) has nothing to load once it is parsed, and the print need not wait for the load event.
  await page.setContent(withPageCss(input.html, pageCss(options)), {
    waitUntil: LOADS_DATA_URL.test(input.html) ? 'load' : 'domcontentloaded',
    timeout: timeoutMs,
  });
  // Page.printToPDF itself rather than page.pdf(): the PDF comes back in the answer, where page.pdf()
  // fetches it as a stream, in more round trips (about 5 ms of a full plan's print). No wait for
  // fonts: the document's are the system's. A4 (210 × 297 mm, given in inches; a document's own
  // @page size does not change it), with the margins, header and footer of pageCss; tagged, with an
  // outline.
  const session = cdpSessions.get(page) ?? (await page.createCDPSession());
  cdpSessions.set(page, session);
  const { data } = await session.send('Page.printToPDF', {
    paperWidth: 210 / 25.4,
    paperHeight: 297 / 25.4,
    printBackground: true,
    generateTaggedPDF: true,
    generateDocumentOutline: true,
    transferMode: 'ReturnAsBase64',
  });
  // The title (dc:title) is the document information's, which Chromium takes from <title>.
  return toPdfUa(Buffer.from(data, 'base64'));
}

export function createPdfService(pool: PdfPool, defaultTimeoutMs: number): Omit<PdfService, 'onPrint'> {
  return {
    async render(input, options = {}) {
      const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
      const page = await pool.acquire();
      let healthy = false;
      try {
        const pdf = await renderOn(page, input, options, timeoutMs);
        healthy = true;
        pool.rendered += 1;
        return pdf;
      } catch (error) {
        if (error instanceof PdfError) throw error;
        throw new PdfError('failed', `printing failed: ${(error as Error).message}`, { cause: error });
      } finally {
        pool.release(page, healthy);
      }
    },
    warm: () => pool.warm(),
    stats: () => pool.stats(),
  };
}

/** The service, telling listeners (metrics) how long each print took and how it ended. */
export function withPrintListeners(service: Omit<PdfService, 'onPrint'>): PdfService {
  const listeners: PrintListener[] = [];
  return {
    ...service,
    async render(input, options) {
      const started = performance.now();
      const told = (outcome: 'ok' | PdfFailure) => {
        for (const listener of listeners) listener((performance.now() - started) / 1000, outcome);
      };
      try {
        const pdf = await service.render(input, options);
        told('ok');
        return pdf;
      } catch (error) {
        told(error instanceof PdfError ? error.reason : 'failed');
        throw error;
      }
    },
    onPrint: (listener) => void listeners.push(listener),
  };
}

export default fp<PdfPluginOptions>(
  async (app, options) => {
    const pool = new PdfPool(
      app.config.chromiumPath,
      options.poolSize ?? 2,
      options.queueTimeoutMs ?? 30_000,
      app.log,
    );
    const service = withPrintListeners(createPdfService(pool, options.timeoutMs ?? 15_000));
    app.decorate('pdf', service);
    if (options.warm ?? app.config.isProduction) {
      pool.keepWarm = true;
      // In the background: the app answers (and /healthz says ok) while the browser starts.
      app.addHook('onReady', async () => {
        void service.warm();
      });
    }
    app.addHook('onClose', async () => {
      await pool.close();
    });
  },
  { name: 'pdf', dependencies: ['config'] },
);
