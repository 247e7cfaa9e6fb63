/**
 * The concern form: a describing sentence, category, success indicator, maintaining factors, status →
 * FormResult { values, errors, input }.
 */
import type { Translate } from '../../i18n/index.js';
import { asBody, checkChoice, checkText, Errors, formResult, str, type FormResult } from '../../lib/form.js';
import { textMessage } from '../logs/index.js';

export const CONCERN_STATUSES = ['active', 'solved', 'closed'] as const;
export const MAINTAINING = ['mfWorldView', 'mfCoping', 'mfPreconditions', 'mfService', 'mfHome'] as const;

export interface ConcernValues {
  title: string;
  categoryId: string;
  successIndicator: string;
  mfWorldView: string;
  mfCoping: string;
  mfPreconditions: string;
  mfService: string;
  mfHome: string;
  status: string;
  closingReason: string;
  version: string;
  formToken: string;
}

export interface ConcernParsed {
  title: string;
  category_id: number | null;
  success_indicator: string;
  mf_world_view: string;
  mf_coping: string;
  mf_preconditions: string;
  mf_service: string;
  mf_home: string;
  status: (typeof CONCERN_STATUSES)[number];
  closing_reason: string | null;
}

export function concernValuesFromRow(row: Record<string, unknown>): ConcernValues {
  return {
    title: String(row.title ?? ''),
    categoryId: row.category_id ? String(row.category_id) : '',
    successIndicator: String(row.success_indicator ?? ''),
    mfWorldView: String(row.mf_world_view ?? ''),
    mfCoping: String(row.mf_coping ?? ''),
    mfPreconditions: String(row.mf_preconditions ?? ''),
    mfService: String(row.mf_service ?? ''),
    mfHome: String(row.mf_home ?? ''),
    status: String(row.status ?? 'active'),
    closingReason: String(row.closing_reason ?? ''),
    version: String(row.version ?? ''),
    formToken: '',
  };
}

export function parseConcern(
  rawBody: unknown,
  t: Translate,
  categoryIds: number[],
  isEdit: boolean,
): FormResult<ConcernValues, ConcernParsed> {
  const body = asBody(rawBody);
  const values: ConcernValues = {
    title: str(body, 'title').trim(),
    categoryId: str(body, 'categoryId'),
    successIndicator: str(body, 'successIndicator').trim(),
    mfWorldView: str(body, 'mfWorldView').trim(),
    mfCoping: str(body, 'mfCoping').trim(),
    mfPreconditions: str(body, 'mfPreconditions').trim(),
    mfService: str(body, 'mfService').trim(),
    mfHome: str(body, 'mfHome').trim(),
    status: isEdit ? str(body, 'status') : 'active',
    closingReason: str(body, 'closingReason').trim(),
    version: str(body, 'version'),
    formToken: str(body, 'formToken'),
  };
  const errors = new Errors();
  checkText(errors, 'title', values.title, {
    required: true,
    max: 500,
    message: textMessage(t, t('concern.label'), 'err.concernTitle'),
  });
  const categoryId = values.categoryId === '' ? null : Number(values.categoryId);
  if (categoryId !== null && !categoryIds.includes(categoryId)) errors.add('categoryId', t('err.category'));
  checkText(errors, 'successIndicator', values.successIndicator, {
    max: 1000,
    message: textMessage(t, t('concern.successIndicator')),
  });
  const labels = {
    mfWorldView: t('concern.mfWorldView'),
    mfCoping: t('concern.mfCoping'),
    mfPreconditions: t('concern.mfPreconditions'),
    mfService: t('concern.mfService'),
    mfHome: t('concern.mfHome'),
  };
  for (const field of MAINTAINING)
    checkText(errors, field, values[field], { max: 2000, message: textMessage(t, labels[field]) });
  const status = checkChoice(errors, 'status', values.status, CONCERN_STATUSES, {
    required: true,
    message: () => t('err.concernStatus'),
  });
  if (status && status !== 'active') {
    checkText(errors, 'closingReason', values.closingReason, {
      required: true,
      max: 1000,
      message: textMessage(t, t('concern.closingReason'), 'err.closingReason'),
    });
  }
  return formResult(values, errors, () => ({
    title: values.title,
    category_id: categoryId,
    success_indicator: values.successIndicator,
    mf_world_view: values.mfWorldView,
    mf_coping: values.mfCoping,
    mf_preconditions: values.mfPreconditions,
    mf_service: values.mfService,
    mf_home: values.mfHome,
    status: status!,
    closing_reason: status === 'active' ? null : values.closingReason,
  }));
}
