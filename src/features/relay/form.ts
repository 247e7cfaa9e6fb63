/**
 * Parsing the relay's forms: transfer, decline, assign, close, consent (renew, reopen, import) and
 * withdrawal of consent. Each returns { values, parsed, errors }, errors in field order.
 */
import type { Translate } from '../../i18n/index.js';
import { asBody, Errors, str, strings } from '../../lib/form.js';
import type { DateParts } from '../../lib/dates.js';
import { checkConsent, checkDate, checkText, dateParts, type ConsentFields } from '../logs/index.js';

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
): { values: TransferValues; parsed: TransferParsed | null; errors: Errors } {
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
  checkText(errors, t, 'reason', values.reason, {
    required: 'relay.err.reason',
    max: REASON_MAX,
    label: t('relay.transfer.reason'),
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
  const parsed = errors.empty
    ? {
        kind: context.kind,
        toUnitId: context.toUnitId,
        toUserId,
        reason: values.reason,
        concernIds,
        stayInMeetings: values.stayInMeetings === 'yes',
      }
    : null;
  return { values, parsed, errors };
}

export function parseReason(
  rawBody: unknown,
  t: Translate,
  field: string,
  required: Parameters<typeof checkText>[4]['required'],
  label: string,
) {
  const value = str(asBody(rawBody), field).trim();
  const errors = new Errors();
  checkText(errors, t, field, value, { required, max: REASON_MAX, label });
  return { value, errors };
}

export function parseChoice(rawBody: unknown, t: Translate, ids: number[]) {
  const value = str(asBody(rawBody), 'receiver');
  const errors = new Errors();
  const id = /^\d+$/.test(value) && ids.includes(Number(value)) ? Number(value) : null;
  if (id === null) errors.add('receiver', t('relay.err.assign'));
  return { value, id, errors };
}

export interface CloseValues {
  reason: string;
  closedOn: DateParts;
  agreed: boolean;
}

export function parseClose(rawBody: unknown, t: Translate, context: { today: string; createdOn: string }) {
  const body = asBody(rawBody);
  const values: CloseValues = {
    reason: str(body, 'reason').trim(),
    closedOn: dateParts(body, 'closedOn'),
    agreed: str(body, 'agreed') === 'yes',
  };
  const errors = new Errors();
  checkText(errors, t, 'reason', values.reason, {
    required: 'relay.err.closeReason',
    max: REASON_MAX,
    label: t('relay.close.reason'),
  });
  const closedOn = checkDate(errors, t, 'closedOn', values.closedOn, t('relay.close.date.what'));
  if (closedOn && closedOn > context.today) errors.add('closedOn-day', t('relay.err.closedOn.future'));
  else if (closedOn && closedOn < context.createdOn)
    errors.add('closedOn-day', t('relay.err.closedOn.beforeCreated'));
  if (!values.agreed) errors.add('agreed', t('relay.err.closeAgreed'));
  return { values, parsed: errors.empty && closedOn ? { reason: values.reason, closedOn } : null, errors };
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
) {
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
  const parsed: ConsentParsed | null =
    errors.empty && consentBy && givenOn && validUntil
      ? {
          givenBy: values.consentName,
          givenByRole: consentBy,
          givenOn,
          validUntil,
          services,
          servicesNote: values.consentServicesNote,
        }
      : null;
  return { values, parsed, errors };
}
