/**
 * The meetings' lists: how a meeting is held, its statuses and phases, the kinds of participant, why a
 * plan was printed, and the
 * follow-up plan guide's evaluation questions (answered on a scale of 1 to 5). Migrations keep their own
 * literal copies (test/domain-lists.test.ts checks them against the database's constraints).
 */
export const MEETING_MODES = ['in_person', 'phone', 'video'] as const;
export type MeetingMode = (typeof MEETING_MODES)[number];

export const MEETING_STATUSES = ['planned', 'running', 'closed', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

/** The phases of a meeting, from the "Gode møter" guide. */
export const MEETING_PHASES = [
  'welcome',
  'current_situation',
  'concerns_goals',
  'measures',
  'summary',
  'closing',
] as const;
export type MeetingPhase = (typeof MEETING_PHASES)[number];

/** Why a plan was printed: at a meeting's end, yearly, or when the log was handed on, closed or deleted. */
export const PRINT_REASONS = ['meeting', 'yearly', 'transfer', 'closing', 'deletion'] as const;
export type PrintReason = (typeof PRINT_REASONS)[number];

/** The kind of person a meeting participant with an account is in the log (read as meeting.kind.<kind>). */
export const PARTICIPANT_KINDS = ['holder', 'guardian', 'actor', 'youth'] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];

export const EVALUATION_QUESTIONS = [
  'said_what_wanted',
  'understood',
  'talked_about_important',
  'respected',
  'language_clear',
  'help_coherent',
] as const;
export type EvaluationQuestion = (typeof EVALUATION_QUESTIONS)[number];
