/**
 * What the meeting pages show: the meeting with its times formatted for the reader, the participants,
 * and the agenda, which starts from the log's active goals (the goals are the agenda).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Locale } from '../../i18n/index.js';
import { formatDate, osloDate } from '../../lib/dates.js';
import { formatDateTime, formatDateTimeLong, osloTime } from '../../lib/oslo-time.js';
import type { LogAccess } from '../../plugins/access/index.js';
import type { ConcernView } from '../../domain/plan-tree.js';
import { loadSections, section } from '../logs/index.js';
import type { AuditInsert } from '../../plugins/audit/index.js';
import { MEETING_PHASES } from './phases.js';
import type { MeetingRow } from './repository.js';

export interface AgendaConcern {
  id: number;
  title: string;
  goals: { id: number; text: string }[];
}

/** The goals as agenda: each active concern with its active goals, in the plan's order. */
export function agendaFrom(concerns: ConcernView[]): AgendaConcern[] {
  return concerns
    .filter((c) => c.status === 'active')
    .map((c) => ({
      id: c.id,
      title: c.title,
      goals: c.goals.filter((g) => g.status === 'active').map((g) => ({ id: g.id, text: g.text })),
    }));
}

export function formatMeeting(meeting: MeetingRow, locale: Locale) {
  const end = new Date(meeting.starts_at.getTime() + meeting.duration_minutes * 60_000);
  return {
    ...meeting,
    when: formatDateTimeLong(meeting.starts_at, locale),
    date: formatDate(osloDate(meeting.starts_at), locale),
    timeRange: `${osloTime(meeting.starts_at)}–${osloTime(end)}`,
    nextMeeting: meeting.next_meeting_at ? formatDateTimeLong(meeting.next_meeting_at, locale) : null,
    closedWhen: meeting.closed_at ? formatDateTime(meeting.closed_at, locale) : null,
    cancelledWhen: meeting.cancelled_at ? formatDateTime(meeting.cancelled_at, locale) : null,
  };
}

/**
 * The meeting page's data in one statement: the plan (features/logs/plan-section.ts), the participants
 * and the family's evaluations, with `audit`'s rows written in the same statement.
 */
export async function meetingView(
  app: FastifyInstance,
  request: FastifyRequest,
  access: LogAccess,
  meeting: MeetingRow,
  audit?: AuditInsert,
) {
  const repository = app.services.meetings.repository;
  const loaded = await loadSections(
    { now: () => app.now(), statement: app.services.logs.statement },
    { request, access },
    {
      plan: app.services.logs.planSection,
      meeting: section({
        parts: () => ({
          participants: repository.participantsPart(meeting.id),
          evaluations: repository.evaluationsPart(meeting.id),
        }),
        build: (data) => data,
      }),
    },
    audit,
  );
  const page = loaded.plan;
  return {
    logId: access.log.id,
    meetingId: meeting.id,
    canWrite: access.can('log.write'),
    meeting: formatMeeting(meeting, request.locale),
    participants: loaded.meeting.participants,
    childName: page.detail.first_name,
    planType: page.detail.plan_type,
    birthDate: page.detail.birth_date,
    agenda: agendaFrom(page.concerns),
    phases: MEETING_PHASES,
    page,
    /** The family's evaluations of the meeting (meetings/show shows them, meeting mode counts them). */
    evaluationRows: loaded.meeting.evaluations,
  };
}
