/**
 * The guardian form of a log's guardians page: name, e-mail (they are invited by it) and, if known, the
 * identity number (then they can sign in with ID-porten). Returns { values, errors, input }: values as
 * typed, input normalised, or null when something is wrong.
 */
import type { Translate } from '../../i18n/index.js';
import {
  asBody,
  checkText,
  Errors,
  formResult,
  isEmailAddress,
  str,
  type FormResult,
} from '../../lib/form.js';
import type { IdentityNumbers } from '../../lib/national-id.js';

export interface GuardianValues {
  name: string;
  email: string;
  nationalId: string;
}

export function parseGuardian(
  body: unknown,
  t: Translate,
  options: { syntheticNationalIds: boolean; identity: IdentityNumbers },
): FormResult<GuardianValues, GuardianValues> {
  const b = asBody(body);
  const values: GuardianValues = {
    name: str(b, 'name').trim(),
    email: str(b, 'email').trim(),
    nationalId: str(b, 'nationalId').trim().slice(0, 100),
  };
  const errors = new Errors();
  checkText(errors, 'name', values.name, {
    required: true,
    max: 200,
    message: (problem, max) =>
      problem === 'required'
        ? t('guardians.err.name')
        : problem === 'tooLong'
          ? t('err.tooLong', { field: t('guardians.name'), max })
          : t('err.control', { field: t('guardians.name') }),
  });
  if (!values.email) errors.add('email', t('guardians.err.email'));
  else if (!isEmailAddress(values.email)) errors.add('email', t('err.guardianEmail.invalid'));
  const idProblem = values.nationalId
    ? options.identity.problem(values.nationalId, { synthetic: options.syntheticNationalIds })
    : null;
  if (idProblem)
    errors.add(
      'nationalId',
      idProblem === 'synthetic' ? t('person.nationalId.synthetic') : t(`nationalId.${idProblem}`),
    );
  return formResult(values, errors, () => ({
    ...values,
    nationalId: values.nationalId ? options.identity.normalize(values.nationalId) : '',
  }));
}
