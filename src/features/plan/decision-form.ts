/** The goal decision form: is the goal reached (yes/no), and what next; both required. */
import type { Translate } from '../../i18n/index.js';
import { asBody, checkChoice, Errors, formResult, str, version, type FormResult } from '../../lib/form.js';
import { planChoice } from './goal-form.js';
import { DECISIONS } from './goal-service.js';

export interface DecisionValues {
  achieved: string;
  next: string;
  version: number;
}

export interface DecisionInput {
  achieved: boolean;
  next: (typeof DECISIONS)[number];
  version: number;
}

export function parseDecision(body: unknown, t: Translate): FormResult<DecisionValues, DecisionInput> {
  const raw = asBody(body);
  const values = { achieved: str(raw, 'achieved'), next: str(raw, 'next'), version: version(raw) };
  const errors = new Errors();
  const achieved = checkChoice(errors, 'decision-achieved', values.achieved, ['yes', 'no'] as const, {
    required: true,
    message: planChoice(t, 'goal.decision.errorAchieved'),
  });
  const next = checkChoice(errors, 'decision-next', values.next, DECISIONS, {
    required: true,
    message: planChoice(t, 'goal.decision.errorNext'),
  });
  return formResult(values, errors, () => ({
    achieved: achieved === 'yes',
    next: next!,
    version: values.version,
  }));
}
