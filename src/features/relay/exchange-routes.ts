/**
 * Export (GET the form, POST to download the JSON file or the PDF of the chosen concerns) and import
 * (upload the file — the only multipart route here, in its own scope — then register the child and
 * the family's consent, then the new log is made).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import { asBody, str, type FieldError } from '../../lib/form.js';
import type { MessageKey, PlainMessageKey } from '../../i18n/index.js';
import { addDays, formatDate, isoToParts, osloDate } from '../../lib/dates.js';
import { PdfError } from '../../plugins/pdf.js';
import { parseCreateLog, type CreateLogValues } from '../logs/index.js';
import { type ActorChoice } from './exchange-service.js';
import { parseExport, type ExportValues } from './form.js';
import {
  actorNames,
  MAX_EXPORT_BYTES,
  readDocument,
  type ExportDocument,
  type ReadProblem,
  type SchemaError,
} from './export-format.js';
import { identityNumbers } from '../../lib/national-id.js';
import { basicUploadProblem, registerUploads, uploadIn } from '../../lib/uploads.js';
import { idParams, uuidParams, type Schemas } from '../../lib/route-schemas.js';

export default async function exchangeRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const exchange = app.services.relay.exchange;
  const { repository } = app.services.relay;
  const logs = app.services.logs;
  const guard = { preHandler: app.requireUser };
  const inLog = { ...guard, schema: { params: idParams('logId') } };
  const anImport = { ...guard, schema: { params: uuidParams('importId') } };

  // ---- export ----
  const exportPage = async (
    reply: FastifyReply,
    a: LogAccess,
    values: ExportValues,
    errors: FieldError[],
    status = 200,
  ) =>
    reply.code(errors.length ? (status === 200 ? 422 : status) : 200).page('relay/export', {
      logId: a.log.id,
      summary: await repository.logSummary(a.log.id),
      concerns: await repository.concernsOfLog(a.log.id),
      values,
      errors,
    });

  app.get('/logs/:logId/export', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.transfer');
    return exportPage(reply, a, { concernIds: [], reason: '', consentConfirmed: false }, []);
  });

  app.post('/logs/:logId/export', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.transfer');
    const body = asBody(request.body);
    const concerns = await repository.concernsOfLog(a.log.id);
    const { values, errors, input } = parseExport(
      body,
      request.t,
      concerns.map((c) => c.id),
    );
    if (!input) return exportPage(reply, a, values, errors);
    const { chosen } = input;
    const stamp = osloDate(app.now());
    if (str(body, 'download') === 'pdf') {
      try {
        const pdf = await exchange.exportPdf(request, a, chosen);
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="stafett-overforing-${a.log.id}-${stamp}.pdf"`)
          .header('cache-control', 'no-store')
          .send(pdf);
      } catch (error) {
        if (!(error instanceof PdfError)) throw error;
        return exportPage(
          reply,
          a,
          values,
          [{ text: request.t('relay.export.pdfFailed'), href: '#download-pdf' }],
          503,
        );
      }
    }
    const document = await exchange.exportDocument(request, a, chosen, values.reason);
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="stafett-overforing-${a.log.id}-${stamp}.json"`)
      .header('cache-control', 'no-store')
      .send(`${JSON.stringify(document, null, 2)}\n`);
  });

  // ---- import: the upload ----
  const holdingUnits = (request: FastifyRequest) => logs.holdingUnits(request.user!);
  const uploadPage = (reply: FastifyReply, errors: FieldError[], status = 422, details: string[] = []) =>
    reply
      .code(errors.length ? status : 200)
      .page('relay/import', { errors, details, maxKb: MAX_EXPORT_BYTES / 1024 });

  app.get('/logs/import', guard, async (request, reply) => {
    if (holdingUnits(request).length === 0) throw new NotFoundError();
    return uploadPage(reply, []);
  });

  await app.register(async (scope) => {
    await registerUploads(scope, {
      limits: { fileSize: MAX_EXPORT_BYTES, fields: 4, fieldSize: 4096, parts: 6 },
    });
    scope.post('/logs/import', guard, async (request, reply) => {
      if (holdingUnits(request).length === 0) throw new NotFoundError();
      const file = uploadIn(request.body);
      const problem = basicUploadProblem(file);
      if (!file || problem === 'missing' || problem === 'empty')
        return uploadPage(reply, [{ text: request.t('relay.err.import.none'), href: '#file' }]);
      if (problem === 'tooLarge')
        return uploadPage(
          reply,
          [{ text: request.t('relay.err.import.tooLarge', { max: MAX_EXPORT_BYTES / 1024 }), href: '#file' }],
          413,
        );
      const read = readDocument(file.data);
      if ('problem' in read)
        return uploadPage(
          reply,
          [{ text: problemText(request, read.problem), href: '#file' }],
          422,
          read.problem.kind === 'schema' ? schemaErrorList(request, read.problem.errors) : [],
        );
      const id = await exchange.storeUpload(request, read.document);
      return reply.redirect(`/logs/import/${id}`, 303);
    });
  });

  // ---- import: the child, guardians and the family's consent, then the new log ----
  const confirmPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    upload: { id: string; document: ExportDocument },
    values: CreateLogValues,
    actors: ActorChoice[],
    errors: FieldError[],
    existingLogUrl = '',
  ) => {
    const staff = await exchange.staff(request.user!.municipalityId);
    return reply.code(errors.length ? 422 : 200).page('relay/import-confirm', {
      upload,
      document: upload.document,
      values,
      actors,
      staff,
      units: holdingUnits(request),
      youthConsentAge: app.config.youthConsentAge,
      fmt: (d: string) => formatDate(d, request.locale),
      errors,
      existingLogUrl,
    });
  };

  const startValues = (document: ExportDocument, request: FastifyRequest): CreateLogValues => {
    const today = osloDate(app.now());
    const units = holdingUnits(request);
    return {
      childNationalId: '',
      childFirstName: document.child.firstName,
      childLastName: document.child.lastName,
      guardians: [
        { name: '', email: '', nationalId: '' },
        { name: '', email: '', nationalId: '' },
      ],
      planType: document.plan.type,
      level: String(document.plan.level),
      unitId: units.length === 1 ? String(units[0]!.unitId) : '',
      consentBy: '',
      consentName: '',
      consentGivenOn: isoToParts(today),
      consentValidUntil: isoToParts(addDays(today, 365)),
      consentServices: [],
      consentServicesNote: '',
      consentConfirmed: false,
      startupNote: document.plan.startupNote,
      formToken: '',
    };
  };

  app.get('/logs/import/:importId', anImport, async (request, reply) => {
    const upload = await exchange.findUpload(request, request.params.importId);
    if (upload.log_id) return reply.redirect(`/logs/${upload.log_id}`, 303);
    const staff = await exchange.staff(request.user!.municipalityId);
    const actors = exchange.actorChoices(upload.document, staff, request.user!.id);
    return confirmPage(request, reply, upload, startValues(upload.document, request), actors, []);
  });

  app.post('/logs/import/:importId', anImport, async (request, reply) => {
    const upload = await exchange.findUpload(request, request.params.importId);
    if (upload.log_id) return reply.redirect(`/logs/${upload.log_id}`, 303);
    const units = holdingUnits(request);
    if (units.length === 0) throw new NotFoundError();
    const { values, input, errors } = parseCreateLog(request.body, request.t, {
      today: osloDate(app.now()),
      youthConsentAge: app.config.youthConsentAge,
      holdingUnitIds: units.map((u) => u.unitId),
      syntheticNationalIds: !app.config.isProduction,
      identity: identityNumbers(app.config.country),
    });
    const birthDate =
      input && input.birthDate !== upload.document.child.birthDate
        ? [{ text: request.t('relay.err.import.birthDate'), href: '#childNationalId' }]
        : [];
    const staff = await exchange.staff(request.user!.municipalityId);
    const body = asBody(request.body);
    const posted = Object.fromEntries(
      actorNames(upload.document).map((_, i) => [`actor${i + 1}`, str(body, `actor${i + 1}`)]),
    );
    const actors = exchange.actorChoices(upload.document, staff, request.user!.id, posted);
    const checked = exchange.checkActors(
      upload.document,
      actors,
      staff.map((s) => s.id),
      (key) => request.t(key),
    );
    const allErrors = [...errors, ...birthDate, ...checked.errors];
    if (!input || allErrors.length) return confirmPage(request, reply, upload, values, actors, allErrors);
    const result = await exchange.importLog(request, upload, values, input, checked.ids);
    if ('errors' in result) {
      const existing = result.existingLogId;
      const link = existing && (await request.mayReadLog(existing)) ? `/logs/${existing}` : '';
      return confirmPage(request, reply, upload, values, actors, result.errors, link);
    }
    return reply.redirect('redirect' in result ? result.redirect : `/logs/${result.logId}`, 303);
  });
}

function problemText(request: FastifyRequest, problem: ReadProblem): string {
  switch (problem.kind) {
    case 'encoding':
      return request.t('relay.err.import.encoding');
    case 'json':
      return request.t('relay.err.import.json');
    case 'format':
      return request.t('relay.err.import.format');
    case 'schema':
      return request.t('relay.err.import.schema');
    case 'rule':
      return request.t(`relay.err.import.rule.${problem.rule}`, { where: problem.path });
  }
}

const SHOWN_SCHEMA_ERRORS = 10;
const RULES_WITH_TEXT = new Set([
  'required',
  'additionalProperties',
  'type',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'oneOf',
]);

/** What is wrong where in a file that does not follow the format, in words, the first ten and a count. */
function schemaErrorList(request: FastifyRequest, errors: SchemaError[]): string[] {
  const t = request.t;
  const value = (v: unknown) => (v === null ? 'null' : typeof v === 'string' ? `«${v}»` : String(v));
  const lines = errors.slice(0, SHOWN_SCHEMA_ERRORS).map(({ path, keyword, params }) => {
    const where = path;
    if (keyword === 'format' && (params.format === 'date' || params.format === 'date-time'))
      return t(`relay.err.import.schema.format.${params.format}`, { where });
    if (!RULES_WITH_TEXT.has(keyword)) return t('relay.err.import.schema.other', { where, rule: keyword });
    const type = String(params.type ?? '')
      .split(',')
      .map((name) => (TYPE_NAMES.has(name) ? t(`relay.err.import.type.${name}` as PlainMessageKey) : name))
      .join(t('relay.err.import.type.or'));
    const allowed = Array.isArray(params.allowedValues)
      ? params.allowedValues.map(value).join(', ')
      : value(params.allowedValue);
    return t(`relay.err.import.schema.${keyword}` as MessageKey, {
      where,
      type,
      allowed,
      limit: Number(params.limit ?? 0),
    });
  });
  if (errors.length > SHOWN_SCHEMA_ERRORS)
    lines.push(t('relay.err.import.schema.more', { count: errors.length - SHOWN_SCHEMA_ERRORS }));
  return lines;
}

const TYPE_NAMES = new Set(['string', 'integer', 'number', 'boolean', 'array', 'object', 'null']);
