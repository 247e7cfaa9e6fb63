/**
 * The access feature's forms: parse + validate → { values, errors }. Only the named fields are read;
 * anything else posted (holder id, log id, role …) is ignored.
 */
import type { Translate } from '../../i18n/index.js';
import {
  asBody,
  dateParts,
  Errors,
  isEmailAddress,
  oneOf,
  postedWhole,
  str,
  strings,
  textProblem,
  type FieldError,
} from '../../lib/form.js';
import { parseDateParts, type DateParts } from '../../lib/dates.js';
import type { IdentityNumbers, NationalIdProblem } from '../../lib/national-id.js';
import { UNIT_KINDS } from '../../domain/organisation.js';
import { EFFECTS as FAMILY_EFFECTS } from '../../domain/plan.js';

export const COMMENT_MAX = 2000;
export const FAMILY_VIEW_MAX = 2000;

export interface Parsed<V, P> {
  values: V;
  parsed: P | null;
  errors: FieldError[];
}

function text(
  errors: Errors,
  t: Translate,
  field: string,
  value: string,
  max: number,
  required: boolean,
  label: string,
) {
  const problem = textProblem(value, { required, max });
  if (problem === 'required') errors.add(field, t('access.err.required', { field: label }));
  else if (problem === 'tooLong') errors.add(field, t('access.err.tooLong', { field: label, max }));
  else if (problem === 'control') errors.add(field, t('access.err.control', { field: label }));
}

export function parseProgress(
  body: unknown,
  t: Translate,
): Parsed<{ status: string }, { status: 'planned' | 'ongoing' }> {
  const status = str(asBody(body), 'status');
  const valid = oneOf(status, ['planned', 'ongoing'] as const);
  const errors = new Errors();
  if (!valid) errors.add('status', t('actor.err.status'));
  return { values: { status }, parsed: valid ? { status: valid } : null, errors: errors.list };
}

export function parseComment(body: unknown, t: Translate): Parsed<{ comment: string }, { text: string }> {
  const comment = str(asBody(body), 'comment').trim();
  const errors = new Errors();
  text(errors, t, 'comment', comment, COMMENT_MAX, true, t('actor.comment.label'));
  return { values: { comment }, parsed: errors.empty ? { text: comment } : null, errors: errors.list };
}

export function parseFamilyView(
  body: unknown,
  t: Translate,
): Parsed<{ effect: string; view: string }, { effect: (typeof FAMILY_EFFECTS)[number]; view: string }> {
  const b = asBody(body);
  const effect = str(b, 'effect');
  const view = str(b, 'view').trim();
  const errors = new Errors();
  const validEffect = oneOf(effect, FAMILY_EFFECTS);
  if (!validEffect) errors.add('effect', t('family.err.effect'));
  text(errors, t, 'view', view, FAMILY_VIEW_MAX, false, t('family.view.label'));
  return {
    values: { effect, view },
    parsed: errors.empty && validEffect ? { effect: validEffect, view } : null,
    errors: errors.list,
  };
}

export interface GrantValues {
  email: string;
  scope: string;
  concernIds: string[];
  endsOn: DateParts;
  consentId: string;
}

export interface GrantParsed {
  email: string;
  all: boolean;
  concernIds: number[];
  endsOn: string;
  consentId: number;
}

export function parseGrant(
  body: unknown,
  t: Translate,
  context: { today: string; concernIds: number[]; consents: { id: number; valid_until: string }[] },
): Parsed<GrantValues, GrantParsed> {
  const b = asBody(body);
  const values: GrantValues = {
    email: str(b, 'email').trim(),
    scope: str(b, 'scope'),
    concernIds: strings(b, 'concernIds'),
    endsOn: dateParts(b, 'endsOn'),
    consentId: str(b, 'consentId'),
  };
  const errors = new Errors();
  if (!values.email) errors.add('email', t('grant.err.email'));
  else if (!isEmailAddress(values.email)) errors.add('email', t('grant.err.emailFormat'));
  const scope = oneOf(values.scope, ['all', 'chosen'] as const);
  if (!scope) errors.add('scope', t('grant.err.scope'));
  const chosen = [...new Set(values.concernIds.map(Number))].filter((id) => context.concernIds.includes(id));
  if (scope === 'chosen' && (chosen.length === 0 || chosen.length !== new Set(values.concernIds).size)) {
    errors.add('concernIds', t('grant.err.concerns'));
  }
  const consent = context.consents.find((c) => String(c.id) === values.consentId);
  if (!consent) errors.add('consentId', t('grant.err.consent'));
  const date = parseDateParts(values.endsOn);
  if (date.problem) errors.add('endsOn-day', t(`grant.err.endsOn.${date.problem}`));
  else if (date.value! < context.today) errors.add('endsOn-day', t('grant.err.endsOn.past'));
  else if (consent && date.value! > consent.valid_until)
    errors.add('endsOn-day', t('grant.err.endsOn.afterConsent'));
  if (!errors.empty) return { values, parsed: null, errors: errors.list };
  return {
    values,
    parsed: {
      email: values.email,
      all: scope === 'all',
      concernIds: scope === 'all' ? [] : chosen,
      endsOn: date.value!,
      consentId: consent!.id,
    },
    errors: [],
  };
}

export interface StaffValues {
  email: string;
  name: string;
  title: string;
  flags: string[];
  /** The identity number as typed (adding, or setting it for an existing member); '' when left empty. */
  nationalId: string;
}

/** The message for an identity number's problem, for a person's own number (not a child's). */
export function personNationalIdMessage(t: Translate, problem: NationalIdProblem): string {
  return problem === 'synthetic' ? t('person.nationalId.synthetic') : t(`nationalId.${problem}`);
}

/** The hidden field of the staff member's form: the post carries the role checkboxes (ticked or not). */
export const ROLES_FORM = 'roles_form';

/**
 * A staff member for a unit: e-mail and name (when adding), title, and the flags may-hold / may-be-actor
 * (/ superuser). A change of an existing member must be the whole form (`incomplete` otherwise): an empty
 * or cut-off post is never read as "no roles".
 */
export function parseStaff(
  body: unknown,
  t: Translate,
  adding: boolean,
  /** Without `identity` the form takes no identity number (the leader form has none). */
  options: { syntheticNationalIds?: boolean; identity?: IdentityNumbers } = {},
): Parsed<StaffValues, StaffValues> & { incomplete: boolean } {
  const b = asBody(body);
  const nationalId = options.identity ? str(b, 'nationalId').trim().slice(0, 100) : '';
  if (!adding && !postedWhole(b, ROLES_FORM, ['title'])) {
    // Nothing is read as a change, but what was typed comes back in its box.
    return {
      values: { email: '', name: '', title: str(b, 'title').trim(), flags: [], nationalId },
      parsed: null,
      errors: [{ text: t('error.incompleteForm'), href: '#flags' }],
      incomplete: true,
    };
  }
  const values: StaffValues = {
    email: adding ? str(b, 'email').trim() : '',
    name: adding ? str(b, 'name').trim() : '',
    title: str(b, 'title').trim(),
    flags: strings(b, 'flags').filter((f) => ['mayHold', 'mayBeActor', 'isSuperuser'].includes(f)),
    nationalId,
  };
  const errors = new Errors();
  if (adding) {
    if (!values.email) errors.add('email', t('staff.err.email'));
    else if (!isEmailAddress(values.email)) errors.add('email', t('grant.err.emailFormat'));
    text(errors, t, 'name', values.name, 200, true, t('staff.name'));
  }
  // Optional here: required (by the staff service) only where ID-porten is used and none is on file.
  const idProblem =
    values.nationalId && options.identity
      ? options.identity.problem(values.nationalId, { synthetic: Boolean(options.syntheticNationalIds) })
      : null;
  if (idProblem) errors.add('nationalId', personNationalIdMessage(t, idProblem));
  text(errors, t, 'title', values.title, 200, false, t('staff.title'));
  const parsed = errors.empty
    ? {
        ...values,
        nationalId:
          values.nationalId && options.identity ? options.identity.normalize(values.nationalId) : '',
      }
    : null;
  return { values, parsed, errors: errors.list, incomplete: false };
}

export function parseUnit(
  body: unknown,
  t: Translate,
  districtIds: number[],
): Parsed<
  { name: string; kind: string; districtId: string },
  { name: string; kind: string; district_id: number }
> {
  const b = asBody(body);
  const values = { name: str(b, 'name').trim(), kind: str(b, 'kind'), districtId: str(b, 'districtId') };
  const errors = new Errors();
  text(errors, t, 'name', values.name, 200, true, t('admin.unit.name'));
  const kind = oneOf(values.kind, UNIT_KINDS);
  if (!kind) errors.add('kind', t('admin.err.kind'));
  const districtId = Number(values.districtId);
  if (!districtIds.includes(districtId)) errors.add('districtId', t('admin.err.district'));
  if (!errors.empty) return { values, parsed: null, errors: errors.list };
  return { values, parsed: { name: values.name, kind: kind!, district_id: districtId }, errors: [] };
}

export function parseLeader(
  body: unknown,
  t: Translate,
): Parsed<{ email: string; name: string }, { email: string; name: string }> {
  const parsed = parseStaff(body, t, true);
  const values = { email: parsed.values.email, name: parsed.values.name };
  return {
    values,
    parsed: parsed.parsed ? values : null,
    errors: parsed.errors.filter((e) => e.href !== '#title'),
  };
}
