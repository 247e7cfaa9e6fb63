/**
 * Parsing the relay's forms: transfer, decline, assign, close, consent (renew, reopen, import),
 * withdrawal of consent and export. Each returns FormResult { values, errors, input }, errors in field order.
 */
import type { PlainMessageKey, Translate } from '../../i18n/index.js';
import {
  asBody,
  checkDate,
  checkText,
  dateParts,
  Errors,
  formResult,
  str,
  strings,
  type FormResult,
} from '../../lib/form.js';
import type { DateParts } from '../../lib/dates.js';
import { checkConsent, dateMessage, textMessage, type ConsentFields } from '../logs/index.js';

export const TRANSFER_DESTINATIONS = ['internal', 'unit', 'municipality'] as const;
export type TransferDestination = (typeof TRANSFER_DESTINATIONS)[number];

const REASON_MAX = 2000;

export interface TransferValues {
  kind: 'internal' | 'unit';
  unitId: string;
  receiver: string;
  reason: string;
  concernIds: string[];
  consentConfirmed: boolean;
  /** 'yes': the old holder stays a participant of the planned meetings. */
  stayInMeetings: string;
}

export interface TransferParsed {
  kind: 'internal' | 'unit';
  toUnitId: number;
  /** null: to the receiving unit's leader, who picks the new holder. */
  toUserId: number | null;
  reason: string;
  /** null: every concern goes along (internal transfer). */
  concernIds: number[] | null;
  stayInMeetings: boolean;
}

export function parseTransfer(
  rawBody: unknown,
  t: Translate,
  context: {
    kind: 'internal' | 'unit';
    toUnitId: number;
    receiverIds: number[];
    leaderAvailable: boolean;
    concernIds: number[];
  },
): FormResult<TransferValues, TransferParsed> {
  const body = asBody(rawBody);
  const values: TransferValues = {
    kind: context.kind,
    unitId: String(context.toUnitId),
    receiver: str(body, 'receiver'),
    reason: str(body, 'reason').trim(),
    concernIds: strings(body, 'concernIds'),
    consentConfirmed: str(body, 'consentConfirmed') === 'yes',
    stayInMeetings: str(body, 'stayInMeetings') === 'yes' ? 'yes' : '',
  };
  const errors = new Errors();
  const toUserId =
    /^\d+$/.test(values.receiver) && context.receiverIds.includes(Number(values.receiver))
      ? Number(values.receiver)
      : null;
  const toLeader = values.receiver === 'leader' && context.leaderAvailable;
  if (toUserId === null && !toLeader) errors.add('receiver', t('relay.err.receiver'));
  checkText(errors, 'reason', values.reason, {
    required: true,
    max: REASON_MAX,
    message: textMessage(t, t('relay.transfer.reason'), 'relay.err.reason'),
  });
  let concernIds: number[] | null = null;
  if (context.kind === 'unit') {
    concernIds = values.concernIds.map(Number).filter((id) => context.concernIds.includes(id));
    if (
      concernIds.length !== values.concernIds.length ||
      (context.concernIds.length > 0 && concernIds.length === 0)
    ) {
      errors.add('concernIds', t('relay.err.concerns'));
    }
    if (!values.consentConfirmed) errors.add('consentConfirmed', t('relay.err.transferConsent'));
  }
  return formResult(values, errors, () => ({
    kind: context.kind,
    toUnitId: context.toUnitId,
    toUserId,
    reason: values.reason,
    concernIds,
    stayInMeetings: values.stayInMeetings === 'yes',
  }));
}

/** A reason (declining a transfer, withdrawing consent) posted as `field`, trimmed. */
export function parseReason(
  rawBody: unknown,
  t: Translate,
  field: string,
  required: PlainMessageKey | undefined,
  label: string,
): FormResult<{ reason: string }, { reason: string }> {
  const reason = str(asBody(rawBody), field).trim();
  const errors = new Errors();
  checkText(errors, field, reason, {
    required: Boolean(required),
    max: REASON_MAX,
    message: textMessage(t, label, required),
  });
  return formResult({ reason }, errors, () => ({ reason }));
}

/** The new holder a unit's leader assigns a transfer to, among `ids`. */
export function parseChoice(
  rawBody: unknown,
  t: Translate,
  ids: number[],
): FormResult<{ receiver: string }, { id: number }> {
  const receiver = str(asBody(rawBody), 'receiver');
  const errors = new Errors();
  const id = /^\d+$/.test(receiver) && ids.includes(Number(receiver)) ? Number(receiver) : null;
  if (id === null) errors.add('receiver', t('relay.err.assign'));
  return formResult({ receiver }, errors, () => ({ id: id! }));
}

export interface CloseValues {
  reason: string;
  closedOn: DateParts;
  agreed: boolean;
}

export function parseClose(
  rawBody: unknown,
  t: Translate,
  context: { today: string; createdOn: string },
): FormResult<CloseValues, { reason: string; closedOn: string }> {
  const body = asBody(rawBody);
  const values: CloseValues = {
    reason: str(body, 'reason').trim(),
    closedOn: dateParts(body, 'closedOn'),
    agreed: str(body, 'agreed') === 'yes',
  };
  const errors = new Errors();
  checkText(errors, 'reason', values.reason, {
    required: true,
    max: REASON_MAX,
    message: textMessage(t, t('relay.close.reason'), 'relay.err.closeReason'),
  });
  const closedOn = checkDate(errors, 'closedOn-day', values.closedOn, {
    required: true,
    message: dateMessage(t, t('relay.close.date.what')),
  });
  if (closedOn && closedOn > context.today) errors.add('closedOn-day', t('relay.err.closedOn.future'));
  else if (closedOn && closedOn < context.createdOn)
    errors.add('closedOn-day', t('relay.err.closedOn.beforeCreated'));
  if (!values.agreed) errors.add('agreed', t('relay.err.closeAgreed'));
  return formResult(values, errors, () => ({ reason: values.reason, closedOn: closedOn! }));
}

export type ConsentValues = ConsentFields;

export interface ConsentParsed {
  givenBy: string;
  givenByRole: 'guardians' | 'youth';
  givenOn: string;
  validUntil: string;
  services: string[];
  servicesNote: string;
}

export function emptyConsent(today: DateParts, inAYear: DateParts): ConsentValues {
  return {
    consentBy: '',
    consentName: '',
    consentGivenOn: today,
    consentValidUntil: inAYear,
    consentServices: [],
    consentServicesNote: '',
    consentConfirmed: false,
  };
}

/** The consent fields, as on the create-log form (same names, same messages). */
export function parseConsent(
  rawBody: unknown,
  t: Translate,
  context: { today: string; birthDate: string; youthConsentAge: number },
): FormResult<ConsentValues, ConsentParsed> {
  const body = asBody(rawBody);
  const values: ConsentValues = {
    consentBy: str(body, 'consentBy'),
    consentName: str(body, 'consentName').trim(),
    consentGivenOn: dateParts(body, 'consentGivenOn'),
    consentValidUntil: dateParts(body, 'consentValidUntil'),
    consentServices: strings(body, 'consentServices'),
    consentServicesNote: str(body, 'consentServicesNote').trim(),
    consentConfirmed: str(body, 'consentConfirmed') === 'yes',
  };
  const errors = new Errors();
  const { consentBy, givenOn, validUntil, services } = checkConsent(errors, t, values, context);
  return formResult(values, errors, () => ({
    givenBy: values.consentName,
    givenByRole: consentBy!,
    givenOn: givenOn!,
    validUntil: validUntil!,
    services,
    servicesNote: values.consentServicesNote,
  }));
}

// ---- export ----

export interface ExportValues {
  concernIds: string[];
  reason: string;
  consentConfirmed: boolean;
}

/** The export form: which concerns (of `concernIds`, the log's), why, and the family's consent confirmed. */
export function parseExport(
  rawBody: unknown,
  t: Translate,
  concernIds: number[],
): FormResult<ExportValues, { chosen: number[] }> {
  const body = asBody(rawBody);
  const values: ExportValues = {
    concernIds: strings(body, 'concernIds'),
    reason: str(body, 'reason').trim(),
    consentConfirmed: str(body, 'consentConfirmed') === 'yes',
  };
  const errors = new Errors();
  const chosen = values.concernIds.map(Number).filter((id) => concernIds.includes(id));
  if (chosen.length === 0 || chosen.length !== values.concernIds.length)
    errors.add('concernIds', t('relay.err.concerns'));
  checkText(errors, 'reason', values.reason, {
    required: true,
    max: REASON_MAX,
    message: textMessage(t, t('relay.transfer.reason'), 'relay.err.reason'),
  });
  if (!values.consentConfirmed) errors.add('consentConfirmed', t('relay.err.exportConsent'));
  return formResult(values, errors, () => ({ chosen }));
}
