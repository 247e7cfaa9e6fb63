/**
 * The goal form: parse and validate → { values (as typed, for the form), input (to save), errors }.
 * Field ids carry a prefix ("goal-new-", "goal-12-") so several forms can be open on one page.
 */
import type { Translate } from '../../i18n/index.js';
import { asBody, Errors, str, type FieldError } from '../../lib/form.js';
import { isoToParts, type DateParts } from '../../lib/dates.js';
import type { GoalFields, GoalRow } from './repository.js';
import { checkChoice, checkDate, checkText, dateParts, idValue, version } from './fields.js';

export const OWNERS = ['child', 'guardian', 'professional'] as const;
export const ARENAS = ['school', 'home', 'leisure', 'network'] as const;
export const GOAL_STATUSES = ['active', 'achieved', 'not_achieved', 'replaced'] as const;
export const GOAL_TEXT_MAX = 500;

export interface GoalValues {
  text: string;
  owner: string;
  ownerWords: string;
  arena: string;
  targetDate: DateParts;
  status: string;
  version: number;
  token: string;
  replaces: string;
}

export interface GoalParse {
  values: GoalValues;
  input: GoalFields;
  version: number;
  /** On create: the goal the new one replaces (after a goal decision), if any. */
  replaces: number | null;
  errors: FieldError[];
}

export const goalFieldIds = (prefix: string) =>
  ['text', 'owner', 'owner-words', 'arena', 'target-date', 'status'].map((f) => `${prefix}${f}`);

export function parseGoal(
  body: unknown,
  t: Translate,
  options: { prefix: string; mode: 'create' | 'edit'; exampleYear: number },
): GoalParse {
  const raw = asBody(body);
  const p = options.prefix;
  const errors = new Errors();
  const values: GoalValues = {
    text: str(raw, 'text'),
    owner: str(raw, 'owner'),
    ownerWords: str(raw, 'owner_words'),
    arena: str(raw, 'arena'),
    targetDate: dateParts(raw, 'target_date'),
    status: str(raw, 'status'),
    version: version(raw),
    token: str(raw, 'token'),
    replaces: str(raw, 'replaces'),
  };
  const text = checkText(errors, t, values.text, {
    id: `${p}text`,
    name: t('goal.field.text'),
    max: GOAL_TEXT_MAX,
    required: 'goal.error.textRequired',
  });
  const owner = checkChoice(errors, t, values.owner, OWNERS, { id: `${p}owner` });
  const ownerWords = checkText(errors, t, values.ownerWords, {
    id: `${p}owner-words`,
    name: t('goal.field.ownerWords'),
    max: GOAL_TEXT_MAX,
  });
  const arena = checkChoice(errors, t, values.arena, ARENAS, { id: `${p}arena` });
  const targetDate = checkDate(errors, t, values.targetDate, {
    id: `${p}target-date`,
    name: t('goal.field.targetDate.what'),
    exampleYear: options.exampleYear,
  });
  const status =
    options.mode === 'edit'
      ? checkChoice(errors, t, values.status, GOAL_STATUSES, {
          id: `${p}status`,
          required: 'goal.error.status',
        })
      : 'active';
  return {
    values,
    input: {
      text,
      owner: owner || null,
      owner_words: ownerWords,
      arena: arena || null,
      target_date: targetDate,
      status: status || 'active',
    },
    version: values.version,
    replaces: idValue(values.replaces),
    errors: errors.list,
  };
}

/** The form's values for a saved goal. */
export function goalValues(goal: GoalRow, token = ''): GoalValues {
  return {
    text: goal.text,
    owner: goal.owner ?? '',
    ownerWords: goal.owner_words,
    arena: goal.arena ?? '',
    targetDate: isoToParts(goal.target_date),
    status: goal.status,
    version: goal.version,
    token,
    replaces: '',
  };
}

export function emptyGoalValues(token: string, replaces = ''): GoalValues {
  return {
    text: '',
    owner: '',
    ownerWords: '',
    arena: '',
    targetDate: { day: '', month: '', year: '' },
    status: 'active',
    version: 0,
    token,
    replaces,
  };
}
