/**
 * The access feature's forms: parse + validate → FormResult { values, errors, input }. Only the named
 * fields are read; anything else posted (holder id, log id, role …) is ignored.
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
  isEmailAddress,
  postedWhole,
  str,
  strings,
  type FormResult,
} from '../../lib/form.js';
import type { DateParts } from '../../lib/dates.js';
import { EDIT_STATUSES } from '../../domain/plan.js';
import type { IdentityNumbers, NationalIdProblem } from '../../lib/national-id.js';
import { UNIT_KINDS } from '../../domain/organisation.js';
import { EFFECTS as FAMILY_EFFECTS } from '../../domain/plan.js';

export const COMMENT_MAX = 2000;
export const FAMILY_VIEW_MAX = 2000;

/** Checks a text with the access forms' words (`access.err.*`, naming the field by `label`). */
function text(
  errors: Errors,
  t: Translate,
  field: string,
  value: string,
  max: number,
  required: boolean,
  label: string,
) {
  checkText(errors, field, value, {
    max,
    required,
    message: (problem) =>
      problem === 'required'
        ? t('access.err.required', { field: label })
        : problem === 'tooLong'
          ? t('access.err.tooLong', { field: label, max })
          : t('access.err.control', { field: label }),
  });
}

export function parseProgress(
  body: unknown,
  t: Translate,
): FormResult<{ status: string }, { status: (typeof EDIT_STATUSES)[number] }> {
  const status = str(asBody(body), 'status');
  const errors = new Errors();
  const valid = checkChoice(errors, 'status', status, EDIT_STATUSES, {
    required: true,
    message: () => t('actor.err.status'),
  });
  return formResult({ status }, errors, () => ({ status: valid! }));
}

export function parseComment(body: unknown, t: Translate): FormResult<{ comment: string }, { text: string }> {
  const comment = str(asBody(body), 'comment').trim();
  const errors = new Errors();
  text(errors, t, 'comment', comment, COMMENT_MAX, true, t('actor.comment.label'));
  return formResult({ comment }, errors, () => ({ text: comment }));
}

export function parseFamilyView(
  body: unknown,
  t: Translate,
): FormResult<{ effect: string; view: string }, { effect: (typeof FAMILY_EFFECTS)[number]; view: string }> {
  const b = asBody(body);
  const effect = str(b, 'effect');
  const view = str(b, 'view').trim();
  const errors = new Errors();
  const validEffect = checkChoice(errors, 'effect', effect, FAMILY_EFFECTS, {
    required: true,
    message: () => t('family.err.effect'),
  });
  text(errors, t, 'view', view, FAMILY_VIEW_MAX, false, t('family.view.label'));
  return formResult({ effect, view }, errors, () => ({ effect: validEffect!, view }));
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
): FormResult<GrantValues, GrantParsed> {
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
  const scope = checkChoice(errors, 'scope', values.scope, ['all', 'chosen'] as const, {
    required: true,
    message: () => t('grant.err.scope'),
  });
  const chosen = [...new Set(values.concernIds.map(Number))].filter((id) => context.concernIds.includes(id));
  if (scope === 'chosen' && (chosen.length === 0 || chosen.length !== new Set(values.concernIds).size)) {
    errors.add('concernIds', t('grant.err.concerns'));
  }
  const consent = context.consents.find((c) => String(c.id) === values.consentId);
  if (!consent) errors.add('consentId', t('grant.err.consent'));
  const endsOn = checkDate(errors, 'endsOn-day', values.endsOn, {
    required: true,
    message: (problem) => t(`grant.err.endsOn.${problem}`),
  });
  if (endsOn && endsOn < context.today) errors.add('endsOn-day', t('grant.err.endsOn.past'));
  else if (endsOn && consent && endsOn > consent.valid_until)
    errors.add('endsOn-day', t('grant.err.endsOn.afterConsent'));
  return formResult(values, errors, () => ({
    email: values.email,
    all: scope === 'all',
    concernIds: scope === 'all' ? [] : chosen,
    endsOn: endsOn!,
    consentId: consent!.id,
  }));
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
): FormResult<StaffValues, StaffValues> & { incomplete: boolean } {
  const b = asBody(body);
  const nationalId = options.identity ? str(b, 'nationalId').trim().slice(0, 100) : '';
  if (!adding && !postedWhole(b, ROLES_FORM, ['title'])) {
    // Nothing is read as a change, but what was typed comes back in its box.
    return {
      values: { email: '', name: '', title: str(b, 'title').trim(), flags: [], nationalId },
      errors: [{ text: t('error.incompleteForm'), href: '#flags' }],
      input: null,
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
  const result = formResult(values, errors, () => ({
    ...values,
    nationalId: values.nationalId && options.identity ? options.identity.normalize(values.nationalId) : '',
  }));
  return { ...result, incomplete: false };
}

export function parseUnit(
  body: unknown,
  t: Translate,
  districtIds: number[],
): FormResult<
  { name: string; kind: string; districtId: string },
  { name: string; kind: string; district_id: number }
> {
  const b = asBody(body);
  const values = { name: str(b, 'name').trim(), kind: str(b, 'kind'), districtId: str(b, 'districtId') };
  const errors = new Errors();
  text(errors, t, 'name', values.name, 200, true, t('admin.unit.name'));
  const kind = checkChoice(errors, 'kind', values.kind, UNIT_KINDS, {
    required: true,
    message: () => t('admin.err.kind'),
  });
  const districtId = Number(values.districtId);
  if (!districtIds.includes(districtId)) errors.add('districtId', t('admin.err.district'));
  return formResult(values, errors, () => ({ name: values.name, kind: kind!, district_id: districtId }));
}

export function parseLeader(
  body: unknown,
  t: Translate,
): FormResult<{ email: string; name: string }, { email: string; name: string }> {
  const staff = parseStaff(body, t, true);
  const values = { email: staff.values.email, name: staff.values.name };
  // The leader form has no title: a posted one is neither checked nor kept.
  const errors = staff.errors.filter((e) => e.href !== '#title');
  return { values, errors, input: errors.length ? null : values };
}
