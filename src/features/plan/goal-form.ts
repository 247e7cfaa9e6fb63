/**
 * The goal form: parse and validate → FormResult { values (as typed, for the form), errors, input (to
 * save) }. Field ids carry a prefix ("goal-new-", "goal-12-") so several forms can be open on one page.
 * Also the plan forms' shared wording of field problems (goals, measures, evaluations, the decision).
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
  idValue,
  str,
  version,
  type ChoiceProblem,
  type DateProblem,
  type FormResult,
  type TextProblem,
} from '../../lib/form.js';
import { isoToParts, type DateParts } from '../../lib/dates.js';
import type { GoalFields, GoalRow } from './goal-repository.js';

/** The plan forms' words for a text field's problem: `name` is the field as the message says it. */
export function planText(t: Translate, name: string, required?: PlainMessageKey) {
  return (problem: TextProblem, max: number): string =>
    problem === 'required' && required
      ? t(required)
      : problem === 'control'
        ? t('plan.error.control', { field: name })
        : t('plan.error.tooLong', { field: name, max });
}

/** The plan forms' words for a choice: the field's own message when required, else "unknown choice". */
export function planChoice(t: Translate, required?: PlainMessageKey) {
  return (_problem: ChoiceProblem): string => (required ? t(required) : t('plan.error.unknownChoice'));
}

/** The plan forms' words for a date: `name` is the date as the message says it. */
export function planDate(t: Translate, name: string, exampleYear: number, required?: PlainMessageKey) {
  return (problem: DateProblem): string =>
    problem === 'missing' && required
      ? t(required)
      : problem === 'incomplete'
        ? t('plan.error.dateIncomplete', { field: name })
        : t('plan.error.dateInvalid', { field: name, year: exampleYear });
}

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

export interface GoalInput {
  fields: GoalFields;
  /** The version the form was shown at (edit). */
  version: number;
  /** On create: the goal the new one replaces (after a goal decision), if any. */
  replaces: number | null;
}

export const goalFieldIds = (prefix: string) =>
  ['text', 'owner', 'owner-words', 'arena', 'target-date', 'status'].map((f) => `${prefix}${f}`);

export function parseGoal(
  body: unknown,
  t: Translate,
  options: { prefix: string; mode: 'create' | 'edit'; exampleYear: number },
): FormResult<GoalValues, GoalInput> {
  const raw = asBody(body);
  const p = options.prefix;
  const errors = new Errors();
  const values: GoalValues = {
    text: str(raw, 'text'),
    owner: str(raw, 'owner'),
    ownerWords: str(raw, 'owner_words'),
    arena: str(raw, 'arena'),
    targetDate: dateParts(raw, 'target_date', '_'),
    status: str(raw, 'status'),
    version: version(raw),
    token: str(raw, 'token'),
    replaces: str(raw, 'replaces'),
  };
  const text = values.text.trim();
  checkText(errors, `${p}text`, text, {
    max: GOAL_TEXT_MAX,
    required: true,
    message: planText(t, t('goal.field.text'), 'goal.error.textRequired'),
  });
  const owner = checkChoice(errors, `${p}owner`, values.owner, OWNERS, { message: planChoice(t) });
  const ownerWords = values.ownerWords.trim();
  checkText(errors, `${p}owner-words`, ownerWords, {
    max: GOAL_TEXT_MAX,
    message: planText(t, t('goal.field.ownerWords')),
  });
  const arena = checkChoice(errors, `${p}arena`, values.arena, ARENAS, { message: planChoice(t) });
  const targetDate = checkDate(errors, `${p}target-date`, values.targetDate, {
    message: planDate(t, t('goal.field.targetDate.what'), options.exampleYear),
  });
  const status =
    options.mode === 'edit'
      ? checkChoice(errors, `${p}status`, values.status, GOAL_STATUSES, {
          required: true,
          message: planChoice(t, 'goal.error.status'),
        })
      : 'active';
  return formResult(values, errors, () => ({
    fields: {
      text,
      owner,
      owner_words: ownerWords,
      arena,
      target_date: targetDate,
      status: status ?? 'active',
    },
    version: values.version,
    replaces: idValue(values.replaces),
  }));
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
