/** SQL for logs, consents, children, guardians, concerns and life areas. */
import type { Knex } from 'knex';
import { compiled, type Db } from '../../db/knex.js';
import {
  none,
  oneStatement,
  row,
  rows,
  type Insert,
  type Parts,
  type Results,
} from '../../db/one-statement.js';
import type { PageVersions } from './page-cache.js';

export interface LogListRow {
  id: number;
  first_name: string;
  last_name: string;
  birth_date: string;
  plan_type: string;
  level: number;
  status: string;
  closed_at: Date | null;
  next_deadline: string | null;
  overdue: number;
  valid_until: string | null;
  withdrawn: boolean;
}

export interface LogDetail {
  id: number;
  child_id: number;
  first_name: string;
  last_name: string;
  birth_date: string;
  plan_type: string;
  level: number;
  status: 'active' | 'passive';
  startup_note: string;
  holder_id: number;
  holder_name: string;
  unit_id: number;
  unit_name: string;
  created_at: Date;
  closed_at: Date | null;
  version: number;
}

export interface ConsentRow {
  id: number;
  given_by: string;
  given_by_role: 'guardians' | 'youth';
  given_on: string;
  valid_until: string;
  services: string[];
  services_note: string;
  withdrawn_at: Date | null;
}

export function logsRepository(db: Db) {
  const detailQuery = (logId: number) =>
    db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .join('users as h', 'h.id', 'l.holder_id')
      .join('units as u', 'u.id', 'l.unit_id')
      .where('l.id', logId)
      .first(
        'l.id',
        'l.child_id',
        'c.first_name',
        'c.last_name',
        'c.birth_date',
        'l.plan_type',
        'l.level',
        'l.status',
        'l.startup_note',
        'l.holder_id',
        'h.name as holder_name',
        'l.unit_id',
        'u.name as unit_name',
        'l.created_at',
        'l.closed_at',
        'l.version',
      );
  const guardianNamesQuery = (logId: number) =>
    db('log_guardians as g')
      .join('users as u', 'u.id', 'g.user_id')
      .where('g.log_id', logId)
      .orderBy('u.name')
      .select('u.name');
  const currentConsentQuery = (logId: number) =>
    db('consents')
      .where({ log_id: logId })
      .orderByRaw('(withdrawn_at IS NULL) DESC, valid_until DESC, id DESC')
      .first(
        'id',
        'given_by',
        'given_by_role',
        'given_on',
        'valid_until',
        'services',
        'services_note',
        'withdrawn_at',
      );
  const lifeAreasQuery = (logId: number) =>
    db('life_areas').where({ log_id: logId }).orderBy('position').select('area', 'going_well', 'wishes');

  // The page's parts run on every view of a log: their SQL is made once (src/db/knex.ts).
  type ByLog = { logId: number };
  const page = {
    detail: compiled<ByLog>(db, (p) => detailQuery(p('logId'))),
    guardians: compiled<ByLog>(db, (p) => guardianNamesQuery(p('logId'))),
    consent: compiled<ByLog>(db, (p) => currentConsentQuery(p('logId'))),
    lifeAreas: compiled<ByLog>(db, (p) => lifeAreasQuery(p('logId'))),
  };

  return {
    /**
     * The log page's versions (page-cache.ts): the log's and what every log shows from outside it, as a
     * part of a statement (the access check's, the page's own). Both are moved by triggers
     * (migrations/20261128010000_log_page_versions.ts).
     */
    pageVersionsPart(logId: number) {
      return row<PageVersions>(
        db.raw(
          `SELECT coalesce((SELECT v.version FROM log_page_versions v WHERE v.log_id = ?), 0) AS log,
                  coalesce((SELECT e.version FROM page_epoch e WHERE e.id = 1), 0) AS epoch`,
          [logId],
        ),
      );
    },

    /** Runs `parts` as one statement (src/db/one-statement.ts), with `insert`'s rows written in it. */
    statement<P extends Parts>(parts: P, options: { insert?: Insert } = {}): Promise<Results<P>> {
      return oneStatement(db, parts, options);
    },

    /** Ties the guardian to the child (once). */
    async addChildGuardian(trx: Knex.Transaction, childId: number, userId: number): Promise<void> {
      await trx('child_guardians')
        .insert({ child_id: childId, user_id: userId })
        .onConflict(['child_id', 'user_id'])
        .ignore();
    },

    /** Every guardian of the child. */
    async childGuardianIds(trx: Knex.Transaction, childId: number): Promise<number[]> {
      return trx('child_guardians').where({ child_id: childId }).pluck('user_id');
    },

    /** Inserts the log; answers its id. */
    async insertLog(trx: Knex.Transaction, log: Record<string, unknown>): Promise<number> {
      const [row] = await trx('logs').insert(log).returning('id');
      return row.id as number;
    },

    async insertLogGuardians(trx: Knex.Transaction, logId: number, userIds: number[]): Promise<void> {
      await trx('log_guardians').insert(userIds.map((id) => ({ log_id: logId, user_id: id })));
    },

    async insertConsent(trx: Knex.Transaction, consent: Record<string, unknown>): Promise<void> {
      await trx('consents').insert(consent);
    },

    /** Saves one life area (new, or over the stored texts). */
    async saveLifeArea(
      trx: Knex.Transaction,
      area: {
        log_id: number;
        area: string;
        going_well: string;
        wishes: string;
        position: number;
        updated_at: Date;
      },
    ): Promise<void> {
      await trx('life_areas')
        .insert(area)
        .onConflict(['log_id', 'area'])
        .merge(['going_well', 'wishes', 'updated_at']);
    },

    /** The log's own data on its page, as parts of the page's statement (features/logs/plan-section.ts). */
    pageParts(logId: number, withLifeAreas: boolean) {
      const values = { logId };
      return {
        detail: row<LogDetail>(page.detail(values)),
        guardians: rows<{ name: string }>(page.guardians(values)),
        consent: row<ConsentRow>(page.consent(values)),
        lifeAreas: withLifeAreas
          ? rows<{ area: string; going_well: string; wishes: string }>(page.lifeAreas(values))
          : none([] as { area: string; going_well: string; wishes: string }[]),
      };
    },

    /** The holder's logs, as a part of my logs' statement (src/db/one-statement.ts). */
    listForHolderPart(holderId: number, today: string) {
      return rows<LogListRow>(this.listForHolder(holderId, today) as unknown as Knex.QueryBuilder);
    },

    listForHolder(holderId: number, today: string): Promise<LogListRow[]> {
      return db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .where('l.holder_id', holderId)
        .select(
          'l.id',
          'c.first_name',
          'c.last_name',
          'c.birth_date',
          'l.plan_type',
          'l.level',
          'l.status',
          'l.closed_at',
          db.raw(
            `(SELECT min(m.deadline)::text FROM measures m WHERE m.log_id = l.id AND m.status <> 'evaluated') AS next_deadline`,
          ),
          db.raw(
            `(SELECT count(*)::int FROM measures m WHERE m.log_id = l.id AND m.status <> 'evaluated' AND m.deadline < ?) AS overdue`,
            [today],
          ),
          db.raw(
            `(SELECT max(k.valid_until)::text FROM consents k WHERE k.log_id = l.id AND k.withdrawn_at IS NULL) AS valid_until`,
          ),
          db.raw(
            `NOT EXISTS (SELECT 1 FROM consents k WHERE k.log_id = l.id AND k.withdrawn_at IS NULL) AS withdrawn`,
          ),
        )
        .orderBy([{ column: 'c.first_name' }, { column: 'l.id' }]);
    },

    findDetail(logId: number): Promise<LogDetail | undefined> {
      return detailQuery(logId);
    },

    guardianNames(logId: number): Promise<{ name: string }[]> {
      return guardianNamesQuery(logId);
    },

    /** The consent in force: the newest not withdrawn; else the newest at all. */
    currentConsent(logId: number): Promise<ConsentRow | undefined> {
      return currentConsentQuery(logId);
    },

    /**
     * The child with this identity number in the municipality, registered now if new, and locked until
     * the transaction ends: a simultaneous create for the same child waits here until this one is done.
     */
    async lockChild(
      trx: Knex.Transaction,
      child: {
        municipality_id: number;
        national_id: string;
        first_name: string;
        last_name: string;
        birth_date: string;
      },
    ): Promise<{ id: number }> {
      await trx('children').insert(child).onConflict(['municipality_id', 'national_id']).ignore();
      return trx('children')
        .where({ municipality_id: child.municipality_id, national_id: child.national_id })
        .forUpdate()
        .first('id');
    },
    /** The child's active log, if there is one. */
    activeLogOfChild(trx: Knex.Transaction, childId: number): Promise<{ id: number } | undefined> {
      return trx('logs').where({ child_id: childId, status: 'active' }).orderBy('id').first('id');
    },
    /** The log's guardians who have taken their account into use (the others get an invitation instead). */
    activeGuardianIds(logId: number): Promise<number[]> {
      return db('log_guardians as g')
        .join('users as u', 'u.id', 'g.user_id')
        .where('g.log_id', logId)
        .whereNotNull('u.activated_at')
        .pluck('g.user_id');
    },
    findChildElsewhere(municipalityId: number, nationalId: string) {
      return db('children')
        .where({ national_id: nationalId })
        .whereNot({ municipality_id: municipalityId })
        .first('id');
    },

    lifeAreas(logId: number): Promise<{ area: string; going_well: string; wishes: string }[]> {
      return lifeAreasQuery(logId);
    },
  };
}

export type LogsRepository = ReturnType<typeof logsRepository>;
