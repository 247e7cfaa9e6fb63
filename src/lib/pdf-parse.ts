/**
 * Does a file parse as a PDF? pdf.js (pdfjs-dist) reads its structure — header, cross-reference table,
 * trailer, catalog and page tree — without rendering anything. It runs in a worker thread with a heap
 * ceiling and a time limit, and only a few at a time, so a hostile file can neither hang the server nor
 * eat its memory: whatever does not parse within the limits is refused.
 *
 *   const result = await parsePdf(buffer); // { ok: true, pages: 3 } or { ok: false, reason: 'invalid' }
 */
import { Worker } from 'node:worker_threads';

export type PdfParseResult =
  { ok: true; pages: number } | { ok: false; reason: 'invalid' | 'timeout' | 'tooComplex' };

export interface PdfParseOptions {
  /** Longest a parse may take before the file is refused (default 10 s). */
  timeoutMs?: number;
  /** Heap ceiling of the parsing thread in MB (default 96). */
  maxHeapMb?: number;
}

/** Pages whose objects are read (the page tree is checked as far as this). */
const PAGES_READ = 100;
/** Parses running at once; more wait their turn. */
const CONCURRENT = 2;

const PDFJS = import.meta.resolve('pdfjs-dist/legacy/build/pdf.mjs');

// Plain JavaScript run as the worker (eval), so the same code works under tsx and compiled.
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  try {
    const { getDocument } = await import(workerData.pdfjs);
    const task = getDocument({
      data: workerData.data,
      stopAtErrors: true,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      enableXfa: false,
      verbosity: 0,
    });
    const doc = await task.promise;
    const pages = doc.numPages;
    for (let n = 1; n <= Math.min(pages, ${PAGES_READ}); n++) await doc.getPage(n);
    await doc.destroy();
    parentPort.postMessage({ ok: pages > 0, pages });
  } catch {
    parentPort.postMessage({ ok: false });
  }
})();
`;

let running = 0;
const waiting: (() => void)[] = [];

async function turn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function parseInWorker(data: Buffer, timeoutMs: number, maxHeapMb: number): Promise<PdfParseResult> {
  return new Promise((resolve) => {
    const copy = new Uint8Array(data); // the worker gets its own copy; the caller keeps the upload
    const worker = new Worker(WORKER_CODE, {
      eval: true,
      execArgv: [], // plain JavaScript: no TypeScript loader (tsx) to start in the thread
      workerData: { pdfjs: PDFJS, data: copy },
      transferList: [copy.buffer],
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 16 },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume(); // pdf.js is told to stay quiet; anything it still says is dropped
    worker.stderr.resume();
    let settled = false;
    const settle = (result: PdfParseResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => settle({ ok: false, reason: 'timeout' }), timeoutMs);
    worker.once('message', (message: { ok: boolean; pages?: number }) =>
      settle(message.ok ? { ok: true, pages: message.pages ?? 0 } : { ok: false, reason: 'invalid' }),
    );
    // Out of memory (ERR_WORKER_OUT_OF_MEMORY) or any other end without an answer.
    worker.once('error', () => settle({ ok: false, reason: 'tooComplex' }));
    worker.once('exit', () => settle({ ok: false, reason: 'tooComplex' }));
  });
}

export function parsePdf(data: Buffer, options: PdfParseOptions = {}): Promise<PdfParseResult> {
  return turn(() => parseInWorker(data, options.timeoutMs ?? 10_000, options.maxHeapMb ?? 96));
}
