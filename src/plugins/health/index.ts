/**
 * Health for load balancers and orchestrators; unauthenticated, cheap, no personal data, skipped by the
 * session lookup (plugins/session):
 *  - GET /livez: the process answers (no database, nothing else): 200 {"status":"live"}.
 *  - GET /readyz: this instance can serve: the database answers and has the code's newest migration,
 *    the job workers run (app.jobs.start() has run), the print browser is up or can start (its
 *    executable exists and the last launch did not fail; a probe never launches Chromium). 200
 *    {"status":"ready"}, else 503 {"status":"not-ready","reasons":[…]} with short codes:
 *    database-unavailable, database-behind, jobs-stopped, print-browser-missing, print-browser-failed,
 *    stopping (a shutdown has begun).
 *  - GET /healthz: as before (database reachable: 200 {"status":"ok"}, else 503); kept for existing
 *    probes. New probes use /livez and /readyz.
 */
import fp from 'fastify-plugin';
import { findChromium } from '../../lib/chromium.js';
import { healthRepository, newestMigration } from './repository.js';
import { within } from '../../lib/within.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Called when a shutdown begins: /readyz then answers 503 "stopping". */
    markStopping(): void;
  }
}

export type NotReady =
  | 'database-unavailable'
  | 'database-behind'
  | 'jobs-stopped'
  | 'print-browser-missing'
  | 'print-browser-failed'
  | 'stopping';

/** Paths the session lookup skips. */
export const PROBE_PATHS = ['/livez', '/readyz', '/healthz'] as const;

const DATABASE_LIMIT_MS = 2000;
/** How long the answer "is there a browser executable" is kept. */
const BROWSER_CHECK_MS = 60_000;

export default fp(
  async (app) => {
    const newest = await newestMigration();
    const repository = healthRepository(app.db);
    let stopping = false;
    app.decorate('markStopping', () => {
      stopping = true;
    });

    let browserChecked: { at: number; found: boolean } | null = null;
    const browserExists = async () => {
      const now = Date.now();
      if (!browserChecked || now - browserChecked.at > BROWSER_CHECK_MS)
        browserChecked = { at: now, found: Boolean(await findChromium(app.config.chromiumPath)) };
      return browserChecked.found;
    };

    const database = async (): Promise<NotReady | null> => {
      try {
        const ran = await within(DATABASE_LIMIT_MS, repository.hasMigration(newest));
        return ran ? null : 'database-behind';
      } catch {
        return 'database-unavailable';
      }
    };

    const printBrowser = async (): Promise<NotReady | null> => {
      const stats = app.pdf.stats();
      if (stats.browserPid !== null) return null;
      if (stats.lastLaunchFailed) return 'print-browser-failed';
      return (await browserExists()) ? null : 'print-browser-missing';
    };

    const probe = { logLevel: 'warn' as const };
    app.get('/livez', probe, async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { status: 'live' };
    });

    app.get('/readyz', probe, async (_request, reply) => {
      const found = await Promise.all([
        stopping ? ('stopping' as const) : null,
        database(),
        app.jobs.running ? null : ('jobs-stopped' as const),
        printBrowser(),
      ]);
      const reasons = found.filter((reason): reason is NotReady => reason !== null);
      reply.header('cache-control', 'no-store');
      if (reasons.length === 0) return { status: 'ready' };
      reply.code(503);
      return { status: 'not-ready', reasons };
    });

    app.get('/healthz', probe, async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      try {
        await within(DATABASE_LIMIT_MS, repository.ping());
        return { status: 'ok' };
      } catch {
        reply.code(503);
        return { status: 'database unavailable' };
      }
    });
  },
  { name: 'health', dependencies: ['config', 'pdf', 'jobs'] },
);
