/** SQL for the relay: transfers, the people and units a log can go to, closures, deleted logs, imports. */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';
import { none, row, rows } from '../../db/one-statement.js';
import type { ArchivedPrint } from '../../domain/prints.js';
import type { ConsentParsed } from './form.js';

export type Executor = Db | Knex.Transaction;

/** A line of the consent watch list, before its state is worked out. */
export interface ConsentWatchListRow {
  id: number;
  first_name: string;
  last_name: string;
  holder_name: string;
  unit_name: string;
  valid_until: string | null;
  withdrawn_at: Date | null;
}

/** A print in the archive list (of a log, or of deleted logs). */
export interface ArchiveListRow extends Omit<ArchivedPrint, 'made_by' | 'meeting_id'> {
  log_id: number | null;
}

export interface TransferRow {
  id: number;
  log_id: number;
  kind: 'internal' | 'unit';
  from_unit_id: number;
  from_unit_name: string;
  from_holder_id: number;
  from_holder_name: string;
  created_by: number;
  created_by_name: string;
  to_unit_id: number;
  to_unit_name: string;
  to_user_id: number | null;
  to_user_name: string | null;
  reason: string;
  consent_confirmed: boolean;
  concern_ids: number[] | null;
  old_holder_stays_in_meetings: boolean;
  status: 'pending' | 'accepted' | 'declined' | 'withdrawn';
  decided_by: number | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decline_reason: string | null;
  passive_log_id: number | null;
  created_at: Date;
  // The log and child, for the pages about the transfer.
  child_first_name: string;
  child_last_name: string;
  child_birth_date: string;
  log_holder_id: number;
  log_unit_id: number;
  log_status: 'active' | 'passive';
  log_municipality_id: number;
}

/** Why and how a log was closed (log_closures), with names. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table's own columns (k.*)
export type ClosureRow = Record<string, any> & { closed_by_name: string; to_unit_name: string | null };

export interface PersonOption {
  id: number;
  name: string;
  title: string;
}

export interface LogSummary {
  id: number;
  status: 'active' | 'passive';
  plan_type: string;
  created_at: Date;
  unit_id: number;
  holder_id: number;
  first_name: string;
  last_name: string;
  birth_date: string;
  holder_name: string;
  unit_name: string;
}

export interface UnitOption {
  id: number;
  name: string;
  kind: string;
}

/** Tables whose rows belong to one concern and move with it when concerns are left behind at a transfer. */
export const ROWS_THAT_FOLLOW_A_CONCERN = [
  'concerns',
  'goals',
  'measures',
  'evaluations',
  'measure_comments',
  'family_views',
  'glimmers',
  'notes',
  'note_attachments',
] as const;
/** Tables with a log_id whose rows stay with the log that is handed on (or are the relay's own bookkeeping). */
export const ROWS_THAT_STAY_WITH_THE_LOG = [
  'audit_events',
  'log_guardians',
  'consents',
  'consent_signed_forms',
  'life_areas',
  'read_grants',
  'meetings',
  'archive_prints',
  'transfers',
  'log_closures',
  'log_imports',
  // The log page cache's version of each log (features/logs/page-cache.ts), moved by triggers.
  'log_page_versions',
] as const;

export function relayRepository(db: Db) {
  const transferQuery = (q: Executor) =>
    q('transfers as t')
      .join('logs as l', 'l.id', 't.log_id')
      .join('children as c', 'c.id', 'l.child_id')
      .join('units as fu', 'fu.id', 't.from_unit_id')
      .join('users as fh', 'fh.id', 't.from_holder_id')
      .join('users as cb', 'cb.id', 't.created_by')
      .join('units as tu', 'tu.id', 't.to_unit_id')
      .leftJoin('users as tp', 'tp.id', 't.to_user_id')
      .leftJoin('users as dc', 'dc.id', 't.decided_by')
      .select(
        't.*',
        'fu.name as from_unit_name',
        'fh.name as from_holder_name',
        'cb.name as created_by_name',
        'tu.name as to_unit_name',
        'tp.name as to_user_name',
        'dc.name as decided_by_name',
        'c.first_name as child_first_name',
        'c.last_name as child_last_name',
        'c.birth_date as child_birth_date',
        'l.holder_id as log_holder_id',
        'l.unit_id as log_unit_id',
        'l.status as log_status',
        'c.municipality_id as log_municipality_id',
      );

  const lastClosureQuery = (logId: number) =>
    db('log_closures as k')
      .join('users as u', 'u.id', 'k.closed_by')
      .leftJoin('transfers as t', 't.id', 'k.transfer_id')
      .leftJoin('units as n', 'n.id', 't.to_unit_id')
      .where('k.log_id', logId)
      .orderBy('k.closed_at', 'desc')
      .first('k.*', 'u.name as closed_by_name', 'n.name as to_unit_name');

  const repository = {
    findTransfer(id: number, q: Executor = db): Promise<TransferRow | undefined> {
      return transferQuery(q).where('t.id', id).first();
    },

    /** What the relay shows on the log page, as parts of the page's statement (logs/sections.ts). */
    logPageParts(logId: number, passive: boolean) {
      return {
        pending: row<TransferRow>(
          transferQuery(db).where({ 't.log_id': logId, 't.status': 'pending' }).first(),
        ),
        closure: passive ? row<ClosureRow>(lastClosureQuery(logId)) : none<ClosureRow | undefined>(undefined),
      };
    },

    pendingForLog(logId: number, q: Executor = db): Promise<TransferRow | undefined> {
      return transferQuery(q).where({ 't.log_id': logId, 't.status': 'pending' }).first();
    },

    /** My logs' transfers (incoming and outgoing, as below), as parts of the page's statement. */
    myLogsParts(userId: number, leaderOfUnitIds: number[]) {
      return {
        incoming: rows<TransferRow>(
          repository.incoming(userId, leaderOfUnitIds) as unknown as Knex.QueryBuilder,
        ),
        outgoing: rows<TransferRow>(repository.outgoing(userId) as unknown as Knex.QueryBuilder),
      };
    },

    /** Pending transfers this person should act on: addressed to them, or to a unit they lead. */
    incoming(userId: number, leaderOfUnitIds: number[]): Promise<TransferRow[]> {
      return transferQuery(db)
        .where('t.status', 'pending')
        .where((w) => {
          w.where('t.to_user_id', userId);
          if (leaderOfUnitIds.length)
            w.orWhere((o) => o.whereNull('t.to_user_id').whereIn('t.to_unit_id', leaderOfUnitIds));
        })
        .orderBy('t.created_at');
    },

    /** Pending transfers this person sent or whose log they hold: waiting for someone else. */
    outgoing(userId: number): Promise<TransferRow[]> {
      return transferQuery(db)
        .where('t.status', 'pending')
        .where((w) => w.where('l.holder_id', userId).orWhere('t.created_by', userId))
        .orderBy('t.created_at');
    },

    async insertTransfer(trx: Knex.Transaction, row: Record<string, unknown>): Promise<number> {
      const [inserted] = await trx('transfers').insert(row).returning('id');
      return inserted.id as number;
    },

    /** Moves a pending transfer on; false when it was no longer pending (someone else decided first). */
    async decide(trx: Knex.Transaction, id: number, changes: Record<string, unknown>): Promise<boolean> {
      const rows = await trx('transfers').where({ id, status: 'pending' }).update(changes).returning('id');
      return rows.length === 1;
    },

    /** The child, holder and unit of a log: what the relay's pages name. */
    logSummary(logId: number): Promise<LogSummary> {
      return db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .join('users as h', 'h.id', 'l.holder_id')
        .join('units as u', 'u.id', 'l.unit_id')
        .where('l.id', logId)
        .first(
          'l.id',
          'l.status',
          'l.plan_type',
          'l.created_at',
          'l.unit_id',
          'l.holder_id',
          'c.first_name',
          'c.last_name',
          'c.birth_date',
          'h.name as holder_name',
          'u.name as unit_name',
        ) as Promise<LogSummary>;
    },

    unitsInMunicipality(municipalityId: number): Promise<UnitOption[]> {
      return db('units as u')
        .join('districts as d', 'd.id', 'u.district_id')
        .where('d.municipality_id', municipalityId)
        .orderBy('u.name')
        .select('u.id', 'u.name', 'u.kind');
    },

    findUnit(unitId: number): Promise<(UnitOption & { municipality_id: number }) | undefined> {
      return db('units as u')
        .join('districts as d', 'd.id', 'u.district_id')
        .where('u.id', unitId)
        .first('u.id', 'u.name', 'u.kind', 'd.municipality_id');
    },

    /** Staff who may hold logs in the unit (rule 1). */
    possibleHolders(unitId: number, q: Executor = db): Promise<PersonOption[]> {
      return q('unit_memberships as m')
        .join('users as u', 'u.id', 'm.user_id')
        .where({ 'm.unit_id': unitId, 'm.may_hold': true, 'u.kind': 'staff' })
        .whereNull('u.disabled_at')
        .orderBy('u.name')
        .select('u.id', 'u.name', 'm.title');
    },

    async leaderIds(unitId: number): Promise<number[]> {
      const rows = await db('unit_memberships as m')
        .join('users as u', 'u.id', 'm.user_id')
        .where({ 'm.unit_id': unitId, 'm.is_leader': true })
        .whereNull('u.disabled_at')
        .select('u.id');
      return rows.map((r) => r.id as number);
    },

    concernsOfLog(logId: number, q: Executor = db): Promise<{ id: number; title: string; status: string }[]> {
      return q('concerns')
        .where({ log_id: logId })
        .orderBy([{ column: 'position' }, { column: 'id' }])
        .select('id', 'title', 'status');
    },

    lockLog(trx: Knex.Transaction, logId: number) {
      return trx('logs').where({ id: logId }).forUpdate().first();
    },

    /** Locks the child's row, then answers the child's active log other than this one, if any. */
    async otherActiveLogOfChild(
      trx: Knex.Transaction,
      childId: number,
      logId: number,
    ): Promise<{ id: number } | undefined> {
      await trx('children').where({ id: childId }).forUpdate().first('id');
      return trx('logs')
        .where({ child_id: childId, status: 'active' })
        .whereNot({ id: logId })
        .orderBy('id')
        .first('id');
    },

    async consentInForce(q: Executor, logId: number, today: string): Promise<boolean> {
      const row = await q('consents')
        .where({ log_id: logId })
        .whereNull('withdrawn_at')
        .where('valid_until', '>=', today)
        .first('id');
      return Boolean(row);
    },

    /**
     * Gives the concerns (and everything that hangs on them) to another log: the passive record of what
     * stayed behind at a transfer.
     */
    async moveConcerns(
      trx: Knex.Transaction,
      fromLogId: number,
      toLogId: number,
      concernIds: number[],
    ): Promise<void> {
      if (concernIds.length === 0) return;
      await trx('concerns')
        .where({ log_id: fromLogId })
        .whereIn('id', concernIds)
        .update({ log_id: toLogId });
      await trx('goals')
        .where({ log_id: fromLogId })
        .whereIn('concern_id', concernIds)
        .update({ log_id: toLogId });
      await trx('measures')
        .where({ log_id: fromLogId })
        .whereIn('concern_id', concernIds)
        .update({ log_id: toLogId });
      for (const table of ['evaluations', 'measure_comments', 'family_views']) {
        await trx(table)
          .where({ log_id: fromLogId })
          .whereIn('measure_id', trx('measures').select('id').whereIn('concern_id', concernIds))
          .update({ log_id: toLogId });
      }
      await trx('glimmers')
        .where({ log_id: fromLogId })
        .whereIn('concern_id', concernIds)
        .update({ log_id: toLogId });
      await trx('notes')
        .where({ log_id: fromLogId })
        .whereIn('concern_id', concernIds)
        .update({ log_id: toLogId });
      await trx('note_attachments')
        .where({ log_id: fromLogId })
        .whereIn('note_id', trx('notes').select('id').whereIn('concern_id', concernIds))
        .update({ log_id: toLogId });
    },

    /** Every user-facing table with a log_id column: the guard test checks each has a rule above. */
    async tablesWithLogId(): Promise<string[]> {
      const rows = await db('information_schema.columns')
        .where({ table_schema: db.raw('current_schema()'), column_name: 'log_id' })
        .orderBy('table_name')
        .select('table_name');
      return rows.map((r) => r.table_name as string);
    },

    insertClosure(trx: Knex.Transaction, row: Record<string, unknown>) {
      return trx('log_closures').insert(row).returning('id');
    },

    /** The latest closure, with who closed it and, for concerns left behind, where the log went. */
    lastClosure(logId: number): Promise<ClosureRow | undefined> {
      return lastClosureQuery(logId);
    },

    /** A new consent, as the form gave it, recorded by `recordedBy`; answers [{ id }]. */
    insertConsent(
      trx: Knex.Transaction,
      logId: number,
      consent: ConsentParsed,
      recordedBy: number,
      now: Date,
    ): Promise<{ id: number }[]> {
      return trx('consents')
        .insert({
          log_id: logId,
          given_by: consent.givenBy,
          given_by_role: consent.givenByRole,
          given_on: consent.givenOn,
          valid_until: consent.validUntil,
          services: consent.services,
          services_note: consent.servicesNote,
          recorded_by: recordedBy,
          created_at: now,
          updated_at: now,
        })
        .returning('id');
    },

    /** Withdraws every consent in force on the log; answers [{ id }] of each. */
    withdrawConsents(
      trx: Knex.Transaction,
      logId: number,
      changes: Record<string, unknown>,
    ): Promise<{ id: number }[]> {
      return trx('consents')
        .where({ log_id: logId })
        .whereNull('withdrawn_at')
        .update(changes)
        .returning('id');
    },

    /**
     * The consent watch list of these units, as a part of a page's statement: active logs whose latest
     * consent is missing, withdrawn or valid until `until` at the latest.
     */
    consentWatchPart(unitIds: number[], until: string) {
      return rows<ConsentWatchListRow>(
        db('logs as l')
          .join('children as c', 'c.id', 'l.child_id')
          .join('users as h', 'h.id', 'l.holder_id')
          .join('units as u', 'u.id', 'l.unit_id')
          .joinRaw(
            `LEFT JOIN LATERAL (SELECT valid_until::text AS valid_until, withdrawn_at FROM consents k WHERE k.log_id = l.id
             ORDER BY (k.withdrawn_at IS NULL) DESC, k.valid_until DESC, k.id DESC LIMIT 1) k ON true`,
          )
          .whereIn('l.unit_id', unitIds)
          .where('l.status', 'active')
          .where((w) =>
            w
              .whereNull('k.valid_until')
              .orWhereNotNull('k.withdrawn_at')
              .orWhere('k.valid_until', '<=', until),
          )
          .orderBy([{ column: 'k.valid_until' }, { column: 'l.id' }])
          .select(
            'l.id',
            'c.first_name',
            'c.last_name',
            'h.name as holder_name',
            'u.name as unit_name',
            'k.valid_until',
            'k.withdrawn_at',
          ),
      );
    },

    /** The consent in force (the newest not withdrawn) of each active log, valid until `until` at the latest. */
    consentsEndingBy(
      until: string,
    ): Promise<
      { log_id: number; holder_id: number; unit_id: number; consent_id: number; valid_until: string }[]
    > {
      return db
        .select('*')
        .from(
          db('logs as l')
            .join('consents as k', 'k.log_id', 'l.id')
            .where('l.status', 'active')
            .whereNull('k.withdrawn_at')
            .distinctOn('l.id')
            .orderBy([
              { column: 'l.id' },
              { column: 'k.valid_until', order: 'desc' },
              { column: 'k.id', order: 'desc' },
            ])
            .select(
              'l.id as log_id',
              'l.holder_id',
              'l.unit_id',
              'k.id as consent_id',
              db.raw('k.valid_until::text AS valid_until'),
            )
            .as('current'),
        )
        .where('valid_until', '<=', until);
    },

    /** Claims the notice of this kind for the consent; [] when it was sent before. */
    claimConsentNotice(consentId: number, kind: string, sentAt: Date): Promise<{ consent_id: number }[]> {
      return db('consent_notices')
        .insert({ consent_id: consentId, kind, sent_at: sentAt })
        .onConflict(['consent_id', 'kind'])
        .ignore()
        .returning('consent_id');
    },

    /** Every leader membership of the unit (disabled accounts too): whom consent notices go to. */
    unitLeaderMemberIds(unitId: number): Promise<number[]> {
      return db('unit_memberships').where({ unit_id: unitId, is_leader: true }).pluck('user_id');
    },

    /** Active logs not printed for the year since `yearAgo` (nor created since). */
    async activeLogsWithoutYearlyPrintSince(yearAgo: Date): Promise<number[]> {
      const rows = await db('logs as l')
        .where('l.status', 'active')
        .whereRaw(
          `coalesce((SELECT max(p.made_at) FROM archive_prints p WHERE p.log_id = l.id AND p.reason = 'yearly'), l.created_at) <= ?`,
          [yearAgo],
        )
        .orderBy('l.id')
        .select('l.id');
      return rows.map((r) => r.id as number);
    },

    /** Removes uploaded export files made before `before`; answers how many. */
    removeImportsBefore(before: Date): Promise<number> {
      return db('log_imports').where('created_at', '<', before).delete();
    },

    /** Changes the log row (status, holder, unit, version...). */
    updateLog(trx: Knex.Transaction, logId: number, changes: Record<string, unknown>) {
      return trx('logs').where({ id: logId }).update(changes);
    },

    /** A new log row; answers [{ id }]. */
    insertLog(trx: Knex.Transaction, row: Record<string, unknown>): Promise<{ id: number }[]> {
      return trx('logs').insert(row).returning('id');
    },

    /** The guardians and every consent row of one log, copied onto another (a log left behind). */
    async copyGuardiansAndConsents(trx: Knex.Transaction, fromLogId: number, toLogId: number) {
      await trx.raw(
        'INSERT INTO log_guardians (log_id, user_id) SELECT ?, user_id FROM log_guardians WHERE log_id = ?',
        [toLogId, fromLogId],
      );
      await trx.raw(
        `INSERT INTO consents (log_id, given_by, given_by_role, given_on, valid_until, services, services_note, recorded_by, withdrawn_at, withdrawn_by, withdrawn_reason, created_at, updated_at)
           SELECT ?, given_by, given_by_role, given_on, valid_until, services, services_note, recorded_by, withdrawn_at, withdrawn_by, withdrawn_reason, created_at, updated_at
           FROM consents WHERE log_id = ? ORDER BY id`,
        [toLogId, fromLogId],
      );
    },

    /** Locks the transfer row (FOR UPDATE); undefined when there is none. */
    lockTransfer(trx: Knex.Transaction, transferId: number) {
      return trx('transfers').where({ id: transferId }).forUpdate().first();
    },

    /** Sets the holder a pending transfer to a unit goes to; answers [{ id }] when it was still open. */
    assignTransfer(
      trx: Knex.Transaction,
      transferId: number,
      changes: Record<string, unknown>,
    ): Promise<{ id: number }[]> {
      return trx('transfers')
        .where({ id: transferId, status: 'pending' })
        .whereNull('to_user_id')
        .update(changes)
        .returning('id');
    },

    /** The closure of the log not yet reopened, newest first. */
    openClosure(trx: Knex.Transaction, logId: number): Promise<{ id: number } | undefined> {
      return trx('log_closures')
        .where({ log_id: logId })
        .whereNull('reopened_at')
        .orderBy('closed_at', 'desc')
        .first('id');
    },

    markClosureReopened(trx: Knex.Transaction, closureId: number, changes: Record<string, unknown>) {
      return trx('log_closures').where({ id: closureId }).update(changes);
    },

    /** The child's name and birth date, for the line in deleted_logs. */
    childForDeletion(trx: Knex.Transaction, childId: number) {
      return trx('children').where({ id: childId }).first('first_name', 'last_name', 'birth_date');
    },

    insertDeletedLog(trx: Knex.Transaction, row: Record<string, unknown>) {
      return trx('deleted_logs').insert(row);
    },

    /** Deletes the log (and, by its foreign keys, everything in it). */
    deleteLog(q: Executor, logId: number) {
      return q('logs').where({ id: logId }).delete();
    },

    /** The prints of a log (by id), or of deleted logs (by their former ids), newest first; no PDF bytes. */
    archiveList(where: { logId: number } | { logRefs: number[] }): Promise<ArchiveListRow[]> {
      const query = db('archive_prints as p')
        .leftJoin('users as u', 'u.id', 'p.made_by')
        .orderBy([
          { column: 'p.made_at', order: 'desc' },
          { column: 'p.id', order: 'desc' },
        ])
        .select(
          'p.id',
          'p.log_id',
          'p.log_ref',
          'p.reason',
          'u.name as made_by_name',
          'p.made_at',
          'p.filename',
          'p.size',
        );
      if ('logId' in where) return query.where('p.log_id', where.logId);
      return query.whereNull('p.log_id').whereIn('p.log_ref', where.logRefs);
    },

    /** One print of a deleted log, with its bytes. */
    archivePrint(
      printId: number,
    ): Promise<
      { id: number; log_id: number | null; log_ref: number; filename: string; pdf: Buffer } | undefined
    > {
      return db('archive_prints')
        .where({ id: printId })
        .whereNull('log_id')
        .first('id', 'log_id', 'log_ref', 'filename', 'pdf');
    },

    /** The unit a deleted log belonged to (its line in deleted_logs). */
    deletedLogUnit(logRef: number): Promise<{ unit_id: number } | undefined> {
      return db('deleted_logs').where({ log_ref: logRef }).first('unit_id');
    },

    deletedLogs(unitIds: number[]) {
      if (unitIds.length === 0) return Promise.resolve([]);
      return db('deleted_logs as d')
        .join('units as u', 'u.id', 'd.unit_id')
        .whereIn('d.unit_id', unitIds)
        .orderBy('d.deleted_at', 'desc')
        .select('d.*', 'u.name as unit_name');
    },
  };
  return repository;
}

export type RelayRepository = ReturnType<typeof relayRepository>;
