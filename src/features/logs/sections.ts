/**
 * The log page's sections, loaded in ONE statement. Each feature that adds something to the log page
 * (the plan, glimmers, log notes, meetings, the relay, the family's page) describes its section once,
 * next to its own code: the SQL parts it needs (src/db/one-statement.ts; the queries themselves live in
 * that feature's repository) and how it turns their answer into the template's locals, and registers it
 * with the log page registry (registry.ts). loadSections puts every section's parts into one statement,
 * together with the request's audit rows, and hands each section its own answer:
 *
 *   const a = await request.logAccess(logId, 'log.read', { deferRead: true });
 *   const { plan, glimmers } = await loadSections(app, { request, access: a }, { plan: planSection,
 *     glimmers: glimmerSection }, app.takeAudit(request));
 *
 * The same sections serve the print view and meeting mode, which show the plan too.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Parts, Results } from '../../db/one-statement.js';
import type { AuditInsert } from '../../plugins/audit/index.js';
import type { LogAccess } from '../../plugins/access/index.js';
import { osloDate } from '../../lib/dates.js';
import { newFormToken } from '../../lib/form.js';
import { formTokenMark } from '../../plugins/views.js';

/** Runs parts as one statement with the audit rows written in it (the logs repository's `statement`). */
export type RunStatement = <P extends Parts>(
  parts: P,
  options?: { insert?: AuditInsert },
) => Promise<Results<P>>;

/** What every section knows before anything is loaded. */
export interface PageContext {
  request: FastifyRequest;
  access: LogAccess;
  /** Today in Oslo ('YYYY-MM-DD'), once for the whole page. */
  today: string;
  now: Date;
  /** The concerns this person sees (an actor's, a partial read grant's), or undefined for all. */
  concernIds: number[] | undefined;
  /** The meeting the page is made for (a print of a meeting's agreements), if any. */
  meetingId?: number | null;
  /**
   * A section whose content changes at a time of day (a planned meeting leaves "upcoming" when it
   * ends) says when: the log page's cache (page-cache.ts) serves the page no later than that. Content
   * that changes with the day alone needs nothing: the day is part of the cache's key.
   */
  changesAt(at: Date): void;
  /** The earliest time a section gave to changesAt (epoch ms), or Infinity. */
  readonly nextChange: number;
  /**
   * A new token for a form on the page (its post is saved once per token). On a page rendered for the
   * log page's cache it is a mark that each answer fills with a token of its own (reply.sendShared).
   */
  formToken(): string;
}

export interface Section<T, P extends Parts = Parts> {
  /** The statement's parts this section needs, named as it likes (names are kept apart per section). */
  parts(ctx: PageContext): P;
  /** The section's locals, from its own parts' answers. */
  build(data: Results<P>, ctx: PageContext): T;
}

/** Declares a section (only for the types: parts and build agree). */
export function section<P extends Parts, T>(definition: Section<T, P>): Section<T, P> {
  return definition;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySection = Section<unknown, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Built<S> = S extends Section<infer T, any> ? T : never;

/** The concerns a person sees, from the access decision: undefined when they see every concern. */
export function visibleConcernIds(access: LogAccess): number[] | undefined {
  return access.can('log.readAll')
    ? undefined
    : [
        ...access.rel.actorConcernIds,
        ...(Array.isArray(access.rel.grantConcernIds) ? access.rel.grantConcernIds : []),
      ];
}

export function pageContext(
  app: Pick<FastifyInstance, 'now'>,
  request: FastifyRequest,
  access: LogAccess,
  options: { shared?: boolean } = {},
): PageContext {
  const now = app.now();
  let nextChange = Infinity;
  return {
    formToken: options.shared ? formTokenMark : newFormToken,
    request,
    access,
    now,
    today: osloDate(now),
    concernIds: visibleConcernIds(access),
    changesAt(at: Date) {
      if (at.getTime() < nextChange) nextChange = at.getTime();
    },
    get nextChange() {
      return nextChange;
    },
  };
}

/**
 * Loads every section in one statement (with `audit`'s rows written in it) and builds each one.
 * `context` may be a ready PageContext or just the request and access.
 */
export async function loadSections<S extends Record<string, AnySection>>(
  app: { now(): Date; statement: RunStatement },
  context: PageContext | { request: FastifyRequest; access: LogAccess },
  sections: S,
  audit?: AuditInsert,
): Promise<{ [K in keyof S]: Built<S[K]> }> {
  const ctx = 'today' in context ? context : pageContext(app, context.request, context.access);
  const all: Parts = {};
  for (const [name, s] of Object.entries(sections)) {
    for (const [part, value] of Object.entries(s.parts(ctx) as Parts)) all[`${name}__${part}`] = value;
  }
  const answer = (await app.statement(all, { insert: audit })) as Record<string, unknown>;
  const built: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(sections)) {
    const own: Record<string, unknown> = {};
    const prefix = `${name}__`;
    for (const key of Object.keys(all))
      if (key.startsWith(prefix)) own[key.slice(prefix.length)] = answer[key];
    built[name] = s.build(own as never, ctx);
  }
  return built as { [K in keyof S]: Built<S[K]> };
}
