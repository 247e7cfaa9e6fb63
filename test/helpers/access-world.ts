/**
 * Fixtures for the access tests: one person per relationship to a log, and a "world" around one log
 * (its own unit, a 17-year-old child with own access, two concerns, measures of two actors, read
 * grants whole/partial/expired, a glimmer, notes, an attachment, a meeting, prints, a transfer, an
 * import) that can be built again and again, so a test that changes something gets a fresh one.
 * A second municipality gives ids that belong to someone else.
 *
 *   const people = await accessPeople(db);      // once per database
 *   const world = await buildWorld(db, people); // as often as needed
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/knex.js';
import { addDays, osloDate } from '../../src/lib/dates.js';

export interface AccessPeople {
  municipalityId: number;
  districtId: number;
  ids: Record<string, number>;
  /** Municipality B: its unit, leader (who holds B's log), administrator and log. */
  other: {
    municipalityId: number;
    unitId: number;
    leaderId: number;
    adminId: number;
    logId: number;
    concernId: number;
    goalId: number;
    measureId: number;
  };
}

export const EMAIL = {
  holder: 'stafettholder@stafett.example',
  actorIn: 'aktor@stafett.example',
  actorOut: 'laerer@stafett.example',
  guardian: 'matrise.mor@stafett.example',
  guardianOther: 'foresatt@stafett.example',
  youth: 'matrise.ungdom@stafett.example',
  grantWhole: 'ppt@stafett.example',
  grantPartial: 'barnehage@stafett.example',
  grantExpired: 'matrise.utlopt@stafett.example',
  leader: 'matrise.leder@stafett.example',
  superuser: 'matrise.super@stafett.example',
  leaderOther: 'leder@stafett.example',
  admin: 'admin@stafett.example',
  otherMunicipality: 'b.leder@stafett.example',
  otherAdmin: 'b.admin@stafett.example',
  staff: 'matrise.ansatt@stafett.example',
} as const;

export type RoleName = keyof typeof EMAIL | 'anon';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const yearsAgo = (years: number) => `${new Date().getFullYear() - years}-02-03`;

async function id(db: Db, email: string): Promise<number> {
  return (await db('users').where({ email }).first('id')).id as number;
}

/** The people of the access tests (password "stafett-demo"), created once per database. */
export async function accessPeople(db: Db): Promise<AccessPeople> {
  const holder = await db('users').where({ email: EMAIL.holder }).first('municipality_id', 'password_hash');
  const municipalityId = holder.municipality_id as number;
  const districtId = (await db('districts').where({ municipality_id: municipalityId }).first('id'))
    .id as number;
  const create = async (
    email: string,
    name: string,
    kind: string,
    municipality = municipalityId,
    extra: Record<string, unknown> = {},
  ) => {
    const found = await db('users').where({ email }).first('id');
    if (found) return found.id as number;
    const [row] = await db('users')
      .insert({
        municipality_id: municipality,
        email,
        name,
        kind,
        password_hash: holder.password_hash,
        ...extra,
      })
      .returning('id');
    return row.id as number;
  };
  await create(EMAIL.leader, 'Lene Leder', 'staff');
  await create(EMAIL.superuser, 'Sofie Super', 'staff');
  await create(EMAIL.staff, 'Anders Ansatt', 'staff');
  await create(EMAIL.grantExpired, 'Ulrik Utløpt', 'staff');
  await create(EMAIL.guardian, 'Marte Matrise', 'guardian');
  await create(EMAIL.youth, 'Mia Matrise', 'youth');

  // Municipality B, with its own unit, leader-holder, administrator and a log.
  let other = await db('municipalities').where({ name: 'Annen kommune' }).first('id');
  if (!other) [other] = await db('municipalities').insert({ name: 'Annen kommune' }).returning('id');
  const bMunicipality = other.id as number;
  const [bDistrict] = await db('districts')
    .insert({ municipality_id: bMunicipality, name: 'Sentrum' })
    .returning('id');
  const [bUnit] = await db('units')
    .insert({ district_id: bDistrict.id, name: 'Annen skole', kind: 'school' })
    .returning('id');
  const bLeader = await create(EMAIL.otherMunicipality, 'Berit Annen', 'staff', bMunicipality);
  const bAdmin = await create(EMAIL.otherAdmin, 'Bjørn Admin', 'staff', bMunicipality, {
    is_municipal_admin: true,
  });
  await db('unit_memberships').insert({
    unit_id: bUnit.id,
    user_id: bLeader,
    is_leader: true,
    may_hold: true,
  });
  const [bChild] = await db('children')
    .insert({ municipality_id: bMunicipality, first_name: 'Bo', last_name: 'Annen', birth_date: yearsAgo(9) })
    .returning('id');
  const [bLog] = await db('logs')
    .insert({
      child_id: bChild.id,
      plan_type: 'stafettlogg',
      level: 1,
      holder_id: bLeader,
      unit_id: bUnit.id,
      startup_note: 'B',
      created_by: bLeader,
    })
    .returning('id');
  const today = osloDate(new Date());
  await db('consents').insert({
    log_id: bLog.id,
    given_by: 'B',
    given_by_role: 'guardians',
    given_on: today,
    valid_until: addDays(today, 300),
    recorded_by: bLeader,
  });
  const [bConcern] = await db('concerns')
    .insert({ log_id: bLog.id, title: 'B bekymring', created_by: bLeader })
    .returning('id');
  const [bGoal] = await db('goals')
    .insert({ log_id: bLog.id, concern_id: bConcern.id, text: 'B mål', created_by: bLeader })
    .returning('id');
  const [bMeasure] = await db('measures')
    .insert({
      log_id: bLog.id,
      concern_id: bConcern.id,
      goal_id: bGoal.id,
      text: 'B tiltak',
      responsible: 'child',
      start_date: today,
      deadline: addDays(today, 10),
      created_by: bLeader,
    })
    .returning('id');

  const ids: Record<string, number> = {};
  for (const [role, email] of Object.entries(EMAIL)) ids[role] = await id(db, email);
  return {
    municipalityId,
    districtId,
    ids,
    other: {
      municipalityId: bMunicipality,
      unitId: bUnit.id,
      leaderId: bLeader,
      adminId: bAdmin,
      logId: bLog.id,
      concernId: bConcern.id,
      goalId: bGoal.id,
      measureId: bMeasure.id,
    },
  };
}

export interface World {
  unitId: number;
  childId: number;
  logId: number;
  passiveLogId: number;
  concernA: number;
  concernB: number;
  goalA: number;
  goalB: number;
  measureA: number;
  /** measureA's staircase: the first step done, the second the current one. */
  stepDone: number;
  stepOpen: number;
  measureB: number;
  homeMeasure: number;
  grantId: number;
  glimmerId: number;
  logNoteId: number;
  privateNoteId: number;
  attachmentId: number;
  signedFormId: number;
  meetingId: number;
  printId: number;
  archivePrintId: number;
  transferId: number;
  importId: string;
}

let worlds = 0;

/** A fresh log and everything around it (see the file's comment). */
export async function buildWorld(db: Db, people: AccessPeople): Promise<World> {
  const n = ++worlds;
  const p = people.ids;
  const today = osloDate(new Date());
  const [unit] = await db('units')
    .insert({ district_id: people.districtId, name: `Matrise helsestasjon ${n}`, kind: 'health_station' })
    .returning('id');
  const unitId = unit.id as number;
  await db('unit_memberships').insert([
    { unit_id: unitId, user_id: p.holder, title: 'Helsesykepleier', may_hold: true },
    { unit_id: unitId, user_id: p.leader, title: 'Leder', is_leader: true, may_hold: true },
    { unit_id: unitId, user_id: p.superuser, title: 'Superbruker', is_superuser: true },
    { unit_id: unitId, user_id: p.staff, title: 'Helsesekretær' },
  ]);
  const [child] = await db('children')
    .insert({
      municipality_id: people.municipalityId,
      unit_id: unitId,
      first_name: 'Mia',
      last_name: `Matrise ${n}`,
      birth_date: yearsAgo(17),
      user_id: p.youth,
    })
    .returning('id');
  const childId = child.id as number;
  await db('child_guardians').insert({ child_id: childId, user_id: p.guardian, relation: 'mor' });
  const log = async (status: 'active' | 'passive') => {
    const [row] = await db('logs')
      .insert({
        child_id: childId,
        plan_type: 'stafettlogg',
        level: 2,
        holder_id: p.holder,
        unit_id: unitId,
        status,
        startup_note: 'Mia har mye fravær.',
        created_by: p.holder,
        closed_at: status === 'passive' ? new Date() : null,
      })
      .returning('id');
    await db('log_guardians').insert({ log_id: row.id, user_id: p.guardian });
    await db('consents').insert({
      log_id: row.id,
      given_by: 'Marte Matrise',
      given_by_role: 'guardians',
      given_on: addDays(today, -20),
      valid_until: addDays(today, 300),
      services: ['health_station', 'school'],
      recorded_by: p.holder,
    });
    return row.id as number;
  };
  const logId = await log('active');
  const passiveLogId = await log('passive');
  await db('log_closures').insert({
    log_id: passiveLogId,
    kind: 'closed',
    closed_on: today,
    reason: 'Ferdig',
    closed_by: p.holder,
    closed_at: new Date(),
  });

  const concern = async (title: string, position: number) =>
    (
      await db('concerns')
        .insert({
          log_id: logId,
          title,
          position,
          created_by: p.holder,
          success_indicator: 'Mia er på skolen hver dag.',
        })
        .returning('id')
    )[0].id as number;
  const concernA = await concern('Mia er borte fra skolen to dager i uka.', 1);
  const concernB = await concern('Mia sover dårlig og er sliten.', 2);
  const goal = async (concernId: number, text: string) =>
    (
      await db('goals')
        .insert({
          log_id: logId,
          concern_id: concernId,
          text,
          owner: 'child',
          owner_words: 'Jeg vil orke skolen.',
          arena: 'school',
          created_by: p.holder,
        })
        .returning('id')
    )[0].id as number;
  const goalA = await goal(concernA, 'Mia er på skolen alle dager.');
  const goalB = await goal(concernB, 'Mia sover åtte timer.');
  const measure = async (concernId: number, goalId: number, fields: Record<string, unknown>) =>
    (
      await db('measures')
        .insert({
          log_id: logId,
          concern_id: concernId,
          goal_id: goalId,
          start_date: addDays(today, -10),
          deadline: addDays(today, 5),
          created_by: p.holder,
          text_written_at: addDays(today, -10),
          ...fields,
        })
        .returning('id')
    )[0].id as number;
  const measureA = await measure(concernA, goalA, {
    text: 'Kontaktlæreren ringer hjem når Mia er borte.',
    responsible: 'actor',
    responsible_user_id: p.actorIn,
    status: 'ongoing',
  });
  const [stepDone, stepOpen] = (
    await db('measure_steps')
      .insert([
        {
          measure_id: measureA,
          position: 0,
          text: 'Læreren ringer hjem første fraværsdag.',
          done: true,
          done_on: today,
          done_by: p.holder,
        },
        { measure_id: measureA, position: 1, text: 'Læreren ringer hjem hver fraværsdag.' },
      ])
      .returning('id')
  ).map((r: { id: number }) => r.id) as [number, number];
  const measureB = await measure(concernB, goalB, {
    text: 'Læreren gir Mia en rolig start på dagen.',
    responsible: 'actor',
    responsible_user_id: p.actorOut,
  });
  const homeMeasure = await measure(concernA, goalA, {
    text: 'Mor vekker Mia kl. 7.',
    responsible: 'guardians',
  });

  const grant = async (userId: number, all: boolean, concernIds: number[], endsOn: string) =>
    (
      await db('read_grants')
        .insert({
          log_id: logId,
          user_id: userId,
          all_concerns: all,
          concern_ids: concernIds,
          ends_on: endsOn,
          granted_by: p.holder,
        })
        .returning('id')
    )[0].id as number;
  await grant(p.grantWhole, true, [], addDays(today, 60));
  await grant(p.grantPartial, false, [concernA], addDays(today, 60));
  await grant(p.grantExpired, true, [], addDays(today, -1));
  const grantId = await grant(p.staff, true, [], addDays(today, 30));

  const [glimmer] = await db('glimmers')
    .insert({
      log_id: logId,
      concern_id: concernA,
      author_id: p.holder,
      author_role: 'holder',
      text: 'Mia var på skolen hele uka!',
    })
    .returning('id');
  const note = async (kind: 'log' | 'private') => {
    const [row] = await db('notes')
      .insert({
        kind,
        author_id: p.holder,
        log_id: kind === 'log' ? logId : null,
        concern_id: kind === 'log' ? concernA : null,
        text: kind === 'log' ? 'Samtale med Mia.' : 'Husk å ringe PPT.',
      })
      .returning('id');
    await db('note_versions').insert({
      note_id: row.id,
      version: 1,
      text: 'Samtale med Mia.',
      saved_by: p.holder,
    });
    return row.id as number;
  };
  const logNoteId = await note('log');
  const privateNoteId = await note('private');
  const [attachment] = await db('note_attachments')
    .insert({
      note_id: logNoteId,
      log_id: logId,
      filename: 'rapport.pdf',
      size: PDF.length,
      sha256: sha(PDF),
      content: PDF,
      uploaded_by: p.holder,
    })
    .returning('id');
  const consentId = (await db('consents').where({ log_id: logId }).first('id')).id as number;
  const [signedForm] = await db('consent_signed_forms')
    .insert({
      consent_id: consentId,
      log_id: logId,
      filename: 'signert-samtykke.pdf',
      source: 'pdf',
      size: PDF.length,
      sha256: sha(PDF),
      content: PDF,
      uploaded_by: p.holder,
    })
    .returning('id');
  const [meeting] = await db('meetings')
    .insert({
      log_id: logId,
      starts_at: new Date(Date.now() + 86_400_000),
      purpose: 'Oppfølging',
      created_by: p.holder,
      place: 'Skolen',
    })
    .returning('id');
  const print = async (logRef: number, liveLogId: number | null, reason: string) =>
    (
      await db('archive_prints')
        .insert({
          log_id: liveLogId,
          log_ref: logRef,
          reason,
          made_by: p.holder,
          made_at: new Date(),
          filename: 'plan.pdf',
          size: PDF.length,
          sha256: sha(PDF),
          pdf: PDF,
        })
        .returning('id')
    )[0].id as number;
  const printId = await print(logId, logId, 'yearly');
  const deletedRef = 900_000 + n;
  await db('deleted_logs').insert({
    log_ref: deletedRef,
    unit_id: unitId,
    child_name: 'Slettet Barn',
    birth_date: yearsAgo(10),
    plan_type: 'stafettlogg',
    created_on: addDays(today, -400),
    deleted_by: p.leader,
    deleted_at: new Date(),
  });
  const archivePrintId = await print(deletedRef, null, 'deletion');
  const kindergarten = (await db('units').where({ kind: 'kindergarten' }).first('id')).id as number;
  const [transfer] = await db('transfers')
    .insert({
      log_id: logId,
      kind: 'unit',
      from_unit_id: unitId,
      from_holder_id: p.holder,
      created_by: p.holder,
      to_unit_id: kindergarten,
      reason: 'Mia bytter tjeneste.',
      consent_confirmed: true,
      concern_ids: [concernA],
    })
    .returning('id');
  const importId = randomUUID();
  await db('log_imports').insert({
    id: importId,
    user_id: p.holder,
    document: JSON.stringify({}),
    log_id: logId,
    created_at: new Date(),
  });

  return {
    unitId,
    childId,
    logId,
    passiveLogId,
    concernA,
    concernB,
    goalA,
    goalB,
    measureA,
    stepDone,
    stepOpen,
    measureB,
    homeMeasure,
    grantId,
    glimmerId: glimmer.id,
    logNoteId,
    privateNoteId,
    attachmentId: attachment.id,
    signedFormId: signedForm.id,
    meetingId: meeting.id,
    printId,
    archivePrintId,
    transferId: transfer.id,
    importId,
  };
}
