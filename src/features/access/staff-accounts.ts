/**
 * A unit's staff over time, for its leader (and superuser): sending an invitation again to someone who
 * has not taken their account into use, and deactivating the account of someone who left — asked first
 * on a confirmation page; then they cannot sign in, their sessions end at once, and the member page
 * lists the logs they hold here, each with a link to transfer it on their behalf.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { asBody, str } from '../../lib/form.js';
import type { PlainMessageKey } from '../../i18n/index.js';
import type { Membership } from '../../types.js';
import type { StaffRow } from './people-repository.js';
import { unitGuards } from './unit.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default async function staffAccountRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const people = app.services.access.people;
  const staff = app.services.staff;
  const { unitOf, memberOf } = unitGuards(app, people);
  const guard = { preHandler: app.requireUser };
  const aUser = { ...guard, schema: { params: idParams('unitId', 'userId') } };

  /** Why this person cannot be deactivated from here, or null. */
  const problem = (request: FastifyRequest, member: StaffRow): PlainMessageKey | null => {
    if (member.user_id === request.user!.id) return 'staff.err.deactivateSelf';
    if (member.is_leader) return 'staff.err.deactivateLeader';
    if (member.other_units > 0) return 'staff.err.deactivateOtherUnits';
    return null;
  };

  app.post('/units/:unitId/staff/:userId/invitation', aUser, async (request, reply) => {
    const unit = await unitOf(request, request.params.unitId);
    const member = await memberOf(unit, request.params.userId);
    const sent = await staff.reinvite(request, unit, member.user_id);
    return reply.redirect(`/units/${unit.unitId}/staff${sent ? '?saved=invited' : ''}`, 303);
  });

  const confirmPage = (
    request: FastifyRequest,
    unit: Membership,
    member: StaffRow,
    error: PlainMessageKey | null,
  ) => ({ unit, member, errors: error ? [{ text: request.t(error), href: '#deactivate' }] : [] }) as const;

  app.get('/units/:unitId/staff/:userId/deactivate', aUser, async (request, reply) => {
    const unit = await unitOf(request, request.params.unitId);
    const member = await memberOf(unit, request.params.userId);
    return reply.page('unit/deactivate', confirmPage(request, unit, member, problem(request, member)));
  });

  app.post('/units/:unitId/staff/:userId/deactivate', aUser, async (request, reply) => {
    const unit = await unitOf(request, request.params.unitId);
    const member = await memberOf(unit, request.params.userId);
    // Only the confirmation page's "yes" deactivates; any other post gets the question again.
    if (str(asBody(request.body), 'confirm') !== 'yes')
      return reply.code(400).page('unit/deactivate', confirmPage(request, unit, member, null));
    const refused = problem(request, member);
    if (refused) return reply.code(422).page('unit/deactivate', confirmPage(request, unit, member, refused));
    await staff.deactivate(request, unit, member.user_id);
    return reply.redirect(`/units/${unit.unitId}/staff/${member.user_id}?saved=deactivated`, 303);
  });
}
