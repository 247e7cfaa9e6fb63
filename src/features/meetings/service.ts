/**
 * Rules for meetings: planning (also before any concern exists), participants from the log and others
 * by name, starting and running one meeting at a time, the phase, agreements and the next meeting, the
 * family's evaluation, and closing, which stores the plan as a PDF. Every change is audited, without text.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import type { Once, Transaction } from '../../db/handles.js';
import { formatDateTime, formatDateTimeLong } from '../../lib/oslo-time.js';
import type { LogAccess } from '../../plugins/access/index.js';
import { PdfError } from '../../plugins/pdf.js';
import { isUniqueViolation } from '../../db/form-submissions.js';
import type { ArchivedPrint } from '../../domain/prints.js';
import { section } from '../logs/index.js';
import { none, type Part } from '../../db/one-statement.js';
import type { EvaluationParsed, MeetingParsed } from './form.js';
import {
  meetingsRepository,
  type Candidate,
  type MeetingPhase,
  type MeetingRow,
  type MeetingsRepository,
} from './repository.js';
import { queueMeetingMail } from './mail.js';
import type { LanguagesService } from '../languages/index.js';
import type { Locale } from '../../i18n/index.js';

export type SaveResult = { ok: true } | { ok: false; current: MeetingRow };

export interface CloseResult {
  print: ArchivedPrint | null;
  printError: PdfError | null;
  nextMeetingId: number | null;
}

/**
 * A transfer hands the log's coming meetings to the new holder (in the transfer's transaction): they
 * get invitations, and the old holder, unless chosen to stay, a cancellation of each.
 */
export async function handOverMeetings(
  deps: Pick<FastifyInstance, 'now' | 'jobs'>,
  trx: Knex.Transaction,
  logId: number,
  change: { from: number; to: number; oldHolderStays: boolean },
): Promise<void> {
  // The hand-over runs wholly in the transfer's transaction.
  const repository = meetingsRepository(trx);
  const { meetingIds } = await repository.handOver(trx, logId, { ...change, now: deps.now() });
  for (const id of meetingIds) {
    await queueMeetingMail(deps, id, [change.to], 'REQUEST', trx);
    if (!change.oldHolderStays && change.from !== change.to)
      await queueMeetingMail(deps, id, [change.from], 'CANCEL', trx);
  }
}

/** The partial unique index that lets one meeting per log run at a time (migrations/…_meetings.ts). */
const ONE_RUNNING_INDEX = 'meetings_one_running_per_log';

/** What meetings use of the prints feature (built in src/services.ts): the meeting's print, the newest prints. */
export interface MeetingPrints {
  archive(
    actor: FastifyRequest,
    logId: number,
    reason: 'meeting',
    options: { meetingId: number; locale: Locale },
  ): Promise<ArchivedPrint>;
  listPart(logId: number, limit: number): Part<ArchivedPrint[]>;
}

/** What the service needs. */
export type MeetingsDeps = Pick<FastifyInstance, 'now' | 'audit' | 'config' | 'jobs'> & {
  repository: MeetingsRepository;
  once: Once;
  transaction: Transaction;
  languages: LanguagesService;
  prints: MeetingPrints;
};

export function meetingsService(deps: MeetingsDeps) {
  const { repository, languages } = deps;

  /**
   * The meeting print's language: the family's when they chose one (a guardian's or the youth's stored
   * choice), else the holder's: their stored choice, or the pages' language when the holder prints.
   */
  async function meetingPrintLocale(request: FastifyRequest, access: LogAccess): Promise<Locale> {
    const family = await languages.familyLocale(access.log.id);
    if (family) return family;
    const holderId = access.log.holder_id;
    const holder = holderId ? await languages.chosenLocale(holderId) : null;
    if (holder) return holder;
    return request.user?.id === holderId ? request.locale : deps.config.defaultLocale;
  }
  const audit = (_request: FastifyRequest, access: LogAccess, action: string, meetingId: number) =>
    ({
      action,
      objectType: 'meeting',
      objectId: meetingId,
      logId: access.log.id,
      role: access.role,
      unitId: access.unitId,
    }) as const;

  /**
   * The people to store: the child when chosen (with the youth's own account if there is one), chosen
   * people in the log (name, and a title as it is today or else the kind of person) and others.
   */
  async function participantRows(
    access: LogAccess,
    parsed: Pick<MeetingParsed, 'participantIds' | 'others' | 'child'>,
    candidates: Candidate[],
  ) {
    const youth = candidates.find((c) => c.kind === 'youth');
    const child = parsed.child
      ? [
          {
            user_id: youth?.userId ?? null,
            name: youth?.name ?? (await repository.childFirstName(access.log.child_id)),
            role: '',
            is_child: true,
          },
        ]
      : [];
    return [
      ...child,
      ...candidates
        .filter((c) => c.kind !== 'youth' && parsed.participantIds.includes(c.userId))
        .map((c) => ({
          user_id: c.userId,
          name: c.name,
          // A title as written; otherwise the kind, put in words in each reader's language.
          role: c.role,
          kind: c.role ? null : c.kind,
        })),
      ...parsed.others.map((o) => ({ user_id: null, name: o.name, role: o.role })),
    ];
  }

  /**
   * Who can be chosen: the people in the log, and for a planned meeting also anyone with an account who
   * is in it already (a former holder kept after a transfer), so editing never drops them unasked.
   */
  async function candidatesFor(access: LogAccess, meetingId?: number): Promise<Candidate[]> {
    const [inLog, current] = await Promise.all([
      repository.candidates(access.log.id),
      meetingId ? repository.participants(meetingId) : Promise.resolve([]),
    ]);
    const kept = current
      .filter((p) => p.user_id !== null && !p.is_child && !inLog.some((c) => c.userId === p.user_id))
      .map((p) => ({ userId: p.user_id!, name: p.name, role: p.role, kind: p.kind ?? ('actor' as const) }));
    return [...inLog, ...kept];
  }

  return {
    /** The meetings' SQL, for the routes' parts of the access check's statement and the mail job. */
    repository,
    find: (access: LogAccess, meetingId: number) => repository.find(access.log.id, meetingId),
    list: (access: LogAccess) => repository.list(access.log.id),
    participants: (meetingId: number) => repository.participants(meetingId),
    candidates: (access: LogAccess, meetingId?: number) => candidatesFor(access, meetingId),
    evaluations: (meetingId: number) => repository.evaluations(meetingId),
    childFirstName: (access: LogAccess) => repository.childFirstName(access.log.child_id),
    holderContact: (access: LogAccess) => repository.holderContact(access.log.holder_id),

    /** The meetings box on the log page (only for those who see the whole log): registered in routes.ts. */
    logPageSection: section({
      parts: ({ access }) =>
        access.can('log.readAll')
          ? {
              meetings: repository.listPart(access.log.id),
              prints: deps.prints.listPart(access.log.id, 3),
            }
          : { meetings: none([] as MeetingRow[]), prints: none([] as ArchivedPrint[]) },
      build: ({ meetings, prints }, { request, access, now: at, changesAt }) => {
        if (!access.can('log.readAll')) return null;
        const now = at.getTime();
        const ends = (m: MeetingRow) => m.starts_at.getTime() + m.duration_minutes * 60_000;
        const planned = meetings.filter((m) => m.status === 'planned' && ends(m) >= now);
        // A planned meeting leaves "upcoming" when it ends: the page's content changes then.
        for (const m of planned) changesAt(new Date(ends(m) + 1));
        const when = (d: Date) => formatDateTimeLong(d, request.locale);
        const shown = (m: MeetingRow) => ({
          id: m.id,
          when: when(m.starts_at),
          purpose: m.purpose,
          status: m.status,
        });
        return {
          meetings: {
            logId: access.log.id,
            canWrite: access.can('log.write'),
            running: meetings.filter((m) => m.status === 'running').map(shown),
            upcoming: planned.reverse().slice(0, 3).map(shown),
            total: meetings.length,
            prints: prints.map((p) => ({
              id: p.id,
              reason: p.reason,
              when: formatDateTime(p.made_at, request.locale),
              size: p.size,
            })),
          },
        };
      },
    }),

    /** Creates the meeting once per form token; answers where to go. */
    async create(
      request: FastifyRequest,
      access: LogAccess,
      parsed: MeetingParsed,
      formToken: string,
    ): Promise<string> {
      const user = request.user!;
      const candidates = await repository.candidates(access.log.id);
      const people = await participantRows(access, parsed, candidates);
      const done = await deps.once(formToken, user.id, async (trx) => {
        const id = await repository.insert(trx, {
          log_id: access.log.id,
          starts_at: parsed.startsAt,
          duration_minutes: parsed.durationMinutes,
          mode: parsed.mode,
          place: parsed.place,
          purpose: parsed.purpose,
          created_by: user.id,
          now: deps.now(),
        });
        await repository.replaceParticipants(trx, id, people);
        await queueMeetingMail(deps, id, await repository.participantUserIds(id, trx), 'REQUEST', trx);
        await deps.audit(request, audit(request, access, 'meeting.create', id), trx);
        return `/logs/${access.log.id}/meetings/${id}`;
      });
      return done.result || `/logs/${access.log.id}/meetings`;
    },

    async update(
      request: FastifyRequest,
      access: LogAccess,
      meetingId: number,
      version: number,
      parsed: MeetingParsed,
    ): Promise<SaveResult> {
      const candidates = await candidatesFor(access, meetingId);
      const rows = await participantRows(access, parsed, candidates);
      return deps.transaction(async (trx) => {
        const saved = await repository.update(trx, access.log.id, meetingId, version, {
          starts_at: parsed.startsAt,
          duration_minutes: parsed.durationMinutes,
          mode: parsed.mode,
          place: parsed.place,
          purpose: parsed.purpose,
          updated_at: deps.now(),
        });
        if (!saved) return { ok: false, current: (await repository.find(access.log.id, meetingId, trx))! };
        const before = await repository.participantUserIds(meetingId, trx);
        await repository.replaceParticipants(trx, meetingId, rows);
        await deps.audit(request, audit(request, access, 'meeting.update', meetingId), trx);
        // Everyone in it gets the updated calendar file; anyone taken off it, a cancellation.
        const after = await repository.participantUserIds(meetingId, trx);
        const status = (await repository.find(access.log.id, meetingId, trx))?.status;
        if (status === 'planned') {
          await queueMeetingMail(deps, meetingId, after, 'REQUEST', trx);
          const removed = before.filter((id) => !after.includes(id));
          await queueMeetingMail(deps, meetingId, removed, 'CANCEL', trx);
        }
        return { ok: true };
      });
    },

    /** Cancels a planned meeting with its reason; every participant with an account is told by e-mail. */
    async cancel(
      request: FastifyRequest,
      access: LogAccess,
      meeting: MeetingRow,
      reason: string,
    ): Promise<boolean> {
      return deps.transaction(async (trx) => {
        const done = await repository.cancel(trx, access.log.id, meeting.id, {
          cancel_reason: reason,
          cancelled_at: deps.now(),
          cancelled_by: request.user!.id,
        });
        if (!done) return false;
        await deps.audit(request, audit(request, access, 'meeting.cancel', meeting.id), trx);
        await queueMeetingMail(
          deps,
          meeting.id,
          await repository.participantUserIds(meeting.id, trx),
          'CANCEL',
          trx,
        );
        return true;
      });
    },

    /** Starts the meeting at the welcome; refuses while another meeting in the log runs. */
    async start(
      request: FastifyRequest,
      access: LogAccess,
      meeting: MeetingRow,
    ): Promise<{ ok: true } | { ok: false; running: MeetingRow }> {
      if (meeting.status !== 'planned') return { ok: true };
      const other = await repository.running(access.log.id);
      if (other && other.id !== meeting.id) return { ok: false, running: other };
      try {
        await repository.setFields(access.log.id, meeting.id, {
          status: 'running',
          started_at: deps.now(),
          current_phase: 'welcome',
          updated_at: deps.now(),
        });
      } catch (error) {
        // Another meeting of the log was started at the same moment: one runs at a time.
        if (!isUniqueViolation(error, ONE_RUNNING_INDEX)) throw error;
        const running = await repository.running(access.log.id);
        if (!running) throw error;
        return { ok: false, running };
      }
      await deps.audit(request, audit(request, access, 'meeting.start', meeting.id));
      return { ok: true };
    },

    async setPhase(
      request: FastifyRequest,
      access: LogAccess,
      meeting: MeetingRow,
      phase: MeetingPhase,
    ): Promise<void> {
      await repository.setFields(access.log.id, meeting.id, {
        current_phase: phase,
        updated_at: deps.now(),
      });
      await deps.audit(request, audit(request, access, 'meeting.phase', meeting.id));
    },

    async saveAgreements(
      request: FastifyRequest,
      access: LogAccess,
      meeting: MeetingRow,
      version: number,
      parsed: { agreements: string; nextMeetingAt: Date | null },
    ): Promise<SaveResult> {
      return deps.transaction(async (trx) => {
        const saved = await repository.update(trx, access.log.id, meeting.id, version, {
          agreements: parsed.agreements,
          next_meeting_at: parsed.nextMeetingAt,
          updated_at: deps.now(),
        });
        if (!saved) return { ok: false, current: (await repository.find(access.log.id, meeting.id, trx))! };
        await deps.audit(request, audit(request, access, 'meeting.agreements', meeting.id), trx);
        return { ok: true };
      });
    },

    async evaluate(
      request: FastifyRequest,
      access: LogAccess,
      meeting: MeetingRow,
      parsed: EvaluationParsed,
      formToken: string,
    ): Promise<void> {
      const user = request.user!;
      await deps.once(formToken, user.id, async (trx) => {
        const id = await repository.insertEvaluation(trx, meeting.id, parsed, user.id, deps.now());
        await deps.audit(
          request,
          {
            ...audit(request, access, 'meeting.evaluation', meeting.id),
            objectType: 'meeting_evaluation',
            objectId: id,
          },
          trx,
        );
        return String(id);
      });
    },

    /**
     * Closes the meeting, plans the next one when asked (same place and people), and stores the plan as
     * a PDF. The meeting is closed even when the PDF cannot be made; the error is returned for the page.
     */
    async close(
      request: FastifyRequest,
      access: LogAccess,
      meeting: MeetingRow,
      options: { planNext: boolean },
    ): Promise<CloseResult> {
      let nextMeetingId: number | null = null;
      if (meeting.status !== 'closed') {
        nextMeetingId = await deps.transaction(async (trx) => {
          await repository.set(trx, access.log.id, meeting.id, {
            status: 'closed',
            closed_at: deps.now(),
            closed_by: request.user!.id,
            current_phase: 'closing',
            updated_at: deps.now(),
          });
          await deps.audit(request, audit(request, access, 'meeting.close', meeting.id), trx);
          if (!options.planNext || !meeting.next_meeting_at) return null;
          const id = await repository.insert(trx, {
            log_id: access.log.id,
            starts_at: meeting.next_meeting_at,
            duration_minutes: meeting.duration_minutes,
            mode: meeting.mode,
            place: meeting.place,
            purpose: request.t('meeting.next.purpose', {
              date: formatDateTime(meeting.starts_at, request.locale),
            }),
            created_by: request.user!.id,
            now: deps.now(),
          });
          const people = await repository.participantsToCopy(trx, meeting.id);
          await repository.replaceParticipants(trx, id, people);
          await queueMeetingMail(deps, id, await repository.participantUserIds(id, trx), 'REQUEST', trx);
          await deps.audit(request, audit(request, access, 'meeting.create', id), trx);
          return id;
        });
      }
      const printed = await this.print(request, access, meeting.id);
      return { ...printed, nextMeetingId };
    },

    /** The meeting's PDF, stored in the archive; a failure is returned, not thrown. */
    async print(
      request: FastifyRequest,
      access: LogAccess,
      meetingId: number,
    ): Promise<{ print: ArchivedPrint | null; printError: PdfError | null }> {
      try {
        return {
          print: await deps.prints.archive(request, access.log.id, 'meeting', {
            meetingId,
            locale: await meetingPrintLocale(request, access),
          }),
          printError: null,
        };
      } catch (error) {
        if (!(error instanceof PdfError)) throw error;
        request.log.error({ err: error, reason: error.reason }, 'meeting print failed');
        return { print: null, printError: error };
      }
    },
  };
}

export type MeetingsService = ReturnType<typeof meetingsService>;
