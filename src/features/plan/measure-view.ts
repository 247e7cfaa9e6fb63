/** Rendering helpers for the measure pages and fragments. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Locale, Translate } from '../../i18n/index.js';
import { formatDate, osloDate } from '../../lib/dates.js';
import type { FieldError } from '../../lib/form.js';
import { plainLanguageHints } from '../../lib/plain-language.js';
import { wantsFragment } from '../../plugins/views.js';
import type { PlanLocals } from './plan-view.js';
import type { ConflictRow } from './goal-view.js';
import { exampleYear } from './goal-view.js';
import type { MeasureInput, MeasureValues } from './measure-form.js';
import type { ActorOption, StepRow } from './measure-repository.js';
import type { MeasureRow } from '../../domain/plan.js';
import { editWindowEnds, editWindowOpen } from './measure-service.js';

export interface MeasureFormData {
  measure: MeasureRow;
  values: MeasureValues;
  errors: FieldError[];
  actors: ActorOption[];
  conflict?: ConflictRow[] | null;
  status: number;
  /** The steps already done: shown above the steps still to take, and kept when the form is saved. */
  doneSteps?: StepRow[];
}

/** Who is responsible, as a reader sees it. */
export function responsibleName(
  t: Translate,
  childName: string,
  responsible: string,
  userId: number | null,
  actors: ActorOption[],
): string {
  if (responsible === 'guardians') return t('measure.guardiansName');
  if (responsible === 'child') return t('measure.responsible.childNamed', { name: childName });
  return actors.find((a) => a.id === userId)?.name ?? '';
}

export function measureConflictRows(
  t: Translate,
  locale: Locale,
  childName: string,
  actors: ActorOption[],
  saved: MeasureRow,
  savedSteps: string[],
  yours: MeasureInput,
): ConflictRow[] {
  const who = (r: string, id: number | null) => responsibleName(t, childName, r, id, actors);
  const rows: ConflictRow[] = [
    { label: t('measure.field.text'), saved: saved.text, yours: yours.text },
    {
      label: t('measure.label.responsible'),
      saved: who(saved.responsible, saved.responsible_user_id),
      yours: who(yours.responsible, yours.responsibleUserId),
    },
    {
      label: t('measure.field.start'),
      saved: formatDate(saved.start_date, locale),
      yours: formatDate(yours.startDate, locale),
    },
    {
      label: t('measure.field.deadline'),
      saved: formatDate(saved.deadline, locale),
      yours: formatDate(yours.deadline, locale),
    },
    { label: t('measure.label.steps'), saved: savedSteps.join(' · '), yours: yours.steps.join(' · ') },
    {
      label: t('measure.field.status'),
      saved: t(`measure.status.${saved.status}`),
      yours: t(`measure.status.${yours.status}`),
    },
  ];
  return rows.filter((r, i) => i === 0 || r.saved !== r.yours);
}

/** The common data of every measure form (new, edit, misregistered). */
export function measureFormView(
  request: FastifyRequest,
  locals: PlanLocals,
  values: MeasureValues,
  actors: ActorOption[],
) {
  return {
    values,
    actors,
    childName: locals.log.childFirstName,
    textTips: values.text.trim() ? plainLanguageHints(values.text, request.locale) : [],
    exampleYear: exampleYear(request.server.now()),
  };
}

/** The edit form (or the "can no longer be changed" notice): inline fragment for htmx, full page otherwise. */
export function renderMeasureForm(
  request: FastifyRequest,
  reply: FastifyReply,
  locals: PlanLocals,
  data: MeasureFormData,
): Promise<string> {
  const inline = wantsFragment(request);
  const now = request.server.now();
  const view = {
    ...locals,
    ...measureFormView(request, locals, data.values, data.actors),
    measureId: data.measure.id,
    errors: data.errors,
    conflict: data.conflict ?? null,
    doneSteps: data.doneSteps ?? [],
    evaluated: data.measure.status === 'evaluated',
    locked: !editWindowOpen(data.measure, now),
    editableUntil: editWindowEnds(data.measure),
    editableUntilDate: osloDate(editWindowEnds(data.measure)),
    inline,
  };
  reply.code(data.status);
  return inline ? reply.fragment('measures/_measure-form', view) : reply.page('measures/edit', view);
}
