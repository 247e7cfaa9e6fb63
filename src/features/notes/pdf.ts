/**
 * Is an upload really a PDF? Decided by content, never by name or declared type: first the cheap check
 * that it starts with "%PDF-1.x" (or 2.0) and ends with "%%EOF" (give or take trailing whitespace),
 * then a parse of its structure with pdf.js (lib/pdf-parse.ts, in a worker with time and memory limits).
 * Plus safe file names.
 */
import { parsePdf } from '../../lib/pdf-parse.js';
import { basicUploadProblem, type BasicUploadProblem, type Upload } from '../../lib/uploads.js';

export { attachmentDisposition, type Upload } from '../../lib/uploads.js';

export type UploadProblem = BasicUploadProblem | 'notPdf' | 'unreadable';

export function looksLikePdf(data: Buffer): boolean {
  if (!/^%PDF-[12]\.\d/.test(data.subarray(0, 8).toString('latin1'))) return false;
  return data
    .subarray(Math.max(0, data.length - 1024))
    .toString('latin1')
    .includes('%%EOF');
}

/** What is wrong with an upload (`required`: a file must be chosen), or null. */
export async function uploadProblem(upload: Upload | null, required: boolean): Promise<UploadProblem | null> {
  const basic = basicUploadProblem(upload);
  if (basic === 'missing') return required ? 'missing' : null;
  if (basic || !upload) return basic;
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
