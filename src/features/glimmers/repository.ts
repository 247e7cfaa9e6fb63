/** SQL for glimmers. Visibility is decided by the service (through access.can); queries take the result. */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';
import { rows } from '../../db/one-statement.js';

export interface GlimmerRow {
  id: number;
  log_id: number;
  concern_id: number | null;
  concern_title: string | null;
  author_id: number;
  author_name: string;
  author_role: string;
  text: string;
  version: number;
  created_at: Date;
  edited_at: Date | null;
}

export interface FeedRow extends GlimmerRow {
  child_first_name: string;
}

/** Which glimmers of one log a person sees: all, or those without a concern plus those in `concernIds`. */
export interface LogVisibility {
  logId: number;
  concernIds: number[] | 'all';
}

const COLUMNS = [
  'g.id',
  'g.log_id',
  'g.concern_id',
  'c.title as concern_title',
  'g.author_id',
  'u.name as author_name',
  'g.author_role',
  'g.text',
  'g.version',
  'g.created_at',
  'g.edited_at',
];

function visible(query: Knex.QueryBuilder, v: LogVisibility): Knex.QueryBuilder {
  return query.where((q) => {
    q.where('g.log_id', v.logId);
    if (v.concernIds !== 'all') {
      const ids = v.concernIds;
      q.andWhere((inner) => {
        inner.whereNull('g.concern_id');
        if (ids.length) inner.orWhereIn('g.concern_id', ids);
      });
    }
  });
}

export function glimmersRepository(db: Db) {
  const base = () =>
    db('glimmers as g')
      .join('users as u', 'u.id', 'g.author_id')
      .leftJoin('concerns as c', 'c.id', 'g.concern_id');

  return {
    /**
     * The glimmer section of the log page, as parts of the page's statement (logs/sections.ts): the
     * concerns this person sees (all the log's when `concernIds` is undefined), and the newest `limit`
     * glimmers of the log without a concern or in one of those, each with the total.
     */
    logPageParts(logId: number, concernIds: number[] | undefined, limit: number) {
      const concerns = db('concerns').where('log_id', logId);
      if (concernIds) concerns.whereIn('id', concernIds);
      return {
        concerns: rows<{ id: number; title: string; status: string }>(
          concerns
            .clone()
            .orderBy([{ column: 'position' }, { column: 'id' }])
            .select('id', 'title', 'status'),
        ),
        glimmers: rows<GlimmerRow & { total: number }>(
          base()
            .where('g.log_id', logId)
            .where((q) =>
              q.whereNull('g.concern_id').orWhereIn('g.concern_id', concerns.clone().select('id')),
            )
            .orderBy([
              { column: 'g.created_at', order: 'desc' },
              { column: 'g.id', order: 'desc' },
            ])
            .limit(limit)
            .select([...COLUMNS, db.raw('count(*) OVER () AS total')]),
        ),
      };
    },

    /** The newest `limit` glimmers, each row also carrying how many there are in all (`total`). */
    listForLog(v: LogVisibility, limit: number): Promise<(GlimmerRow & { total: number })[]> {
      return visible(base(), v)
        .orderBy([
          { column: 'g.created_at', order: 'desc' },
          { column: 'g.id', order: 'desc' },
        ])
        .limit(limit)
        .select([...COLUMNS, db.raw('count(*) OVER () AS total')]);
    },

    /** Newest first across several logs, each with its own visibility. */
    listForFeed(visibilities: LogVisibility[], limit: number): Promise<FeedRow[]> {
      if (visibilities.length === 0) return Promise.resolve([]);
      return base()
        .join('logs as l', 'l.id', 'g.log_id')
        .join('children as ch', 'ch.id', 'l.child_id')
        .where((q) => {
          for (const v of visibilities) q.orWhere((inner) => visible(inner, v));
        })
        .orderBy([
          { column: 'g.created_at', order: 'desc' },
          { column: 'g.id', order: 'desc' },
        ])
        .limit(limit)
        .select([...COLUMNS, 'ch.first_name as child_first_name']);
    },

    find(logId: number, id: number): Promise<GlimmerRow | undefined> {
      return base().where({ 'g.log_id': logId, 'g.id': id }).first(COLUMNS);
    },

    async insert(
      trx: Knex.Transaction,
      row: {
        log_id: number;
        concern_id: number | null;
        author_id: number;
        author_role: string;
        text: string;
        created_at: Date;
      },
    ): Promise<number> {
      const [inserted] = await trx('glimmers').insert(row).returning('id');
      return inserted.id as number;
    },

    /** Only the author's own glimmer changes; returns false when it is not theirs (or gone). */
    async update(
      id: number,
      authorId: number,
      values: { text: string; concern_id: number | null },
      now: Date,
    ): Promise<boolean> {
      const rows = await db('glimmers')
        .where({ id, author_id: authorId })
        .update({ ...values, edited_at: now, version: db.raw('version + 1') })
        .returning('id');
      return rows.length === 1;
    },

    async childFirstName(logId: number): Promise<string | undefined> {
      const row = await db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .where('l.id', logId)
        .first('c.first_name');
      return row?.first_name;
    },

    /** Logs the person takes part in as holder, guardian, the youth, actor or with a read grant. */
    async logIdsOf(userId: number, today: string): Promise<number[]> {
      const rows = await db
        .select('log_id')
        .from(
          db('logs')
            .where('holder_id', userId)
            .select('id as log_id')
            .union(db('log_guardians').where('user_id', userId).select('log_id'))
            .union(
              db('logs as l')
                .join('child_guardians as cg', 'cg.child_id', 'l.child_id')
                .where('cg.user_id', userId)
                .select('l.id as log_id'),
            )
            .union(
              db('logs as l')
                .join('children as c', 'c.id', 'l.child_id')
                .where('c.user_id', userId)
                .select('l.id as log_id'),
            )
            .union(
              db('measures').where({ responsible: 'actor', responsible_user_id: userId }).select('log_id'),
            )
            .union(
              db('read_grants')
                .where('user_id', userId)
                .whereNull('withdrawn_at')
                .where('ends_on', '>=', today)
                .select('log_id'),
            )
            .as('p'),
        )
        .orderBy('log_id');
      return rows.map((r) => r.log_id as number);
    },
  };
}

export type GlimmersRepository = ReturnType<typeof glimmersRepository>;
