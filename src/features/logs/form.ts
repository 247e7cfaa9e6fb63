/** Parsing and checking the create-log form: child, guardians, plan type, level, consent, startup note. */
import type { Translate, PlainMessageKey } from '../../i18n/index.js';
import {
  asBody,
  dateParts,
  Errors,
  isEmailAddress,
  str,
  strings,
  textProblem,
  oneOf,
} from '../../lib/form.js';
import type { IdentityNumbers } from '../../lib/national-id.js';
import { parseDateParts, ageOn, type DateParts } from '../../lib/dates.js';
import { PLAN_TYPES } from '../../domain/plan.js';
import { UNIT_KINDS } from '../../domain/organisation.js';

export type PlanType = (typeof PLAN_TYPES)[number];

export interface CreateLogValues {
  childNationalId: string;
  childFirstName: string;
  childLastName: string;
  /** The guardians as typed; nationalId is optional (where unknown they are invited by e-mail only). */
  guardians: { name: string; email: string; nationalId: string }[];
  planType: string;
  level: string;
  unitId: string;
  consentBy: string;
  consentName: string;
  consentGivenOn: DateParts;
  consentValidUntil: DateParts;
  consentServices: string[];
  consentServicesNote: string;
  consentConfirmed: boolean;
  startupNote: string;
  formToken: string;
}

export interface CreateLogParsed {
  nationalId: string;
  birthDate: string;
  planType: PlanType;
  level: 1 | 2 | 3;
  unitId: number;
  consentGivenOn: string;
  consentValidUntil: string;
}

export { dateParts };

/** Checks a text field and adds the right message; returns true when it is fine. */
export function checkText(
  errors: Errors,
  t: Translate,
  field: string,
  value: string,
  options: { required?: PlainMessageKey; max: number; label: string },
): boolean {
  const problem = textProblem(value, { required: Boolean(options.required), max: options.max });
  if (problem === 'required') errors.add(field, t(options.required!));
  else if (problem === 'tooLong')
    errors.add(field, t('err.tooLong', { field: options.label, max: options.max }));
  else if (problem === 'control') errors.add(field, t('err.control', { field: options.label }));
  return problem === null;
}

export function checkDate(
  errors: Errors,
  t: Translate,
  field: string,
  parts: DateParts,
  /** The date named as a noun phrase in the middle of a sentence: "datoen samtykket gjelder til". */
  what: string,
  required = true,
): string | null {
  const { value, problem } = parseDateParts(parts);
  if (problem === 'missing' && !required) return null;
  if (problem) {
    const capitalised = what.charAt(0).toUpperCase() + what.slice(1);
    const text =
      problem === 'missing'
        ? t('err.date.missing', { field: what })
        : t(problem === 'incomplete' ? 'err.date.incomplete' : 'err.date.invalid', { field: capitalised });
    errors.add(`${field}-day`, text);
  }
  return value;
}

export function parseCreateLog(
  rawBody: unknown,
  t: Translate,
  context: {
    today: string;
    youthConsentAge: number;
    holdingUnitIds: number[];
    /** Synthetic test identity numbers are accepted (everywhere but production). */
    syntheticNationalIds: boolean;
    /** The installation's identity numbers (fødselsnummer or CPR number). */
    identity: IdentityNumbers;
  },
): { values: CreateLogValues; parsed: CreateLogParsed | null; errors: Errors } {
  const body = asBody(rawBody);
  const values: CreateLogValues = {
    childNationalId: str(body, 'childNationalId').trim(),
    childFirstName: str(body, 'childFirstName').trim(),
    childLastName: str(body, 'childLastName').trim(),
    guardians: [1, 2].map((n) => ({
      name: str(body, `guardian${n}Name`).trim(),
      email: str(body, `guardian${n}Email`).trim(),
      nationalId: str(body, `guardian${n}NationalId`).trim().slice(0, 100),
    })),
    planType: str(body, 'planType'),
    level: str(body, 'level'),
    unitId:
      str(body, 'unitId') || (context.holdingUnitIds.length === 1 ? String(context.holdingUnitIds[0]) : ''),
    consentBy: str(body, 'consentBy'),
    consentName: str(body, 'consentName').trim(),
    consentGivenOn: dateParts(body, 'consentGivenOn'),
    consentValidUntil: dateParts(body, 'consentValidUntil'),
    consentServices: strings(body, 'consentServices'),
    consentServicesNote: str(body, 'consentServicesNote').trim(),
    consentConfirmed: str(body, 'consentConfirmed') === 'yes',
    startupNote: str(body, 'startupNote').trim(),
    formToken: str(body, 'formToken'),
  };
  const errors = new Errors();

  const identity = context.identity;
  const idProblem = identity.problem(values.childNationalId, { synthetic: context.syntheticNationalIds });
  const nationalId = identity.normalize(values.childNationalId);
  if (idProblem) errors.add('childNationalId', t(`nationalId.${idProblem}`));
  checkText(errors, t, 'childFirstName', values.childFirstName, {
    required: 'err.childFirstName',
    max: 100,
    label: t('create.childFirstName'),
  });
  checkText(errors, t, 'childLastName', values.childLastName, {
    required: 'err.childLastName',
    max: 100,
    label: t('create.childLastName'),
  });

  values.guardians.forEach((g, i) => {
    const n = i + 1;
    const required = n === 1 || g.name !== '' || g.email !== '';
    if (!required) return;
    if (!g.name) errors.add(`guardian${n}Name`, t('err.guardianName', { n }));
    else
      checkText(errors, t, `guardian${n}Name`, g.name, { max: 200, label: t('create.guardianName', { n }) });
    if (!g.email) errors.add(`guardian${n}Email`, t('err.guardianEmail', { n }));
    else if (!isEmailAddress(g.email)) errors.add(`guardian${n}Email`, t('err.guardianEmail.invalid'));
    const idProblem = g.nationalId
      ? identity.problem(g.nationalId, { synthetic: context.syntheticNationalIds })
      : null;
    if (idProblem)
      errors.add(
        `guardian${n}NationalId`,
        idProblem === 'synthetic' ? t('person.nationalId.synthetic') : t(`nationalId.${idProblem}`),
      );
  });
  if (
    values.guardians[1]!.nationalId &&
    identity.normalize(values.guardians[1]!.nationalId) ===
      identity.normalize(values.guardians[0]!.nationalId)
  ) {
    errors.add('guardian2NationalId', t('err.guardianNationalId.same'));
  }
  if (
    values.guardians[1]!.email &&
    values.guardians[1]!.email.toLowerCase() === values.guardians[0]!.email.toLowerCase()
  ) {
    errors.add('guardian2Email', t('err.guardianEmail.same'));
  }

  const planType = oneOf(values.planType, PLAN_TYPES);
  if (!planType) errors.add('planType', t('err.planType'));
  const level = oneOf(values.level, ['1', '2', '3'] as const);
  if (!level) errors.add('level', t('err.level'));
  const unitId = Number(values.unitId);
  if (!context.holdingUnitIds.includes(unitId)) errors.add('unitId', t('err.unit'));

  const birthDate = idProblem ? null : identity.birthDate(nationalId, context.today);
  const { givenOn, validUntil } = checkConsent(errors, t, values, {
    today: context.today,
    birthDate,
    youthConsentAge: context.youthConsentAge,
  });
  checkText(errors, t, 'startupNote', values.startupNote, {
    required: 'err.startupNote',
    max: 4000,
    label: t('create.startupNote'),
  });

  const parsed =
    errors.empty && planType && level && birthDate && givenOn && validUntil
      ? {
          nationalId,
          birthDate,
          planType,
          level: Number(level) as 1 | 2 | 3,
          unitId,
          consentGivenOn: givenOn,
          consentValidUntil: validUntil,
        }
      : null;
  if (errors.empty && !birthDate) errors.add('childNationalId', t('nationalId.date'));
  return { values, parsed, errors };
}

/** The consent fields, as the create-log form and the relay's consent forms post them. */
export interface ConsentFields {
  consentBy: string;
  consentName: string;
  consentGivenOn: DateParts;
  consentValidUntil: DateParts;
  consentServices: string[];
  consentServicesNote: string;
  consentConfirmed: boolean;
}

/**
 * Checks a registered consent (rule 2): who gave it (a young person alone only from the age limit),
 * when, valid until (after it was given and not already past), which services, and that it is written.
 */
export function checkConsent(
  errors: Errors,
  t: Translate,
  values: ConsentFields,
  context: { today: string; birthDate: string | null; youthConsentAge: number },
): {
  consentBy: 'guardians' | 'youth' | null;
  givenOn: string | null;
  validUntil: string | null;
  services: string[];
} {
  const consentBy = oneOf(values.consentBy, ['guardians', 'youth'] as const);
  if (!consentBy) errors.add('consentBy', t('err.consentBy'));
  else if (
    consentBy === 'youth' &&
    context.birthDate &&
    ageOn(context.birthDate, context.today) < context.youthConsentAge
  ) {
    errors.add('consentBy', t('err.consentBy.tooYoung', { age: context.youthConsentAge }));
  }
  checkText(errors, t, 'consentName', values.consentName, {
    required: 'err.consentName',
    max: 300,
    label: t('create.consentName'),
  });
  const givenOn = checkDate(
    errors,
    t,
    'consentGivenOn',
    values.consentGivenOn,
    t('create.consentGivenOn.what'),
  );
  if (givenOn && givenOn > context.today) errors.add('consentGivenOn-day', t('err.consentGivenOn.future'));
  const validUntil = checkDate(
    errors,
    t,
    'consentValidUntil',
    values.consentValidUntil,
    t('create.consentValidUntil.what'),
  );
  if (validUntil && givenOn && validUntil < givenOn)
    errors.add('consentValidUntil-day', t('err.consentValidUntil.before'));
  else if (validUntil && validUntil < context.today)
    errors.add('consentValidUntil-day', t('err.consentValidUntil.past'));
  const services = values.consentServices.filter((s) => (UNIT_KINDS as readonly string[]).includes(s));
  if (services.length === 0 || services.length !== values.consentServices.length) {
    errors.add('consentServices', t('err.consentServices'));
  }
  checkText(errors, t, 'consentServicesNote', values.consentServicesNote, {
    max: 1000,
    label: t('create.consentServicesNote'),
  });
  if (!values.consentConfirmed) errors.add('consentConfirmed', t('err.consentConfirmed'));
  return { consentBy, givenOn, validUntil, services };
}
