/**
 * Prometheus metrics with prom-client, on a port of their own (METRICS_PORT, on METRICS_HOST, default
 * 127.0.0.1), never on the application's port; with METRICS_TOKEN set, only for
 * `Authorization: Bearer <token>` (required when METRICS_HOST is not a loopback address). Off when
 * METRICS_PORT is not set. Every label is a pattern or a fixed word: never a URL with ids, never a person.
 *
 *   stafett_http_requests_total / stafett_http_request_duration_seconds {method, route, status_code}
 *       route is the route's pattern (/logs/:logId), "static" for /public, "unmatched" for a 404
 *   stafett_db_pool_connections {state: used | free | pending_acquires | pending_creates}
 *   stafett_jobs {queue, state}        pg-boss's jobs by queue and state (failed = failures kept)
 *   stafett_print_pages {state: busy | idle}, stafett_print_queued, stafett_print_duration_seconds {outcome}
 *   stafett_emails_total {outcome: sent | skipped | failed}   (app.metrics.emails, by the notifications worker)
 *   stafett_log_page_cache_total {result: hit | miss}   log pages served from the cache or rendered
 *       (app.metrics.logPageCache, by features/logs/routes.ts; nothing when LOG_PAGE_CACHE_MB=0)
 *   stafett_sessions_active            sessions seen within the idle limit, across the cluster
 *   and prom-client's process metrics (CPU, memory, event loop lag).
 * Database figures are read when scraped, each with a time limit, so a slow database cannot stall a scrape
 * (their SQL in repository.ts, the pool's figures from src/db/plugins.ts).
 */
import http from 'node:http';
import { timingSafeEqual, createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { JOBS_SCHEMA } from '../jobs.js';
import { poolFigures } from '../../db/plugins.js';
import { metricsRepository } from './repository.js';
import { within } from '../../lib/within.js';

export interface Metrics {
  registry: Registry;
  emails: Counter<'outcome'>;
  /** Log pages served from the log page cache (hit) or loaded and rendered (miss). */
  logPageCache: Counter<'result'>;
  /** The metrics listener's address once it listens (tests, tools); null when off. */
  address(): { host: string; port: number } | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

const SCRAPE_QUERY_MS = 1500;

const digest = (s: string) => createHash('sha256').update(s).digest();

export default fp(
  async (app) => {
    const registry = new Registry();
    const repository = metricsRepository(app.db);
    collectDefaultMetrics({ register: registry });
    const labelNames = ['method', 'route', 'status_code'] as const;
    const requests = new Counter({
      name: 'stafett_http_requests_total',
      help: 'HTTP requests answered, by route pattern',
      labelNames,
      registers: [registry],
    });
    const durations = new Histogram({
      name: 'stafett_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by route pattern',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    app.addHook('onResponse', async (request, reply) => {
      const pattern = request.routeOptions.url;
      const route = !pattern ? 'unmatched' : pattern.startsWith('/public/') ? 'static' : pattern;
      const labels = { method: request.method, route, status_code: String(reply.statusCode) };
      requests.inc(labels);
      durations.observe(labels, reply.elapsedTime / 1000);
    });

    new Gauge({
      name: 'stafett_db_pool_connections',
      help: "The application's database pool: connections in use, free, and requests waiting",
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const pool = poolFigures(app.db);
        if (!pool) return;
        this.set({ state: 'used' }, pool.used);
        this.set({ state: 'free' }, pool.free);
        this.set({ state: 'pending_acquires' }, pool.pendingAcquires);
        this.set({ state: 'pending_creates' }, pool.pendingCreates);
      },
    });

    new Gauge({
      name: 'stafett_jobs',
      help: "Background jobs in pg-boss's table by queue and state (created, retry, active, failed, …)",
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        try {
          const rows = await within(SCRAPE_QUERY_MS, repository.jobCounts(JOBS_SCHEMA));
          for (const r of rows) this.set({ queue: r.name, state: r.state }, r.n);
        } catch {
          // the database is away or pg-boss has not made its schema yet: no figures this time
        }
      },
    });

    new Gauge({
      name: 'stafett_print_pages',
      help: 'Pages of the print browser busy printing and idle',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const stats = app.pdf.stats();
        this.set({ state: 'busy' }, stats.pagesBusy);
        this.set({ state: 'idle' }, stats.pagesIdle);
      },
    });
    new Gauge({
      name: 'stafett_print_queued',
      help: 'Prints waiting for a free page',
      registers: [registry],
      collect() {
        this.set(app.pdf.stats().queued);
      },
    });
    const prints = new Histogram({
      name: 'stafett_print_duration_seconds',
      help: 'Time from asking for a PDF to having it (queueing included), by outcome',
      labelNames: ['outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    });
    app.pdf.onPrint((seconds, outcome) => prints.observe({ outcome }, seconds));

    const emails = new Counter({
      name: 'stafett_emails_total',
      help: 'Notification e-mails by outcome (failed: a try that failed and will be tried again)',
      labelNames: ['outcome'],
      registers: [registry],
    });

    const logPageCache = new Counter({
      name: 'stafett_log_page_cache_total',
      help: 'Log pages served from the cache (hit) or loaded and rendered (miss)',
      labelNames: ['result'],
      registers: [registry],
    });

    new Gauge({
      name: 'stafett_sessions_active',
      help: 'Sessions not ended and seen within the idle limit (all instances)',
      registers: [registry],
      async collect() {
        try {
          const since = new Date(app.now().getTime() - app.config.sessionIdleMinutes * 60_000);
          this.set(await within(SCRAPE_QUERY_MS, repository.activeSessions(since)));
        } catch {
          // no figure this time
        }
      },
    });

    const { metricsPort, metricsHost, metricsToken } = app.config;
    let server: http.Server | null = null;
    const allowed = (header: string | undefined) => {
      if (!metricsToken) return true;
      const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
      return timingSafeEqual(digest(given), digest(metricsToken));
    };
    if (metricsPort) {
      server = http.createServer((request, response) => {
        const path = (request.url ?? '').split('?')[0];
        if (request.method !== 'GET' || path !== '/metrics') {
          response.writeHead(404).end();
          return;
        }
        if (!allowed(request.headers.authorization)) {
          response.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
          return;
        }
        registry.metrics().then(
          (body) => response.writeHead(200, { 'content-type': registry.contentType }).end(body),
          () => response.writeHead(500).end(),
        );
      });
      app.addHook('onReady', async () => {
        await new Promise<void>((resolve, reject) => {
          server!.once('error', reject);
          server!.listen(metricsPort, metricsHost, () => resolve());
        });
      });
      app.addHook('onClose', async () => {
        await new Promise<void>((resolve) => server!.close(() => resolve()));
        server!.closeAllConnections();
      });
    }

    app.decorate('metrics', {
      registry,
      emails,
      logPageCache,
      address: () => {
        const address = server?.address();
        return address && typeof address === 'object' ? { host: address.address, port: address.port } : null;
      },
    });
  },
  { name: 'metrics', dependencies: ['config', 'pdf', 'jobs'] },
);
