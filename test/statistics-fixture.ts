/**
 * A small municipality for the statistics tests, counted by hand. Today is 15 March 2026 (Oslo), so
 * "this school year" is 1 Aug 2025 – 31 Jul 2026.
 *
 *   Bydel A: "A skole" (U1, school), "B barnehage" (U2, kindergarten); Bydel B: "C skole" (U3, school)
 *   People (password "stafett-demo"): stat.admin (municipal administrator), stat.leder1 (leads U1),
 *   stat.leder2 (leads U1 and U2), holders h1, h2 (U1), h3 (U2), h4 (U2, may NOT hold), h5 (U3), actor a1.
 *
 * U1, 12 active logs L1–L12 (one child each) and 6 passive P1–P6:
 *   created in the school year: L1 (1 Aug 2025 00:30, its first minutes), L3–L9; not L2 (31 Jul 23:30),
 *   not L10–L12 (2024), not P1–P6 → 8. L8 is created 10 Feb 2026 23:30 and L9 11 Feb 2026 00:10.
 *   closed in the school year: P1–P5 (Sep 2025 – Feb 2026); P6 on 1 Jun 2025 → 5.
 *   levels of the active: 10 at level 1, 0 at level 2, 2 at level 3 (L11, L12). Holders: h1 7, h2 5.
 *   concerns: one active per active log (category "Fravær" for L1–L7, "Læring" for L8–L12) = 12, plus a
 *   solved one in L1 and an active one in P1 (neither counts).
 *   measures: in L1–L6 three open ones each (actor a1, guardians, child) = 18 active; three of them
 *   (L1's actor, L2's guardians, L3's child) had their deadline on 1 Mar 2026 → 3 overdue; the rest are
 *   due 1 Apr 2026. In L7–L12 eleven evaluated ones: 8 on time, 2 late, 1 misregistered (left out).
 *   So deadlines passed in the period: 3 + 10 = 13; kept: 8 (62 %); missed: 5.
 *   evaluations in the period (the family's verdict): worked 6, partly 2, did not work 2 = 10; the
 *   family's view written down in 4, given through the family page in 1 more → 5 of 10.
 *   consents: L1, L2 run out 1 Apr 2026 (within 30 days), L3's ran out 1 Mar 2026, the rest 1 Jan 2027.
 *   meetings: 6 held in the school year (+1 held in 2024, +1 planned); 6 guardian answers to
 *   "said_what_wanted" (5, 4, 4, 3, 5, 3: mean 4.0), 3 to "understood"; one answer by "other" (not counted).
 *   one pending transfer from U1 to U3. Children entered for 2025–2026: 100 → children with a log in
 *   the period: L1–L12 and P1–P5 = 17 → 17 %.
 * U2: 5 active logs (4 by h3, 1 by h4 who may not hold), no measures.
 * U3: 8 active logs by h5, each with one concern and a measure past its deadline in six of them (6 overdue).
 */
import type { Db } from '../src/db/knex.js';

export const TODAY = '2026-03-15T11:00:00Z';

export const STAT_EMAIL = {
  admin: 'stat.admin@test.example',
  leader1: 'stat.leder1@test.example',
  leader2: 'stat.leder2@test.example',
  holder: 'stat.h1@test.example',
} as const;

export interface StatWorld {
  municipalityId: number;
  districtA: number;
  districtB: number;
  u1: number;
  u2: number;
  u3: number;
  /** Ages in days (on 15 March 2026) of U1's active logs. */
  activeAges: number[];
}

/** An Oslo wall-clock time as an instant (winter time +01:00, summer time +02:00). */
export function oslo(local: string): Date {
  const summer = local.slice(5, 10) >= '03-29' && local.slice(5, 10) < '10-25';
  return new Date(`${local}${summer ? '+02:00' : '+01:00'}`);
}

export async function buildStatWorld(db: Db): Promise<StatWorld> {
  const hash = (await db('users').where({ email: 'stafettholder@stafett.example' }).first('password_hash'))
    .password_hash as string;
  const [m] = await db('municipalities').insert({ name: 'Testkommune' }).returning('id');
  const mid = m.id as number;
  const [dA] = await db('districts').insert({ municipality_id: mid, name: 'Bydel A' }).returning('id');
  const [dB] = await db('districts').insert({ municipality_id: mid, name: 'Bydel B' }).returning('id');
  const unit = async (name: string, kind: string, district: number) =>
    (await db('units').insert({ district_id: district, name, kind }).returning('id'))[0].id as number;
  const u1 = await unit('A skole', 'school', dA.id);
  const u2 = await unit('B barnehage', 'kindergarten', dA.id);
  const u3 = await unit('C skole', 'school', dB.id);
  const user = async (email: string, name: string, extra: Record<string, unknown> = {}) =>
    (
      await db('users')
        .insert({ municipality_id: mid, email, name, kind: 'staff', password_hash: hash, ...extra })
        .returning('id')
    )[0].id as number;
  await user(STAT_EMAIL.admin, 'Stat Admin', { is_municipal_admin: true });
  const leader1 = await user(STAT_EMAIL.leader1, 'Leder En');
  const leader2 = await user(STAT_EMAIL.leader2, 'Leder To');
  const h1 = await user(STAT_EMAIL.holder, 'Hanne Holder');
  const h2 = await user('stat.h2@test.example', 'Bjørn Holder');
  const h3 = await user('stat.h3@test.example', 'Cecilie Holder');
  const h4 = await user('stat.h4@test.example', 'Dag Tidligere');
  const h5 = await user('stat.h5@test.example', 'Eva Holder');
  const a1 = await user('stat.a1@test.example', 'Arne Aktør');
  await db('unit_memberships').insert([
    { unit_id: u1, user_id: leader1, is_leader: true, may_hold: true },
    { unit_id: u1, user_id: leader2, is_leader: true, may_hold: true },
    { unit_id: u2, user_id: leader2, is_leader: true, may_hold: true },
    { unit_id: u1, user_id: h1, may_hold: true },
    { unit_id: u1, user_id: h2, may_hold: true },
    { unit_id: u1, user_id: a1, may_hold: false },
    { unit_id: u2, user_id: h3, may_hold: true },
    { unit_id: u2, user_id: h4, may_hold: false },
    { unit_id: u3, user_id: h5, may_hold: true },
  ]);
  const [fravaer, laering] = await Promise.all(
    ['Fravær', 'Læring'].map(
      async (label, position) =>
        (await db('concern_categories').insert({ municipality_id: mid, label, position }).returning('id'))[0]
          .id as number,
    ),
  );

  let childNo = 0;
  const log = async (o: {
    unit: number;
    holder: number;
    created: Date;
    level?: number;
    status?: 'active' | 'passive';
    closedOn?: string;
    validUntil?: string;
  }) => {
    childNo += 1;
    const [c] = await db('children')
      .insert({
        municipality_id: mid,
        unit_id: o.unit,
        first_name: 'Barn',
        last_name: String(childNo),
        birth_date: '2015-01-01',
      })
      .returning('id');
    const closedAt = o.closedOn ? new Date(`${o.closedOn}T10:00:00Z`) : null;
    const [l] = await db('logs')
      .insert({
        child_id: c.id,
        plan_type: 'stafettlogg',
        level: o.level ?? 1,
        holder_id: o.holder,
        unit_id: o.unit,
        status: o.status ?? 'active',
        startup_note: 'Oppstart',
        created_by: o.holder,
        created_at: o.created,
        updated_at: o.created,
        closed_at: closedAt,
      })
      .returning('id');
    await db('consents').insert({
      log_id: l.id,
      given_by: 'Foresatte',
      given_by_role: 'guardians',
      given_on: '2024-01-01',
      valid_until: o.validUntil ?? '2027-01-01',
      recorded_by: o.holder,
    });
    if (o.closedOn)
      await db('log_closures').insert({
        log_id: l.id,
        kind: 'closed',
        closed_on: o.closedOn,
        reason: 'Avsluttet',
        closed_by: o.holder,
        closed_at: closedAt,
      });
    return l.id as number;
  };

  // U1's active logs L1–L12.
  const created = [
    oslo('2025-08-01T00:30:00'), // L1: the first minutes of the school year
    oslo('2025-07-31T23:30:00'), // L2: the last minutes before it
    oslo('2025-09-10T12:00:00'),
    oslo('2025-10-05T12:00:00'),
    oslo('2025-11-20T12:00:00'),
    oslo('2025-12-01T12:00:00'),
    oslo('2026-01-15T12:00:00'),
    oslo('2026-02-10T23:30:00'), // L8: the last minutes of 10 Feb
    oslo('2026-02-11T00:10:00'), // L9: the first minutes of 11 Feb
    oslo('2024-05-01T12:00:00'),
    oslo('2024-06-01T12:00:00'),
    oslo('2024-09-01T12:00:00'),
  ];
  const L: number[] = [];
  for (const [i, at] of created.entries()) {
    L.push(
      await log({
        unit: u1,
        holder: i < 7 ? h1 : h2,
        created: at,
        level: i >= 10 ? 3 : 1,
        validUntil: i < 2 ? '2026-04-01' : i === 2 ? '2026-03-01' : '2027-01-01',
      }),
    );
  }
  // U1's passive logs P1–P6.
  const P: number[] = [];
  for (const closedOn of ['2025-09-15', '2025-10-15', '2025-11-15', '2026-01-15', '2026-02-15', '2025-06-01'])
    P.push(
      await log({ unit: u1, holder: h1, created: oslo('2025-01-10T12:00:00'), status: 'passive', closedOn }),
    );

  const concern = async (logId: number, category: number | null, status = 'active') =>
    (
      await db('concerns')
        .insert({ log_id: logId, title: 'Oppmerksomhet', category_id: category, status, created_by: h1 })
        .returning('id')
    )[0].id as number;
  const goal = async (logId: number, concernId: number) =>
    (
      await db('goals')
        .insert({ log_id: logId, concern_id: concernId, text: 'Mål', created_by: h1 })
        .returning('id')
    )[0].id as number;
  const measure = async (
    logId: number,
    concernId: number,
    goalId: number,
    responsible: 'actor' | 'guardians' | 'child',
    deadline: string,
    status = 'ongoing',
  ) =>
    (
      await db('measures')
        .insert({
          log_id: logId,
          concern_id: concernId,
          goal_id: goalId,
          text: 'Tiltak',
          responsible,
          responsible_user_id: responsible === 'actor' ? a1 : null,
          start_date: '2025-08-15',
          deadline,
          status,
          created_by: h1,
        })
        .returning('id')
    )[0].id as number;

  const concerns: number[] = [];
  for (const [i, logId] of L.entries()) concerns.push(await concern(logId, i < 7 ? fravaer : laering));
  await concern(L[0]!, fravaer, 'solved');
  await concern(P[0]!, fravaer);

  // L1–L6: three open measures each; three past their deadline.
  const overdue: Record<number, string> = { 0: 'actor', 1: 'guardians', 2: 'child' };
  for (let i = 0; i < 6; i++) {
    const g = await goal(L[i]!, concerns[i]!);
    for (const who of ['actor', 'guardians', 'child'] as const)
      await measure(L[i]!, concerns[i]!, g, who, overdue[i] === who ? '2026-03-01' : '2026-04-01');
  }
  // L7–L12: evaluated measures. [deadline, evaluated at (Oslo), family verdict, view written, misregistered]
  const evaluated: [string, string, string, boolean, boolean][] = [
    ['2025-09-01', '2025-08-30T12:00:00', 'worked', true, false],
    ['2025-10-01', '2025-10-01T23:30:00', 'worked', true, false], // on the deadline's last minutes: on time
    ['2025-11-01', '2025-10-20T12:00:00', 'worked', true, false],
    ['2025-12-01', '2025-11-25T12:00:00', 'worked', true, false],
    ['2026-01-05', '2026-01-02T12:00:00', 'worked', false, false],
    ['2026-01-10', '2026-01-10T12:00:00', 'worked', false, false],
    ['2026-02-01', '2026-01-30T12:00:00', 'partly', false, false],
    ['2026-02-05', '2026-02-05T09:00:00', 'partly', false, false],
    ['2025-11-10', '2025-11-11T00:10:00', 'did_not_work', false, false], // late by ten minutes
    ['2026-02-10', '2026-03-01T12:00:00', 'did_not_work', false, false], // late
    ['2026-02-12', '2026-02-12T12:00:00', 'worked', false, true], // misregistered: left out
  ];
  const familyPageMeasure: number[] = [];
  for (const [k, [deadline, at, verdict, view, mis]] of evaluated.entries()) {
    const logId = L[6 + (k % 6)]!;
    const c = concerns[6 + (k % 6)]!;
    const g = await goal(logId, c);
    const id = await measure(logId, c, g, 'guardians', deadline, 'evaluated');
    await db('evaluations').insert({
      measure_id: id,
      log_id: logId,
      misregistered: mis,
      happened: 'yes',
      effect: 'worked',
      family_effect: verdict,
      family_view: view ? 'Familien er fornøyd.' : '',
      next_step: 'continue',
      evaluated_by: h1,
      evaluated_at: oslo(at),
    });
    if (k === 6) familyPageMeasure.push(id);
  }
  const guardian = (
    await db('users')
      .insert({ municipality_id: mid, email: 'stat.mor@test.example', name: 'Mor', kind: 'guardian' })
      .returning('id')
  )[0].id as number;
  await db('family_views').insert({
    measure_id: familyPageMeasure[0],
    log_id: L[6],
    user_id: guardian,
    effect: 'partly',
    view: '',
    created_at: oslo('2026-01-29T12:00:00'),
    updated_at: oslo('2026-01-29T12:00:00'),
  });

  // Meetings of U1.
  const meeting = async (logId: number, at: string, status = 'closed') =>
    (
      await db('meetings')
        .insert({ log_id: logId, starts_at: oslo(at), purpose: 'Møte', status, created_by: h1 })
        .returning('id')
    )[0].id as number;
  const held: number[] = [];
  for (const at of [
    '2025-08-01T08:00:00',
    '2025-09-20T10:00:00',
    '2025-10-20T10:00:00',
    '2025-12-10T10:00:00',
    '2026-01-20T10:00:00',
    '2026-03-10T10:00:00',
  ])
    held.push(await meeting(L[held.length % 6]!, at));
  await meeting(L[0]!, '2024-10-01T10:00:00');
  await meeting(L[1]!, '2026-04-01T10:00:00', 'planned');
  for (const [i, said] of [5, 4, 4, 3, 5, 3].entries())
    await db('meeting_evaluations').insert({
      meeting_id: held[i],
      respondent: 'guardian',
      said_what_wanted: said,
      understood: i < 3 ? 4 : null,
      recorded_by: h1,
    });
  await db('meeting_evaluations').insert({
    meeting_id: held[0],
    respondent: 'other',
    said_what_wanted: 1,
    understood: 1,
    recorded_by: h1,
  });

  await db('transfers').insert({
    log_id: L[9],
    kind: 'unit',
    from_unit_id: u1,
    from_holder_id: h2,
    created_by: h2,
    to_unit_id: u3,
    reason: 'Flytter',
    consent_confirmed: true,
  });
  await db('unit_child_counts').insert({
    unit_id: u1,
    school_year: 2025,
    children: 100,
    updated_by: leader1,
    updated_at: new Date(TODAY),
  });

  // U2: five active logs, one held by someone who may not hold logs.
  for (const holder of [h3, h3, h3, h3, h4])
    await log({ unit: u2, holder, created: oslo('2025-09-01T12:00:00') });
  // U3: eight active logs, six with a measure past its deadline.
  for (let i = 0; i < 8; i++) {
    const logId = await log({ unit: u3, holder: h5, created: oslo('2025-09-01T12:00:00') });
    const c = await concern(logId, null);
    if (i < 6) await measure(logId, c, await goal(logId, c), 'child', '2026-02-01');
  }

  const day = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'Europe/Oslo' });
  const activeAges = created.map((d) =>
    Math.round((Date.parse('2026-03-15T12:00:00Z') - Date.parse(`${day(d)}T12:00:00Z`)) / 86_400_000),
  );
  return { municipalityId: mid, districtA: dA.id, districtB: dB.id, u1, u2, u3, activeAges };
}
