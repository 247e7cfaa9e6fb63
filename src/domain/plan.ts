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
