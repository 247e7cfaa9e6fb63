/**
 * The consent paperwork's pages: the page of a log's paperwork (everyone who sees the log's consent),
 * printing a document in a language (the holder; a GET form, so it works without JavaScript), uploading
 * the signed form (the holder; multipart, in its own scope) and downloading it again.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FieldError } from '../../lib/form.js';
import { formatDate } from '../../lib/dates.js';
import { formatDateTime } from '../../lib/oslo-time.js';
import { PdfError } from '../../plugins/pdf.js';
import type { MessageKey } from '../../i18n/index.js';
import { DOCUMENT_LANGUAGES, DOCUMENT_LANGUAGE_INFO } from '../../domain/document-languages.js';
import { accessService, parseId, type LogAccess } from '../access/service.js';
import { attachmentDisposition, formatSize, type Upload } from '../notes/index.js';
import { consentPapersService, type Paperwork } from './service.js';
import { parsePrint, parseSignedFields, type PrintValues } from './form.js';
import { uploadProblem, type UploadProblem } from './upload.js';
import { idParams, queryStrings, type Schemas } from '../../lib/route-schemas.js';

class TooLargeError extends Error {
  readonly statusCode = 413;
}

/** The file field of a parsed multipart body, if it really is one. */
function uploadIn(body: unknown): Upload | null {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>).file : undefined;
  if (!value || typeof value !== 'object' || !Buffer.isBuffer((value as Upload).data)) return null;
  return value as Upload;
}

export default async function consentPapersRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const access = accessService(app);
  const service = consentPapersService(app);
  const guard = { preHandler: app.requireUser };
  const inLog = { ...guard, schema: { params: idParams('logId') } };
  const aSigned = { ...guard, schema: { params: idParams('logId', 'signedId') } };
  const maxBytes = app.config.attachmentMaxBytes;
  const maxMb = Math.round(maxBytes / (1024 * 1024));

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    data: Paperwork,
    state: {
      print?: PrintValues;
      signedConsent?: string;
      errors?: FieldError[];
      uploaded?: number | null;
    } = {},
  ) {
    const errors = state.errors ?? [];
    const consentLabel = (id: number) => {
      const c = data.consents.find((x) => x.id === id);
      return c
        ? request.t('consentPapers.consentLabel', {
            givenBy: c.given_by,
            givenOn: formatDate(c.given_on, request.locale),
            validUntil: formatDate(c.valid_until, request.locale),
          })
        : '';
    };
    const current = String(data.consents.find((c) => !c.withdrawn_at)?.id ?? data.consents[0]?.id ?? '');
    return reply.code(errors.length ? 422 : 200).page('consent-papers/page', {
      logId: a.log.id,
      childName: `${data.log!.first_name} ${data.log!.last_name}`,
      canWrite: a.can('consent.paperwork'),
      consents: data.consents.map((c) => ({ value: String(c.id), text: consentLabel(c.id) })),
      languages: DOCUMENT_LANGUAGES.map((l) => ({ value: l, ...DOCUMENT_LANGUAGE_INFO[l] })),
      reviewLanguages: DOCUMENT_LANGUAGES.filter((l) => DOCUMENT_LANGUAGE_INFO[l].review)
        .map((l) => DOCUMENT_LANGUAGE_INFO[l].name)
        .join(', '),
      signed: data.signed.map((s) => ({
        id: s.id,
        filename: s.filename,
        consent: consentLabel(s.consent_id),
        uploadedBy: s.uploaded_by_name,
        when: formatDateTime(s.created_at, request.locale),
        size: formatSize(s.size, request.locale),
        fromPhoto: s.source !== 'pdf',
      })),
      print: state.print ?? { language: 'nb', consent: current, document: '' },
      signedConsent: state.signedConsent ?? current,
      uploaded: state.uploaded ?? null,
      errors,
      maxMb,
    });
  }

  const papers = { ...inLog, schema: { ...inLog.schema, querystring: queryStrings('uploaded') } };
  app.get('/logs/:logId/consent-papers', papers, async (request, reply) => {
    const a = await access.require(request, request.params.logId, 'log.read');
    const uploaded = parseId(request.query.uploaded);
    return page(request, reply, a, await service.paperwork(a.log.id), { uploaded });
  });

  app.get('/logs/:logId/consent-papers/print', inLog, async (request, reply) => {
    const a = await access.require(request, request.params.logId, 'consent.paperwork');
    const data = await service.paperwork(a.log.id);
    const { values, errors, input } = parsePrint(request.query, request.t, {
      consentIds: data.consents.map((c) => c.id),
    });
    if (!input) return page(request, reply, a, data, { print: values, errors });
    try {
      const { pdf, filename } = await service.print(request, a, data, input);
      return reply
        .type('application/pdf')
        .header('Content-Disposition', attachmentDisposition(filename))
        .header('Content-Length', String(pdf.length))
        .send(pdf);
    } catch (error) {
      if (!(error instanceof PdfError)) throw error;
      request.log.error({ err: error, reason: error.reason }, 'consent paperwork print failed');
      if (error.reason === 'busy' || error.reason === 'unavailable') reply.header('Retry-After', '30');
      return reply.code(503).page('consent-papers/failed', { logId: a.log.id, reason: error.reason });
    }
  });

  app.get('/logs/:logId/consent-papers/signed/:signedId', aSigned, async (request, reply) => {
    const a = await access.require(request, request.params.logId, 'log.read');
    const file = await service.download(request, a, request.params.signedId);
    return reply
      .type('application/pdf')
      .header('Content-Disposition', attachmentDisposition(file.filename))
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('Content-Length', String(file.content.length))
      .send(file.content);
  });

  // ---- the upload: the only multipart route here, in a scope of its own ----
  await app.register(async (inner) => {
    const scope = inner.withTypeProvider<Schemas>();
    // Far beyond one file and a field: refused before a byte of it is read.
    scope.addHook('onRequest', async (request) => {
      if (
        request.method === 'POST' &&
        Number(request.headers['content-length'] ?? 0) > maxBytes * 4 + 256 * 1024
      )
        throw new TooLargeError('upload too large');
    });
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 4 * 1024, parts: 7, headerPairs: 100 },
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

    const fileError = (request: FastifyRequest, problem: UploadProblem): FieldError => ({
      text: request.t(`consentPapers.err.file.${problem}` as MessageKey, { max: maxMb }),
      href: '#signed-file',
    });

    scope.post('/logs/:logId/consent-papers/signed', inLog, async (request, reply) => {
      const a = await access.require(request, request.params.logId, 'consent.paperwork');
      const data = await service.paperwork(a.log.id);
      const { values, errors, input } = parseSignedFields(request.body, request.t, {
        consentIds: data.consents.map((c) => c.id),
      });
      const upload = uploadIn(request.body);
      const problem = uploadProblem(upload);
      const list = problem ? [...errors, fileError(request, problem)] : errors;
      if (list.length || !input || !upload)
        return page(request, reply, a, data, { signedConsent: values.consent, errors: list });
      const stored = await service.storeSigned(request, a, input.consentId, upload);
      if (!stored.ok)
        return page(request, reply, a, data, {
          signedConsent: values.consent,
          errors: [fileError(request, stored.problem)],
        });
      return reply.redirect(
        `/logs/${a.log.id}/consent-papers?uploaded=${stored.id}#signed-${stored.id}`,
        303,
      );
    });
  });
}
