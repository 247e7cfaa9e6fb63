/**
 * The Norwegian identity numbers (fødselsnummer, d-, h- and synthetic numbers) that a page, a mail or a
 * file shows: every run of 11 digits (or 6 + 5 with a space) that is a valid number, whatever stands
 * around it ("fnr12031312345", "=3D…" in a quoted-printable mail, "plan_….pdf"). Random hex (a MIME
 * boundary, a Message-ID, a UUID form token, a hash) holds 11 digits in a row now and then; such a run is
 * almost never a valid date with both check digits right, so it is not reported. The tests also look for
 * the child's own number exactly.
 */
import { fnrProblem } from '../../src/lib/fnr.js';

const RUN = /(?<!\d)\d{6} ?\d{5}(?!\d)/g;

export function identityNumbersIn(text: string): string[] {
  return [...text.matchAll(RUN)]
    .map((found) => found[0].replace(' ', ''))
    .filter((digits) => fnrProblem(digits, { synthetic: true }) === null);
}
