/**
 * The evaluation form (rule 7): did the measure happen, did it work (the professionals' view and the
 * family's view, which decides and is required), the family's words, a comment and the next step.
 */
import type { Translate } from '../../i18n/index.js';
import { asBody, checkChoice, checkText, Errors, formResult, str, type FormResult } from '../../lib/form.js';
import { planChoice, planText } from './goal-form.js';

export const HAPPENED = ['yes', 'partly', 'no'] as const;
export const EFFECTS = ['worked', 'partly', 'did_not_work'] as const;
export const NEXT_STEPS = ['continue', 'change', 'end'] as const;
export const EVALUATION_TEXT_MAX = 2000;
export const P = 'evaluation-';

export interface EvaluationValues {
  happened: string;
  effect: string;
  familyEffect: string;
  familyView: string;
  comment: string;
  nextStep: string;
  token: string;
}

export interface EvaluationInput {
  happened: (typeof HAPPENED)[number];
  effect: (typeof EFFECTS)[number];
  family_effect: (typeof EFFECTS)[number];
  family_view: string;
  comment: string;
  next_step: (typeof NEXT_STEPS)[number];
}

export function parseEvaluation(body: unknown, t: Translate): FormResult<EvaluationValues, EvaluationInput> {
  const raw = asBody(body);
  const errors = new Errors();
  const values: EvaluationValues = {
    happened: str(raw, 'happened'),
    effect: str(raw, 'effect'),
    familyEffect: str(raw, 'family_effect'),
    familyView: str(raw, 'family_view'),
    comment: str(raw, 'comment'),
    nextStep: str(raw, 'next_step'),
    token: str(raw, 'token'),
  };
  const happened = checkChoice(errors, `${P}happened`, values.happened, HAPPENED, {
    required: true,
    message: planChoice(t, 'evaluation.error.happened'),
  });
  const effect = checkChoice(errors, `${P}effect`, values.effect, EFFECTS, {
    required: true,
    message: planChoice(t, 'evaluation.error.effect'),
  });
  const familyEffect = checkChoice(errors, `${P}family-effect`, values.familyEffect, EFFECTS, {
    required: true,
    message: planChoice(t, 'evaluation.error.familyEffect'),
  });
  const familyView = values.familyView.trim();
  checkText(errors, `${P}family-view`, familyView, {
    max: EVALUATION_TEXT_MAX,
    message: planText(t, t('evaluation.field.familyView.name')),
  });
  const comment = values.comment.trim();
  checkText(errors, `${P}comment`, comment, {
    max: EVALUATION_TEXT_MAX,
    message: planText(t, t('evaluation.field.comment.name')),
  });
  const nextStep = checkChoice(errors, `${P}next-step`, values.nextStep, NEXT_STEPS, {
    required: true,
    message: planChoice(t, 'evaluation.error.nextStep'),
  });
  return formResult(values, errors, () => ({
    happened: happened!,
    effect: effect!,
    family_effect: familyEffect!,
    family_view: familyView,
    comment,
    next_step: nextStep!,
  }));
}

export function emptyEvaluationValues(token: string): EvaluationValues {
  return { happened: '', effect: '', familyEffect: '', familyView: '', comment: '', nextStep: '', token };
}

/** The optional "what was wrong" of a misregistered measure (trimmed). */
export function parseReason(
  body: unknown,
  t: Translate,
  id: string,
): FormResult<{ reason: string }, { reason: string }> {
  const errors = new Errors();
  const reason = str(asBody(body), 'reason').trim();
  checkText(errors, id, reason, {
    max: EVALUATION_TEXT_MAX,
    message: planText(t, t('evaluation.field.comment.name')),
  });
  return formResult({ reason }, errors, () => ({ reason }));
}
