/**
 * Every feature service, built once with its dependencies (the data layer, the clock, the configuration,
 * the audit trail, the job queue, PDFs, templates, translations) and the services it uses. app.ts
 * decorates the app with the result before the features register, so routes, hooks and jobs take their
 * services from `app.services` and nobody builds one on the spot. Tests build the same wiring with
 * buildServices(serviceDeps(app)) or use `app.services` of a test app.
 */
import type { FastifyInstance } from 'fastify';
import { accountService, authService, invitationService } from './features/auth/index.js';
import { languagesService } from './features/languages/index.js';
import { notificationsRepository, notificationsService, notify } from './features/notifications/index.js';
import { logsService, planSection } from './features/logs/index.js';
import { concernService, evaluationService, goalService, measureService } from './features/plan/index.js';
import { notesService } from './features/notes/index.js';
import { glimmersService } from './features/glimmers/index.js';
import { printsRepository, printsService } from './features/prints/index.js';
import { meetingsRepository, meetingsService } from './features/meetings/index.js';
import { guardiansService } from './features/guardians/index.js';
import { consentPapersService } from './features/consent-papers/index.js';
import { staffService } from './features/access/index.js';
import { statisticsRepository, statisticsService } from './features/statistics/index.js';
import {
  consentService,
  exchangeRepository,
  exchangeService,
  lifecycleService,
  relayRepository,
  transferService,
} from './features/relay/index.js';
import { relayData } from './db/relay.js';
import { retentionDeps, retentionRepository, retentionService } from './features/retention/index.js';

/** What services use of the app: its decorations, never the app itself. */
export type ServiceDeps = Pick<
  FastifyInstance,
  | 'db'
  | 'ownerDb'
  | 'config'
  | 'now'
  | 'audit'
  | 'deferAudit'
  | 'takeAudit'
  | 'jobs'
  | 'log'
  | 'pdf'
  | 'view'
  | 'translator'
>;

/** Picks the decorations services use (registered by the plugins before the features). */
export function serviceDeps(app: FastifyInstance): ServiceDeps {
  return {
    db: app.db,
    ownerDb: app.ownerDb,
    config: app.config,
    now: app.now,
    audit: app.audit,
    deferAudit: app.deferAudit,
    takeAudit: app.takeAudit,
    jobs: app.jobs,
    log: app.log,
    pdf: app.pdf,
    // @fastify/view renders with the instance as `this`.
    view: app.view.bind(app) as FastifyInstance['view'],
    translator: app.translator,
  };
}

/** Builds every service once, each after the services it uses (the order is the dependency order). */
export function buildServices(deps: ServiceDeps) {
  const languages = languagesService(deps.db, deps.config.defaultLocale);
  const auth = authService(
    deps.db,
    { maxFailures: deps.config.loginMaxFailures, longestWaitMinutes: deps.config.loginWindowMinutes },
    () => deps.now(),
  );
  const accounts = accountService(deps);
  const invitations = invitationService({ ...deps, languages });
  const notifications = notificationsService({
    ...deps,
    repository: notificationsRepository(deps.db),
    languages,
  });
  const logs = logsService({ ...deps, accounts, invitations, notify: (notice) => notify(deps, notice) });
  const concerns = concernService(deps);
  const goals = goalService(deps);
  const measures = measureService(deps);
  const evaluations = evaluationService({ ...deps, measures });
  const notes = notesService(deps);
  const glimmers = glimmersService(deps);
  const prints = printsService({
    ...deps,
    repository: printsRepository(deps.db),
    plan: planSection(deps.db),
    meetings: meetingsRepository(deps.db),
  });
  const meetings = meetingsService({ ...deps, languages, prints });
  const guardians = guardiansService({ ...deps, accounts, invitations });
  const consentPapers = consentPapersService(deps);
  const staff = staffService({ ...deps, accounts, invitations });
  const statistics = statisticsService({
    repository: statisticsRepository(deps.db),
    now: () => deps.now(),
    audit: (request, entry) => deps.audit(request, entry),
  });
  const relayDb = relayData(deps.db);
  const relayRepo = relayRepository(deps.db);
  const relay = {
    repository: relayRepo,
    previousResult: relayDb.previousResult,
    transfers: transferService({ ...deps, ...relayDb, repository: relayRepo, prints }),
    consents: consentService({ ...deps, ...relayDb, repository: relayRepo }),
    lifecycle: lifecycleService({ ...deps, ...relayDb, repository: relayRepo, prints }),
    exchange: exchangeService({
      ...deps,
      ...relayDb,
      repository: exchangeRepository(deps.db),
      prints,
      logs,
    }),
  };
  const retention = retentionService(
    retentionDeps({ ...deps, repository: retentionRepository(deps.db) }, relay.lifecycle),
  );
  return {
    languages,
    auth,
    accounts,
    invitations,
    notifications,
    logs,
    concerns,
    goals,
    measures,
    evaluations,
    notes,
    glimmers,
    prints,
    meetings,
    guardians,
    consentPapers,
    staff,
    statistics,
    relay,
    retention,
  };
}

export type Services = ReturnType<typeof buildServices>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Every feature service, built once (src/services.ts). */
    services: Services;
  }
}
