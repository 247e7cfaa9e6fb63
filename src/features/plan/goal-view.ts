/** Rendering helpers for the goal pages and fragments: tips, conflict rows, page-or-fragment. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Locale, Translate } from '../../i18n/index.js';
import { formatDate, osloDate } from '../../lib/dates.js';
import type { FieldError } from '../../lib/form.js';
import { goalHints, withLanguageNote, type Hint } from '../../lib/plain-language.js';
import { wantsFragment } from '../../plugins/views.js';
import type { GoalValues } from './goal-form.js';
import type { PlanLocals } from './plan-view.js';
import type { GoalFields, GoalRow } from './goal-repository.js';

export interface ConflictRow {
  label: string;
  saved: string;
  yours: string;
}

/** Tips for a goal form: about the text, and about the owner (each shown by its own field). */
export function goalTips(
  values: Pick<GoalValues, 'text' | 'owner'>,
  locale: Locale,
): { text: Hint[]; owner: Hint[] } {
  if (!values.text.trim()) return { text: [], owner: [] };
  const hints = goalHints({ text: values.text, owner: values.owner || null }, locale);
  return {
    text: withLanguageNote(
      hints.filter((h) => h.key !== 'goalOwner'),
      locale,
    ),
    owner: withLanguageNote(
      hints.filter((h) => h.key === 'goalOwner'),
      locale,
    ),
  };
}

/** The fields where the saved goal and the posted one differ (the text always). */
export function goalConflictRows(
  t: Translate,
  locale: Locale,
  saved: GoalRow,
  yours: GoalFields,
): ConflictRow[] {
  const none = t('plan.notChosen');
  const rows: ConflictRow[] = [
    { label: t('goal.field.text'), saved: saved.text, yours: yours.text },
    {
      label: t('goal.field.owner'),
      saved: saved.owner ? t(`goal.owner.${saved.owner}`) : none,
      yours: yours.owner ? t(`goal.owner.${yours.owner}`) : none,
    },
    { label: t('goal.field.ownerWords'), saved: saved.owner_words, yours: yours.owner_words },
    {
      label: t('goal.field.arena'),
      saved: saved.arena ? t(`goal.arena.${saved.arena}`) : none,
      yours: yours.arena ? t(`goal.arena.${yours.arena}`) : none,
    },
    {
      label: t('goal.field.targetDate'),
      saved: formatDate(saved.target_date, locale) || none,
      yours: formatDate(yours.target_date, locale) || none,
    },
    {
      label: t('goal.field.status'),
      saved: t(`goal.status.${saved.status}`),
      yours: t(`goal.status.${yours.status}`),
    },
  ];
  return rows.filter((r, i) => i === 0 || r.saved !== r.yours);
}

export const exampleYear = (now: Date) => Number(osloDate(now).slice(0, 4));

/** The edit form: the inline fragment for htmx, the full edit page otherwise. */
export function renderGoalForm(
  request: FastifyRequest,
  reply: FastifyReply,
  locals: PlanLocals,
  data: {
    goalId: number;
    values: GoalValues;
    errors: FieldError[];
    conflict?: ConflictRow[] | null;
    status: number;
  },
): Promise<string> {
  const inline = wantsFragment(request);
  const view = {
    ...locals,
    goalId: data.goalId,
    values: data.values,
    errors: data.errors,
    conflict: data.conflict ?? null,
    tips: goalTips(data.values, request.locale),
    inline,
    exampleYear: exampleYear(request.server.now()),
  };
  reply.code(data.status);
  return inline ? reply.fragment('goals/_goal-form', view) : reply.page('goals/edit', view);
}
