/** SQL for meetings, their participants and the family's evaluations. */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';
import { row, rows } from '../../db/one-statement.js';
import type { EvaluationParsed, MeetingMode } from './form.js';
import type { MeetingPhase, ParticipantKind } from '../../domain/meetings.js';
import { wantsEmail } from '../notifications/index.js';

export type { MeetingPhase };
export type MeetingStatus = 'planned' | 'running' | 'closed' | 'cancelled';

export interface MeetingRow {
  id: number;
  log_id: number;
  starts_at: Date;
  duration_minutes: number;
  mode: MeetingMode;
  place: string;
  purpose: string;
  status: MeetingStatus;
  current_phase: MeetingPhase | null;
  agreements: string;
  next_meeting_at: Date | null;
  started_at: Date | null;
  closed_at: Date | null;
  cancel_reason: string;
  cancelled_at: Date | null;
  version: number;
}

export interface ParticipantRow {
  id: number;
  user_id: number | null;
  name: string;
  /** A title someone wrote ("Kontaktlærer, Solbakken skole"); empty when the kind says who they are. */
  role: string;
  /** The kind of person in the log, shown as meeting.kind.<kind> in the reader's language when role is empty. */
  kind: Candidate['kind'] | null;
  /** The child (or the youth's own account): shown as the child, never named in e-mail or calendar files. */
  is_child: boolean;
}

/** A person in the log who can be invited: the holder, guardians, actors, the youth with own access. */
export interface Candidate {
  userId: number;
  name: string;
  role: string;
  kind: ParticipantKind;
}

export interface EvaluationRow {
  id: number;
  respondent: 'guardian' | 'child' | 'other';
  said_what_wanted: number | null;
  understood: number | null;
  talked_about_important: number | null;
  respected: number | null;
  language_clear: number | null;
  help_coherent: number | null;
  could_be_different: string;
  recorded_at: Date;
}

type Conn = Db | Knex.Transaction;

const MEETING_COLUMNS = [
  'id',
  'log_id',
  'starts_at',
  'duration_minutes',
  'mode',
  'place',
  'purpose',
  'status',
  'current_phase',
  'agreements',
  'next_meeting_at',
  'started_at',
  'closed_at',
  'cancel_reason',
  'cancelled_at',
  'version',
] as const;

export function meetingsRepository(db: Db) {
  const repository = {
    // Parts of a page's one statement (src/db/one-statement.ts): the same queries as below, sent unawaited.
    /** The meetings box of the log page, as a part of the page's statement (logs/sections.ts). */
    listPart: (logId: number) =>
      rows<MeetingRow & { participant_count: number }>(
        repository.list(logId) as unknown as Knex.QueryBuilder,
      ),
    /** One meeting of the log, as a part of a statement. */
    findPart: (logId: number, meetingId: number) =>
      row<MeetingRow>(repository.find(logId, meetingId) as unknown as Knex.QueryBuilder),
    participantsPart: (meetingId: number) =>
      rows<ParticipantRow>(repository.participants(meetingId) as unknown as Knex.QueryBuilder),
    evaluationsPart: (meetingId: number) =>
      rows<EvaluationRow>(repository.evaluations(meetingId) as unknown as Knex.QueryBuilder),

    list(logId: number): Promise<(MeetingRow & { participant_count: number })[]> {
      return db('meetings as m')
        .where('m.log_id', logId)
        .orderBy([
          { column: 'm.starts_at', order: 'desc' },
          { column: 'm.id', order: 'desc' },
        ])
        .select(
          ...MEETING_COLUMNS.map((c) => `m.${c}`),
          db.raw(
            '(SELECT count(*)::int FROM meeting_participants p WHERE p.meeting_id = m.id) AS participant_count',
          ),
        );
    },

    find(logId: number, meetingId: number, conn: Conn = db): Promise<MeetingRow | undefined> {
      return conn('meetings')
        .where({ id: meetingId, log_id: logId })
        .first(...MEETING_COLUMNS);
    },

    running(logId: number, conn: Conn = db): Promise<MeetingRow | undefined> {
      return conn('meetings')
        .where({ log_id: logId, status: 'running' })
        .first(...MEETING_COLUMNS);
    },

    async childFirstName(childId: number): Promise<string> {
      const row = await db('children').where({ id: childId }).first('first_name');
      return (row?.first_name as string | undefined) ?? '';
    },

    holderContact(userId: number): Promise<{ name: string; email: string } | undefined> {
      return db('users').where({ id: userId }).first('name', 'email');
    },

    participants(meetingId: number): Promise<ParticipantRow[]> {
      return db('meeting_participants as p')
        .leftJoin('users as u', 'u.id', 'p.user_id')
        .where('p.meeting_id', meetingId)
        .orderBy([{ column: 'p.position' }, { column: 'p.id' }])
        .select(
          'p.id',
          'p.user_id',
          db.raw("coalesce(nullif(p.name, ''), u.name) AS name"),
          'p.role',
          'p.kind',
          'p.is_child',
        );
    },

    async candidates(logId: number): Promise<Candidate[]> {
      const log = await db('logs as l')
        .join('users as h', 'h.id', 'l.holder_id')
        .join('units as un', 'un.id', 'l.unit_id')
        .leftJoin('unit_memberships as m', function () {
          this.on('m.user_id', 'l.holder_id').andOn('m.unit_id', 'l.unit_id');
        })
        .join('children as c', 'c.id', 'l.child_id')
        .leftJoin('users as y', 'y.id', 'c.user_id')
        .where('l.id', logId)
        .first(
          'h.id as holder_id',
          'h.name as holder_name',
          'm.title as holder_title',
          'un.name as unit_name',
          'y.id as youth_id',
          'y.name as youth_name',
        );
      if (!log) return [];
      const [guardians, actors] = await Promise.all([
        db('log_guardians as g')
          .join('users as u', 'u.id', 'g.user_id')
          .where('g.log_id', logId)
          .orderBy('u.name')
          .select('u.id', 'u.name'),
        db('measures as me')
          .join('users as u', 'u.id', 'me.responsible_user_id')
          .leftJoin(
            db('unit_memberships as m')
              .join('units as un', 'un.id', 'm.unit_id')
              .distinctOn('m.user_id')
              .orderBy('m.user_id')
              .orderBy('m.id')
              .select('m.user_id', 'm.title', 'un.name as unit_name')
              .as('mu'),
            'mu.user_id',
            'u.id',
          )
          .where('me.log_id', logId)
          .where('me.responsible', 'actor')
          .whereNot('u.id', log.holder_id)
          .distinct('u.id', 'u.name', 'mu.title', 'mu.unit_name')
          .orderBy('u.name'),
      ]);
      const role = (title: string | null, unit: string | null) => [title, unit].filter(Boolean).join(', ');
      return [
        {
          userId: log.holder_id,
          name: log.holder_name,
          role: role(log.holder_title, log.unit_name),
          kind: 'holder' as const,
        },
        ...guardians.map((g) => ({
          userId: g.id as number,
          name: g.name as string,
          role: '',
          kind: 'guardian' as const,
        })),
        ...(log.youth_id
          ? [
              {
                userId: log.youth_id as number,
                name: log.youth_name as string,
                role: '',
                kind: 'youth' as const,
              },
            ]
          : []),
        ...actors.map((a) => ({
          userId: a.id as number,
          name: a.name as string,
          role: role(a.title, a.unit_name),
          kind: 'actor' as const,
        })),
      ];
    },

    async insert(
      trx: Knex.Transaction,
      row: Omit<
        MeetingRow,
        | 'id'
        | 'version'
        | 'current_phase'
        | 'started_at'
        | 'closed_at'
        | 'status'
        | 'agreements'
        | 'next_meeting_at'
        | 'cancel_reason'
        | 'cancelled_at'
      > & { created_by: number; now: Date },
    ): Promise<number> {
      const { now, ...fields } = row;
      const [created] = await trx('meetings')
        .insert({ ...fields, created_at: now, updated_at: now })
        .returning('id');
      return created.id as number;
    },

    async replaceParticipants(
      trx: Knex.Transaction,
      meetingId: number,
      people: {
        user_id: number | null;
        name: string;
        role: string;
        kind?: Candidate['kind'] | null;
        is_child?: boolean;
      }[],
    ): Promise<void> {
      await trx('meeting_participants').where({ meeting_id: meetingId }).delete();
      if (people.length) {
        await trx('meeting_participants').insert(
          people.map((p, position) => ({ ...p, meeting_id: meetingId, position })),
        );
      }
    },

    /** Saves only if the version is unchanged; answers whether it saved. */
    async update(
      trx: Knex.Transaction,
      logId: number,
      meetingId: number,
      version: number,
      fields: Partial<MeetingRow> & { updated_at: Date },
    ): Promise<boolean> {
      const rows = await trx('meetings')
        .where({ id: meetingId, log_id: logId, version })
        .update({ ...fields, version: version + 1 })
        .returning('id');
      return rows.length === 1;
    },

    /** State changes that do not conflict with edits (phase, start, close): no version check. */
    async set(
      conn: Conn,
      logId: number,
      meetingId: number,
      fields: Partial<MeetingRow> & { updated_at: Date; closed_by?: number },
    ): Promise<void> {
      await conn('meetings').where({ id: meetingId, log_id: logId }).update(fields);
    },

    /** `set` on its own, outside a transaction. */
    async setFields(
      logId: number,
      meetingId: number,
      fields: Partial<MeetingRow> & { updated_at: Date; closed_by?: number },
    ): Promise<void> {
      await repository.set(db, logId, meetingId, fields);
    },

    /** The meeting's participants as stored, in order: what the next meeting copies. */
    async participantsToCopy(trx: Knex.Transaction, meetingId: number) {
      return trx('meeting_participants')
        .where({ meeting_id: meetingId })
        .orderBy('position')
        .select('user_id', 'name', 'role', 'kind', 'is_child');
    },

    /** Whether the person wants meeting e-mails (their preferences page). */
    wantsMeetingEmail(userId: number): Promise<boolean> {
      return wantsEmail(db, userId, 'meeting');
    },

    /** Cancels a planned meeting; answers whether it was still planned. The version rises (the calendar's SEQUENCE). */
    async cancel(
      trx: Knex.Transaction,
      logId: number,
      meetingId: number,
      fields: { cancel_reason: string; cancelled_at: Date; cancelled_by: number },
    ): Promise<boolean> {
      const rows = await trx('meetings')
        .where({ id: meetingId, log_id: logId, status: 'planned' })
        .update({
          ...fields,
          status: 'cancelled',
          updated_at: fields.cancelled_at,
          version: trx.raw('version + 1'),
        })
        .returning('id');
      return rows.length === 1;
    },

    /** The people in Stafett a meeting's e-mail goes to: participants with an account. */
    async participantUserIds(meetingId: number, conn: Conn = db): Promise<number[]> {
      const rows = await conn('meeting_participants')
        .where({ meeting_id: meetingId })
        .whereNotNull('user_id')
        .orderBy('position')
        .pluck('user_id');
      return rows as number[];
    },

    /** What one meeting e-mail needs: the meeting, its log's holder (the organizer) and the recipient. */
    async mailContext(meetingId: number, userId: number) {
      const meeting = (await db('meetings')
        .where({ id: meetingId })
        .first(...MEETING_COLUMNS)) as MeetingRow | undefined;
      if (!meeting) return undefined;
      const [holder, recipient, participant] = await Promise.all([
        db('logs as l')
          .join('users as h', 'h.id', 'l.holder_id')
          .where('l.id', meeting.log_id)
          .first('h.name', 'h.email'),
        db('users').where({ id: userId }).first('email', 'kind'),
        db('meeting_participants').where({ meeting_id: meetingId, user_id: userId }).first('is_child'),
      ]);
      return {
        meeting,
        holder: holder as { name: string; email: string } | undefined,
        recipient: recipient as { email: string | null; kind: string } | undefined,
        participant: participant as { is_child: boolean } | undefined,
      };
    },

    /**
     * A transfer hands the coming meetings on: the new holder takes the old holder's place among the
     * participants of every planned meeting not yet begun, and the old holder stays only if chosen.
     * Answers the meetings changed, and whom to tell of what.
     */
    async handOver(
      trx: Knex.Transaction,
      logId: number,
      change: { from: number; to: number; oldHolderStays: boolean; now: Date },
    ): Promise<{ meetingIds: number[] }> {
      const coming = (await trx('meetings')
        .where({ log_id: logId, status: 'planned' })
        .where('starts_at', '>=', change.now)
        .pluck('id')) as number[];
      for (const id of coming) {
        if (!change.oldHolderStays)
          await trx('meeting_participants').where({ meeting_id: id, user_id: change.from }).delete();
        const there = await trx('meeting_participants')
          .where({ meeting_id: id, user_id: change.to })
          .first('id');
        if (!there) {
          const last = await trx('meeting_participants')
            .where({ meeting_id: id })
            .max('position as p')
            .first();
          await trx('meeting_participants').insert({
            meeting_id: id,
            user_id: change.to,
            name: '',
            role: '',
            position: Number(last?.p ?? -1) + 1,
          });
        }
        await trx('meetings')
          .where({ id })
          .update({ version: trx.raw('version + 1'), updated_at: change.now });
      }
      return { meetingIds: coming };
    },

    async insertEvaluation(
      trx: Knex.Transaction,
      meetingId: number,
      parsed: EvaluationParsed,
      userId: number,
      now: Date,
    ): Promise<number> {
      const [row] = await trx('meeting_evaluations')
        .insert({
          meeting_id: meetingId,
          respondent: parsed.respondent,
          ...parsed.answers,
          could_be_different: parsed.couldBeDifferent,
          recorded_by: userId,
          recorded_at: now,
        })
        .returning('id');
      return row.id as number;
    },

    evaluations(meetingId: number): Promise<EvaluationRow[]> {
      return db('meeting_evaluations')
        .where({ meeting_id: meetingId })
        .orderBy('id')
        .select(
          'id',
          'respondent',
          'said_what_wanted',
          'understood',
          'talked_about_important',
          'respected',
          'language_clear',
          'help_coherent',
          'could_be_different',
          'recorded_at',
        );
    },
  };
  return repository;
}

export type MeetingsRepository = ReturnType<typeof meetingsRepository>;
