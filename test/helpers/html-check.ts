/**
 * The W3C Nu HTML Checker (the vnu-jar package, run with Java) over many documents at once: one Java
 * process checks them all, so a browser-test file pays for one start of the checker.
 *
 *   const report = await checkHtml([{ label: 'start page (/)', html }]);
 *   report.errors; // [{ label: 'start page (/)', line: 12, message: 'Attribute “hx-post” not allowed …', extract }]
 *
 * Java: `java` on PATH, or JAVA_HOME. npm test (scripts/test.sh) installs Debian's default-jre-headless
 * when no Java is found and it runs as root.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface HtmlDocument {
  /** What the document was (a test's label and the page's path), for the report. */
  label: string;
  html: string;
}

export interface HtmlError {
  label: string;
  line: number | null;
  message: string;
  extract: string;
}

interface VnuMessage {
  type: string;
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

const require = createRequire(import.meta.url);

function javaCommand(): string {
  const home = process.env.JAVA_HOME?.trim();
  return home ? path.join(home, 'bin', 'java') : 'java';
}

/** Checks the documents and answers with every error (warnings are left out). */
export async function checkHtml(
  documents: HtmlDocument[],
): Promise<{ checked: number; errors: HtmlError[] }> {
  if (documents.length === 0) return { checked: 0, errors: [] };
  const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
  const folder = await mkdtemp(path.join(os.tmpdir(), 'stafett-vnu-'));
  try {
    const files = await Promise.all(
      documents.map(async (doc, i) => {
        const file = path.join(folder, `${String(i).padStart(4, '0')}.html`);
        await writeFile(file, doc.html);
        return file;
      }),
    );
    const labelOf = new Map(files.map((file, i) => [file, documents[i]!.label]));
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        javaCommand(),
        [
          // The schema needs a deep stack; one short run is cheapest with the quick compiler and serial GC.
          '-Xss4m',
          '-XX:TieredStopAtLevel=1',
          '-XX:+UseSerialGC',
          '-jar',
          jar,
          '--errors-only',
          '--format',
          'json',
          '--exit-zero-always',
          ...files,
        ],
        { maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) {
            reject(
              new Error(
                `the Nu HTML checker could not run (${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no Java found: install a JRE, e.g. apt-get install default-jre-headless' : error.message})`,
              ),
            );
          } else resolve(stderr || stdout);
        },
      );
    });
    const { messages } = JSON.parse(output) as { messages: VnuMessage[] };
    const errors = messages
      .filter((m) => m.type === 'error' || (m.type === 'non-document-error' && m.subType !== 'internal'))
      .map((m) => {
        const file = m.url ? decodeURIComponent(new URL(m.url).pathname) : '';
        return {
          label: labelOf.get(file) ?? file,
          line: m.lastLine ?? null,
          message: m.message,
          extract: (m.extract ?? '').replace(/\s+/g, ' ').trim(),
        };
      });
    return { checked: documents.length, errors };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
