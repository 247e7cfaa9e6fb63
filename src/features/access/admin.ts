/**
 * The municipal administrator: the municipality's units and their leaders — list, add a unit, appoint
 * and remove leaders (removing asks first). No access to children's logs (plugins/access/service.ts refuses administrators). Anyone
 * else, and any unit of another municipality, gets 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { asBody, str, type FieldError } from '../../lib/form.js';
import { UNIT_KINDS } from '../../domain/organisation.js';
import { NotFoundError } from '../../plugins/access/index.js';
import type { UnitRow } from './people-repository.js';
import { parseLeader, parseUnit } from './forms.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default async function adminRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const people = app.services.access.people;
  const staff = app.services.staff;

  const admin = async (request: FastifyRequest, reply: FastifyReply) => {
    const answered = await app.requireUser(request, reply);
    if (answered) return answered;
    if (!request.user!.isMunicipalAdmin) {
      await app.audit(request, {
        action: 'denied:admin',
        objectType: 'municipality',
        objectId: request.user!.municipalityId,
        outcome: 'denied',
      });
      throw new NotFoundError();
    }
    return undefined;
  };
  const guard = { preHandler: admin };
  const aUnit = { ...guard, schema: { params: idParams('unitId') } };
  const aLeader = { ...guard, schema: { params: idParams('unitId', 'userId') } };

  const unitOf = async (request: FastifyRequest, unitId: number): Promise<UnitRow> => {
    const unit = await people.findUnit(unitId);
    if (!unit || unit.municipality_id !== request.user!.municipalityId) {
      await app.audit(request, {
        action: 'denied:admin.unit',
        objectType: 'unit',
        objectId: unitId,
        outcome: 'denied',
      });
      throw new NotFoundError();
    }
    return unit;
  };

  const listPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: FieldError[],
  ) => {
    const municipalityId = request.user!.municipalityId;
    const [units, districts] = await Promise.all([
      people.units(municipalityId),
      people.districts(municipalityId),
    ]);
    return reply.page('admin/units', { units, districts, kinds: UNIT_KINDS, values, errors });
  };

  app.get('/admin', guard, async (request, reply) =>
    listPage(request, reply, { name: '', kind: '', districtId: '' }, []),
  );

  app.post('/admin/units', guard, async (request, reply) => {
    const districts = await people.districts(request.user!.municipalityId);
    const { values, input, errors } = parseUnit(
      request.body,
      request.t,
      districts.map((d) => d.id),
    );
    if (!input) return listPage(request, reply.code(422), values, errors);
    const id = await people.addUnit(input);
    await app.audit(request, {
      action: 'unit.create',
      objectType: 'unit',
      objectId: id,
      role: 'admin',
      unitId: id,
    });
    return reply.redirect(`/admin/units/${id}?saved=unit`, 303);
  });

  const unitPage = async (
    reply: FastifyReply,
    unit: UnitRow,
    values: Record<string, string>,
    errors: FieldError[],
  ) => {
    const members = await people.staff(unit.id);
    return reply.page('admin/unit', {
      unit,
      leaders: members.filter((m) => m.is_leader),
      staffCount: members.length,
      values,
      errors,
    });
  };

  app.get('/admin/units/:unitId', aUnit, async (request, reply) =>
    unitPage(reply, await unitOf(request, request.params.unitId), { email: '', name: '' }, []),
  );

  app.post('/admin/units/:unitId/leaders', aUnit, async (request, reply) => {
    const unit = await unitOf(request, request.params.unitId);
    const { values, input: parsed, errors } = parseLeader(request.body, request.t);
    if (!parsed) return unitPage(reply.code(422), unit, values, errors);
    const result = await staff.appointLeader(request, unit.id, parsed.email, parsed.name);
    if (!result.ok)
      return unitPage(reply.code(422), unit, values, [{ text: request.t(result.error), href: '#email' }]);
    return reply.redirect(`/admin/units/${unit.id}?saved=leader`, 303);
  });

  /** A leader of the unit, or not found. */
  const leaderOf = async (unit: UnitRow, userId: number) => {
    const leader = await people.member(unit.id, userId);
    if (!leader?.is_leader) throw new NotFoundError();
    return leader;
  };

  // Removing a leader asks first: the question, and again (400) for a post that does not say yes.
  app.get('/admin/units/:unitId/leaders/:userId/remove', aLeader, async (request, reply) => {
    const unit = await unitOf(request, request.params.unitId);
    return reply.page('admin/leader-remove', { unit, leader: await leaderOf(unit, request.params.userId) });
  });

  app.post('/admin/units/:unitId/leaders/:userId/remove', aLeader, async (request, reply) => {
    const unit = await unitOf(request, request.params.unitId);
    const leader = await leaderOf(unit, request.params.userId);
    if (str(asBody(request.body), 'confirm') !== 'yes')
      return reply.code(400).page('admin/leader-remove', { unit, leader });
    if (!(await staff.removeLeader(request, unit.id, leader.user_id))) throw new NotFoundError();
    return reply.redirect(`/admin/units/${unit.id}?saved=removed`, 303);
  });
}
