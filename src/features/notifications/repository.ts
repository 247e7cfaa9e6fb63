/** SQL for notifications: preferences, recipients, who takes part in which logs, once-only keys. */
import type { Db } from '../../db/knex.js';
import type { NotificationKind } from './kinds.js';

export function notificationsRepository(db: Db) {
  return {
    async disabledKinds(userId: number): Promise<NotificationKind[]> {
      return db('notification_preferences').where({ user_id: userId, enabled: false }).pluck('kind');
    },

    async savePreferences(
      userId: number,
      enabled: Record<NotificationKind, boolean>,
      now: Date,
    ): Promise<void> {
      const rows = Object.entries(enabled).map(([kind, on]) => ({
        user_id: userId,
        kind,
        enabled: on,
        updated_at: now,
      }));
      await db('notification_preferences')
        .insert(rows)
        .onConflict(['user_id', 'kind'])
        .merge(['enabled', 'updated_at']);
    },

    /** The address to write to, if the person has an active account, an address, and wants this kind. */
    recipient(userId: number, kind: NotificationKind): Promise<{ email: string } | undefined> {
      return db('users as u')
        .where('u.id', userId)
        .whereNull('u.disabled_at')
        .whereNotNull('u.email')
        .whereNotExists(
          db('notification_preferences as p')
            .where('p.user_id', db.ref('u.id'))
            .where({ 'p.kind': kind, 'p.enabled': false })
            .select(db.raw('1')),
        )
        .first('u.email');
    },

    guardianIds(logId: number): Promise<number[]> {
      return db('log_guardians').where({ log_id: logId }).pluck('user_id');
    },

    /** Open measures whose deadline falls from `from` to `to`, with who answers for each. */
    measuresDueBetween(from: string, to: string) {
      return db('measures as m')
        .join('logs as l', 'l.id', 'm.log_id')
        .join('children as c', 'c.id', 'l.child_id')
        .where('l.status', 'active')
        .whereNot('m.status', 'evaluated')
        .whereBetween('m.deadline', [from, to])
        .select(
          'm.id',
          'm.log_id',
          'm.deadline',
          'm.responsible',
          'm.responsible_user_id',
          'c.user_id as child_user_id',
        );
    },

    /** Everyone who takes part in an active log: holder, guardians, the youth, actors with an open measure. */
    async participantsOfActiveLogs(): Promise<number[]> {
      const rows = await db
        .select('user_id')
        .from(
          db('logs')
            .where('status', 'active')
            .select('holder_id as user_id')
            .union(
              db('log_guardians as g')
                .join('logs as l', 'l.id', 'g.log_id')
                .where('l.status', 'active')
                .select('g.user_id'),
            )
            .union(
              db('logs as l')
                .join('children as c', 'c.id', 'l.child_id')
                .where('l.status', 'active')
                .whereNotNull('c.user_id')
                .select('c.user_id'),
            )
            .union(
              db('measures as m')
                .join('logs as l', 'l.id', 'm.log_id')
                .where('l.status', 'active')
                .where('m.responsible', 'actor')
                .whereNot('m.status', 'evaluated')
                .select('m.responsible_user_id as user_id'),
            )
            .as('p'),
        )
        .whereIn('user_id', db('users').whereNull('disabled_at').select('id'));
      return rows.map((r) => r.user_id as number);
    },

    /** True the first time a key is claimed: a scheduled notice goes out once. */
    async claim(key: string): Promise<boolean> {
      const rows = await db('notification_keys').insert({ key }).onConflict('key').ignore().returning('key');
      return rows.length === 1;
    },

    async release(key: string): Promise<void> {
      await db('notification_keys').where({ key }).delete();
    },
  };
}

export type NotificationsRepository = ReturnType<typeof notificationsRepository>;

/** Whether a person wants e-mail of this kind (every kind is on until the person turns it off). */
export async function wantsEmail(db: Db, userId: number, kind: NotificationKind): Promise<boolean> {
  return !(await notificationsRepository(db).disabledKinds(userId)).includes(kind);
}
