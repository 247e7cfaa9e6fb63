/**
 * Read grants: the holder gives a staff member read access to the whole log or to chosen concerns,
 * with an end date and the consent it rests on, and can withdraw it. The grant ends by itself on its
 * end date (plugins/access/repository.ts only counts grants that have not ended). Withdrawing asks first.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addDays, formatDate, isoToParts, osloDate } from '../../lib/dates.js';
import { asBody, str, type FieldError } from '../../lib/form.js';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import { parseGrant, type GrantValues } from './forms.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default async function grantRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const activity = app.services.access.activity;
  const guard = { preHandler: app.requireUser };
  const inLog = { ...guard, schema: { params: idParams('logId') } };
  const aGrant = { ...guard, schema: { params: idParams('logId', 'grantId') } };
  const today = () => osloDate(app.now());

  const context = async (a: LogAccess) => {
    const [concerns, consents] = await Promise.all([
      activity.concernTitles(a.log.id),
      activity.usableConsents(a.log.id, app.now()),
    ]);
    return { concerns, consents };
  };

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    values: GrantValues,
    errors: FieldError[],
  ) => {
    const [{ concerns, consents }, grants, child] = await Promise.all([
      context(a),
      activity.grants(a.log.id),
      activity.childName(a.log.child_id),
    ]);
    const day = today();
    return reply.page('access/grants', {
      logId: a.log.id,
      child,
      concerns,
      consents,
      grants: grants.map((g) => ({
        ...g,
        state: g.withdrawn_at ? 'withdrawn' : g.ends_on < day ? 'ended' : 'active',
        concernTitles: g.all_concerns
          ? []
          : concerns.filter((c) => g.concern_ids.includes(c.id)).map((c) => c.title),
      })),
      values,
      errors,
      fmt: (d: string) => formatDate(d, request.locale),
    });
  };

  app.get('/logs/:logId/grants', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'grant.manage');
    const { consents } = await context(a);
    const until = consents[0]
      ? consents[0].valid_until < addDays(today(), 90)
        ? consents[0].valid_until
        : addDays(today(), 90)
      : '';
    const values: GrantValues = {
      email: '',
      scope: '',
      concernIds: [],
      endsOn: isoToParts(until),
      consentId: consents.length === 1 ? String(consents[0]!.id) : '',
    };
    return page(request, reply, a, values, []);
  });

  app.post('/logs/:logId/grants', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'grant.manage');
    const { concerns, consents } = await context(a);
    const {
      values,
      input: parsed,
      errors,
    } = parseGrant(request.body, request.t, {
      today: today(),
      concernIds: concerns.map((c) => c.id),
      consents,
    });
    if (!parsed) return page(request, reply.code(422), a, values, errors);
    const staff = await activity.staffByEmail(request.user!.municipalityId, parsed.email);
    if (!staff || staff.id === a.log.holder_id) {
      return page(request, reply.code(422), a, values, [
        { text: request.t(staff ? 'grant.err.self' : 'grant.err.unknown'), href: '#email' },
      ]);
    }
    const id = await activity.addGrant({
      log_id: a.log.id,
      user_id: staff.id,
      all_concerns: parsed.all,
      concern_ids: parsed.concernIds,
      ends_on: parsed.endsOn,
      consent_id: parsed.consentId,
      granted_by: request.user!.id,
      created_at: app.now(),
    });
    await app.audit(request, {
      action: 'grant.create',
      objectType: 'read_grant',
      objectId: id,
      logId: a.log.id,
      role: a.role,
      unitId: a.unitId,
    });
    return reply.redirect(`/logs/${a.log.id}/grants?saved=grant`, 303);
  });

  /** Withdrawing asks first: the question, and again (400) for a post that does not say yes. */
  const withdrawPage = async (reply: FastifyReply, a: LogAccess, grantId: number | null) => {
    const grant = grantId ? (await activity.grants(a.log.id)).find((g) => g.id === grantId) : undefined;
    if (!grant) throw new NotFoundError();
    if (grant.withdrawn_at || grant.ends_on < today()) return reply.redirect(`/logs/${a.log.id}/grants`, 303);
    const child = await activity.childName(a.log.child_id);
    return reply.page('access/grant-withdraw', { logId: a.log.id, grant, child });
  };

  app.get('/logs/:logId/grants/:grantId/withdraw', aGrant, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'grant.manage');
    return withdrawPage(reply, a, request.params.grantId);
  });

  app.post('/logs/:logId/grants/:grantId/withdraw', aGrant, async (request, reply) => {
    const { logId, grantId } = request.params;
    const a = await request.logAccess(logId, 'grant.manage');
    if (str(asBody(request.body), 'confirm') !== 'yes') return withdrawPage(reply.code(400), a, grantId);
    const withdrawn = grantId
      ? await activity.withdrawGrant(a.log.id, grantId, request.user!.id, app.now())
      : false;
    if (!withdrawn) {
      if (!grantId || !(await activity.grantExists(a.log.id, grantId))) throw new NotFoundError();
    } else {
      await app.audit(request, {
        action: 'grant.withdraw',
        objectType: 'read_grant',
        objectId: grantId,
        logId: a.log.id,
        role: a.role,
        unitId: a.unitId,
      });
    }
    return reply.redirect(`/logs/${a.log.id}/grants?saved=withdrawn`, 303);
  });
}
