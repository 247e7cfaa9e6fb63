/**
 * Uploaded files and downloaded PDFs, the same for every feature that takes or serves a file: multipart
 * registered in a route scope of its own (each file read into memory up to a size limit, busboy drops the
 * rest and marks it truncated), the file field of the parsed body, the cheap checks every upload needs
 * (missing, too large, empty; the content is each feature's own check), an early refusal of a body far
 * beyond the limit, and the response that sends a stored PDF as an attachment.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import multipart, { type MultipartFile } from '@fastify/multipart';

export interface Upload {
  filename: string;
  size: number;
  data: Buffer;
  /** True when the file was larger than the limit and reading stopped there. */
  truncated: boolean;
}

export type BasicUploadProblem = 'missing' | 'empty' | 'tooLarge';

class TooLargeError extends Error {
  readonly statusCode = 413;
}

/**
 * Registers multipart in `scope` (call it inside a scope of its own): fields land in request.body, the
 * one file as an Upload under its field name. `limits` are busboy's (fileSize is the file's limit).
 * With `refuseBeyond`, a POST whose declared length is larger is refused (413) before a byte is read.
 */
export async function registerUploads(
  scope: FastifyInstance,
  options: {
    limits: { fileSize: number; fields: number; fieldSize: number; parts: number };
    refuseBeyond?: number;
  },
): Promise<void> {
  const { refuseBeyond } = options;
  if (refuseBeyond !== undefined)
    scope.addHook('onRequest', async (request) => {
      if (request.method === 'POST' && Number(request.headers['content-length'] ?? 0) > refuseBeyond)
        throw new TooLargeError('upload too large');
    });
  await scope.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { ...options.limits, files: 1, headerPairs: 100 },
    async onFile(part: MultipartFile) {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file) {
        size += (chunk as Buffer).length;
        chunks.push(chunk as Buffer);
      }
      const upload: Upload = {
        filename: part.filename ?? '',
        size,
        data: Buffer.concat(chunks),
        truncated: part.file.truncated,
      };
      (part as unknown as { value: Upload }).value = upload;
    },
  });
}

/** The file field of a parsed multipart body, if it really is one. */
export function uploadIn(body: unknown, field = 'file'): Upload | null {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  if (!value || typeof value !== 'object' || !Buffer.isBuffer((value as Upload).data)) return null;
  return value as Upload;
}

/** The cheap checks: no file chosen (a browser sends an empty part), cut off at the limit, empty. */
export function basicUploadProblem(upload: Upload | null): BasicUploadProblem | null {
  if (!upload || (upload.filename === '' && upload.size === 0)) return 'missing';
  if (upload.truncated) return 'tooLarge';
  if (upload.size === 0) return 'empty';
  return null;
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

/** Sends a stored PDF as a download: an attachment, sandboxed should a browser show it anyway. */
export function sendPdfDownload(reply: FastifyReply, file: { filename: string; content: Buffer }) {
  return reply
    .type('application/pdf')
    .header('Content-Disposition', attachmentDisposition(file.filename))
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .header('Content-Length', String(file.content.length))
    .send(file.content);
}
