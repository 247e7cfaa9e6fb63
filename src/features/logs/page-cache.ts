/**
 * The log page, kept as rendered and served again while nothing it shows has changed. A page is kept
 * under everything it was made from:
 *
 *   - the log's version and the version of what every log shows from outside it (people's names, units,
 *     concern categories, the municipality), both moved by triggers in the database on every write to a
 *     table the page reads (migrations/20261128010000_log_page_versions.ts), whichever code makes it;
 *   - the person (their account and memberships as the session loaded them) and the access decision
 *     (role, relationship, the log's row), so one person's page is never anyone else's;
 *   - the address with its query string, the language, the view and the day in Oslo;
 *   - a time of day a section said its content changes at (a planned meeting that ends), after which it
 *     is not served.
 *
 * The versions are read in the access check's statement, so a hit costs the session's statement, the
 * access check's and the read's audit row. A page is stored under the versions its own statement read,
 * in the same snapshot as its data, so a write that lands between the two statements leaves the newer
 * page under the newer version. The CSRF token and the session's end are filled in per request
 * (reply.sharedPage, reply.sendShared), and so is each form's token (PageContext.formToken). A page
 * shown with locals of its own (meeting mode's reply.locals) is never kept. Each instance keeps its own
 * pages, least recently used first out, up to LOG_PAGE_CACHE_MB; instances need not agree, as the
 * versions are in the database. No page is kept longer than MAX_AGE_MS: a log erased by the retention
 * rules, which no one can open any more, leaves this process's memory within minutes too (sweep(), every
 * minute).
 */
import type { FastifyRequest } from 'fastify';
import type { LogAccess } from '../../plugins/access/index.js';
import type { SharedPage } from '../../types.js';

/** The two versions a page is kept under. */
export interface PageVersions {
  log: number;
  epoch: number;
}

/** The key of a page: everything it was made from but its data, which the versions stand for. */
export function pageKey(
  request: FastifyRequest,
  view: string,
  access: LogAccess,
  versions: PageVersions,
  today: string,
): string {
  const user = request.user!;
  return JSON.stringify([
    view,
    request.url,
    request.locale,
    today,
    versions.log,
    versions.epoch,
    // The person as the page shows them (the session's own fields change on every request).
    [user.id, user.name, user.email, user.kind, user.isMunicipalAdmin, user.municipalityId],
    [user.municipalityName, user.locale, user.memberships],
    [access.role, access.unitId, access.rel, access.log],
  ]);
}

/** The longest a page is kept, however often it is read. */
export const MAX_AGE_MS = 10 * 60_000;

interface Entry {
  page: SharedPage;
  /** Epoch ms after which it is not served (a section's time of change), or Infinity. */
  until: number;
}

export interface PageCache {
  /** Whether pages are kept at all (LOG_PAGE_CACHE_MB > 0). */
  readonly enabled: boolean;
  get(key: string, now: number): SharedPage | undefined;
  /** Keeps `page` until `until` (epoch ms), and no longer than MAX_AGE_MS from `now`. */
  set(key: string, page: SharedPage, until: number, now: number): void;
  /** Drops the pages whose time has passed. */
  sweep(now: number): void;
  /** Pages kept and their size in bytes. */
  readonly size: { pages: number; bytes: number };
}

/** A least-recently-used cache bounded by the pages' size (2 bytes per UTF-16 code unit). */
export function pageCache(maxMb: number): PageCache {
  const max = maxMb * 1024 * 1024;
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const sizeOf = (entry: Entry) => entry.page.length * 2;
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= sizeOf(entry);
  };
  return {
    enabled: max > 0,
    get(key, now) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.until <= now) {
        drop(key);
        return undefined;
      }
      // Most recently used last: Map keeps insertion order.
      entries.delete(key);
      entries.set(key, entry);
      return entry.page;
    },
    set(key, page, until, now) {
      const entry = { page, until: Math.min(until, now + MAX_AGE_MS) };
      if (max <= 0 || sizeOf(entry) > max) return;
      drop(key);
      entries.set(key, entry);
      bytes += sizeOf(entry);
      for (const oldest of entries.keys()) {
        if (bytes <= max) break;
        drop(oldest);
      }
    },
    sweep(now) {
      for (const [key, entry] of entries) if (entry.until <= now) drop(key);
    },
    get size() {
      return { pages: entries.size, bytes };
    },
  };
}
