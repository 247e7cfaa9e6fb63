/** The plan's lists: plan types, levels and the outcomes of an evaluation (migrations keep their own copies). */
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
