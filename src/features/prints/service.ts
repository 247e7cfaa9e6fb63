/**
 * The printed plan: the data a print shows (DOMAIN.md "Prints"), the HTML print view, and PDFs made from
 * the same template and kept as archive records of the log.
 *
 * Other features store a print with one call, e.g. before a transfer or when a log is closed:
 *
 *   await app.services.prints.archive(request, logId, 'transfer');            // a person, checked for access
 *   await app.services.prints.archive({ system: true }, logId, 'yearly');     // a background job
 *
 * The identity number is never loaded for a print, so it cannot appear in one.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Locale, type PlainMessageKey, type Translate } from '../../i18n/index.js';
import { formatDate, formatShortDate, osloDate } from '../../lib/dates.js';
import { planTypeKey } from '../../domain/plan.js';
import { formatDateTime } from '../../lib/oslo-time.js';
import { viewsDir } from '../../plugins/views.js';
import { NotFoundError, systemAccess, type LogAccess } from '../../plugins/access/index.js';
import type { MeetingRow, MeetingsRepository, ParticipantRow } from '../meetings/index.js';
import { loadSections, section, type planSection, type RunStatement } from '../logs/index.js';
import { none } from '../../db/one-statement.js';
import type { AuditInsert } from '../../plugins/audit/index.js';
import type { ArchivedPrint, PrintReason, PrintsRepository } from './repository.js';

export type { PrintReason, ArchivedPrint } from './repository.js';

/** Who makes a print: a signed-in person (checked against the log), or the system (a background job). */
export type PrintActor = FastifyRequest | SystemActor;
export interface SystemActor {
  system: true;
  /** The person on whose behalf the job runs, if any (stored as made_by). */
  userId?: number | null;
  locale?: Locale;
}

const isSystem = (actor: PrintActor): actor is SystemActor => 'system' in actor && actor.system === true;

const FILE_REASON: Record<PrintReason, string> = {
  meeting: 'mote',
  yearly: 'arlig',
  transfer: 'overforing',
  closing: 'avslutning',
  deletion: 'sletting',
};

/** The stylesheets, inlined into the PDF's document (nothing is fetched while printing). */
let inlineCss: string | null = null;
function printCss(): string {
  if (inlineCss === null) {
    const css = (name: string) => readFileSync(path.join(viewsDir, '..', 'public', 'css', name), 'utf8');
    inlineCss = `${css('app.css').replace(/@import[^;]*;/g, '')}\n${css('print.css')}`;
  }
  return inlineCss;
}

export function printFilename(logId: number, madeAt: Date, reason: PrintReason): string {
  return `stafett-plan-${logId}-${osloDate(madeAt)}-${FILE_REASON[reason]}.pdf`;
}

/** What the service needs. */
export type PrintsDeps = Pick<
  FastifyInstance,
  'now' | 'audit' | 'config' | 'pdf' | 'view' | 'translator' | 'takeAudit'
> & {
  repository: PrintsRepository;
  /** Runs the print's parts as one statement (the logs service's). */
  statement: RunStatement;
  /** The plan section of the log page (the print shows the same plan). */
  plan: ReturnType<typeof planSection>;
  /** The meeting a print is made for, and its participants, as parts of the print's statement. */
  meetings: Pick<MeetingsRepository, 'findPart' | 'participantsPart'>;
};

export function printsService(deps: PrintsDeps) {
  const { repository, meetings } = deps;

  /** Everything the print template shows. `reader` gives the language; `access` which concerns. */
  async function printView(
    reader: { t: Translate; locale: Locale },
    access: LogAccess,
    options: {
      meetingId?: number | null;
      reason?: PrintReason | null;
      madeBy?: string | null;
      /** Audit rows to write in the print's statement (app.takeAudit). */
      audit?: AuditInsert;
    } = {},
  ) {
    // The plan and the meeting (with its participants) in one statement, with `audit`'s rows.
    const meetingId = options.meetingId ?? null;
    const loaded = await loadSections(
      deps,
      { request: reader as FastifyRequest, access },
      {
        plan: deps.plan,
        meeting: section({
          parts: () =>
            meetingId
              ? {
                  meeting: meetings.findPart(access.log.id, meetingId),
                  participants: meetings.participantsPart(meetingId),
                }
              : {
                  meeting: none<MeetingRow | undefined>(undefined),
                  participants: none([] as ParticipantRow[]),
                },
          build: (data) => data,
        }),
      },
      options.audit,
    );
    const page = loaded.plan;
    const meeting = loaded.meeting.meeting;
    if (options.meetingId && !meeting) throw new NotFoundError();
    const madeAt = deps.now();
    const d = page.detail;
    const planTypeName = reader.t(
      planTypeKey(d.plan_type, d.birth_date, osloDate(madeAt)) as PlainMessageKey,
    );
    const title = reader.t('print.docTitle', {
      planType: planTypeName,
      name: `${d.first_name} ${d.last_name}`,
    });
    return {
      title,
      /** Barnets plan is an "ungeplan" for a young person from 16. */
      planTypeName,
      detail: d,
      guardians: page.guardians,
      consent: page.consent,
      consentState: page.consentState,
      concerns: page.concerns.filter((c) => c.status === 'active'),
      otherConcerns: page.concerns.filter((c) => c.status !== 'active').length,
      meeting: meeting ? { ...meeting, participants: loaded.meeting.participants } : null,
      reason: options.reason ?? (meeting ? 'meeting' : null),
      madeAt,
      madeBy: options.madeBy ?? null,
      t: reader.t,
      locale: reader.locale,
      formatDate: (iso: string | null | undefined) => formatDate(iso, reader.locale),
      /** 21.11.2026: dates in the measure tables, where columns are narrow. */
      formatShortDate: (iso: string | null | undefined) => formatShortDate(iso, reader.locale),
      formatDateTime: (date: Date) => formatDateTime(date, reader.locale),
    };
  }

  return {
    printView,

    /** The newest prints of the log, as a part of a page's statement (src/db/one-statement.ts). */
    listPart: (logId: number, limit: number) => repository.listPart(logId, limit),

    /** The meeting of the log, as a part of a page's statement (for a print with the meeting's agreements). */
    meetingPart: (logId: number, meetingId: number) => meetings.findPart(logId, meetingId),

    /** The print as one self-contained HTML document (inline CSS), as the PDF is made from it. */
    async documentHtml(view: Awaited<ReturnType<typeof printView>>): Promise<string> {
      return (await deps.view('prints/document', { ...view, css: printCss() })) as string;
    },

    /**
     * Makes the PDF of a log and stores it as an archive record; returns the record. A person must be
     * allowed to see the whole log (404 otherwise). Throws PdfError when the PDF cannot be made.
     */
    async archive(
      actor: PrintActor,
      logId: number,
      reason: PrintReason,
      options: {
        meetingId?: number | null;
        /** The print's language (chosen when printing, or the family's); the reader's when not given. */
        locale?: Locale;
      } = {},
    ): Promise<ArchivedPrint> {
      let access: LogAccess;
      let reader: { t: Translate; locale: Locale };
      let madeBy: number | null;
      let madeByName: string | null = null;
      let request: FastifyRequest;
      if (isSystem(actor)) {
        if (!(await repository.logExists(logId))) throw new NotFoundError();
        access = systemAccess(logId);
        const locale = options.locale ?? actor.locale ?? deps.config.defaultLocale;
        reader = { t: deps.translator(locale), locale };
        madeBy = actor.userId ?? null;
        // The audit trail wants a request: a background job has none of its own.
        request = { user: null, id: 'system' } as unknown as FastifyRequest;
      } else {
        access = await actor.logAccess(String(logId), 'log.readAll');
        reader = options.locale ? { t: deps.translator(options.locale), locale: options.locale } : actor;
        madeBy = actor.user!.id;
        madeByName = actor.user!.name;
        request = actor;
      }
      const view = await this.printView(reader, access, {
        meetingId: options.meetingId,
        reason,
        madeBy: madeByName,
      });
      const html = await this.documentHtml(view);
      const when = formatDateTime(view.madeAt, reader.locale);
      const pdf = await deps.pdf.render(
        { html },
        {
          header: view.title,
          footer: {
            left: madeByName
              ? reader.t('print.madeAtBy', { when, name: madeByName })
              : reader.t('print.madeAt', { when }),
            // The PDF footer puts the page number and count where {page} and {total} stand.
            pages: reader.t('print.pageOf', { page: '{page}', total: '{total}' }),
          },
        },
      );
      const filename = printFilename(logId, view.madeAt, reason);
      const id = await repository.insert({
        log_id: logId,
        meeting_id: options.meetingId ?? null,
        reason,
        made_by: madeBy,
        made_at: view.madeAt,
        filename,
        pdf,
        sha256: createHash('sha256').update(pdf).digest('hex'),
      });
      await deps.audit(request, {
        action: 'print.create',
        objectType: 'archive_print',
        objectId: id,
        logId,
        role: isSystem(actor) ? 'system' : access.role,
        unitId: isSystem(actor) ? null : access.unitId,
        ...(isSystem(actor) ? { userId: madeBy } : {}),
      });
      return (await repository.find(logId, id))!;
    },

    list: (logId: number, options?: { meetingId?: number; limit?: number }) =>
      repository.list(logId, options),
    find: (logId: number, printId: number) => repository.find(logId, printId),
    pdf: (logId: number, printId: number) => repository.pdf(logId, printId),
  };
}

export type PrintsService = ReturnType<typeof printsService>;
