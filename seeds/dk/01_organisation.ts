/**
 * Danish demo organisation and people (COUNTRY=DK): one municipality with a daginstitution, a school,
 * the health visitors (sundhedspleje), PPR and the children and families department, one account per
 * role (password "stafett-demo", the same e-mail addresses as the Norwegian demo), and the children of
 * the demo cases. CPR numbers are fictitious: a real date of birth with the seventh digit of its
 * century, and four digits that fail the old modulus-11 check (see fictitiousCpr). Every demo adult has
 * one (stored as the keyed hash and the masked form), and so does every child; the local identity
 * provider lists them all (DEMO_PEOPLE, demoTestPeople).
 */
import type { Knex } from 'knex';
import { hashPassword } from '../../src/lib/password.js';
import { identityNumbers } from '../../src/lib/national-id.js';
import { identityKeyFrom } from '../../src/config.js';

export const DEMO_PASSWORD = 'stafett-demo';

const denmark = identityNumbers('DK');

export const DEMO_ACCOUNTS = [
  { email: 'admin@stafett.example', role: 'kommunal administrator' },
  { email: 'leder@stafett.example', role: 'skoleleder, Skovby Skole' },
  { email: 'superbruker@stafett.example', role: 'superbruger, Skovby Skole' },
  { email: 'stafettholder@stafett.example', role: 'sundhedsplejerske, tovholder for Idas barnets plan' },
  { email: 'aktor@stafett.example', role: 'klasselærer, aktør i Idas plan' },
  { email: 'raadgiver@stafett.example', role: 'børne- og ungerådgiver, tovholder for Mikkels ungeplan' },
  { email: 'foresatt@stafett.example', role: 'Idas mor, forælder' },
  { email: 'ungdom@stafett.example', role: 'Mikkel, 16 år, eget login' },
] as const;

/** The demo adults, each with a birth date from which their fictitious CPR number is made. */
export const DEMO_PEOPLE = [
  {
    email: 'admin@stafett.example',
    name: 'Mette Kjær',
    birthDate: '1968-02-14',
    role: 'kommunal administrator',
  },
  { email: 'leder@stafett.example', name: 'Lars Nielsen', birthDate: '1971-06-03', role: 'skoleleder' },
  {
    email: 'superbruker@stafett.example',
    name: 'Sofie Hansen',
    birthDate: '1979-09-21',
    role: 'AKT-lærer, superbruger',
  },
  {
    email: 'stafettholder@stafett.example',
    name: 'Hanne Pedersen',
    birthDate: '1975-04-15',
    role: 'sundhedsplejerske',
  },
  { email: 'aktor@stafett.example', name: 'Thomas Andersen', birthDate: '1983-11-08', role: 'klasselærer' },
  { email: 'laerer@stafett.example', name: 'Camilla Larsen', birthDate: '1988-01-27', role: 'klasselærer' },
  { email: 'barnehage@stafett.example', name: 'Jonas Christensen', birthDate: '1986-07-12', role: 'pædagog' },
  { email: 'ppt@stafett.example', name: 'Eva Sørensen', birthDate: '1974-12-02', role: 'PPR-psykolog' },
  {
    email: 'raadgiver@stafett.example',
    name: 'Maria Rasmussen',
    birthDate: '1981-05-19',
    role: 'børne- og ungerådgiver',
  },
  { email: 'foresatt@stafett.example', name: 'Louise Madsen', birthDate: '1984-03-30', role: 'Idas mor' },
  { email: 'far@stafett.example', name: 'Peter Madsen', birthDate: '1982-08-19', role: 'Idas far' },
  { email: 'per.mor@stafett.example', name: 'Karina Olsen', birthDate: '1980-05-05', role: 'Mikkels mor' },
  {
    email: 'ella.far@stafett.example',
    name: 'Henrik Kristensen',
    birthDate: '1978-10-16',
    role: 'Ellas far',
  },
  { email: 'lise.mor@stafett.example', name: 'Mona Møller', birthDate: '1985-02-23', role: 'Lises mor' },
  { email: 'noah.mor@stafett.example', name: 'Sara Lund', birthDate: '1990-09-09', role: 'Noahs mor' },
] as const;

export type DemoEmail = (typeof DEMO_PEOPLE)[number]['email'];

/**
 * A fictitious CPR number for a birth date: DDMMYY, the seventh digit of the century (1 for the 1900s,
 * 4 for 2000–2036), then the first three digits from `serial` whose number fails the modulus-11 check
 * that numbers issued before 2007 pass (numbers issued since need not pass it, so this is no guarantee;
 * it only keeps the demo away from the older numbers).
 */
export function fictitiousCpr(birthDate: string, serial = 0): string {
  const [y, m, d] = birthDate.split('-');
  const year = Number(y);
  const seventh = year >= 2000 ? 4 : 1;
  if (year < 1937 || year > 2036) throw new Error(`no fictitious CPR number for ${birthDate}`);
  const weights = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
  for (let n = 100 + serial; n < 1000; n++) {
    const number = `${d}${m}${y!.slice(2)}${seventh}${String(n).padStart(3, '0')}`;
    const sum = [...number].reduce((acc, digit, i) => acc + Number(digit) * weights[i]!, 0);
    if (sum % 11 !== 0 && denmark.isValid(number)) return number;
  }
  throw new Error(`no fictitious CPR number for ${birthDate}`);
}

/** The CPR number of a demo adult. */
export function demoNationalId(email: DemoEmail): string {
  return fictitiousCpr(DEMO_PEOPLE.find((p) => p.email === email)!.birthDate);
}

/** Mikkel, 16, has his own login: he signs in with his own (the child's) number. */
export function demoYouthNationalId(): string {
  return fictitiousCpr(yearsAgo(16, 1, 15));
}

/** The test people the local identity provider offers: every demo adult, and Mikkel. */
export function demoTestPeople(): { name: string; email: string; nationalId: string; role: string }[] {
  return [
    ...DEMO_PEOPLE.map((p) => ({
      name: p.name,
      email: p.email,
      nationalId: demoNationalId(p.email),
      role: p.role,
    })),
    {
      name: 'Mikkel Olsen',
      email: 'ungdom@stafett.example',
      nationalId: demoYouthNationalId(),
      role: 'ung, 16 år',
    },
  ];
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

  const [municipality] = await knex('municipalities').insert({ name: 'Skovby Kommune' }).returning('id');
  const municipalityId = municipality.id as number;
  const [district] = await knex('districts')
    .insert({ municipality_id: municipalityId, name: 'Område Nord' })
    .returning('id');
  const units = await knex('units')
    .insert([
      { district_id: district.id, name: 'Skovby Skole', kind: 'school' },
      { district_id: district.id, name: 'Børnehuset Solsikken', kind: 'kindergarten' },
      { district_id: district.id, name: 'Sundhedsplejen Skovby', kind: 'health_station' },
      { district_id: district.id, name: 'PPR Skovby', kind: 'ppt' },
      { district_id: district.id, name: 'Børne- og Familieafdelingen', kind: 'child_welfare' },
    ])
    .returning(['id', 'kind']);
  const unit = (kind: string) => units.find((u) => u.kind === kind)!.id as number;

  const identityKey = identityKeyFrom(process.env);
  const user = async (email: string, name: string, kind: string, extra: Record<string, unknown> = {}) => {
    const person = DEMO_PEOPLE.find((p) => p.email === email);
    const number = person ? fictitiousCpr(person.birthDate) : null;
    const [row] = await knex('users')
      .insert({
        municipality_id: municipalityId,
        email,
        name,
        kind,
        password_hash: hash,
        ...(number
          ? {
              national_id_hash: denmark.digest(number, identityKey),
              national_id_masked: denmark.mask(number),
            }
          : {}),
        ...extra,
      })
      .returning(['id', 'password_hash', 'created_at']);
    if (row.password_hash) await knex('users').where({ id: row.id }).update({ activated_at: row.created_at });
    return row.id as number;
  };
  await user('admin@stafett.example', 'Mette Kjær', 'staff', { is_municipal_admin: true });
  const leader = await user('leder@stafett.example', 'Lars Nielsen', 'staff');
  const superuser = await user('superbruker@stafett.example', 'Sofie Hansen', 'staff');
  const holder = await user('stafettholder@stafett.example', 'Hanne Pedersen', 'staff');
  const actor = await user('aktor@stafett.example', 'Thomas Andersen', 'staff');
  const teacher2 = await user('laerer@stafett.example', 'Camilla Larsen', 'staff');
  const pedagogue = await user('barnehage@stafett.example', 'Jonas Christensen', 'staff');
  const ppr = await user('ppt@stafett.example', 'Eva Sørensen', 'staff');
  const adviser = await user('raadgiver@stafett.example', 'Maria Rasmussen', 'staff');
  const mother = await user('foresatt@stafett.example', 'Louise Madsen', 'guardian');
  const father = await user('far@stafett.example', 'Peter Madsen', 'guardian', { password_hash: null });
  const youth = await user('ungdom@stafett.example', 'Mikkel Olsen', 'youth');
  const mikkelMother = await user('per.mor@stafett.example', 'Karina Olsen', 'guardian', {
    password_hash: null,
  });
  const ellaFather = await user('ella.far@stafett.example', 'Henrik Kristensen', 'guardian', {
    password_hash: null,
  });
  const liseMother = await user('lise.mor@stafett.example', 'Mona Møller', 'guardian', {
    password_hash: null,
  });
  const noahMother = await user('noah.mor@stafett.example', 'Sara Lund', 'guardian', { password_hash: null });

  await knex('unit_memberships').insert([
    { unit_id: unit('school'), user_id: leader, title: 'Skoleleder', is_leader: true, may_hold: true },
    { unit_id: unit('school'), user_id: superuser, title: 'AKT-lærer', is_superuser: true, may_hold: true },
    { unit_id: unit('school'), user_id: actor, title: 'Klasselærer 7.B' },
    { unit_id: unit('school'), user_id: teacher2, title: 'Klasselærer 4.A', may_hold: true },
    { unit_id: unit('health_station'), user_id: holder, title: 'Sundhedsplejerske', may_hold: true },
    { unit_id: unit('kindergarten'), user_id: pedagogue, title: 'Pædagog', may_hold: true },
    { unit_id: unit('ppt'), user_id: ppr, title: 'PPR-psykolog', may_hold: true },
    {
      unit_id: unit('child_welfare'),
      user_id: adviser,
      title: 'Børne- og ungerådgiver',
      is_leader: false,
      may_hold: true,
    },
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
        national_id: fictitiousCpr(birth),
        user_id: userId,
      })
      .returning('id');
    return row.id as number;
  };
  const ida = await child('Ida', 'Madsen', yearsAgo(13, 3, 12), unit('school'));
  const ella = await child('Ella', 'Kristensen', yearsAgo(10, 9, 2), unit('school'));
  const noah = await child('Noah', 'Lund', yearsAgo(6, 5, 20), unit('school'));
  const mikkel = await child('Mikkel', 'Olsen', yearsAgo(16, 1, 15), unit('school'), youth);
  const lise = await child('Lise', 'Møller', yearsAgo(14, 11, 30), unit('school'));

  await knex('concern_categories').insert(
    [
      // The built-in categories by code (read in each reader's language); the teaching environment
      // is Denmark's own (the built-in school_environment is Norway's § 12-4) and is shown as written.
      { label: 'Undervisningsmiljø' },
      { code: 'absence', label: 'Fravær' },
      { code: 'mental_health', label: 'Trivsel og mental sundhed' },
      { code: 'language', label: 'Sprog og kommunikation' },
      { code: 'learning', label: 'Læring' },
      { code: 'social_skills', label: 'Sociale kompetencer' },
      { code: 'physical_health', label: 'Fysisk sundhed' },
    ].map((c, position) => ({ municipality_id: municipalityId, position, ...c })),
  );

  await knex('child_guardians').insert([
    { child_id: ida, user_id: mother, relation: 'mor' },
    { child_id: ida, user_id: father, relation: 'far' },
    { child_id: ella, user_id: ellaFather, relation: 'far' },
    { child_id: noah, user_id: noahMother, relation: 'mor' },
    { child_id: mikkel, user_id: mikkelMother, relation: 'mor' },
    { child_id: lise, user_id: liseMother, relation: 'mor' },
  ]);
}
