/**
 * The unit's leader (and superuser): every log held in the unit, read-only, for supervision; pending
 * transfers and consents about to run out; and the unit's staff — add, remove, and the flags may-hold
 * and may-be-actor (the leader also names superusers). Removing someone, or every role they have, asks
 * first; an empty or cut-off post changes nothing. Someone who leads no such unit gets 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addDays, formatDate, osloDate } from '../../lib/dates.js';
import { asBody, str, type FieldError } from '../../lib/form.js';
import type { Membership } from '../../types.js';
import { NotFoundError } from '../../plugins/access/index.js';
import type { PeopleRepository, StaffRow } from './people-repository.js';
import { parseStaff, type StaffValues } from './forms.js';
import { identityNumbers } from '../../lib/national-id.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

/** Consents running out within this many days are listed for the leader. */
export const CONSENT_WARNING_DAYS = 30;

/** The unit a request names and the member in it, as the person may manage them; else 404 (recorded). */
export function unitGuards(app: FastifyInstance, people: PeopleRepository) {
  /** The unit the person leads or is superuser of; anything else is not found (and recorded). */
  const unitOf = async (request: FastifyRequest, unitId: number): Promise<Membership> => {
    const membership = request.user!.memberships.find(
      (m) => m.unitId === unitId && (m.isLeader || m.isSuperuser),
    );
    if (!membership || request.user!.isMunicipalAdmin) {
      await app.audit(request, {
        action: 'denied:unit.manage',
        objectType: 'unit',
        objectId: unitId,
        outcome: 'denied',
      });
      throw new NotFoundError();
    }
    return membership;
  };
  /** A member of the unit that this person may manage. */
  const memberOf = async (unit: Membership, userId: number): Promise<StaffRow> => {
    const member = await people.member(unit.unitId, userId);
    // A superuser manages staff, not the leaders.
    if (!member || (member.is_leader && !unit.isLeader)) throw new NotFoundError();
    return member;
  };
  return { unitOf, memberOf };
}

export default async function unitRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const people = app.services.access.people;
  const staff = app.services.staff;
  const invitations = app.services.invitations;
  const guard = { preHandler: app.requireUser };
  const aUnit = { ...guard, schema: { params: idParams('unitId') } };
  const aUser = { ...guard, schema: { params: idParams('unitId', 'userId') } };
  const idOptions = {
    syntheticNationalIds: !app.config.isProduction,
    identity: identityNumbers(app.config.country),
  };

  const { unitOf, memberOf } = unitGuards(app, people);
  const fmt = (request: FastifyRequest) => (d: string | Date) =>
    formatDate(typeof d === 'string' ? d : osloDate(d), request.locale);

  app.get('/unit', guard, async (request, reply) => {
    const led = request.user!.memberships.find((m) => m.isLeader || m.isSuperuser);
    if (!led || request.user!.isMunicipalAdmin) throw new NotFoundError();
    return reply.redirect(`/units/${led.unitId}`, 303);
  });

  app.get('/units/:unitId', aUnit, async (request, reply) => {
    const unit = await unitOf(request, request.params.unitId);
    const today = osloDate(app.now());
    const [logs, transfers] = await Promise.all([
      people.unitLogs(unit.unitId),
      people.pendingTransfers(unit.unitId),
    ]);
    const soon = addDays(today, CONSENT_WARNING_DAYS);
    const consents = logs.filter(
      (l) => l.status === 'active' && (l.withdrawn || !l.valid_until || l.valid_until <= soon),
    );
    await app.audit(request, {
      action: 'unit.logs.list',
      objectType: 'unit',
      objectId: unit.unitId,
      role: unit.isLeader ? 'leader' : 'superuser',
      unitId: unit.unitId,
    });
    return reply.page('unit/overview', { unit, logs, transfers, consents, today, fmt: fmt(request) });
  });

  const staffPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    unit: Membership,
    values: StaffValues,
    errors: FieldError[],
  ) => {
    const members = await people.staff(unit.unitId);
    return reply.page('unit/staff', {
      unit,
      staff: members,
      invitations: await invitations.status(members.map((m) => m.user_id)),
      values,
      errors,
      me: request.user!.id,
      askNationalId: Boolean(app.config.idporten),
      fmt: fmt(request),
    });
  };

  app.get('/units/:unitId/staff', aUnit, async (request, reply) => {
    const unit = await unitOf(request, request.params.unitId);
    return staffPage(
      request,
      reply,
      unit,
      { email: '', name: '', title: '', flags: ['mayBeActor'], nationalId: '' },
      [],
    );
  });

  app.post('/units/:unitId/staff', aUnit, async (request, reply) => {
    const unit = await unitOf(request, request.params.unitId);
    const { values, input: parsed, errors } = parseStaff(request.body, request.t, true, idOptions);
    if (!parsed) return staffPage(request, reply.code(422), unit, values, errors);
    const result = await staff.add(request, unit, parsed);
    if (!result.ok)
      return staffPage(request, reply.code(422), unit, values, [
        { text: request.t(result.error), href: `#${result.field ?? 'email'}` },
      ]);
    return reply.redirect(`/units/${unit.unitId}/staff?saved=added`, 303);
  });

  const memberPage = async (
    reply: FastifyReply,
    unit: Membership,
    member: StaffRow,
    values: StaffValues,
    errors: FieldError[],
  ) =>
    reply.page('unit/member', {
      unit,
      member,
      values,
      errors,
      // Someone who left: the logs they hold here, each to hand on ("act for someone who left").
      logsHeld: member.disabled_at ? await people.logsHeldBy(unit.unitId, member.user_id) : [],
      invitation: (await invitations.status([member.user_id])).get(member.user_id),
      fmt: fmt(reply.request),
    });

  /** The member's roles as the form's checkbox values. */
  const flagsOf = (member: StaffRow) =>
    [
      member.may_hold ? 'mayHold' : '',
      member.may_be_actor ? 'mayBeActor' : '',
      member.is_superuser ? 'isSuperuser' : '',
    ].filter(Boolean);

  app.get('/units/:unitId/staff/:userId', aUser, async (request, reply) => {
    const unit = await unitOf(request, request.params.unitId);
    const member = await memberOf(unit, request.params.userId);
    return memberPage(
      reply,
      unit,
      member,
      {
        email: member.email,
        name: member.name,
        title: member.title,
        flags: flagsOf(member),
        nationalId: '',
      },
      [],
    );
  });

  app.post('/units/:unitId/staff/:userId', aUser, async (request, reply) => {
    const unit = await unitOf(request, request.params.unitId);
    const member = await memberOf(unit, request.params.userId);
    const body = asBody(request.body);
    const { values, input: parsed, errors, incomplete } = parseStaff(body, request.t, false, idOptions);
    // Not the whole form: nothing changes; the roles as they are, and any title typed, come back.
    if (incomplete) {
      const title = 'title' in body ? values.title : member.title;
      return memberPage(reply.code(400), unit, member, { ...values, title, flags: flagsOf(member) }, errors);
    }
    if (!parsed) return memberPage(reply.code(422), unit, member, values, errors);
    const problem = staff.updateProblem(unit, member, parsed);
    if (problem)
      return memberPage(reply.code(422), unit, member, values, [
        { text: request.t(problem), href: '#flags' },
      ]);
    const change = staff.roleChange(unit, member, parsed);
    // Taking every role away asks first (as removing someone does); "no" is a link back, nothing changes.
    if (change.taken.length && change.noneLeft && str(body, 'confirm') !== 'yes') {
      return reply.page('unit/member-confirm', { unit, member, values: parsed, taken: change.taken });
    }
    const result = await staff.update(request, unit, member, parsed);
    if (!result.ok)
      return memberPage(reply.code(422), unit, member, values, [
        { text: request.t(result.error), href: `#${result.field ?? 'flags'}` },
      ]);
    return reply.redirect(`/units/${unit.unitId}/staff?saved=updated`, 303);
  });

  app.get('/units/:unitId/staff/:userId/remove', aUser, async (request, reply) => {
    const unit = await unitOf(request, request.params.unitId);
    const member = await memberOf(unit, request.params.userId);
    return reply.page('unit/remove', { unit, member, errors: [] });
  });

  app.post('/units/:unitId/staff/:userId/remove', aUser, async (request, reply) => {
    const unit = await unitOf(request, request.params.unitId);
    const member = await memberOf(unit, request.params.userId);
    // Only the confirmation page's "yes" removes; any other post gets the question again.
    if (str(asBody(request.body), 'confirm') !== 'yes')
      return reply.code(400).page('unit/remove', { unit, member, errors: [] });
    const result = await staff.remove(request, unit, member);
    if (!result.ok)
      return reply
        .code(422)
        .page('unit/remove', { unit, member, errors: [{ text: request.t(result.error), href: '#remove' }] });
    return reply.redirect(`/units/${unit.unitId}/staff?saved=removed`, 303);
  });
}
