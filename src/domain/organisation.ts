/** The organisation's lists: the kinds of unit (migration 1 keeps its own literal copy). */
export const UNIT_KINDS = [
  'kindergarten',
  'school',
  'health_station',
  'ppt',
  'child_welfare',
  'other',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
