/**
 * The meeting forms: planning (day and time in Oslo, duration, mode, place, purpose, participants),
 * cancelling, the agreements and the next meeting, and the family's evaluation.
 */
import t from 'tap';
import { translator } from '../../i18n/index.js';
import { parseAgreements, parseCancel, parseEvaluation, parseMeeting } from './form.js';

const nb = translator('nb');
const day = (name: string, d: string, m: string, y: string) => ({
  [`${name}-day`]: d,
  [`${name}-month`]: m,
  [`${name}-year`]: y,
});
const good = {
  ...day('date', '12', '3', '2026'),
  dateTime: '09:30',
  duration: '60',
  mode: 'in_person',
  place: ' Skolen ',
  purpose: 'Oppstart',
  participants: ['7', '8', '7'],
  child: 'yes',
  otherName1: ' Ola ',
  otherRole1: 'Trener',
  otherName2: '',
  otherRole2: '',
  formToken: 'tok',
};

t.test('a planned meeting: the instant in Oslo, unique participants, only filled-in others', async (t) => {
  const result = parseMeeting(good, nb, [7, 8]);
  t.same(result.errors, []);
  t.same(result.input, {
    startsAt: new Date('2026-03-12T08:30:00Z'),
    durationMinutes: 60,
    mode: 'in_person',
    place: 'Skolen',
    purpose: 'Oppstart',
    participantIds: [7, 8],
    child: true,
    others: [{ name: 'Ola', role: 'Trener' }],
  });
  t.same(result.values.others, [
    { name: 'Ola', role: 'Trener' },
    { name: '', role: '' },
  ]);
});

t.test('an empty post: each required field, in field order', async (t) => {
  const result = parseMeeting({}, nb, [7]);
  t.equal(result.input, null);
  t.same(result.errors, [
    { text: nb('meeting.err.date.missing'), href: '#date-day' },
    { text: nb('meeting.err.time.missing'), href: '#dateTime' },
    { text: nb('meeting.err.duration'), href: '#duration' },
    { text: nb('meeting.err.mode'), href: '#mode' },
    { text: nb('meeting.err.purpose'), href: '#purpose' },
  ]);
});

t.test('dates and times: 31.02, incomplete, before 2000, a time that is not one', async (t) => {
  const impossible = parseMeeting(
    { ...good, ...day('date', '31', '2', '2026'), dateTime: '25:00' },
    nb,
    [7, 8],
  );
  t.same(impossible.errors, [
    { text: nb('meeting.err.date.invalid'), href: '#date-day' },
    { text: nb('meeting.err.time.invalid'), href: '#dateTime' },
  ]);
  t.same(impossible.values.date, { day: '31', month: '2', year: '2026' });
  t.equal(impossible.values.time, '25:00');
  t.same(parseMeeting({ ...good, ...day('date', '12', '', '2026') }, nb, [7, 8]).errors, [
    { text: nb('meeting.err.date.incomplete'), href: '#date-day' },
  ]);
  t.same(parseMeeting({ ...good, ...day('date', '12', '3', '1999') }, nb, [7, 8]).errors, [
    { text: nb('meeting.err.date.invalid'), href: '#date-day' },
  ]);
});

t.test('choices, participants not offered, place required in person, others', async (t) => {
  const result = parseMeeting(
    {
      ...good,
      duration: '61',
      mode: 'carrier pigeon',
      participants: ['9'],
      otherName1: '',
      otherRole1: 'Trener',
    },
    nb,
    [7, 8],
  );
  t.same(result.errors, [
    { text: nb('meeting.err.duration'), href: '#duration' },
    { text: nb('meeting.err.mode'), href: '#mode' },
    { text: nb('meeting.err.participants'), href: '#participants' },
    { text: nb('meeting.err.otherName'), href: '#otherName1' },
  ]);
  t.same(parseMeeting({ ...good, place: '' }, nb, [7, 8]).errors, [
    { text: nb('meeting.err.place'), href: '#place' },
  ]);
  t.same(
    parseMeeting({ ...good, mode: 'video', place: '' }, nb, [7, 8]).errors,
    [],
    'no place for a video call',
  );
});

t.test('text limits and control characters, with the meeting words', async (t) => {
  t.same(parseMeeting({ ...good, purpose: 'x'.repeat(2000) }, nb, [7, 8]).errors, []);
  t.same(parseMeeting({ ...good, purpose: 'x'.repeat(2001), place: 'Sko\u0000len' }, nb, [7, 8]).errors, [
    { text: nb('meeting.err.control', { field: nb('meeting.field.place') }), href: '#place' },
    { text: nb('meeting.err.tooLong', { field: nb('meeting.field.purpose'), max: 2000 }), href: '#purpose' },
  ]);
});

t.test('cancelling needs a reason', async (t) => {
  t.same(parseCancel({ reason: ' Syk ', version: '3' }, nb), {
    values: { reason: 'Syk', version: '3' },
    errors: [],
    input: { reason: 'Syk' },
  });
  t.same(parseCancel({}, nb).errors, [{ text: nb('meeting.err.cancelReason'), href: '#reason' }]);
});

t.test('agreements: the next meeting is optional, but needs both day and time when given', async (t) => {
  t.same(parseAgreements({ agreements: ' Ny plan ' }, nb).input, {
    agreements: 'Ny plan',
    nextMeetingAt: null,
  });
  t.same(parseAgreements({ ...day('next', '1', '4', '2026'), nextTime: '14:00' }, nb).input, {
    agreements: '',
    nextMeetingAt: new Date('2026-04-01T12:00:00Z'),
  });
  t.same(parseAgreements({ nextTime: '14:00' }, nb).errors, [
    { text: nb('meeting.err.next.missing'), href: '#next-day' },
  ]);
  t.same(parseAgreements({ ...day('next', '1', '4', '2026') }, nb).errors, [
    { text: nb('meeting.err.time.missing'), href: '#nextTime' },
  ]);
});

t.test("the family's evaluation: who answers, answers from 1 to 5, at least something", async (t) => {
  const result = parseEvaluation({ respondent: 'child', understood: '4', couldBeDifferent: ' Kortere ' }, nb);
  t.same(result.errors, []);
  t.equal(result.input?.respondent, 'child');
  t.equal(result.input?.answers.understood, 4);
  t.equal(result.input?.answers.respected, null);
  t.equal(result.input?.couldBeDifferent, 'Kortere');
  t.same(parseEvaluation({ respondent: 'child' }, nb).errors, [
    { text: nb('meeting.err.evaluationEmpty'), href: '#said_what_wanted' },
  ]);
  const wrong = parseEvaluation({ respondent: 'cat', respected: '6' }, nb);
  t.same(wrong.errors, [
    { text: nb('meeting.err.respondent'), href: '#respondent' },
    { text: nb('meeting.err.scale'), href: '#respected' },
  ]);
  t.equal(wrong.values.answers.respected, '6');
});
