/**
 * What the meeting pages show: the meeting with its times formatted for the reader, the participants,
 * and the agenda, which starts from the log's active goals (the goals are the agenda).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Locale } from '../../i18n/index.js';
import { formatDate } from '../../lib/dates.js';
import { formatDateTime, formatDateTimeLong, osloTime } from '../../lib/oslo-time.js';
import type { LogAccess } from '../access/service.js';
import type { ConcernView } from '../logs/tree.js';
import { logsService } from '../logs/service.js';
import { MEETING_PHASES } from './phases.js';
import type { MeetingRow } from './repository.js';
import { meetingsService } from './service.js';

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
    date: formatDate(
      new Date(meeting.starts_at).toLocaleDateString('en-CA', { timeZone: 'Europe/Oslo' }),
      locale,
    ),
    timeRange: `${osloTime(meeting.starts_at)}–${osloTime(end)}`,
    nextMeeting: meeting.next_meeting_at ? formatDateTimeLong(meeting.next_meeting_at, locale) : null,
    closedWhen: meeting.closed_at ? formatDateTime(meeting.closed_at, locale) : null,
  };
}

export async function meetingView(
  app: FastifyInstance,
  request: FastifyRequest,
  access: LogAccess,
  meeting: MeetingRow,
) {
  const [participants, page] = await Promise.all([
    meetingsService(app).participants(meeting.id),
    logsService(app).logPage(request, access),
  ]);
  return {
    logId: access.log.id,
    meetingId: meeting.id,
    canWrite: access.can('log.write'),
    meeting: formatMeeting(meeting, request.locale),
    participants,
    childName: page.detail.first_name,
    planType: page.detail.plan_type,
    agenda: agendaFrom(page.concerns),
    phases: MEETING_PHASES,
    page,
  };
}
