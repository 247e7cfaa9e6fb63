/**
 * The measure form: text, exactly one responsible party (rule 3: the radios cannot express two), the
 * actor when the service is responsible, start and deadline (deadline ≥ start), the staircase (one step
 * per line) and, when editing, the status. Returns FormResult { values (as typed), errors, input (to save) }.
 */
import type { Translate } from '../../i18n/index.js';
import {
  asBody,
  checkChoice,
  checkDate,
  checkText,
  dateParts,
  Errors,
  formResult,
  idValue,
  oneOf,
  str,
  version,
  type FormResult,
} from '../../lib/form.js';
import { isoToParts, type DateParts } from '../../lib/dates.js';
import { planChoice, planDate, planText } from './goal-form.js';
import { EDIT_STATUSES, RESPONSIBLE, type Responsible } from '../../domain/plan.js';

export const MEASURE_TEXT_MAX = 300;
export const STEP_MAX = 200;
export const STEPS_MAX = 12;

export interface MeasureValues {
  text: string;
  responsible: string;
  actorId: string;
  start: DateParts;
  deadline: DateParts;
  steps: string;
  status: string;
  version: number;
  token: string;
}

export interface MeasureInput {
  text: string;
  responsible: Responsible;
  /** Set only when a staff actor is responsible; guardians and the child need no person (rule 5). */
  responsibleUserId: number | null;
  startDate: string;
  deadline: string;
  steps: string[];
  status: (typeof EDIT_STATUSES)[number];
}

export const measureFieldIds = (p: string) =>
  ['text', 'responsible', 'actor', 'start', 'deadline', 'steps', 'status'].map((f) => `${p}${f}`);

export function parseMeasure(
  body: unknown,
  t: Translate,
  options: { prefix: string; mode: 'create' | 'edit'; exampleYear: number },
): FormResult<MeasureValues, MeasureInput> {
  const raw = asBody(body);
  const p = options.prefix;
  const errors = new Errors();
  const values: MeasureValues = {
    text: str(raw, 'text'),
    responsible: str(raw, 'responsible'),
    actorId: str(raw, 'actor_id').trim(),
    start: dateParts(raw, 'start', '_'),
    deadline: dateParts(raw, 'deadline', '_'),
    steps: str(raw, 'steps'),
    status: str(raw, 'status'),
    version: version(raw),
    token: str(raw, 'token'),
  };
  const text = values.text.trim();
  checkText(errors, `${p}text`, text, {
    max: MEASURE_TEXT_MAX,
    required: true,
    message: planText(t, t('measure.field.text'), 'measure.error.textRequired'),
  });
  const responsible = checkChoice(errors, `${p}responsible`, values.responsible, RESPONSIBLE, {
    required: true,
    message: planChoice(t, 'measure.error.responsible'),
  });
  let actorId: number | null = null;
  if (responsible === 'actor') {
    actorId = idValue(values.actorId);
    if (!values.actorId) errors.add(`${p}actor`, t('measure.error.actorRequired'));
    else if (!actorId) errors.add(`${p}actor`, t('measure.error.actorUnknown'));
  }
  const year = options.exampleYear;
  const start = checkDate(errors, `${p}start`, values.start, {
    required: true,
    message: planDate(t, t('measure.field.start'), year, 'measure.error.startRequired'),
  });
  const deadline = checkDate(errors, `${p}deadline`, values.deadline, {
    required: true,
    message: planDate(t, t('measure.field.deadline.what'), year, 'measure.error.deadlineRequired'),
  });
  if (start && deadline && deadline < start)
    errors.add(`${p}deadline`, t('measure.error.deadlineBeforeStart'));
  const steps = parseSteps(errors, t, values.steps, `${p}steps`);
  const status =
    options.mode === 'edit'
      ? checkChoice(errors, `${p}status`, values.status, EDIT_STATUSES, {
          required: true,
          message: planChoice(t, 'measure.error.status'),
        })
      : 'planned';
  return formResult(values, errors, () => ({
    text,
    responsible: responsible!,
    responsibleUserId: responsible === 'actor' ? actorId : null,
    startDate: start!,
    deadline: deadline!,
    steps,
    status: status!,
  }));
}

/**
 * Who is responsible as typed, for rule 4's check (one active measure per actor in a concern) while other
 * fields still have errors, so that every error shows at once.
 */
export function typedResponsible(
  values: MeasureValues,
): Pick<MeasureInput, 'responsible' | 'responsibleUserId'> {
  const responsible = oneOf(values.responsible, RESPONSIBLE) ?? 'actor';
  return { responsible, responsibleUserId: responsible === 'actor' ? idValue(values.actorId) : null };
}

/** The staircase: one step per line, blank lines dropped. */
function parseSteps(errors: Errors, t: Translate, raw: string, id: string): string[] {
  const steps = raw
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  if (steps.length > STEPS_MAX) errors.add(id, t('measure.error.tooManySteps', { max: STEPS_MAX }));
  else if (steps.some((s) => s.length > STEP_MAX))
    errors.add(id, t('measure.error.stepTooLong', { max: STEP_MAX }));
  else {
    const max = STEPS_MAX * (STEP_MAX + 1);
    checkText(errors, id, steps.join('\n'), { max, message: planText(t, t('measure.label.steps')) });
  }
  return steps;
}

export interface SavedMeasure {
  text: string;
  responsible: Responsible;
  responsible_user_id: number | null;
  start_date: string;
  deadline: string;
  status: string;
  version: number;
}

/** The form's values for a saved measure and its steps. */
export function measureValues(measure: SavedMeasure, steps: string[], token = ''): MeasureValues {
  return {
    text: measure.text,
    responsible: measure.responsible,
    actorId: measure.responsible_user_id ? String(measure.responsible_user_id) : '',
    start: isoToParts(measure.start_date),
    deadline: isoToParts(measure.deadline),
    steps: steps.join('\n'),
    status: measure.status === 'evaluated' ? 'ongoing' : measure.status,
    version: measure.version,
    token,
  };
}

export function emptyMeasureValues(token: string, today: string): MeasureValues {
  return {
    text: '',
    responsible: '',
    actorId: '',
    start: isoToParts(today),
    deadline: { day: '', month: '', year: '' },
    steps: '',
    status: 'planned',
    version: 0,
    token,
  };
}
