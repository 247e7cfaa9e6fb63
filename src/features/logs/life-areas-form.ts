/**
 * The life areas form of an individual plan: for each area, what goes well and what the family wishes
 * (both optional, up to 2000 characters) → FormResult { values, errors, input }. Fields are named
 * `<area>-goingWell` and `<area>-wishes`.
 */
import type { Translate } from '../../i18n/index.js';
import { asBody, checkText, Errors, formResult, str, type FormResult } from '../../lib/form.js';
import { LIFE_AREAS } from '../../domain/plan.js';
import { textMessage } from './form.js';

export const LIFE_AREA_TEXT_MAX = 2000;

export interface LifeAreaInput {
  area: (typeof LIFE_AREAS)[number];
  going_well: string;
  wishes: string;
}

/** Values by field name (`<area>-goingWell`, `<area>-wishes`), trimmed. */
export function parseLifeAreas(
  body: unknown,
  t: Translate,
): FormResult<Record<string, string>, LifeAreaInput[]> {
  const raw = asBody(body);
  const values: Record<string, string> = {};
  const errors = new Errors();
  const areas = LIFE_AREAS.map((area) => {
    const goingWell = str(raw, `${area}-goingWell`).trim();
    const wishes = str(raw, `${area}-wishes`).trim();
    values[`${area}-goingWell`] = goingWell;
    values[`${area}-wishes`] = wishes;
    const message = textMessage(t, t(`lifeArea.${area}`));
    checkText(errors, `${area}-goingWell`, goingWell, { max: LIFE_AREA_TEXT_MAX, message });
    checkText(errors, `${area}-wishes`, wishes, { max: LIFE_AREA_TEXT_MAX, message });
    return { area, going_well: goingWell, wishes };
  });
  return formResult(values, errors, () => areas);
}
