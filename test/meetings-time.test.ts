/** Oslo wall-clock times for meetings, the phases and the 20/80 time guide: pure functions. */
import t from 'tap';
import { formatDateTime, osloInstant, osloTime, parseTimeOfDay } from '../src/lib/oslo-time.js';
import { nextPhase, previousPhase, timeGuide } from '../src/features/meetings/phases.js';
import { invitation } from '../src/features/meetings/ical.js';
import { translator } from '../src/i18n/index.js';

t.test('times of day are read as people type them', async (t) => {
  t.equal(parseTimeOfDay('9'), '09:00');
  t.equal(parseTimeOfDay('09:30'), '09:30');
  t.equal(parseTimeOfDay('9.30'), '09:30');
  t.equal(parseTimeOfDay(' 1415 '), '14:15');
  t.equal(parseTimeOfDay('24:00'), null);
  t.equal(parseTimeOfDay('12:60'), null);
  t.equal(parseTimeOfDay('kl 9'), null);
  t.equal(parseTimeOfDay(''), null);
});

t.test('Oslo wall-clock times become the right instants, summer and winter', async (t) => {
  t.equal(osloInstant('2027-01-15', '09:30').toISOString(), '2027-01-15T08:30:00.000Z');
  t.equal(osloInstant('2027-06-15', '09:30').toISOString(), '2027-06-15T07:30:00.000Z');
  t.equal(
    osloInstant('2027-03-28', '12:00').toISOString(),
    '2027-03-28T10:00:00.000Z',
    'the day summer time starts',
  );
  t.equal(osloTime(new Date('2027-10-31T10:00:00Z')), '11:00', 'the day summer time ends');
  t.equal(formatDateTime(new Date('2027-06-15T07:30:00Z')), '15. juni 2027 kl. 09:30');
  t.equal(formatDateTime(new Date('2027-06-15T07:30:00Z'), 'en'), '15 June 2027 at 09:30');
});

t.test('phases go in the guide’s order', async (t) => {
  t.equal(nextPhase(null), 'welcome');
  t.equal(nextPhase('welcome'), 'current_situation');
  t.equal(nextPhase('closing'), null);
  t.equal(previousPhase('welcome'), null);
  t.equal(previousPhase('measures'), 'concerns_goals');
});

t.test('the time guide splits the meeting 20/80 and nudges quietly', async (t) => {
  const start = new Date('2027-01-15T08:00:00Z');
  const meeting = {
    starts_at: start,
    started_at: null,
    duration_minutes: 60,
    current_phase: 'current_situation' as const,
  };
  const early = timeGuide(meeting, new Date('2027-01-15T08:05:00Z'));
  t.equal(early.statusMinutes, 12);
  t.equal(early.aheadMinutes, 48);
  t.equal(early.statusUntil.toISOString(), '2027-01-15T08:12:00.000Z');
  t.equal(early.elapsedMinutes, 5);
  t.notOk(early.statusOverdue);
  t.ok(timeGuide(meeting, new Date('2027-01-15T08:20:00Z')).statusOverdue, 'still on status after its share');
  t.notOk(
    timeGuide({ ...meeting, current_phase: 'measures' }, new Date('2027-01-15T08:20:00Z')).statusOverdue,
    'not once past status',
  );
  const over = timeGuide(meeting, new Date('2027-01-15T09:30:00Z'));
  t.ok(over.over);
  t.equal(over.elapsedMinutes, 60, 'capped at the length');
  const startedLate = timeGuide(
    { ...meeting, started_at: new Date('2027-01-15T08:10:00Z') },
    new Date('2027-01-15T08:15:00Z'),
  );
  t.equal(startedLate.elapsedMinutes, 5, 'counts from when it actually started');
});

t.test('the invitation file', async (t) => {
  const ics = invitation(
    {
      id: 7,
      starts_at: new Date('2027-01-15T08:00:00Z'),
      duration_minutes: 90,
      mode: 'video',
      place: 'Teams',
      status: 'planned',
      version: 3,
    },
    { t: translator('nb'), url: 'https://stafett.example/logs/1/meetings/7', host: 'stafett.example' },
  );
  t.match(ics, /UID:meeting-7@stafett\.example/);
  t.match(ics, /SEQUENCE:3/);
  t.match(ics, /DTSTART:20270115T080000Z/);
  t.match(ics, /DTEND:20270115T093000Z/);
  t.match(ics, /SUMMARY:Møte i Stafett/);
  t.match(ics, /LOCATION:Video: Teams/);
});
