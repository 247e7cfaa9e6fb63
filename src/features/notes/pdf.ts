/**
 * Is an upload really a PDF? Decided by content, never by name or declared type: first the cheap check
 * that it starts with "%PDF-1.x" (or 2.0) and ends with "%%EOF" (give or take trailing whitespace),
 * then a parse of its structure with pdf.js (lib/pdf-parse.ts, in a worker with time and memory limits).
 * Plus safe file names.
 */
import { parsePdf } from '../../lib/pdf-parse.js';

export type UploadProblem = 'missing' | 'empty' | 'tooLarge' | 'notPdf' | 'unreadable';

export interface Upload {
  filename: string;
  size: number;
  data: Buffer;
  /** True when the file was larger than the limit and reading stopped there. */
  truncated: boolean;
}

export function looksLikePdf(data: Buffer): boolean {
  if (!/^%PDF-[12]\.\d/.test(data.subarray(0, 8).toString('latin1'))) return false;
  return data
    .subarray(Math.max(0, data.length - 1024))
    .toString('latin1')
    .includes('%%EOF');
}

/** What is wrong with an upload (`required`: a file must be chosen), or null. */
export async function uploadProblem(upload: Upload | null, required: boolean): Promise<UploadProblem | null> {
  if (!upload || (upload.filename === '' && upload.size === 0)) return required ? 'missing' : null;
  if (upload.truncated) return 'tooLarge';
  if (upload.size === 0) return 'empty';
  if (!looksLikePdf(upload.data)) return 'notPdf';
  const parsed = await parsePdf(upload.data);
  if (!parsed.ok) return parsed.reason === 'invalid' ? 'notPdf' : 'unreadable';
  return null;
}

/** A file name safe to store and show: no folders, no control or reserved characters, ends in ".pdf". */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f"*:<>?|;%]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\.pdf$/i, '')
    .replace(/^[\s.-]+/, '')
    .slice(0, 100)
    .trim();
  return `${cleaned || 'vedlegg'}.pdf`;
}

const TRANSLITERATE: Record<string, string> = { æ: 'ae', Æ: 'Ae', ø: 'o', Ø: 'O', å: 'a', Å: 'A', ß: 'ss' };

/** Content-Disposition for a download: always an attachment, with an ASCII name and the UTF-8 name. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename
    .replace(/[æÆøØåÅß]/g, (c) => TRANSLITERATE[c] ?? '_')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 ._-]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
