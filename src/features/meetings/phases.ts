/**
 * The meeting's phases (the "Gode møter" guide) and the quiet time guide: about 20 % of the time on the
 * current situation, 80 % on what comes next. Pure functions; the templates show what they return.
 */
import { MEETING_PHASES } from '../../domain/meetings.js';
import type { MeetingPhase } from './repository.js';

export { MEETING_PHASES };

/** Phases that look back (status); the rest look ahead. */
const STATUS_PHASES: readonly MeetingPhase[] = ['welcome', 'current_situation'];

export function isPhase(value: string): value is MeetingPhase {
  return (MEETING_PHASES as readonly string[]).includes(value);
}

export function nextPhase(phase: MeetingPhase | null): MeetingPhase | null {
  if (!phase) return MEETING_PHASES[0];
  const i = MEETING_PHASES.indexOf(phase);
  return i >= 0 && i < MEETING_PHASES.length - 1 ? MEETING_PHASES[i + 1]! : null;
}

export function previousPhase(phase: MeetingPhase | null): MeetingPhase | null {
  const i = phase ? MEETING_PHASES.indexOf(phase) : -1;
  return i > 0 ? MEETING_PHASES[i - 1]! : null;
}

export interface TimeGuide {
  start: Date;
  end: Date;
  /** When the status part (20 %) should be over. */
  statusUntil: Date;
  statusMinutes: number;
  aheadMinutes: number;
  /** Minutes since the start (0 before it), capped at the duration. */
  elapsedMinutes: number;
  totalMinutes: number;
  /** The meeting is still on status after its share of the time: a gentle nudge, never a block. */
  statusOverdue: boolean;
  /** Time is up. */
  over: boolean;
}

export function timeGuide(
  meeting: {
    starts_at: Date;
    started_at: Date | null;
    duration_minutes: number;
    current_phase: MeetingPhase | null;
  },
  now: Date,
): TimeGuide {
  const start = meeting.started_at ?? meeting.starts_at;
  const total = meeting.duration_minutes;
  const statusMinutes = Math.round(total * 0.2);
  const end = new Date(start.getTime() + total * 60_000);
  const statusUntil = new Date(start.getTime() + statusMinutes * 60_000);
  const elapsed = Math.min(total, Math.max(0, Math.floor((now.getTime() - start.getTime()) / 60_000)));
  const onStatus = meeting.current_phase === null || STATUS_PHASES.includes(meeting.current_phase);
  return {
    start,
    end,
    statusUntil,
    statusMinutes,
    aheadMinutes: total - statusMinutes,
    elapsedMinutes: elapsed,
    totalMinutes: total,
    statusOverdue: onStatus && now.getTime() > statusUntil.getTime() && now.getTime() < end.getTime(),
    over: now.getTime() >= end.getTime(),
  };
}
