/**
 * The measure form: text, exactly one responsible party (rule 3: the radios cannot express two), the
 * actor when the service is responsible, start and deadline (deadline ≥ start), the staircase (one step
 * per line) and, when editing, the status. Returns { values (as typed), input (to save), errors }.
 */
import type { Translate } from '../../i18n/index.js';
import { asBody, Errors, str, type FieldError } from '../../lib/form.js';
import { isoToParts, type DateParts } from '../../lib/dates.js';
import { checkChoice, checkDate, checkText, dateParts, idValue, version } from '../goals/index.js';

export const RESPONSIBLE = ['actor', 'guardians', 'child'] as const;
export type Responsible = (typeof RESPONSIBLE)[number];
export const EDIT_STATUSES = ['planned', 'ongoing'] as const;
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
  status: 'planned' | 'ongoing';
}

export const measureFieldIds = (p: string) =>
  ['text', 'responsible', 'actor', 'start', 'deadline', 'steps', 'status'].map((f) => `${p}${f}`);

export function parseMeasure(
  body: unknown,
  t: Translate,
  options: { prefix: string; mode: 'create' | 'edit'; exampleYear: number },
): { values: MeasureValues; input: MeasureInput; errors: FieldError[] } {
  const raw = asBody(body);
  const p = options.prefix;
  const errors = new Errors();
  const values: MeasureValues = {
    text: str(raw, 'text'),
    responsible: str(raw, 'responsible'),
    actorId: str(raw, 'actor_id').trim(),
    start: dateParts(raw, 'start'),
    deadline: dateParts(raw, 'deadline'),
    steps: str(raw, 'steps'),
    status: str(raw, 'status'),
    version: version(raw),
    token: str(raw, 'token'),
  };
  const text = checkText(errors, t, values.text, {
    id: `${p}text`,
    name: t('measure.field.text'),
    max: MEASURE_TEXT_MAX,
    required: 'measure.error.textRequired',
  });
  const responsible = checkChoice(errors, t, values.responsible, RESPONSIBLE, {
    id: `${p}responsible`,
    required: 'measure.error.responsible',
  });
  let actorId: number | null = null;
  if (responsible === 'actor') {
    actorId = idValue(values.actorId);
    if (!values.actorId) errors.add(`${p}actor`, t('measure.error.actorRequired'));
    else if (!actorId) errors.add(`${p}actor`, t('measure.error.actorUnknown'));
  }
  const year = options.exampleYear;
  const start = checkDate(errors, t, values.start, {
    id: `${p}start`,
    name: t('measure.field.start'),
    required: 'measure.error.startRequired',
    exampleYear: year,
  });
  const deadline = checkDate(errors, t, values.deadline, {
    id: `${p}deadline`,
    name: t('measure.field.deadline.what'),
    required: 'measure.error.deadlineRequired',
    exampleYear: year,
  });
  if (start && deadline && deadline < start)
    errors.add(`${p}deadline`, t('measure.error.deadlineBeforeStart'));
  const steps = parseSteps(errors, t, values.steps, `${p}steps`);
  const status =
    options.mode === 'edit'
      ? checkChoice(errors, t, values.status, EDIT_STATUSES, {
          id: `${p}status`,
          required: 'measure.error.status',
        })
      : 'planned';
  return {
    values,
    input: {
      text,
      responsible: responsible || 'actor',
      responsibleUserId: responsible === 'actor' ? actorId : null,
      startDate: start ?? '',
      deadline: deadline ?? '',
      steps,
      status: status || 'planned',
    },
    errors: errors.list,
  };
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
  else
    checkText(errors, t, steps.join('\n'), {
      id,
      name: t('measure.label.steps'),
      max: STEPS_MAX * (STEP_MAX + 1),
    });
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
