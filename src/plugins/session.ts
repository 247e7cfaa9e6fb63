/**
 * Sessions: an encrypted cookie (@fastify/secure-session) carries only a session id; the sessions
 * table decides whether it is still alive. Idle and absolute limits are enforced here on the server.
 */
import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import secureSession from '@fastify/secure-session';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CurrentUser, Membership } from '../types.js';

export const SESSION_COOKIE = 'stafett_session';
/** last_seen_at is written at most this often, so reading pages does not mean a write per request. */
const TOUCH_INTERVAL_MS = 15_000;

interface SessionRow {
  id: string;
  user_id: number;
  created_at: Date;
  last_seen_at: Date;
  ended_at: Date | null;
  name: string;
  email: string;
  kind: CurrentUser['kind'];
  is_municipal_admin: boolean;
  municipality_id: number;
  municipality_name: string;
  disabled_at: Date | null;
}

export async function loadMemberships(app: FastifyInstance, userId: number): Promise<Membership[]> {
  const rows = await app.db('unit_memberships as m')
    .join('units as u', 'u.id', 'm.unit_id')
    .where('m.user_id', userId)
    .orderBy('u.name')
    .select('m.unit_id', 'u.name', 'u.kind', 'm.title', 'm.is_leader', 'm.is_superuser', 'm.may_hold', 'm.may_be_actor');
  return rows.map((r) => ({
    unitId: r.unit_id,
    unitName: r.name,
    unitKind: r.kind,
    title: r.title,
    isLeader: r.is_leader,
    isSuperuser: r.is_superuser,
    mayHold: r.may_hold,
    mayBeActor: r.may_be_actor,
  }));
}

/** A fresh session at sign-in: the old cookie content is dropped and a new id is issued. */
export async function startSession(app: FastifyInstance, request: FastifyRequest, userId: number): Promise<void> {
  const now = app.now();
  const id = randomUUID();
  await app.db('sessions').insert({ id, user_id: userId, created_at: now, last_seen_at: now });
  request.session.regenerate();
  request.session.set('sid', id);
}

export async function endSession(app: FastifyInstance, request: FastifyRequest, reason: string): Promise<void> {
  const sid = request.session.get('sid');
  if (sid) {
    await app.db('sessions').where({ id: sid }).whereNull('ended_at').update({ ended_at: app.now(), ended_reason: reason });
  }
  request.session.regenerate();
  request.user = null;
}

export default fp(
  async (app) => {
    await app.register(secureSession, {
      key: app.config.sessionKey,
      cookieName: SESSION_COOKIE,
      cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies },
    });

    const idleMs = app.config.sessionIdleMinutes * 60_000;
    const absoluteMs = app.config.sessionAbsoluteHours * 3_600_000;

    app.addHook('onRequest', async (request) => {
      if (request.url.startsWith('/public/') || request.url === '/healthz') return;
      const sid = request.session.get('sid');
      if (!sid || !/^[0-9a-f-]{36}$/.test(sid)) return;
      const row: SessionRow | undefined = await app.db('sessions as s')
        .join('users as u', 'u.id', 's.user_id')
        .join('municipalities as mu', 'mu.id', 'u.municipality_id')
        .where('s.id', sid)
        .first(
          's.id', 's.user_id', 's.created_at', 's.last_seen_at', 's.ended_at', 'u.name', 'u.email', 'u.kind',
          'u.is_municipal_admin', 'u.municipality_id', 'mu.name as municipality_name', 'u.disabled_at',
        );
      const now = app.now();
      if (!row || row.ended_at || row.disabled_at) {
        request.session.regenerate(['_csrf']);
        return;
      }
      const idle = now.getTime() - row.last_seen_at.getTime();
      const age = now.getTime() - row.created_at.getTime();
      if (idle > idleMs || age > absoluteMs) {
        await app.db('sessions').where({ id: sid }).update({ ended_at: now, ended_reason: idle > idleMs ? 'idle' : 'absolute' });
        // Keep the CSRF secret: the form that arrived with the expired session is still checked and kept.
        request.session.regenerate(['_csrf']);
        request.sessionExpired = true;
        return;
      }
      if (idle > TOUCH_INTERVAL_MS) {
        await app.db('sessions').where({ id: sid }).update({ last_seen_at: now });
      }
      const lastSeen = idle > TOUCH_INTERVAL_MS ? now : row.last_seen_at;
      const endsAt = Math.min(lastSeen.getTime() + idleMs, row.created_at.getTime() + absoluteMs);
      request.user = {
        id: row.user_id,
        name: row.name,
        email: row.email,
        kind: row.kind,
        isMunicipalAdmin: row.is_municipal_admin,
        municipalityId: row.municipality_id,
        municipalityName: row.municipality_name,
        memberships: await loadMemberships(app, row.user_id),
        sessionId: row.id,
        sessionEndsAt: new Date(endsAt),
      };
    });
  },
  { name: 'session', dependencies: ['config'] },
);
