/**
 * The evaluation form (rule 7): did the measure happen, did it work (the professionals' view and the
 * family's view, which decides and is required), the family's words, a comment and the next step.
 */
import type { Translate } from '../../i18n/index.js';
import { asBody, Errors, str, type FieldError } from '../../lib/form.js';
import { checkChoice, checkText } from '../goals/index.js';

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

export function parseEvaluation(
  body: unknown,
  t: Translate,
): { values: EvaluationValues; input: EvaluationInput | null; errors: FieldError[] } {
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
  const happened = checkChoice(errors, t, values.happened, HAPPENED, {
    id: `${P}happened`,
    required: 'evaluation.error.happened',
  });
  const effect = checkChoice(errors, t, values.effect, EFFECTS, {
    id: `${P}effect`,
    required: 'evaluation.error.effect',
  });
  const familyEffect = checkChoice(errors, t, values.familyEffect, EFFECTS, {
    id: `${P}family-effect`,
    required: 'evaluation.error.familyEffect',
  });
  const familyView = checkText(errors, t, values.familyView, {
    id: `${P}family-view`,
    name: t('evaluation.field.familyView.name'),
    max: EVALUATION_TEXT_MAX,
  });
  const comment = checkText(errors, t, values.comment, {
    id: `${P}comment`,
    name: t('evaluation.field.comment.name'),
    max: EVALUATION_TEXT_MAX,
  });
  const nextStep = checkChoice(errors, t, values.nextStep, NEXT_STEPS, {
    id: `${P}next-step`,
    required: 'evaluation.error.nextStep',
  });
  const input =
    happened && effect && familyEffect && nextStep && errors.empty
      ? {
          happened,
          effect,
          family_effect: familyEffect,
          family_view: familyView,
          comment,
          next_step: nextStep,
        }
      : null;
  return { values, input, errors: errors.list };
}

export function emptyEvaluationValues(token: string): EvaluationValues {
  return { happened: '', effect: '', familyEffect: '', familyView: '', comment: '', nextStep: '', token };
}

/** The optional "what was wrong" of a misregistered measure. */
export function parseReason(
  body: unknown,
  t: Translate,
  id: string,
): { reason: string; errors: FieldError[] } {
  const errors = new Errors();
  const reason = checkText(errors, t, str(asBody(body), 'reason'), {
    id,
    name: t('evaluation.field.comment.name'),
    max: EVALUATION_TEXT_MAX,
  });
  return { reason, errors: errors.list };
}
