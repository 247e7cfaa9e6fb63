/**
 * The meeting invitation as an iCalendar file. An .ics file travels by e-mail and sits in calendars,
 * so it says nothing about the child: the title is "Møte i Stafett", with the time, the place (or
 * phone/video) and a link to the meeting in Stafett, where the purpose and agenda are behind sign-in.
 * The purpose the holder typed is left out on purpose: it often names the child.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Translate } from '../../i18n/index.js';
import type { MeetingRow } from './repository.js';

export function invitation(
  meeting: Pick<
    MeetingRow,
    'id' | 'starts_at' | 'duration_minutes' | 'mode' | 'place' | 'status' | 'version'
  >,
  options: { t: Translate; url: string; host: string; organizer?: { name: string; email: string } },
): string {
  const { t } = options;
  const calendar = ical({
    prodId: { company: 'Stafett', product: 'Stafett', language: 'NB' },
    name: t('meeting.ics.title'),
    method: ICalCalendarMethod.PUBLISH,
  });
  const location =
    meeting.mode === 'in_person'
      ? meeting.place
      : [t(`meeting.mode.${meeting.mode}`), meeting.place].filter(Boolean).join(': ');
  calendar.createEvent({
    id: `meeting-${meeting.id}@${options.host}`,
    sequence: meeting.version,
    start: meeting.starts_at,
    end: new Date(meeting.starts_at.getTime() + meeting.duration_minutes * 60_000),
    summary: t('meeting.ics.title'),
    location: location || null,
    description: t('meeting.ics.description', { url: options.url }),
    url: options.url,
    status: ICalEventStatus.CONFIRMED,
    organizer: options.organizer ?? null,
    stamp: new Date(),
  });
  return calendar.toString();
}
