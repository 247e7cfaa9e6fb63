/**
 * buildApp: the table of contents. Cross-cutting plugins first, in the order a request meets them,
 * then the services (built once, src/services.ts), then the features.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { Config } from './config.js';
import type { Db } from './db/knex.js';
import type { Clock } from './types.js';
import { loggerOptions } from './logger.js';
import { buildServices, serviceDeps } from './services.js';
import core from './plugins/core.js';
import security from './plugins/security.js';
import compression from './plugins/compression.js';
import assets from './plugins/assets.js';
import session from './plugins/session/index.js';
import i18n from './plugins/i18n.js';
import csrf from './plugins/csrf.js';
import views from './plugins/views.js';
import errors from './plugins/errors.js';
import audit from './plugins/audit/index.js';
import auth from './plugins/auth.js';
import access from './plugins/access/index.js';
import pdf from './plugins/pdf.js';
import jobs from './plugins/jobs.js';
import health from './plugins/health/index.js';
import metrics from './plugins/metrics/index.js';
import queryCount from './plugins/query-count/index.js';
import authRoutes from './features/auth/index.js';
import homeRoutes from './features/home/index.js';
import planRoutes from './features/plan/index.js';
import logRoutes from './features/logs/index.js';
import accessRoutes, { drafts } from './features/access/index.js';
import meetings from './features/meetings/index.js';
import prints from './features/prints/index.js';
import help from './features/help/index.js';
import training from './features/training/index.js';
import glimmerRoutes from './features/glimmers/index.js';
import noteRoutes from './features/notes/index.js';
import notificationRoutes from './features/notifications/index.js';
import relayRoutes from './features/relay/index.js';
import guardianRoutes from './features/guardians/index.js';
import retention from './features/retention/index.js';
import statistics from './features/statistics/index.js';
import consentPapers from './features/consent-papers/index.js';

export interface BuildOptions {
  config: Config;
  db: Db;
  /** The owner role's pool, for removing old audit rows (retention); without it they are kept. */
  ownerDb?: Db | null;
  now?: Clock;
  /** Fastify's logger: off in tests unless LOG_LEVEL says otherwise. */
  logger?: boolean;
  /** Where the log goes (default: stdout). */
  logStream?: NodeJS.WritableStream;
  /** Tests and the benchmark: count each request's SQL statements (plugins/query-count). */
  countQueries?: boolean;
  /** A practice installation's nightly reset of the demo data, as the database owner (TRAINING=true). */
  resetDemo?: () => Promise<void>;
}

export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    logger:
      options.logger === false || config.logLevel === 'silent'
        ? false
        : loggerOptions(config.logLevel, options.logStream),
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  await app.register(core, {
    config,
    db: options.db,
    ownerDb: options.ownerDb ?? null,
    now: options.now ?? (() => new Date()),
  });
  if (options.countQueries) await app.register(queryCount);
  await app.register(security);
  await app.register(compression);
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(assets);
  await app.register(session);
  await app.register(i18n);
  await app.register(csrf);
  await app.register(views);
  await app.register(errors);
  await app.register(audit);
  await app.register(auth);
  await app.register(access);
  await app.register(drafts);
  await app.register(pdf);
  await app.register(jobs);
  await app.register(health);
  await app.register(metrics);
  // Every feature service, built once from the plugins' decorations; features take theirs from here.
  app.decorate('services', buildServices(serviceDeps(app)));

  await app.register(authRoutes);
  await app.register(homeRoutes);
  await app.register(planRoutes);
  // The log pages; features registered after it add their sections (features/logs/registry.ts).
  await app.register(logRoutes);
  await app.register(accessRoutes);
  await app.register(glimmerRoutes);
  await app.register(noteRoutes);
  await app.register(notificationRoutes);
  await app.register(relayRoutes);
  await app.register(guardianRoutes);
  await app.register(meetings);
  await app.register(prints);
  await app.register(retention);
  await app.register(statistics);
  await app.register(consentPapers);
  await app.register(help);
  if (config.training) await app.register(training, { reset: options.resetDemo });
  return app;
}
