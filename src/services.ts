/**
 * Every feature service, built once with its dependencies (the data layer, the clock, the configuration,
 * the audit trail, the job queue, PDFs, templates, translations) and the services it uses. app.ts
 * decorates the app with the result before the features register, so routes, hooks and jobs take their
 * services from `app.services` and nobody builds one on the spot. Tests build the same wiring with
 * buildServices(serviceDeps(app)) or use `app.services` of a test app.
 */
import type { FastifyInstance } from 'fastify';
import {
  accountRepository,
  accountService,
  authRepository,
  authService,
  invitationService,
  tokenRepository,
} from './features/auth/index.js';
import { languagesRepository, languagesService } from './features/languages/index.js';
import { notificationsRepository, notificationsService } from './features/notifications/index.js';
import { logsRepository, logsService, planRepository, planSection } from './features/logs/index.js';
import {
  concernRepository,
  concernService,
  evaluationService,
  goalRepository,
  goalService,
  measureRepository,
  measureService,
} from './features/plan/index.js';
import { notesRepository, notesService } from './features/notes/index.js';
import { glimmersRepository, glimmersService } from './features/glimmers/index.js';
import { printsRepository, printsService } from './features/prints/index.js';
import { meetingsRepository, meetingsService } from './features/meetings/index.js';
import { guardiansRepository, guardiansService } from './features/guardians/index.js';
import { consentPapersRepository, consentPapersService } from './features/consent-papers/index.js';
import {
  activityRepository,
  draftsRepository,
  peopleRepository,
  staffService,
} from './features/access/index.js';
import { homeRepository } from './features/home/index.js';
import { dbHandles } from './db/handles.js';
import { statisticsRepository, statisticsService } from './features/statistics/index.js';
import {
  consentService,
  exchangeRepository,
  exchangeService,
  lifecycleService,
  relayRepository,
  transferService,
} from './features/relay/index.js';
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
  const handles = dbHandles(deps.db);
  const transaction = handles.transaction;
  const languages = languagesService(languagesRepository(deps.db), deps.config.defaultLocale);
  const auth = authService(
    authRepository(deps.db),
    transaction,
    { maxFailures: deps.config.loginMaxFailures, longestWaitMinutes: deps.config.loginWindowMinutes },
    () => deps.now(),
  );
  const authRepositories = { accounts: accountRepository(deps.db), tokens: tokenRepository(deps.db) };
  const accounts = accountService({ ...deps, repositories: authRepositories });
  const invitations = invitationService({ ...deps, repositories: authRepositories, transaction, languages });
  const notifications = notificationsService({
    ...deps,
    repository: notificationsRepository(deps.db),
    languages,
  });
  const logs = logsService({
    ...deps,
    repository: logsRepository(deps.db),
    transaction: handles.transaction,
    previousResult: handles.previousResult,
    planSection: planSection(deps.db),
    accounts,
    invitations,
    notify: notifications.notify,
  });
  const concerns = concernService({ ...deps, repository: concernRepository(deps.db), once: handles.once });
  const goals = goalService({
    ...deps,
    repository: goalRepository(deps.db),
    plan: planRepository(deps.db),
    once: handles.once,
    transaction: handles.transaction,
  });
  const measures = measureService({
    ...deps,
    repository: measureRepository(deps.db),
    once: handles.once,
    previousResult: handles.previousResult,
    transaction: handles.transaction,
    notify: notifications.notify,
  });
  const evaluations = evaluationService({
    ...deps,
    measures,
    once: handles.once,
    notify: notifications.notify,
  });
  const notes = notesService({
    ...deps,
    repository: notesRepository(deps.db),
    once: handles.once,
    transaction: handles.transaction,
  });
  const glimmers = glimmersService({
    ...deps,
    repository: glimmersRepository(deps.db),
    once: handles.once,
    notes,
  });
  const prints = printsService({
    ...deps,
    repository: printsRepository(deps.db),
    statement: logs.statement,
    plan: planSection(deps.db),
    meetings: meetingsRepository(deps.db),
  });
  const meetings = meetingsService({
    ...deps,
    repository: meetingsRepository(deps.db),
    once: handles.once,
    transaction: handles.transaction,
    languages,
    prints,
  });
  const guardians = guardiansService({
    ...deps,
    repository: guardiansRepository(deps.db),
    transaction,
    accounts,
    invitations,
  });
  const consentPapers = consentPapersService({
    ...deps,
    repository: consentPapersRepository(deps.db),
    forms: handles,
  });
  const access = {
    activity: activityRepository(deps.db),
    people: peopleRepository(deps.db),
    drafts: draftsRepository(deps.db),
  };
  const staff = staffService({ ...deps, people: access.people, transaction, accounts, invitations });
  const home = homeRepository(deps.db);
  const statistics = statisticsService({
    repository: statisticsRepository(deps.db),
    now: () => deps.now(),
    audit: (request, entry) => deps.audit(request, entry),
  });
  const relayRepo = relayRepository(deps.db);
  const relay = {
    repository: relayRepo,
    previousResult: handles.previousResult,
    transfers: transferService({
      ...deps,
      ...handles,
      repository: relayRepo,
      prints,
      notify: notifications.notify,
    }),
    consents: consentService({ ...deps, ...handles, repository: relayRepo, notify: notifications.notify }),
    lifecycle: lifecycleService({ ...deps, ...handles, repository: relayRepo, prints }),
    exchange: exchangeService({
      ...deps,
      ...handles,
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
    access,
    staff,
    home,
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
