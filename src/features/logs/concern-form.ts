/** The concern form: a describing sentence, category, success indicator, maintaining factors, status. */
import type { Translate } from '../../i18n/index.js';
import { asBody, Errors, str, oneOf } from '../../lib/form.js';
import { checkText } from './form.js';

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
): { values: ConcernValues; parsed: ConcernParsed | null; errors: Errors } {
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
  checkText(errors, t, 'title', values.title, {
    required: 'err.concernTitle',
    max: 500,
    label: t('concern.label'),
  });
  const categoryId = values.categoryId === '' ? null : Number(values.categoryId);
  if (categoryId !== null && !categoryIds.includes(categoryId)) errors.add('categoryId', t('err.category'));
  checkText(errors, t, 'successIndicator', values.successIndicator, {
    max: 1000,
    label: t('concern.successIndicator'),
  });
  const labels = {
    mfWorldView: t('concern.mfWorldView'),
    mfCoping: t('concern.mfCoping'),
    mfPreconditions: t('concern.mfPreconditions'),
    mfService: t('concern.mfService'),
    mfHome: t('concern.mfHome'),
  };
  for (const field of MAINTAINING)
    checkText(errors, t, field, values[field], { max: 2000, label: labels[field] });
  const status = oneOf(values.status, CONCERN_STATUSES);
  if (!status) errors.add('status', t('err.concernStatus'));
  if (status && status !== 'active') {
    checkText(errors, t, 'closingReason', values.closingReason, {
      required: 'err.closingReason',
      max: 1000,
      label: t('concern.closingReason'),
    });
  }
  const parsed: ConcernParsed | null =
    errors.empty && status
      ? {
          title: values.title,
          category_id: categoryId,
          success_indicator: values.successIndicator,
          mf_world_view: values.mfWorldView,
          mf_coping: values.mfCoping,
          mf_preconditions: values.mfPreconditions,
          mf_service: values.mfService,
          mf_home: values.mfHome,
          status,
          closing_reason: status === 'active' ? null : values.closingReason,
        }
      : null;
  return { values, parsed, errors };
}
