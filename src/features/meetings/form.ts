/**
 * The meeting forms: planning a meeting (time, place, purpose, participants), the agreements and next
 * meeting, and the family's evaluation of the meeting. Each returns { values, parsed, errors }.
 */
import type { PlainMessageKey, Translate } from '../../i18n/index.js';
import { asBody, dateParts, Errors, oneOf, str, strings, textProblem } from '../../lib/form.js';
import { parseDateParts, type DateParts } from '../../lib/dates.js';
import { osloInstant, parseTimeOfDay } from '../../lib/oslo-time.js';
import { MEETING_MODES } from '../../domain/meetings.js';

import type { MeetingMode } from '../../domain/meetings.js';
export type { MeetingMode };
export const DURATIONS = ['30', '45', '60', '90', '120'] as const;
/** Empty rows for "others" on the form, after the ones already filled in. */
export const EMPTY_OTHER_ROWS = 3;
export const MAX_OTHERS = 20;

export interface OtherParticipant {
  name: string;
  role: string;
}

export interface MeetingValues {
  date: DateParts;
  time: string;
  duration: string;
  mode: string;
  place: string;
  purpose: string;
  participants: string[];
  /** 'yes' when the child takes part. */
  child: string;
  others: OtherParticipant[];
  formToken: string;
  version: string;
}

export interface MeetingParsed {
  startsAt: Date;
  durationMinutes: number;
  mode: MeetingMode;
  place: string;
  purpose: string;
  participantIds: number[];
  child: boolean;
  others: OtherParticipant[];
}

/** Checks one text; adds the field's error and answers whether it was fine. */
function text(
  errors: Errors,
  t: Translate,
  id: string,
  value: string,
  max: number,
  label: string,
  required?: PlainMessageKey,
): void {
  const problem = textProblem(value, { required: Boolean(required), max });
  if (problem === 'required' && required) errors.add(id, t(required));
  else if (problem === 'tooLong') errors.add(id, t('meeting.err.tooLong', { field: label, max }));
  else if (problem === 'control') errors.add(id, t('meeting.err.control', { field: label }));
}

/** A day and a time of day, both required (or both optional); the instant, or null with an error added. */
function dateAndTime(
  errors: Errors,
  t: Translate,
  name: 'date' | 'next',
  parts: DateParts,
  time: string,
  required: boolean,
): Date | null {
  const { value, problem } = parseDateParts(parts);
  const timeGiven = time.trim() !== '';
  if (problem === 'missing' && !timeGiven && !required) return null;
  if (problem === 'missing') errors.add(`${name}-day`, t(`meeting.err.${name}.missing`));
  else if (problem)
    errors.add(
      `${name}-day`,
      t(problem === 'incomplete' ? 'meeting.err.date.incomplete' : 'meeting.err.date.invalid'),
    );
  else if (Number(value!.slice(0, 4)) < 2000 || Number(value!.slice(0, 4)) > 2100)
    errors.add(`${name}-day`, t('meeting.err.date.invalid'));
  const clock = parseTimeOfDay(time);
  if (!timeGiven) errors.add(`${name}Time`, t('meeting.err.time.missing'));
  else if (!clock) errors.add(`${name}Time`, t('meeting.err.time.invalid'));
  if (!value || !clock || errors.list.some((e) => e.href === `#${name}-day`)) return null;
  return osloInstant(value, clock);
}

export function emptyOthers(others: OtherParticipant[] = []): OtherParticipant[] {
  return [...others, ...Array.from({ length: EMPTY_OTHER_ROWS }, () => ({ name: '', role: '' }))];
}

export function parseMeeting(
  rawBody: unknown,
  t: Translate,
  candidateIds: number[],
): { values: MeetingValues; parsed: MeetingParsed | null; errors: Errors } {
  const body = asBody(rawBody);
  const others: OtherParticipant[] = [];
  for (let i = 1; i <= MAX_OTHERS; i += 1) {
    if (!(`otherName${i}` in body) && !(`otherRole${i}` in body)) continue;
    others.push({ name: str(body, `otherName${i}`).trim(), role: str(body, `otherRole${i}`).trim() });
  }
  const values: MeetingValues = {
    date: dateParts(body, 'date'),
    time: str(body, 'dateTime').trim(),
    duration: str(body, 'duration'),
    mode: str(body, 'mode'),
    place: str(body, 'place').trim(),
    purpose: str(body, 'purpose').trim(),
    participants: strings(body, 'participants'),
    child: str(body, 'child') === 'yes' ? 'yes' : '',
    others,
    formToken: str(body, 'formToken'),
    version: str(body, 'version'),
  };
  const errors = new Errors();
  const startsAt = dateAndTime(errors, t, 'date', values.date, values.time, true);
  const duration = oneOf(values.duration, DURATIONS);
  if (!duration) errors.add('duration', t('meeting.err.duration'));
  const mode = oneOf(values.mode, MEETING_MODES);
  if (!mode) errors.add('mode', t('meeting.err.mode'));
  text(
    errors,
    t,
    'place',
    values.place,
    300,
    t('meeting.field.place'),
    mode === 'in_person' ? 'meeting.err.place' : undefined,
  );
  text(errors, t, 'purpose', values.purpose, 2000, t('meeting.field.purpose'), 'meeting.err.purpose');
  const ids = values.participants.map(Number);
  if (ids.some((id) => !candidateIds.includes(id))) errors.add(`participants`, t('meeting.err.participants'));
  others.forEach((o, i) => {
    const n = i + 1;
    text(
      errors,
      t,
      `otherName${n}`,
      o.name,
      200,
      t('meeting.field.otherName', { n }),
      o.role ? 'meeting.err.otherName' : undefined,
    );
    text(errors, t, `otherRole${n}`, o.role, 200, t('meeting.field.otherRole', { n }));
  });
  const parsed =
    errors.empty && startsAt && duration && mode
      ? {
          startsAt,
          durationMinutes: Number(duration),
          mode,
          place: values.place,
          purpose: values.purpose,
          participantIds: [...new Set(ids)],
          child: values.child === 'yes',
          others: others.filter((o) => o.name !== ''),
        }
      : null;
  return { values, parsed, errors };
}

// ---- cancelling ----

export interface CancelValues {
  reason: string;
  version: string;
}

export function parseCancel(
  rawBody: unknown,
  t: Translate,
): { values: CancelValues; parsed: { reason: string } | null; errors: Errors } {
  const body = asBody(rawBody);
  const values = { reason: str(body, 'reason').trim(), version: str(body, 'version') };
  const errors = new Errors();
  text(errors, t, 'reason', values.reason, 2000, t('meeting.cancel.reason'), 'meeting.err.cancelReason');
  return { values, parsed: errors.empty ? { reason: values.reason } : null, errors };
}

// ---- agreements and the next meeting ----

export interface AgreementValues {
  agreements: string;
  next: DateParts;
  nextTime: string;
  version: string;
}

export function parseAgreements(
  rawBody: unknown,
  t: Translate,
): {
  values: AgreementValues;
  parsed: { agreements: string; nextMeetingAt: Date | null } | null;
  errors: Errors;
} {
  const body = asBody(rawBody);
  const values: AgreementValues = {
    agreements: str(body, 'agreements').trim(),
    next: dateParts(body, 'next'),
    nextTime: str(body, 'nextTime').trim(),
    version: str(body, 'version'),
  };
  const errors = new Errors();
  text(errors, t, 'agreements', values.agreements, 5000, t('meeting.field.agreements'));
  const nextMeetingAt = dateAndTime(errors, t, 'next', values.next, values.nextTime, false);
  return { values, parsed: errors.empty ? { agreements: values.agreements, nextMeetingAt } : null, errors };
}

// ---- the family's evaluation of the meeting ----

/** The follow-up plan guide's questions, asked on a scale of 1 (not at all) to 5 (very much). */
export const EVALUATION_QUESTIONS = [
  'said_what_wanted',
  'understood',
  'talked_about_important',
  'respected',
  'language_clear',
  'help_coherent',
] as const;
export type EvaluationQuestion = (typeof EVALUATION_QUESTIONS)[number];
export const SCALE = ['1', '2', '3', '4', '5'] as const;
export const RESPONDENTS = ['guardian', 'child', 'other'] as const;

export interface EvaluationValues {
  respondent: string;
  answers: Record<EvaluationQuestion, string>;
  couldBeDifferent: string;
  formToken: string;
}

export interface EvaluationParsed {
  respondent: (typeof RESPONDENTS)[number];
  answers: Record<EvaluationQuestion, number | null>;
  couldBeDifferent: string;
}

export function emptyEvaluation(formToken: string): EvaluationValues {
  return {
    respondent: '',
    answers: Object.fromEntries(EVALUATION_QUESTIONS.map((q) => [q, ''])) as Record<
      EvaluationQuestion,
      string
    >,
    couldBeDifferent: '',
    formToken,
  };
}

export function parseEvaluation(
  rawBody: unknown,
  t: Translate,
): { values: EvaluationValues; parsed: EvaluationParsed | null; errors: Errors } {
  const body = asBody(rawBody);
  const values: EvaluationValues = {
    respondent: str(body, 'respondent'),
    answers: Object.fromEntries(EVALUATION_QUESTIONS.map((q) => [q, str(body, q)])) as Record<
      EvaluationQuestion,
      string
    >,
    couldBeDifferent: str(body, 'couldBeDifferent').trim(),
    formToken: str(body, 'formToken'),
  };
  const errors = new Errors();
  const respondent = oneOf(values.respondent, RESPONDENTS);
  if (!respondent) errors.add('respondent', t('meeting.err.respondent'));
  const answers = {} as Record<EvaluationQuestion, number | null>;
  for (const q of EVALUATION_QUESTIONS) {
    const raw = values.answers[q];
    if (raw !== '' && !oneOf(raw, SCALE)) errors.add(q, t('meeting.err.scale'));
    answers[q] = oneOf(raw, SCALE) ? Number(raw) : null;
  }
  text(errors, t, 'couldBeDifferent', values.couldBeDifferent, 2000, t('meeting.eval.couldBeDifferent'));
  if (
    errors.empty &&
    EVALUATION_QUESTIONS.every((q) => answers[q] === null) &&
    values.couldBeDifferent === ''
  ) {
    errors.add(EVALUATION_QUESTIONS[0], t('meeting.err.evaluationEmpty'));
  }
  return {
    values,
    parsed:
      errors.empty && respondent ? { respondent, answers, couldBeDifferent: values.couldBeDifferent } : null,
    errors,
  };
}
