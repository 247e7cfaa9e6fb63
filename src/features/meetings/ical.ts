/**
 * The meeting invitation as an iCalendar file. An .ics file travels by e-mail and sits in calendars,
 * so it says nothing about the child: the title is "Møte i Stafett", with the time, the place (or
 * phone/video) and a link to the meeting in Stafett, where the purpose and agenda are behind sign-in.
 * The purpose the holder typed and a cancellation's reason are left out on purpose: they often name the
 * child. The same UID and a rising SEQUENCE let a calendar replace the event it has (METHOD:REQUEST) or
 * remove it (METHOD:CANCEL, for a cancelled meeting or a person taken off it).
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Locale, Translate } from '../../i18n/index.js';
import type { MeetingRow } from './repository.js';

export type InvitationMethod = 'PUBLISH' | 'REQUEST' | 'CANCEL';

export function invitation(
  meeting: Pick<
    MeetingRow,
    'id' | 'starts_at' | 'duration_minutes' | 'mode' | 'place' | 'status' | 'version'
  >,
  options: {
    t: Translate;
    /** The language t writes in; named in the calendar's PRODID. Default bokmål. */
    locale?: Locale;
    url: string;
    host: string;
    organizer?: { name: string; email: string };
    /** The one the e-mail goes to (address only, no name); e-mailed invitations name their attendee. */
    attendee?: string;
    method?: InvitationMethod;
  },
): string {
  const { t } = options;
  const method =
    options.method ?? (meeting.status === 'cancelled' ? 'CANCEL' : ('PUBLISH' as InvitationMethod));
  const calendar = ical({
    prodId: { company: 'Stafett', product: 'Stafett', language: (options.locale ?? 'nb').toUpperCase() },
    name: t('meeting.ics.title'),
    method: ICalCalendarMethod[method],
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
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: options.organizer ?? null,
    attendees: options.attendee ? [{ email: options.attendee, rsvp: false }] : [],
    stamp: new Date(),
  });
  return calendar.toString();
}
