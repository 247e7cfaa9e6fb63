/**
 * Sessions: an encrypted cookie (@fastify/secure-session) carries only a session id; the sessions
 * table decides whether it is still alive. Idle and absolute limits are enforced here on the server.
 * When a session runs out, the cookie keeps the CSRF secret and who it was (for a day), so a form
 * posted afterwards is still checked and can be kept for that person (see plugins/saved-forms). When the
 * database is down the session cannot be checked: the request is answered 503 after its body is read,
 * so the 503 page can hand back what was typed.
 * Its SQL is in repository.ts.
 */
import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import secureSession from '@fastify/secure-session';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../../types.js';
import { SAVED_FORM_HOURS } from '../saved-forms/index.js';
import { isDatabaseDown } from '../errors.js';
import { PROBE_PATHS } from '../health/index.js';
import { sessionRepository, type SessionRepository } from './repository.js';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** The person whose session ran out in this browser, and when (ms): a form posted later is theirs. */
    expiredUser: number;
    expiredAt: number;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** With sessionExpired: whose session it was. */
    expiredUserId: number | null;
    /** The session could not be looked up because the database is down: answered 503 once the body is read. */
    sessionUnavailable: Error | null;
  }
}

/** Answers to a signed-in person carry the seconds left until the idle limit, for the timeout warning. */
export const SESSION_REMAINING_HEADER = 'X-Session-Remaining';

export const SESSION_COOKIE = 'stafett_session';
/** last_seen_at is written at most this often, so reading pages does not mean a write per request. */
const TOUCH_INTERVAL_MS = 15_000;
/** Answered without looking the session up: health probes and the favicon. */
const WITHOUT_SESSION = new Set<string>([...PROBE_PATHS, '/favicon.ico']);

const repositories = new WeakMap<FastifyInstance, SessionRepository>();
function repositoryOf(app: FastifyInstance): SessionRepository {
  let repository = repositories.get(app);
  if (!repository) {
    repository = sessionRepository(app.db);
    repositories.set(app, repository);
  }
  return repository;
}

/** A fresh session at sign-in: the old cookie content is dropped and a new id is issued. */
export async function startSession(
  app: FastifyInstance,
  request: FastifyRequest,
  userId: number,
): Promise<void> {
  const now = app.now();
  const id = randomUUID();
  await repositoryOf(app).start(id, userId, now);
  request.session.regenerate();
  request.session.set('sid', id);
}

export async function endSession(
  app: FastifyInstance,
  request: FastifyRequest,
  reason: string,
): Promise<void> {
  const sid = request.session.get('sid');
  if (sid) {
    await repositoryOf(app).end(sid, app.now(), reason);
  }
  request.session.regenerate();
  request.user = null;
}

/** "Fortsett": the person is here; the idle limit starts again (never past the absolute limit). */
export async function extendSession(app: FastifyInstance, user: CurrentUser): Promise<Date> {
  const now = app.now();
  const createdAt = await repositoryOf(app).touch(user.sessionId, now);
  const idleEnd = now.getTime() + app.config.sessionIdleMinutes * 60_000;
  const absoluteEnd = createdAt.getTime() + app.config.sessionAbsoluteHours * 3_600_000;
  user.sessionEndsAt = new Date(Math.min(idleEnd, absoluteEnd));
  return user.sessionEndsAt;
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

    const keepMs = SAVED_FORM_HOURS * 3_600_000;
    const repository = repositoryOf(app);
    app.decorateRequest('expiredUserId', null);

    /** The session ran out: keep the CSRF secret and whose it was, so a form posted now is checked and kept. */
    const expired = (request: FastifyRequest, userId: number, at: number) => {
      request.session.regenerate(['_csrf']);
      request.session.set('expiredUser', userId);
      request.session.set('expiredAt', at);
      request.sessionExpired = true;
      request.expiredUserId = userId;
    };

    app.decorateRequest('sessionUnavailable', null);

    // Database down: the request goes on to have its body read (form fields, multipart fields too),
    // then gets the 503 page with what was typed, before any route or CSRF check runs.
    app.addHook('onRequest', async (request) => {
      if (request.url.startsWith('/public/') || WITHOUT_SESSION.has(request.url)) return;
      try {
        await lookUp(request);
      } catch (error) {
        if (!isDatabaseDown(error)) throw error;
        request.sessionUnavailable = error as Error;
      }
    });
    app.addHook('preHandler', async (request) => {
      if (request.sessionUnavailable) throw request.sessionUnavailable;
    });

    const lookUp = async (request: FastifyRequest) => {
      const now = app.now();
      const sid = request.session.get('sid');
      if (!sid || !/^[0-9a-f-]{36}$/.test(sid)) {
        // Another tab already found the session ended: this browser still belongs to that person for a while.
        const userId = request.session.get('expiredUser');
        const at = request.session.get('expiredAt');
        if (
          typeof userId === 'number' &&
          typeof at === 'number' &&
          now.getTime() - at < keepMs &&
          at <= now.getTime()
        ) {
          request.sessionExpired = true;
          request.expiredUserId = userId;
        }
        return;
      }
      // One statement: the session, the person, their municipality and memberships, and (a data-modifying
      // WITH, done in the same statement) last_seen_at moved on when it is due: at most every
      // TOUCH_INTERVAL_MS, and only for a session still alive, as decided below from the same row.
      const row = await repository.lookUp(sid, now, {
        touchBefore: new Date(now.getTime() - TOUCH_INTERVAL_MS),
        seenSince: new Date(now.getTime() - idleMs),
        startedSince: new Date(now.getTime() - absoluteMs),
      });
      if (!row || row.disabled_at) {
        request.session.regenerate(['_csrf']);
        return;
      }
      if (row.ended_at) {
        const timedOut = row.ended_reason === 'idle' || row.ended_reason === 'absolute';
        if (timedOut && now.getTime() - row.ended_at.getTime() < keepMs)
          expired(request, row.user_id, row.ended_at.getTime());
        else request.session.regenerate(['_csrf']);
        return;
      }
      const idle = now.getTime() - row.last_seen_at.getTime();
      const age = now.getTime() - row.created_at.getTime();
      if (idle > idleMs || age > absoluteMs) {
        await repository.expire(sid, now, idle > idleMs ? 'idle' : 'absolute');
        expired(request, row.user_id, now.getTime());
        return;
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
        memberships: row.memberships,
        locale: row.locale,
        sessionId: row.id,
        sessionEndsAt: new Date(endsAt),
      };
    };

    app.addHook('onSend', async (request, reply, payload) => {
      if (request.user) {
        const seconds = Math.max(
          0,
          Math.floor((request.user.sessionEndsAt.getTime() - app.now().getTime()) / 1000),
        );
        reply.header(SESSION_REMAINING_HEADER, String(seconds));
      }
      return payload;
    });
  },
  { name: 'session', dependencies: ['config'] },
);
