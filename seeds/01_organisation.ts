/**
 * Demo organisation and people: one municipality with one district, a school, a kindergarten, a
 * health station and PPT, one account per role (password "stafett-demo"), and the children of the
 * demo cases. National identity numbers are synthetic test numbers (month + 80): every demo adult has
 * one (stored as the keyed hash and the masked form), and so does every child; the local identity
 * provider lists them all (DEMO_PEOPLE, demoTestPeople).
 */
import type { Knex } from 'knex';
import { hashPassword } from '../src/lib/password.js';
import { identityNumbers } from '../src/lib/national-id.js';
import { identityKeyFrom } from '../src/config.js';

export const DEMO_PASSWORD = 'stafett-demo';

const norway = identityNumbers('NO');

export const DEMO_ACCOUNTS = [
  { email: 'admin@stafett.example', role: 'kommunal administrator' },
  { email: 'leder@stafett.example', role: 'virksomhetsleder, Solbakken skole' },
  { email: 'superbruker@stafett.example', role: 'superbruker, Solbakken skole' },
  { email: 'stafettholder@stafett.example', role: 'helsesykepleier, holder Idas stafettlogg' },
  { email: 'aktor@stafett.example', role: 'kontaktlærer, aktør i Idas logg' },
  { email: 'foresatt@stafett.example', role: 'Idas mor, foresatt' },
  { email: 'ungdom@stafett.example', role: 'Per, 16 år, egen tilgang' },
] as const;

/** The demo adults, each with a birth date from which their synthetic identity number is made. */
export const DEMO_PEOPLE = [
  {
    email: 'admin@stafett.example',
    name: 'Marit Haugen',
    birthDate: '1968-02-14',
    role: 'kommunal administrator',
  },
  { email: 'leder@stafett.example', name: 'Lars Bakke', birthDate: '1971-06-03', role: 'virksomhetsleder' },
  { email: 'superbruker@stafett.example', name: 'Siri Dahl', birthDate: '1979-09-21', role: 'superbruker' },
  {
    email: 'stafettholder@stafett.example',
    name: 'Helga Nilsen',
    birthDate: '1975-04-15',
    role: 'helsesykepleier',
  },
  { email: 'aktor@stafett.example', name: 'Tor Hansen', birthDate: '1983-11-08', role: 'kontaktlærer' },
  { email: 'laerer@stafett.example', name: 'Nina Lund', birthDate: '1988-01-27', role: 'kontaktlærer' },
  {
    email: 'barnehage@stafett.example',
    name: 'Ola Strand',
    birthDate: '1986-07-12',
    role: 'pedagogisk leder',
  },
  { email: 'ppt@stafett.example', name: 'Eva Holm', birthDate: '1974-12-02', role: 'PP-rådgiver' },
  { email: 'foresatt@stafett.example', name: 'Anne Hagen', birthDate: '1984-03-30', role: 'Idas mor' },
  { email: 'far@stafett.example', name: 'Jon Hagen', birthDate: '1982-08-19', role: 'Idas far' },
  { email: 'per.mor@stafett.example', name: 'Kari Olsen', birthDate: '1980-05-05', role: 'Pers mor' },
  { email: 'ella.far@stafett.example', name: 'Geir Berg', birthDate: '1978-10-16', role: 'Ellas far' },
  { email: 'lise.mor@stafett.example', name: 'Mona Moen', birthDate: '1985-02-23', role: 'Lises mor' },
  { email: 'noah.mor@stafett.example', name: 'Sara Lie', birthDate: '1990-09-09', role: 'Noahs mor' },
] as const;

export type DemoEmail = (typeof DEMO_PEOPLE)[number]['email'];

/** The synthetic identity number of a demo adult. */
export function demoNationalId(email: DemoEmail): string {
  return syntheticNationalId(DEMO_PEOPLE.find((p) => p.email === email)!.birthDate);
}

/** Per, 16, has his own access: he signs in with his own (the child's) number. */
export function demoYouthNationalId(): string {
  return syntheticNationalId(yearsAgo(16, 1, 15));
}

/** The test people the local identity provider offers: every demo adult, and Per. */
export function demoTestPeople(): { name: string; email: string; nationalId: string; role: string }[] {
  return [
    ...DEMO_PEOPLE.map((p) => ({
      name: p.name,
      email: p.email,
      nationalId: demoNationalId(p.email),
      role: p.role,
    })),
    {
      name: 'Per Olsen',
      email: 'ungdom@stafett.example',
      nationalId: demoYouthNationalId(),
      role: 'ungdom, 16 år',
    },
  ];
}

/** A synthetic national id for a birth date (Tenor convention: month + 80), valid check digits. */
export function syntheticNationalId(birthDate: string, offset = 0): string {
  const [y, m, d] = birthDate.split('-');
  // Individual numbers 500–999 mark births from 2000 on; 000–499 the 1900s.
  const start = (Number(y) >= 2000 ? 500 : 100) + offset;
  const prefix = `${d}${String(Number(m) + 80)}${y!.slice(2)}`;
  for (let individual = start; individual < 1000; individual++) {
    const nine = `${prefix}${String(individual).padStart(3, '0')}`;
    // The first pair of check digits the validator accepts.
    for (let checks = 0; checks < 100; checks++) {
      const id = `${nine}${String(checks).padStart(2, '0')}`;
      if (norway.isValid(id, { synthetic: true })) return id;
    }
  }
  throw new Error(`no synthetic id for ${birthDate}`);
}

function yearsAgo(years: number, month: number, day: number): string {
  const year = new Date().getFullYear() - years;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export async function seed(knex: Knex): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('Demo data is never seeded in production (NODE_ENV=production).');
  }
  const hash = await hashPassword(DEMO_PASSWORD);

  const [municipality] = await knex('municipalities').insert({ name: 'Demo kommune' }).returning('id');
  const municipalityId = municipality.id as number;
  const [district] = await knex('districts')
    .insert({ municipality_id: municipalityId, name: 'Bydel Nord' })
    .returning('id');
  const units = await knex('units')
    .insert([
      { district_id: district.id, name: 'Solbakken skole', kind: 'school' },
      { district_id: district.id, name: 'Lillevik barnehage', kind: 'kindergarten' },
      { district_id: district.id, name: 'Nordbyen helsestasjon', kind: 'health_station' },
      { district_id: district.id, name: 'PPT Nord', kind: 'ppt' },
    ])
    .returning(['id', 'kind']);
  const unit = (kind: string) => units.find((u) => u.kind === kind)!.id as number;

  const identityKey = identityKeyFrom(process.env);
  const user = async (email: string, name: string, kind: string, extra: Record<string, unknown> = {}) => {
    const person = DEMO_PEOPLE.find((p) => p.email === email);
    const number = person ? syntheticNationalId(person.birthDate) : null;
    const [row] = await knex('users')
      .insert({
        municipality_id: municipalityId,
        email,
        name,
        kind,
        password_hash: hash,
        ...(number
          ? {
              national_id_hash: norway.digest(number, identityKey),
              national_id_masked: norway.mask(number),
            }
          : {}),
        ...extra,
      })
      .returning(['id', 'password_hash', 'created_at']);
    if (row.password_hash) await knex('users').where({ id: row.id }).update({ activated_at: row.created_at });
    return row.id as number;
  };
  await user('admin@stafett.example', 'Marit Haugen', 'staff', { is_municipal_admin: true });
  const leader = await user('leder@stafett.example', 'Lars Bakke', 'staff');
  const superuser = await user('superbruker@stafett.example', 'Siri Dahl', 'staff');
  const holder = await user('stafettholder@stafett.example', 'Helga Nilsen', 'staff');
  const actor = await user('aktor@stafett.example', 'Tor Hansen', 'staff');
  const teacher2 = await user('laerer@stafett.example', 'Nina Lund', 'staff');
  const kgTeacher = await user('barnehage@stafett.example', 'Ola Strand', 'staff');
  const ppt = await user('ppt@stafett.example', 'Eva Holm', 'staff');
  const mother = await user('foresatt@stafett.example', 'Anne Hagen', 'guardian');
  const father = await user('far@stafett.example', 'Jon Hagen', 'guardian', { password_hash: null });
  const youth = await user('ungdom@stafett.example', 'Per Olsen', 'youth');
  const perMother = await user('per.mor@stafett.example', 'Kari Olsen', 'guardian', { password_hash: null });
  const ellaFather = await user('ella.far@stafett.example', 'Geir Berg', 'guardian', { password_hash: null });
  const liseMother = await user('lise.mor@stafett.example', 'Mona Moen', 'guardian', { password_hash: null });
  const noahMother = await user('noah.mor@stafett.example', 'Sara Lie', 'guardian', { password_hash: null });

  await knex('unit_memberships').insert([
    { unit_id: unit('school'), user_id: leader, title: 'Rektor', is_leader: true, may_hold: true },
    { unit_id: unit('school'), user_id: superuser, title: 'Sosiallærer', is_superuser: true, may_hold: true },
    { unit_id: unit('school'), user_id: actor, title: 'Kontaktlærer 8B' },
    { unit_id: unit('school'), user_id: teacher2, title: 'Kontaktlærer 5A', may_hold: true },
    { unit_id: unit('health_station'), user_id: holder, title: 'Helsesykepleier', may_hold: true },
    { unit_id: unit('kindergarten'), user_id: kgTeacher, title: 'Pedagogisk leder', may_hold: true },
    { unit_id: unit('ppt'), user_id: ppt, title: 'PP-rådgiver', may_hold: true },
  ]);

  const child = async (
    first: string,
    last: string,
    birth: string,
    unitId: number,
    userId: number | null = null,
  ) => {
    const [row] = await knex('children')
      .insert({
        municipality_id: municipalityId,
        unit_id: unitId,
        first_name: first,
        last_name: last,
        birth_date: birth,
        national_id: syntheticNationalId(birth),
        user_id: userId,
      })
      .returning('id');
    return row.id as number;
  };
  const ida = await child('Ida', 'Hagen', yearsAgo(13, 3, 12), unit('school'));
  const ella = await child('Ella', 'Berg', yearsAgo(10, 9, 2), unit('school'));
  const noah = await child('Noah', 'Lie', yearsAgo(6, 5, 20), unit('school'));
  const per = await child('Per', 'Olsen', yearsAgo(16, 1, 15), unit('school'), youth);
  const lise = await child('Lise', 'Moen', yearsAgo(14, 11, 30), unit('school'));

  await knex('concern_categories').insert(
    [
      { code: 'school_environment', label: 'Skolemiljø (§ 12-4 opplæringslova)', is_activity_plan: true },
      { code: 'absence', label: 'Fravær' },
      { code: 'mental_health', label: 'Psykisk helse og trivsel' },
      { code: 'language', label: 'Språk og kommunikasjon' },
      { code: 'learning', label: 'Læring' },
      { code: 'social_skills', label: 'Sosiale ferdigheter' },
      { code: 'physical_health', label: 'Fysisk helse' },
    ].map((c, position) => ({ municipality_id: municipalityId, position, ...c })),
  );

  await knex('child_guardians').insert([
    { child_id: ida, user_id: mother, relation: 'mor' },
    { child_id: ida, user_id: father, relation: 'far' },
    { child_id: ella, user_id: ellaFather, relation: 'far' },
    { child_id: noah, user_id: noahMother, relation: 'mor' },
    { child_id: per, user_id: perMother, relation: 'mor' },
    { child_id: lise, user_id: liseMother, relation: 'mor' },
  ]);
}
