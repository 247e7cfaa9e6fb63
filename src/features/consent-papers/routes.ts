/**
 * The consent paperwork's pages: the page of a log's paperwork (everyone who sees the log's consent),
 * printing a document in a language (the holder; a GET form, so it works without JavaScript), uploading
 * the signed form (the holder; multipart, in its own scope) and downloading it again.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../lib/form.js';
import { formatDate } from '../../lib/dates.js';
import { formatDateTime } from '../../lib/oslo-time.js';
import { PdfError } from '../../plugins/pdf.js';
import type { MessageKey } from '../../i18n/index.js';
import {
  DOCUMENT_LANGUAGES,
  DOCUMENT_LANGUAGE_INFO,
  type DocumentLanguage,
} from '../../domain/document-languages.js';
import { newFormToken } from '../../lib/form.js';
import { registerUploads, sendPdfDownload, uploadIn } from '../../lib/uploads.js';
import { parseId, type LogAccess } from '../../plugins/access/index.js';
import { formatSize } from '../notes/index.js';
import { type Paperwork } from './service.js';
import { parsePrint, parseSignedFields, type PrintValues } from './form.js';
import { MAX_MEGAPIXELS, uploadProblem, type UploadProblem } from './upload.js';
import { idParams, queryStrings, type Schemas } from '../../lib/route-schemas.js';

/** The document language the print form starts at: the family's, else the installation's, else bokmål. */
function firstLanguage(family: string | null, installation: string): DocumentLanguage {
  const known = (value: string | null): value is DocumentLanguage =>
    (DOCUMENT_LANGUAGES as readonly string[]).includes(value ?? '');
  return known(family) ? family : known(installation) ? installation : 'nb';
}

export default async function consentPapersRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const service = app.services.consentPapers;
  const languages = app.services.languages;
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
      formToken?: string;
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
    const print = state.print ?? {
      language: firstLanguage(await languages.familyLocale(a.log.id), app.config.defaultLocale),
      consent: current,
      document: '',
    };
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
      print,
      signedConsent: state.signedConsent ?? current,
      formToken: state.formToken ?? newFormToken(),
      uploaded: state.uploaded ?? null,
      errors,
      maxMb,
    });
  }

  // The page lists the signed forms (the guardians' signatures, every service in the consent): only for
  // those who see the whole log, as the archived prints.
  const papers = { ...inLog, schema: { ...inLog.schema, querystring: queryStrings('uploaded') } };
  app.get('/logs/:logId/consent-papers', papers, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.readAll');
    const uploaded = parseId(request.query.uploaded);
    return page(request, reply, a, await service.paperwork(a.log.id), { uploaded });
  });

  app.get('/logs/:logId/consent-papers/print', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'consent.paperwork');
    const data = await service.paperwork(a.log.id);
    const { values, errors, input } = parsePrint(request.query, request.t, {
      consentIds: data.consents.map((c) => c.id),
    });
    if (!input) return page(request, reply, a, data, { print: values, errors });
    try {
      const { pdf, filename } = await service.print(request, a, data, input);
      return sendPdfDownload(reply, { filename, content: pdf });
    } catch (error) {
      if (!(error instanceof PdfError)) throw error;
      request.log.error({ err: error, reason: error.reason }, 'consent paperwork print failed');
      if (error.reason === 'busy' || error.reason === 'unavailable') reply.header('Retry-After', '30');
      return reply.code(503).page('consent-papers/failed', { logId: a.log.id, reason: error.reason });
    }
  });

  app.get('/logs/:logId/consent-papers/signed/:signedId', aSigned, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.readAll');
    const file = await service.download(request, a, request.params.signedId);
    return sendPdfDownload(reply, file);
  });

  // ---- the upload: the only multipart route here, in a scope of its own ----
  await app.register(async (inner) => {
    const scope = inner.withTypeProvider<Schemas>();
    // Far beyond one file and a field: refused before a byte of it is read.
    await registerUploads(scope, {
      refuseBeyond: maxBytes * 4 + 256 * 1024,
      limits: { fileSize: maxBytes, fields: 5, fieldSize: 4 * 1024, parts: 7 },
    });

    const fileError = (request: FastifyRequest, problem: UploadProblem): FieldError => ({
      text: request.t(`consentPapers.err.file.${problem}` as MessageKey, {
        max: maxMb,
        megapixels: MAX_MEGAPIXELS,
      }),
      href: '#signed-file',
    });

    scope.post('/logs/:logId/consent-papers/signed', inLog, async (request, reply) => {
      const a = await request.logAccess(request.params.logId, 'consent.paperwork');
      const data = await service.paperwork(a.log.id);
      const { values, errors, input } = parseSignedFields(request.body, request.t, {
        consentIds: data.consents.map((c) => c.id),
      });
      const upload = uploadIn(request.body);
      const problem = uploadProblem(upload);
      const list = problem ? [...errors, fileError(request, problem)] : errors;
      if (list.length || !input || !upload)
        return page(request, reply, a, data, {
          signedConsent: values.consent,
          formToken: values.formToken,
          errors: list,
        });
      const stored = await service.storeSigned(request, a, input, upload);
      if (!stored.ok)
        return page(request, reply, a, data, {
          signedConsent: values.consent,
          formToken: values.formToken,
          errors: [fileError(request, stored.problem)],
        });
      return reply.redirect(
        `/logs/${a.log.id}/consent-papers?uploaded=${stored.id}#signed-${stored.id}`,
        303,
      );
    });
  });
}
