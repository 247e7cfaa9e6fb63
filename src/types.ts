import type { Translate, Locale } from './i18n/index.js';
import type { Config } from './config.js';
import type { Db } from './db/knex.js';

export interface Membership {
  unitId: number;
  unitName: string;
  unitKind: string;
  title: string;
  isLeader: boolean;
  isSuperuser: boolean;
  mayHold: boolean;
  mayBeActor: boolean;
}

export interface CurrentUser {
  id: number;
  name: string;
  email: string;
  kind: 'staff' | 'guardian' | 'youth';
  isMunicipalAdmin: boolean;
  municipalityId: number;
  municipalityName: string;
  memberships: Membership[];
  sessionId: string;
  /** The language the person chose and stored with the account, if any: it wins over the browser's. */
  locale?: string | null;
  /** When the idle timeout ends the session, unless the person does something. */
  sessionEndsAt: Date;
}

export type Clock = () => Date;

/** A page rendered once for reuse (src/plugins/views.ts): its text around the marks, and which value goes in each gap. */
export interface SharedPage {
  segments: string[];
  slots: number[];
  /** The page's length in UTF-16 code units, for a cache's bound. */
  length: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    /**
     * The owner role's pool (DATABASE_OWNER_URL, or the embedded database's owner), for the one job that
     * must not run as the application role: removing old audit rows. Null when the app was built without.
     */
    ownerDb: Db | null;
    now: Clock;
  }
  interface FastifyRequest {
    user: CurrentUser | null;
    /** Set when the request came with a session that had just run out. */
    sessionExpired: boolean;
    locale: Locale;
    t: Translate;
  }
  interface FastifyReply {
    /** Renders a page template (which declares its layout) with the common locals. */
    page(template: string, data?: Record<string, unknown>): Promise<string>;
    /** Renders a fragment template (no layout) with the common locals. */
    fragment(template: string, data?: Record<string, unknown>): Promise<string>;
    /**
     * Renders a page for reuse by the same person at the same address (the log page's cache): the
     * CSRF token, the session's end and form tokens are left as marks, which sendShared fills for each
     * request.
     */
    sharedPage(template: string, data?: Record<string, unknown>): SharedPage;
    /** A shared rendering with this request's CSRF token, session end and new form tokens put in. */
    sendShared(page: SharedPage): string;
  }
}

declare module '@fastify/secure-session' {
  interface SessionData {
    sid: string;
    /** Where to go after signing in again. */
    next: string;
    _csrf: string;
  }
}
