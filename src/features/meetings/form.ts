/**
 * The meeting forms: planning a meeting (time, place, purpose, participants), the agreements and next
 * meeting, and the family's evaluation of the meeting. Each returns FormResult { values, errors, input }.
 */
import type { PlainMessageKey, Translate } from '../../i18n/index.js';
import {
  asBody,
  checkChoice,
  checkDate,
  checkText,
  dateParts,
  Errors,
  formResult,
  oneOf,
  str,
  strings,
  type FormResult,
} from '../../lib/form.js';
import type { DateParts } from '../../lib/dates.js';
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

/** Checks one text with the meeting forms' words; adds the field's error. */
function text(
  errors: Errors,
  t: Translate,
  id: string,
  value: string,
  max: number,
  label: string,
  required?: PlainMessageKey,
): void {
  checkText(errors, id, value, {
    max,
    required: Boolean(required),
    message: (problem) =>
      problem === 'required' && required
        ? t(required)
        : problem === 'control'
          ? t('meeting.err.control', { field: label })
          : t('meeting.err.tooLong', { field: label, max }),
  });
}

/** A day (years 2000–2100) and a time of day, both required (or both optional); the instant, or null. */
function dateAndTime(
  errors: Errors,
  t: Translate,
  name: 'date' | 'next',
  parts: DateParts,
  time: string,
  required: boolean,
): Date | null {
  const timeGiven = time.trim() !== '';
  const dateGiven = [parts.day, parts.month, parts.year].some((p) => p.trim() !== '');
  if (!dateGiven && !timeGiven && !required) return null;
  const day = checkDate(errors, `${name}-day`, parts, {
    required: true,
    years: [2000, 2100],
    message: (problem) =>
      problem === 'missing'
        ? t(`meeting.err.${name}.missing`)
        : t(problem === 'incomplete' ? 'meeting.err.date.incomplete' : 'meeting.err.date.invalid'),
  });
  const clock = parseTimeOfDay(time);
  if (!timeGiven) errors.add(`${name}Time`, t('meeting.err.time.missing'));
  else if (!clock) errors.add(`${name}Time`, t('meeting.err.time.invalid'));
  if (!day || !clock) return null;
  return osloInstant(day, clock);
}

export function emptyOthers(others: OtherParticipant[] = []): OtherParticipant[] {
  return [...others, ...Array.from({ length: EMPTY_OTHER_ROWS }, () => ({ name: '', role: '' }))];
}

export function parseMeeting(
  rawBody: unknown,
  t: Translate,
  candidateIds: number[],
): FormResult<MeetingValues, MeetingParsed> {
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
  const duration = checkChoice(errors, 'duration', values.duration, DURATIONS, {
    required: true,
    message: () => t('meeting.err.duration'),
  });
  const mode = checkChoice(errors, 'mode', values.mode, MEETING_MODES, {
    required: true,
    message: () => t('meeting.err.mode'),
  });
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
  return formResult(values, errors, () => ({
    startsAt: startsAt!,
    durationMinutes: Number(duration),
    mode: mode!,
    place: values.place,
    purpose: values.purpose,
    participantIds: [...new Set(ids)],
    child: values.child === 'yes',
    others: others.filter((o) => o.name !== ''),
  }));
}

// ---- cancelling ----

export interface CancelValues {
  reason: string;
  version: string;
}

export function parseCancel(rawBody: unknown, t: Translate): FormResult<CancelValues, { reason: string }> {
  const body = asBody(rawBody);
  const values = { reason: str(body, 'reason').trim(), version: str(body, 'version') };
  const errors = new Errors();
  text(errors, t, 'reason', values.reason, 2000, t('meeting.cancel.reason'), 'meeting.err.cancelReason');
  return formResult(values, errors, () => ({ reason: values.reason }));
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
): FormResult<AgreementValues, { agreements: string; nextMeetingAt: Date | null }> {
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
  return formResult(values, errors, () => ({ agreements: values.agreements, nextMeetingAt }));
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
): FormResult<EvaluationValues, EvaluationParsed> {
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
  const respondent = checkChoice(errors, 'respondent', values.respondent, RESPONDENTS, {
    required: true,
    message: () => t('meeting.err.respondent'),
  });
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
  return formResult(values, errors, () => ({
    respondent: respondent!,
    answers,
    couldBeDifferent: values.couldBeDifferent,
  }));
}
