/**
 * The people of the local identity provider: the test people it offers, and the one a person picks or
 * types on its sign-in page. In Norway only synthetic identity numbers (Skatteetaten's Tenor: month + 80)
 * are accepted, as in ID-porten's test environment; Denmark has no such test numbers, so any valid CPR
 * number is. An e-mail address is typed for the municipality's login.
 */
import { createHash } from 'node:crypto';
import { identityNumbers } from '../lib/national-id.js';
import type { Country } from '../domain/country.js';

export interface TestPerson {
  name: string;
  email: string;
  nationalId: string;
  role: string;
}

/** Who signed in at the provider: what it knows of them (an identity number, an e-mail address, or both). */
export interface Signed {
  pid?: string;
  email?: string;
  name?: string;
}

/** A stable subject per person, never the identity number itself (ID-porten's `sub` is not the number either). */
export function accountIdOf(person: Signed): string {
  const basis = person.pid ? `pid:${person.pid}` : `email:${(person.email ?? '').toLowerCase()}`;
  return createHash('sha256').update(basis).digest('base64url').slice(0, 32);
}

export type PickProblem = 'none' | 'nationalId' | 'notSynthetic' | 'email';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The person a posted sign-in form means: a typed number (or, for the municipality's login, a typed
 * address) wins over a picked test person.
 */
export function pickPerson(
  people: TestPerson[],
  kind: 'idporten' | 'municipal',
  picked: string,
  typed: string,
  country: Country = 'NO',
): { person: Signed } | { problem: PickProblem } {
  const text = typed.trim();
  if (text) {
    if (kind === 'municipal') {
      if (!EMAIL.test(text) || text.length > 254) return { problem: 'email' };
      const known = people.find((p) => p.email.toLowerCase() === text.toLowerCase());
      return { person: known ? fromTestPerson(known) : { email: text } };
    }
    const numbers = identityNumbers(country);
    const number = numbers.normalize(text);
    if (!numbers.isValid(number, { synthetic: true })) return { problem: 'nationalId' };
    if (numbers.hasSyntheticNumbers && numbers.isValid(number)) return { problem: 'notSynthetic' };
    const known = people.find((p) => p.nationalId === number);
    return { person: known ? fromTestPerson(known) : { pid: number } };
  }
  const chosen = people[Number(picked)];
  if (!/^\d{1,4}$/.test(picked) || !chosen) return { problem: 'none' };
  return { person: fromTestPerson(chosen) };
}

function fromTestPerson(p: TestPerson): Signed {
  return { pid: p.nationalId, email: p.email, name: p.name };
}
