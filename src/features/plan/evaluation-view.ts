/**
 * The conflict rows of an evaluation that lost a race: what is saved now (someone else's evaluation,
 * or their misregistered correction) beside what this person posted. Rendered by views/goals/_conflict.eta,
 * the same table goal and measure conflicts use.
 */
import type { Locale, PlainMessageKey, Translate } from '../../i18n/index.js';
import { formatDate } from '../../lib/dates.js';
import type { ConflictRow } from './goal-view.js';
import type { MeasureView } from '../../domain/plan-tree.js';
import type { MeasureInput } from './measure-form.js';
import type { ActorOption } from './measure-repository.js';
import { responsibleName } from './measure-view.js';
import type { EvaluationValues } from './evaluation-form.js';

type T = (key: string) => string;

const key =
  (translate: Translate): T =>
  (k) =>
    translate(k as PlainMessageKey);

/** A row whose both sides are empty says nothing. */
const said = (rows: ConflictRow[]) => rows.filter((r) => r.saved !== '' || r.yours !== '');

function savedStatus(t: T, measure: MeasureView): string {
  return t(`measure.status.${measure.evaluation?.misregistered ? 'misregistered' : 'evaluated'}`);
}

/** The saved evaluation beside the one posted (both complete: the form was valid). */
export function evaluationConflictRows(
  translate: Translate,
  measure: MeasureView,
  yours: EvaluationValues,
): ConflictRow[] {
  const t = key(translate);
  const e = measure.evaluation;
  const choice = (prefix: string, value: string | null | undefined) =>
    value ? t(prefix + value) : t('plan.notChosen');
  return said([
    {
      label: t('measure.field.status'),
      saved: savedStatus(t, measure),
      yours: t('measure.status.evaluated'),
    },
    {
      label: t('evaluation.label.happened'),
      saved: choice('evaluation.happened.', e?.happened),
      yours: choice('evaluation.happened.', yours.happened),
    },
    {
      label: t('evaluation.label.effect'),
      saved: choice('evaluation.effect.', e?.effect),
      yours: choice('evaluation.effect.', yours.effect),
    },
    {
      label: t('evaluation.result'),
      saved: choice('evaluation.effect.', e?.familyEffect),
      yours: choice('evaluation.effect.', yours.familyEffect),
    },
    { label: t('evaluation.label.familyView'), saved: e?.familyView ?? '', yours: yours.familyView.trim() },
    { label: t('evaluation.label.comment'), saved: e?.comment ?? '', yours: yours.comment.trim() },
    {
      label: t('evaluation.label.nextStep'),
      saved: choice('evaluation.next.', e?.nextStep),
      yours: choice('evaluation.next.', yours.nextStep),
    },
  ]);
}

/**
 * What is saved now (the evaluation, and the measure as it stands: the corrected one when someone else
 * misregistered it first) beside the correction posted and its reason.
 */
export function correctionConflictRows(
  translate: Translate,
  locale: Locale,
  childName: string,
  actors: ActorOption[],
  measure: MeasureView,
  replacement: MeasureView | undefined,
  yours: MeasureInput,
  reason: string,
): ConflictRow[] {
  const t = key(translate);
  const e = measure.evaluation;
  const now = replacement ?? measure;
  return said([
    {
      label: t('measure.field.status'),
      saved: savedStatus(t, measure),
      yours: t('measure.status.misregistered'),
    },
    {
      label: t('evaluation.result'),
      saved: e?.familyEffect ? t(`evaluation.effect.${e.familyEffect}`) : '',
      yours: '',
    },
    { label: t('evaluation.label.familyView'), saved: e?.familyView ?? '', yours: '' },
    { label: t('evaluation.label.comment'), saved: e?.comment ?? '', yours: reason },
    { label: t('measure.field.text'), saved: now.text, yours: yours.text },
    {
      label: t('measure.label.responsible'),
      saved:
        now.responsible === 'actor'
          ? now.responsibleName
          : responsibleName(translate, childName, now.responsible, null, actors),
      yours: responsibleName(translate, childName, yours.responsible, yours.responsibleUserId, actors),
    },
    {
      label: t('measure.field.start'),
      saved: formatDate(now.startDate, locale),
      yours: formatDate(yours.startDate, locale),
    },
    {
      label: t('measure.field.deadline'),
      saved: formatDate(now.deadline, locale),
      yours: formatDate(yours.deadline, locale),
    },
    {
      label: t('measure.label.steps'),
      saved: now.steps.map((s) => s.text).join(' · '),
      yours: yours.steps.join(' · '),
    },
  ]);
}
