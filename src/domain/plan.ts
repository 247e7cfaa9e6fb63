/**
 * The plan's lists: plan types, levels and the outcomes of an evaluation (migrations keep their own
 * copies), and the name of a plan type for a given child.
 */
import { ageOn } from '../lib/dates.js';

export const PLAN_TYPES = [
  'stafettlogg',
  'individuell_plan',
  'oppfolgingsplan',
  'familieplan',
  'barnets_plan',
] as const;
export type PlanType = (typeof PLAN_TYPES)[number];

export const LEVELS = [1, 2, 3] as const;
export type Level = (typeof LEVELS)[number];

/** Did the measure work: the professionals' view and the family's view (which decides). */
export const EFFECTS = ['worked', 'partly', 'did_not_work'] as const;
export type Effect = (typeof EFFECTS)[number];

/** Who carries out a measure: exactly one party (rule 3). */
export const RESPONSIBLE = ['actor', 'guardians', 'child'] as const;
export type Responsible = (typeof RESPONSIBLE)[number];

/** Where a measure stands: planned, under way, or evaluated (then it is history). */
export const MEASURE_STATUSES = ['planned', 'ongoing', 'evaluated'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];
/** The statuses a person sets by hand; a measure becomes evaluated only by its evaluation. */
export const EDIT_STATUSES = ['planned', 'ongoing'] as const satisfies readonly MeasureStatus[];

/** A measure as the measures table holds it. */
export interface MeasureRow {
  id: number;
  log_id: number;
  concern_id: number;
  goal_id: number;
  text: string;
  responsible: Responsible;
  responsible_user_id: number | null;
  start_date: string;
  deadline: string;
  status: MeasureStatus;
  corrects_measure_id: number | null;
  position: number;
  version: number;
  text_written_at: Date;
}

/** From this age a child's plan (barnets plan) is called a young person's plan, "ungeplan" (barnets lov). */
export const YOUTH_PLAN_AGE = 16;

/**
 * The message key of a plan type's name for this child: a barnets plan is an "ungeplan" once the child
 * is 16 (on `today`); every other plan type has one name.
 */
export function planTypeKey(
  planType: string,
  birthDate: string | null | undefined,
  today: string,
): `planType.${string}` {
  if (planType === 'barnets_plan' && birthDate && ageOn(birthDate, today) >= YOUTH_PLAN_AGE)
    return 'planType.barnets_plan.youth';
  return `planType.${planType}`;
}

/** The life areas of an individual plan's overview (individuell plan, oppfølgingsplan). */
export const LIFE_AREAS = [
  'health',
  'school',
  'home',
  'friends',
  'leisure',
  'work',
  'housing',
  'economy',
] as const;
export type LifeArea = (typeof LIFE_AREAS)[number];
