/** SQL for what people other than the holder add to a log: comments, the family's view, read grants; and the audit list. */
import type { Db } from '../../db/knex.js';
import { rows } from '../../db/one-statement.js';
import { osloDate } from '../../lib/dates.js';

export interface CommentRow {
  id: number;
  text: string;
  created_at: Date;
  author_id: number;
  author_name: string;
}

export interface FamilyViewRow {
  id: number;
  measure_id: number;
  user_id: number;
  user_name: string;
  effect: 'worked' | 'partly' | 'did_not_work';
  view: string;
  updated_at: Date;
}

export interface GrantRow {
  id: number;
  user_id: number;
  user_name: string;
  user_email: string;
  all_concerns: boolean;
  concern_ids: number[];
  ends_on: string;
  consent_id: number | null;
  consent_given_by: string | null;
  consent_given_on: string | null;
  granted_by_name: string;
  created_at: Date;
  withdrawn_at: Date | null;
}

export interface AuditListRow {
  id: number;
  at: Date;
  user_id: number | null;
  user_name: string | null;
  role: string;
  unit_name: string | null;
  action: string;
}

export function activityRepository(db: Db) {
  const familyViewsQuery = (logId: number) =>
    db('family_views as f')
      .join('users as u', 'u.id', 'f.user_id')
      .where('f.log_id', logId)
      .orderBy([{ column: 'f.measure_id' }, { column: 'f.updated_at' }])
      .select(
        'f.id',
        'f.measure_id',
        'f.user_id',
        'u.name as user_name',
        'f.effect',
        'f.view',
        'f.updated_at',
      );

  return {
    comments(measureId: number): Promise<CommentRow[]> {
      return db('measure_comments as c')
        .join('users as u', 'u.id', 'c.author_id')
        .where('c.measure_id', measureId)
        .orderBy([{ column: 'c.created_at' }, { column: 'c.id' }])
        .select('c.id', 'c.text', 'c.created_at', 'c.author_id', 'u.name as author_name');
    },
    /** What a measure belongs to, for its follow-up page. */
    measureContext(measureId: number): Promise<
      | {
          concern_title: string;
          goal_text: string;
          first_name: string;
          last_name: string;
          responsible_name: string | null;
        }
      | undefined
    > {
      return db('measures as m')
        .join('concerns as k', 'k.id', 'm.concern_id')
        .join('goals as g', 'g.id', 'm.goal_id')
        .join('logs as l', 'l.id', 'm.log_id')
        .join('children as c', 'c.id', 'l.child_id')
        .leftJoin('users as u', 'u.id', 'm.responsible_user_id')
        .where('m.id', measureId)
        .first(
          'k.title as concern_title',
          'g.text as goal_text',
          'c.first_name',
          'c.last_name',
          'u.name as responsible_name',
        );
    },
    async addComment(row: {
      measure_id: number;
      log_id: number;
      author_id: number;
      text: string;
      created_at: Date;
    }): Promise<number> {
      const [inserted] = await db('measure_comments').insert(row).returning('id');
      return inserted.id as number;
    },
    async setProgress(measureId: number, status: 'planned' | 'ongoing', now: Date): Promise<boolean> {
      const rows = await db('measures')
        .where({ id: measureId })
        .whereNot({ status: 'evaluated' })
        .update({ status, updated_at: now, version: db.raw('version + 1') })
        .returning('id');
      return rows.length === 1;
    },

    familyViews(logId: number): Promise<FamilyViewRow[]> {
      return familyViewsQuery(logId);
    },
    /** The family's views on the log's measures, as a part of the log page's statement (logs/sections.ts). */
    familyViewsPart(logId: number) {
      return rows<FamilyViewRow>(familyViewsQuery(logId));
    },
    familyViewsForMeasure(measureId: number): Promise<FamilyViewRow[]> {
      return db('family_views as f')
        .join('users as u', 'u.id', 'f.user_id')
        .where('f.measure_id', measureId)
        .orderBy('f.updated_at')
        .select(
          'f.id',
          'f.measure_id',
          'f.user_id',
          'u.name as user_name',
          'f.effect',
          'f.view',
          'f.updated_at',
        );
    },
    async saveFamilyView(row: {
      measure_id: number;
      log_id: number;
      user_id: number;
      effect: string;
      view: string;
      now: Date;
    }): Promise<number> {
      const [saved] = await db('family_views')
        .insert({
          measure_id: row.measure_id,
          log_id: row.log_id,
          user_id: row.user_id,
          effect: row.effect,
          view: row.view,
          created_at: row.now,
          updated_at: row.now,
        })
        .onConflict(['measure_id', 'user_id'])
        .merge(['effect', 'view', 'updated_at'])
        .returning('id');
      return saved.id as number;
    },

    grants(logId: number): Promise<GrantRow[]> {
      return db('read_grants as g')
        .join('users as u', 'u.id', 'g.user_id')
        .join('users as b', 'b.id', 'g.granted_by')
        .leftJoin('consents as k', 'k.id', 'g.consent_id')
        .where('g.log_id', logId)
        .orderBy([
          { column: 'g.created_at', order: 'desc' },
          { column: 'g.id', order: 'desc' },
        ])
        .select(
          'g.id',
          'g.user_id',
          'u.name as user_name',
          'u.email as user_email',
          'g.all_concerns',
          'g.concern_ids',
          'g.ends_on',
          'g.consent_id',
          'k.given_by as consent_given_by',
          'k.given_on as consent_given_on',
          'b.name as granted_by_name',
          'g.created_at',
          'g.withdrawn_at',
        );
    },
    /** Consents a grant can rest on: not withdrawn, still valid. */
    usableConsents(
      logId: number,
      now: Date,
    ): Promise<{ id: number; given_by: string; given_on: string; valid_until: string }[]> {
      return db('consents')
        .where({ log_id: logId })
        .whereNull('withdrawn_at')
        .where('valid_until', '>=', osloDate(now))
        .orderBy('valid_until', 'desc')
        .select('id', 'given_by', 'given_on', 'valid_until');
    },
    concernTitles(logId: number): Promise<{ id: number; title: string }[]> {
      return db('concerns')
        .where({ log_id: logId })
        .orderBy([{ column: 'position' }, { column: 'id' }])
        .select('id', 'title');
    },
    staffByEmail(municipalityId: number, email: string): Promise<{ id: number } | undefined> {
      return db('users')
        .where({ municipality_id: municipalityId, kind: 'staff', is_municipal_admin: false })
        .whereNull('disabled_at')
        .whereRaw('lower(email) = lower(?)', [email])
        .first('id');
    },
    async addGrant(row: Record<string, unknown>): Promise<number> {
      const [inserted] = await db('read_grants').insert(row).returning('id');
      return inserted.id as number;
    },
    async grantExists(logId: number, grantId: number): Promise<boolean> {
      return Boolean(await db('read_grants').where({ id: grantId, log_id: logId }).first('id'));
    },
    childName(childId: number): Promise<{ first_name: string; last_name: string } | undefined> {
      return db('children').where({ id: childId }).first('first_name', 'last_name');
    },
    async withdrawGrant(logId: number, grantId: number, userId: number, now: Date): Promise<boolean> {
      const rows = await db('read_grants')
        .where({ id: grantId, log_id: logId })
        .whereNull('withdrawn_at')
        .update({ withdrawn_at: now, withdrawn_by: userId })
        .returning('id');
      return rows.length === 1;
    },

    async auditPage(
      logId: number,
      page: number,
      size: number,
    ): Promise<{ rows: AuditListRow[]; total: number }> {
      const base = db('audit_events as e').where({ 'e.log_id': logId, 'e.outcome': 'ok' });
      const [rows, count] = await Promise.all([
        base
          .clone()
          .leftJoin('users as u', 'u.id', 'e.user_id')
          .leftJoin('units as n', 'n.id', 'e.unit_id')
          .orderBy([
            { column: 'e.at', order: 'desc' },
            { column: 'e.id', order: 'desc' },
          ])
          .limit(size)
          .offset((page - 1) * size)
          .select(
            'e.id',
            'e.at',
            'e.user_id',
            'u.name as user_name',
            'e.role',
            'n.name as unit_name',
            'e.action',
          ),
        base.clone().count<{ count: number }[]>('* as count').first(),
      ]);
      return { rows, total: Number(count?.count ?? 0) };
    },
  };
}

export type ActivityRepository = ReturnType<typeof activityRepository>;
