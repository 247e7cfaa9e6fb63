/**
 * The built-in concern categories, by code (migrations keep their own copy). Their label is the message
 * category.<code> in the reader's language; a category an administrator wrote has no code and is shown
 * as written.
 */
import type { Translate } from '../i18n/index.js';

export const CONCERN_CATEGORY_CODES = [
  'school_environment',
  'absence',
  'mental_health',
  'language',
  'learning',
  'social_skills',
  'physical_health',
] as const;
export type ConcernCategoryCode = (typeof CONCERN_CATEGORY_CODES)[number];

export function isConcernCategoryCode(value: unknown): value is ConcernCategoryCode {
  return typeof value === 'string' && (CONCERN_CATEGORY_CODES as readonly string[]).includes(value);
}

/** A category's label for the reader: the translated built-in label, or the label as stored. */
export function categoryLabel(t: Translate, category: { code?: string | null; label: string }): string {
  return isConcernCategoryCode(category.code) ? t(`category.${category.code}`) : category.label;
}
