/**
 * Parsing and checking the create-log form: child, guardians, plan type, level, consent, startup note →
 * FormResult { values, errors, input }. Also the consent check and the `err.*` wording of text and date
 * problems, which the concern form and the relay's forms share.
 */
import type { Translate, PlainMessageKey } from '../../i18n/index.js';
import {
  asBody,
  checkChoice,
  checkDate,
  checkText,
  dateParts,
  Errors,
  formResult,
  isEmailAddress,
  str,
  strings,
  type DateProblem,
  type FormResult,
  type TextProblem,
} from '../../lib/form.js';
import type { IdentityNumbers } from '../../lib/national-id.js';
import { ageOn, type DateParts } from '../../lib/dates.js';
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

/** The `err.*` words for a text field's problem; `label` is the field's name as the form shows it. */
export function textMessage(t: Translate, label: string, required?: PlainMessageKey) {
  return (problem: TextProblem, max: number): string =>
    problem === 'required' && required
      ? t(required)
      : problem === 'control'
        ? t('err.control', { field: label })
        : t('err.tooLong', { field: label, max });
}

/**
 * The `err.date.*` words for a date's problem; `what` names the date as a noun phrase in the middle of a
 * sentence ("datoen samtykket gjelder til"), capitalised where it starts one.
 */
export function dateMessage(t: Translate, what: string) {
  return (problem: DateProblem): string => {
    const capitalised = what.charAt(0).toUpperCase() + what.slice(1);
    if (problem === 'missing') return t('err.date.missing', { field: what });
    return t(problem === 'incomplete' ? 'err.date.incomplete' : 'err.date.invalid', { field: capitalised });
  };
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
): FormResult<CreateLogValues, CreateLogParsed> {
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
  checkText(errors, 'childFirstName', values.childFirstName, {
    required: true,
    max: 100,
    message: textMessage(t, t('create.childFirstName'), 'err.childFirstName'),
  });
  checkText(errors, 'childLastName', values.childLastName, {
    required: true,
    max: 100,
    message: textMessage(t, t('create.childLastName'), 'err.childLastName'),
  });

  values.guardians.forEach((g, i) => {
    const n = i + 1;
    const required = n === 1 || g.name !== '' || g.email !== '';
    if (!required) return;
    if (!g.name) errors.add(`guardian${n}Name`, t('err.guardianName', { n }));
    else
      checkText(errors, `guardian${n}Name`, g.name, {
        max: 200,
        message: textMessage(t, t('create.guardianName', { n })),
      });
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

  const planType = checkChoice(errors, 'planType', values.planType, PLAN_TYPES, {
    required: true,
    message: () => t('err.planType'),
  });
  const level = checkChoice(errors, 'level', values.level, ['1', '2', '3'] as const, {
    required: true,
    message: () => t('err.level'),
  });
  const unitId = Number(values.unitId);
  if (!context.holdingUnitIds.includes(unitId)) errors.add('unitId', t('err.unit'));

  const birthDate = idProblem ? null : identity.birthDate(nationalId, context.today);
  const { givenOn, validUntil } = checkConsent(errors, t, values, {
    today: context.today,
    birthDate,
    youthConsentAge: context.youthConsentAge,
  });
  checkText(errors, 'startupNote', values.startupNote, {
    required: true,
    max: 4000,
    message: textMessage(t, t('create.startupNote'), 'err.startupNote'),
  });

  if (errors.empty && !birthDate) errors.add('childNationalId', t('nationalId.date'));
  return formResult(values, errors, () => ({
    nationalId,
    birthDate: birthDate!,
    planType: planType!,
    level: Number(level) as 1 | 2 | 3,
    unitId,
    consentGivenOn: givenOn!,
    consentValidUntil: validUntil!,
  }));
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
  const consentBy = checkChoice(errors, 'consentBy', values.consentBy, ['guardians', 'youth'] as const, {
    required: true,
    message: () => t('err.consentBy'),
  });
  if (
    consentBy === 'youth' &&
    context.birthDate &&
    ageOn(context.birthDate, context.today) < context.youthConsentAge
  ) {
    errors.add('consentBy', t('err.consentBy.tooYoung', { age: context.youthConsentAge }));
  }
  checkText(errors, 'consentName', values.consentName, {
    required: true,
    max: 300,
    message: textMessage(t, t('create.consentName'), 'err.consentName'),
  });
  const givenOn = checkDate(errors, 'consentGivenOn-day', values.consentGivenOn, {
    required: true,
    message: dateMessage(t, t('create.consentGivenOn.what')),
  });
  if (givenOn && givenOn > context.today) errors.add('consentGivenOn-day', t('err.consentGivenOn.future'));
  const validUntil = checkDate(errors, 'consentValidUntil-day', values.consentValidUntil, {
    required: true,
    message: dateMessage(t, t('create.consentValidUntil.what')),
  });
  if (validUntil && givenOn && validUntil < givenOn)
    errors.add('consentValidUntil-day', t('err.consentValidUntil.before'));
  else if (validUntil && validUntil < context.today)
    errors.add('consentValidUntil-day', t('err.consentValidUntil.past'));
  const services = values.consentServices.filter((s) => (UNIT_KINDS as readonly string[]).includes(s));
  if (services.length === 0 || services.length !== values.consentServices.length) {
    errors.add('consentServices', t('err.consentServices'));
  }
  checkText(errors, 'consentServicesNote', values.consentServicesNote, {
    max: 1000,
    message: textMessage(t, t('create.consentServicesNote')),
  });
  if (!values.consentConfirmed) errors.add('consentConfirmed', t('err.consentConfirmed'));
  return { consentBy, givenOn, validUntil, services };
}
