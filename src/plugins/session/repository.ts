/**
 * The sessions table: starting, ending, extending a session and the per-request lookup (one
 * prepared statement with the person, their municipality and memberships). The rules are in index.ts.
 */
import type { Db } from '../../db/knex.js';
import { prepared } from '../../db/knex.js';
import type { CurrentUser, Membership } from '../../types.js';

export interface SessionRow {
  id: string;
  user_id: number;
  created_at: Date;
  last_seen_at: Date;
  ended_at: Date | null;
  ended_reason: string | null;
  name: string;
  email: string;
  kind: CurrentUser['kind'];
  is_municipal_admin: boolean;
  municipality_id: number;
  municipality_name: string;
  locale: string | null;
  disabled_at: Date | null;
  memberships: Membership[];
}

/** Which sessions the lookup moves last_seen_at on for: due (older than `touchBefore`) and still alive. */
export interface TouchLimits {
  /** last_seen_at is moved on when it is older than this. */
  touchBefore: Date;
  /** Seen since then (the idle limit). */
  seenSince: Date;
  /** Started since then (the absolute limit). */
  startedSince: Date;
}

export function sessionRepository(db: Db) {
  /** The person's memberships, in the shape of CurrentUser.memberships, as one JSON column (ordered by unit name). */
  const membershipsJson = (userIdColumn: string) =>
    db.raw(
      `(SELECT coalesce(json_agg(json_build_object(
        'unitId', m.unit_id, 'unitName', un.name, 'unitKind', un.kind, 'title', m.title,
        'isLeader', m.is_leader, 'isSuperuser', m.is_superuser, 'mayHold', m.may_hold,
        'mayBeActor', m.may_be_actor) ORDER BY un.name), '[]'::json)
      FROM unit_memberships m JOIN units un ON un.id = m.unit_id WHERE m.user_id = ??) AS memberships`,
      [userIdColumn],
    );

  return {
    async start(id: string, userId: number, now: Date): Promise<void> {
      await db('sessions').insert({ id, user_id: userId, created_at: now, last_seen_at: now });
    },

    /** Ends the session if it has not ended yet. */
    async end(id: string, now: Date, reason: string): Promise<void> {
      await db('sessions')
        .where({ id })
        .whereNull('ended_at')
        .update({ ended_at: now, ended_reason: reason });
    },

    /** Marks the session ended (idle or absolute limit reached). */
    async expire(id: string, now: Date, reason: string): Promise<void> {
      await db('sessions').where({ id }).update({ ended_at: now, ended_reason: reason });
    },

    /** Moves last_seen_at on; returns when the session started. */
    async touch(id: string, now: Date): Promise<Date> {
      const [row] = await db('sessions').where({ id }).update({ last_seen_at: now }).returning('created_at');
      return new Date(row.created_at);
    },

    /**
     * One statement: the session, the person, their municipality and memberships, and (a data-modifying
     * WITH, done in the same statement) last_seen_at moved on when it is due and the session still alive.
     */
    lookUp(sid: string, now: Date, limits: TouchLimits): Promise<SessionRow | undefined> {
      const touch = db('sessions as t')
        .where('t.id', sid)
        .whereNull('t.ended_at')
        .where('t.last_seen_at', '<', limits.touchBefore)
        .where('t.last_seen_at', '>=', limits.seenSince)
        .where('t.created_at', '>=', limits.startedSince)
        .whereExists((q) => q.from('users as tu').whereRaw('tu.id = t.user_id').whereNull('tu.disabled_at'))
        .update({ last_seen_at: now });
      // Prepared (db/knex.ts): the same text on every request, planned once per connection.
      return prepared(
        db
          .with('touched', touch)
          .from('sessions as s')
          .join('users as u', 'u.id', 's.user_id')
          .join('municipalities as mu', 'mu.id', 'u.municipality_id')
          .where('s.id', sid),
      ).first(
        's.id',
        's.user_id',
        's.created_at',
        's.last_seen_at',
        's.ended_at',
        's.ended_reason',
        'u.name',
        'u.email',
        'u.kind',
        'u.is_municipal_admin',
        'u.municipality_id',
        'mu.name as municipality_name',
        'u.locale',
        'u.disabled_at',
        membershipsJson('s.user_id'),
      );
    },
  };
}

export type SessionRepository = ReturnType<typeof sessionRepository>;
