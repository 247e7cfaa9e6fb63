import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newFormToken } from '../../lib/form.js';
import { isoToParts, addDays, formatDate } from '../../lib/dates.js';
import { isFamily, NotFoundError } from '../../plugins/access/index.js';
import { ownLocals } from '../../plugins/views.js';
import { parseCreateLog, type CreateLogValues } from './form.js';
import { parseLifeAreas } from './life-areas-form.js';
import type { FieldError } from '../../lib/form.js';
import { planHintsFor } from '../../lib/plain-language.js';
import { identityNumbers } from '../../lib/national-id.js';
import { COUNTRY_SETTINGS } from '../../domain/country.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';
import { pageCache, pageKey, type PageVersions } from './page-cache.js';

export default async function logRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const service = app.services.logs;
  const guard = { preHandler: app.requireUser };
  const inLog = { ...guard, schema: { params: idParams('logId') } };

  // My logs: the session, then one statement with the logs and what other features registered
  // (registry.ts: the relay's lists).
  app.get('/logs', guard, async (request, reply) => {
    const user = request.user!;
    const today = service.today();
    const { also, ...lists } = await service.myLogs(user, app.logPage.myLogsParts(user, today));
    const mine = app.logPage.myLogsBuild(also, user, today);
    return reply.page('logs/list', {
      ...lists,
      canHold: service.holdingUnits(user).length > 0,
      // An actor's own measures are on "Mine tiltak": say so here rather than leave an empty page.
      isActor: user.memberships.some((m) => m.mayBeActor),
      fmt: (d: string) => formatDate(d, request.locale),
      ...mine.locals,
      slots: mine.slots,
    });
  });

  // ---- create a log ----
  const renderCreate = (
    request: FastifyRequest,
    reply: FastifyReply,
    values: CreateLogValues,
    errors: FieldError[],
    existingLogUrl = '',
  ) =>
    reply.page('logs/new', {
      values,
      errors,
      existingLogUrl,
      units: service.holdingUnits(request.user!),
      youthConsentAge: app.config.youthConsentAge,
    });

  app.get('/logs/new', guard, async (request, reply) => {
    if (service.holdingUnits(request.user!).length === 0) throw new NotFoundError();
    const today = service.today();
    const units = service.holdingUnits(request.user!);
    const values: CreateLogValues = {
      childNationalId: '',
      childFirstName: '',
      childLastName: '',
      guardians: [
        { name: '', email: '', nationalId: '' },
        { name: '', email: '', nationalId: '' },
      ],
      planType: COUNTRY_SETTINGS[app.config.country].defaultPlanType,
      level: '',
      unitId: units.length === 1 ? String(units[0]!.unitId) : '',
      consentBy: '',
      consentName: '',
      consentGivenOn: isoToParts(today),
      consentValidUntil: isoToParts(addDays(today, 365)),
      consentServices: [],
      consentServicesNote: '',
      consentConfirmed: false,
      startupNote: '',
      formToken: newFormToken(),
    };
    return renderCreate(request, reply, values, []);
  });

  app.post('/logs', guard, async (request, reply) => {
    const user = request.user!;
    const units = service.holdingUnits(user);
    if (units.length === 0) throw new NotFoundError();
    const { values, input, errors } = parseCreateLog(request.body, request.t, {
      today: service.today(),
      youthConsentAge: app.config.youthConsentAge,
      holdingUnitIds: units.map((u) => u.unitId),
      syntheticNationalIds: !app.config.isProduction,
      identity: identityNumbers(app.config.country),
    });
    if (!input) return renderCreate(request, reply.code(422), values, errors);
    const result = await service.createLog(request, values, input);
    if ('errors' in result) {
      // The child's log, linked only for someone who may open it; otherwise the message says no more.
      const existing = result.existingLogId;
      const link = existing && (await request.mayReadLog(existing)) ? `/logs/${existing}` : '';
      return renderCreate(request, reply.code(422), values, result.errors, link);
    }
    if ('redirect' in result) return reply.redirect(result.redirect, 303);
    return reply.redirect(
      input.planType === 'individuell_plan' ? `/logs/${result.logId}/life-areas` : `/logs/${result.logId}`,
      303,
    );
  });

  // ---- the log page ----
  // The plan and every section other features registered for the page (registry.ts) load in one
  // statement; with the session and the access check that is three round trips, the read's audit row
  // written in the third. A page kept in the cache (page-cache.ts) is served again while the versions
  // the access check reads with it are unchanged: the third round trip then writes only the audit row.
  const cache = pageCache(app.config.logPageCacheMb);
  if (cache.enabled) {
    const sweeping = setInterval(() => cache.sweep(app.now().getTime()), 60_000);
    sweeping.unref();
    app.addHook('onClose', async () => clearInterval(sweeping));
  }
  app.get('/logs/:logId', inLog, async (request, reply) => {
    const logId = request.params.logId;
    const a = await request.logAccess(logId, 'log.read', {
      deferRead: true,
      also: cache.enabled ? { versions: service.pageVersionsPart(logId) } : {},
    });
    // The family (guardians, the young person) read the same plan written for them: views/family/log.eta.
    const view = isFamily(a) ? 'family' : 'log';
    const today = service.today();
    // Meeting mode shows the page with locals of its own (reply.locals): never kept, never served kept.
    const seen = ownLocals(reply) ? undefined : (a.also as { versions?: PageVersions }).versions;
    if (seen) {
      const kept = cache.get(pageKey(request, view, a, seen, today), app.now().getTime());
      app.metrics.logPageCache.inc({ result: kept ? 'hit' : 'miss' });
      if (kept) {
        // The read's audit row, before the answer: the third round trip.
        await service.statement({}, { insert: app.takeAudit(request) });
        return reply.sendShared(kept);
      }
    }
    const page = await app.logPage.load(view, { request, access: a }, app.takeAudit(request), {
      shared: true,
    });
    const data = page.plan;
    const template = view === 'family' ? 'family/log' : 'logs/page';
    const locals = {
      ...data,
      ...page.locals,
      slots: page.slots,
      access: a,
      log: { id: a.log.id, status: a.log.status, childFirstName: data.detail.first_name, level: a.log.level },
      formatDate: (iso: string) => formatDate(iso, request.locale),
      planHints: planHintsFor(request.locale),
    };
    // Rendered with marks for this request's values (always: the glimmer form's token is one), and kept
    // unless the day turned between the two statements.
    const shared = reply.sharedPage(template, locals);
    if (seen && data.today === today)
      cache.set(
        pageKey(request, view, a, page.versions, today),
        shared,
        page.nextChange,
        app.now().getTime(),
      );
    return reply.sendShared(shared);
  });

  // ---- life areas (individual plan) ----
  app.get('/logs/:logId/life-areas', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.write');
    const saved = await service.lifeAreas(a.log.id);
    const values = Object.fromEntries(
      service.LIFE_AREAS.flatMap((area) => {
        const row = saved.find((s) => s.area === area);
        return [
          [`${area}-goingWell`, row?.going_well ?? ''],
          [`${area}-wishes`, row?.wishes ?? ''],
        ];
      }),
    );
    return reply.page('logs/life-areas', { logId: a.log.id, areas: service.LIFE_AREAS, values, errors: [] });
  });

  app.post('/logs/:logId/life-areas', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.write');
    const { values, errors, input } = parseLifeAreas(request.body, request.t);
    if (!input)
      return reply
        .code(422)
        .page('logs/life-areas', { logId: a.log.id, areas: service.LIFE_AREAS, values, errors });
    await service.saveLifeAreas(request, a.log.id, input);
    return reply.redirect(`/logs/${a.log.id}#life-areas`, 303);
  });
}
