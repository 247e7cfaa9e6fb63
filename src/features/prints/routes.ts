/**
 * The printed plan: the HTML print view (an ordinary page with the print stylesheet), the archive of
 * PDFs made of the log, making one, and downloading one again. Only those who see the whole log.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { asBody, oneOf, str } from '../../lib/form.js';
import { LANGUAGES, isLocale } from '../../i18n/index.js';
import { formatDateTime } from '../../lib/oslo-time.js';
import { PdfError } from '../../plugins/pdf.js';
import { accessService, NotFoundError, parseId, type LogAccess } from '../access/service.js';
import { printsService } from './service.js';
import { none, type Part } from '../../db/one-statement.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

const MAKE_REASONS = ['meeting', 'yearly'] as const;

export interface PrintRoutesOptions {
  /** The part that reads one meeting of a log (features/meetings registers these routes and gives it). */
  meetingPart(logId: number, meetingId: number): Part<object | undefined>;
}

export default async function printRoutes(instance: FastifyInstance, { meetingPart }: PrintRoutesOptions) {
  const app = instance.withTypeProvider<Schemas>();
  const access = accessService(app);
  const prints = printsService(app);
  const guard = { preHandler: app.requireUser };
  const inLog = { ...guard, schema: { params: idParams('logId') } };
  const aPrint = { ...guard, schema: { params: idParams('logId', 'printId') } };
  /** The print form's choice of language, each named in itself. */
  const languageItems = LANGUAGES.map((l) => ({ value: l.code, text: l.label, lang: l.code }));

  const auditEntry = (a: LogAccess, action: string, objectId: number | null) => ({
    action,
    objectType: 'archive_print',
    objectId,
    logId: a.log.id,
    role: a.role,
    unitId: a.unitId,
  });
  const audit = (request: FastifyRequest, a: LogAccess, action: string, objectId: number | null) =>
    app.audit(request, auditEntry(a, action, objectId));

  /** ?meeting=<id> puts that meeting's agreements in the print. */
  const meetingParam = (request: FastifyRequest) => parseId(str(asBody(request.query), 'meeting'));

  // Three statements: the session, the access check with the asked-for meeting, and the print's data
  // with the audit rows (the read and the print's own).
  app.get('/logs/:logId/print', inLog, async (request, reply) => {
    const { logId } = request.params;
    const meetingId = meetingParam(request);
    const a = await access.requireFor(request, logId, 'log.readAll', {
      deferRead: true,
      also: {
        meeting: meetingId ? meetingPart(logId, meetingId) : none<object | undefined>(undefined),
      },
    });
    if (meetingId && !a.also.meeting) throw new NotFoundError();
    const view = await prints.printView(request, a, {
      meetingId,
      madeBy: request.user!.name,
      audit: app.takeAudit(request, [auditEntry(a, 'print.read', null)]),
    });
    return reply.page('prints/page', {
      ...view,
      logId: a.log.id,
      meetingId,
      canWrite: a.can('log.write'),
      languages: languageItems,
    });
  });

  async function renderList(request: FastifyRequest, reply: FastifyReply, a: LogAccess, made: number | null) {
    const rows = await prints.list(a.log.id);
    const view = await prints.printView(request, a);
    return reply.page('prints/list', {
      logId: a.log.id,
      childName: view.detail.first_name,
      canWrite: a.can('log.write'),
      languages: languageItems,
      made,
      prints: rows.map((p) => ({ ...p, when: formatDateTime(p.made_at, request.locale) })),
    });
  }

  app.get('/logs/:logId/prints', inLog, async (request, reply) => {
    const a = await access.require(request, request.params.logId, 'log.readAll');
    await audit(request, a, 'print.list', null);
    return renderList(request, reply, a, parseId(str(asBody(request.query), 'made')));
  });

  app.post('/logs/:logId/prints', inLog, async (request, reply) => {
    const a = await access.require(request, request.params.logId, 'log.write');
    const body = asBody(request.body);
    const reason = oneOf(str(body, 'reason'), MAKE_REASONS) ?? 'meeting';
    const meetingId = parseId(str(body, 'meetingId'));
    // The language chosen on the print form; the pages' language when none (or an unknown one) is posted.
    const wanted = str(body, 'lang');
    const locale = isLocale(wanted) ? wanted : request.locale;
    try {
      const made = await prints.archive(request, a.log.id, reason, { meetingId, locale });
      return reply.redirect(`/logs/${a.log.id}/prints?made=${made.id}#print-${made.id}`, 303);
    } catch (error) {
      if (!(error instanceof PdfError)) throw error;
      request.log.error({ err: error, reason: error.reason }, 'print failed');
      return printFailed(reply, a.log.id, meetingId, error);
    }
  });

  app.get('/logs/:logId/prints/:printId/download', aPrint, async (request, reply) => {
    const a = await access.require(request, request.params.logId, 'log.readAll');
    const row = await prints.find(a.log.id, request.params.printId);
    const pdf = row ? await prints.pdf(a.log.id, row.id) : undefined;
    if (!row || !pdf) throw new NotFoundError();
    await audit(request, a, 'print.download', row.id);
    return reply
      .type('application/pdf')
      .header(
        'Content-Disposition',
        `attachment; filename="${row.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      )
      .header('Content-Length', String(pdf.length))
      .send(pdf);
  });
}

/** The clear error page when a PDF cannot be made: why, and the HTML print view instead. */
export function printFailed(reply: FastifyReply, logId: number, meetingId: number | null, error: PdfError) {
  if (error.reason === 'busy' || error.reason === 'unavailable') reply.header('Retry-After', '30');
  return reply.code(503).page('prints/failed', {
    logId,
    meetingId,
    reason: error.reason,
    printUrl: `/logs/${logId}/print${meetingId ? `?meeting=${meetingId}` : ''}`,
  });
}
