/**
 * Meetings in a log: list, plan (new/edit), cancel, the meeting page, the iCalendar invitation, start,
 * and the running meeting (mode-routes.ts). Invitations and cancellations go out by e-mail (mail.ts). Reading needs the whole log; writing is the holder's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newFormToken } from '../../lib/form.js';
import { isoToParts, osloDate } from '../../lib/dates.js';
import { formatDateTime, formatDateTimeLong, osloTime } from '../../lib/oslo-time.js';
import { asBody, postedWhole, versionValue, type FieldError } from '../../lib/form.js';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import { DURATIONS, emptyOthers, parseCancel, parseMeeting, type MeetingValues } from './form.js';
import { invitation } from './ical.js';
import { enterMeetingMode, modePath } from './meeting-mode.js';
import type { Candidate, MeetingRow, ParticipantRow } from './repository.js';
import { declareMeetingMailJobs } from './mail.js';
import { mailerFor } from '../notifications/index.js';
import { meetingView } from './view.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

/** The meeting's address. */
type Ids = { logId: number; meetingId: number };

export default async function meetingRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const meetings = app.services.meetings;

  // The meetings box: before the plan on the staff log page, after it on the family's
  // (features/logs/registry.ts).
  app.logPage.register({
    id: 'meetings.box',
    views: ['log', 'family'],
    order: 30,
    slot: { log: 'beforePlan', family: 'afterPlan' },
    partial: '/meetings/_log-section',
    ...meetings.logPageSection,
  });
  const repository = meetings.repository;
  const guard = { preHandler: app.requireUser };
  const inLog = { ...guard, schema: { params: idParams('logId') } };
  const aMeeting = { ...guard, schema: { params: idParams('logId', 'meetingId') } };
  declareMeetingMailJobs(app, mailerFor(app));

  /** The log (with `action` allowed) and the meeting in it, or 404. */
  async function load(request: FastifyRequest, ids: Ids, action: 'log.readAll' | 'log.write') {
    // The meeting comes in the access check's own statement.
    const a = await request.logAccess(ids.logId, action, {
      also: { meeting: repository.findPart(ids.logId, ids.meetingId) },
    });
    const meeting = a.also.meeting;
    if (!meeting) throw new NotFoundError();
    return { a, meeting };
  }

  const readAudit = (request: FastifyRequest, a: LogAccess, action: string, meetingId: number | null) =>
    app.audit(request, {
      action,
      objectType: 'meeting',
      objectId: meetingId,
      logId: a.log.id,
      role: a.role,
      unitId: a.unitId,
    });

  // ---- the list ----
  app.get('/logs/:logId/meetings', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.readAll');
    const [rows, prints] = await Promise.all([
      meetings.list(a),
      app.services.prints.list(a.log.id, { limit: 5 }),
    ]);
    await readAudit(request, a, 'meeting.list', null);
    return reply.page('meetings/list', {
      logId: a.log.id,
      canWrite: a.can('log.write'),
      childName: await childName(a),
      meetings: rows.map((m) => ({ ...m, when: formatDateTimeLong(m.starts_at, request.locale) })),
      prints: prints.map((p) => ({ ...p, when: formatDateTime(p.made_at, request.locale) })),
    });
  });

  const childName = (a: LogAccess) => meetings.childFirstName(a);

  // ---- plan a meeting ----
  async function renderForm(
    _request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    values: MeetingValues,
    errors: FieldError[],
    meetingId: number | null,
    status = errors.length ? 422 : 200,
  ) {
    const candidates: Candidate[] = await meetings.candidates(a, meetingId ?? undefined);
    return reply.code(status).page(meetingId ? 'meetings/edit' : 'meetings/new', {
      logId: a.log.id,
      meetingId,
      childName: await childName(a),
      values,
      errors,
      candidates,
      durations: DURATIONS,
      exampleYear: osloDate(app.now()).slice(0, 4),
    });
  }

  app.get('/logs/:logId/meetings/new', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.write');
    const candidates = await meetings.candidates(a);
    const values: MeetingValues = {
      date: { day: '', month: '', year: '' },
      time: '',
      duration: '60',
      mode: 'in_person',
      place: '',
      purpose: '',
      participants: candidates
        .filter((c) => c.kind === 'holder' || c.kind === 'guardian')
        .map((c) => String(c.userId)),
      child: '',
      others: emptyOthers(),
      formToken: newFormToken(),
      version: '',
    };
    return renderForm(request, reply, a, values, [], null);
  });

  app.post('/logs/:logId/meetings', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.write');
    const candidates = await meetings.candidates(a);
    const {
      values,
      input: parsed,
      errors,
    } = parseMeeting(
      request.body,
      request.t,
      candidates.map((c) => c.userId),
    );
    if (!parsed)
      return renderForm(
        request,
        reply,
        a,
        { ...values, others: emptyOthers(values.others.filter((o) => o.name || o.role)) },
        errors,
        null,
      );
    return reply.redirect(await meetings.create(request, a, parsed, values.formToken), 303);
  });

  function valuesFrom(meeting: MeetingRow, participants: ParticipantRow[]): MeetingValues {
    return {
      date: isoToParts(osloDate(meeting.starts_at)),
      time: osloTime(meeting.starts_at),
      duration: String(meeting.duration_minutes),
      mode: meeting.mode,
      place: meeting.place,
      purpose: meeting.purpose,
      participants: participants
        .filter((p) => p.user_id !== null && !p.is_child)
        .map((p) => String(p.user_id)),
      child: participants.some((p) => p.is_child) ? 'yes' : '',
      others: emptyOthers(
        participants.filter((p) => p.user_id === null).map((p) => ({ name: p.name, role: p.role })),
      ),
      formToken: '',
      version: String(meeting.version),
    };
  }

  app.get('/logs/:logId/meetings/:meetingId/edit', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.write');
    if (meeting.status === 'closed' || meeting.status === 'cancelled')
      return reply.redirect(`/logs/${a.log.id}/meetings/${meeting.id}`, 303);
    return renderForm(
      request,
      reply,
      a,
      valuesFrom(meeting, await meetings.participants(meeting.id)),
      [],
      meeting.id,
    );
  });

  app.post('/logs/:logId/meetings/:meetingId', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.write');
    if (meeting.status === 'closed' || meeting.status === 'cancelled')
      return reply.redirect(`/logs/${a.log.id}/meetings/${meeting.id}`, 303);
    const candidates = await meetings.candidates(a, meeting.id);
    const {
      values,
      input: parsed,
      errors,
    } = parseMeeting(
      request.body,
      request.t,
      candidates.map((c) => c.userId),
    );
    // Unticked participants are not posted: without the form's marker the list would be emptied.
    if (!postedWhole(asBody(request.body), 'participants_form')) {
      const saved = valuesFrom(meeting, await meetings.participants(meeting.id));
      const kept = { ...values, participants: saved.participants, others: saved.others };
      const incomplete = [{ text: request.t('error.incompleteForm'), href: '#participants' }];
      return renderForm(request, reply, a, kept, incomplete, meeting.id, 400);
    }
    if (!parsed)
      return renderForm(
        request,
        reply,
        a,
        { ...values, others: emptyOthers(values.others.filter((o) => o.name || o.role)) },
        errors,
        meeting.id,
      );
    const saved = await meetings.update(request, a, meeting.id, versionValue(values.version), parsed);
    if (!saved.ok) {
      const theirs = valuesFrom(saved.current, await meetings.participants(meeting.id));
      return reply.code(409).page('meetings/conflict', {
        logId: a.log.id,
        meetingId: meeting.id,
        theirs: {
          when: formatDateTimeLong(saved.current.starts_at, request.locale),
          place: saved.current.place,
          purpose: saved.current.purpose,
        },
        editUrl: `/logs/${a.log.id}/meetings/${meeting.id}/edit`,
        values: { ...values, version: theirs.version },
      });
    }
    const back =
      meeting.status === 'running'
        ? modePath(a.log.id, meeting.id)
        : `/logs/${a.log.id}/meetings/${meeting.id}`;
    return reply.redirect(back, 303);
  });

  // ---- the meeting page ----
  app.get('/logs/:logId/meetings/:meetingId', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.readAll');
    const view = await meetingView(app, request, a, meeting);
    const prints = await app.services.prints.list(a.log.id, { meetingId: meeting.id });
    await readAudit(request, a, 'meeting.read', meeting.id);
    return reply.page('meetings/show', {
      ...view,
      prints: prints.map((p) => ({ ...p, when: formatDateTime(p.made_at, request.locale) })),
      evaluations: view.evaluationRows,
    });
  });

  // ---- the invitation ----
  app.get('/logs/:logId/meetings/:meetingId/invitation', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.readAll');
    const holder = await meetings.holderContact(a);
    const url = `${app.config.baseUrl}/logs/${a.log.id}/meetings/${meeting.id}`;
    const body = invitation(meeting, {
      t: request.t,
      locale: request.locale,
      url,
      host: new URL(app.config.baseUrl).hostname,
      organizer: holder ? { name: holder.name, email: holder.email } : undefined,
    });
    await readAudit(request, a, 'meeting.invitation', meeting.id);
    return reply
      .type('text/calendar; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="stafett-mote-${osloDate(meeting.starts_at)}.ics"`)
      .send(body);
  });

  // ---- cancel a planned meeting, with the reason ----
  const renderCancel = (
    reply: FastifyReply,
    a: LogAccess,
    meeting: MeetingRow,
    request: FastifyRequest,
    values: { reason: string; version: string },
    errors: FieldError[],
  ) =>
    reply.code(errors.length ? 422 : 200).page('meetings/cancel', {
      logId: a.log.id,
      meetingId: meeting.id,
      when: formatDateTimeLong(meeting.starts_at, request.locale),
      values,
      errors,
    });

  app.get('/logs/:logId/meetings/:meetingId/cancel', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.write');
    if (meeting.status !== 'planned') return reply.redirect(`/logs/${a.log.id}/meetings/${meeting.id}`, 303);
    return renderCancel(reply, a, meeting, request, { reason: '', version: String(meeting.version) }, []);
  });

  app.post('/logs/:logId/meetings/:meetingId/cancel', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.write');
    const back = `/logs/${a.log.id}/meetings/${meeting.id}`;
    if (meeting.status !== 'planned') return reply.redirect(back, 303);
    const { values, input: parsed, errors } = parseCancel(request.body, request.t);
    if (!parsed) return renderCancel(reply, a, meeting, request, values, errors);
    await meetings.cancel(request, a, meeting, parsed.reason);
    return reply.redirect(back, 303);
  });

  // ---- start, or go back into a running meeting ----
  app.post('/logs/:logId/meetings/:meetingId/start', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.write');
    if (meeting.status === 'closed' || meeting.status === 'cancelled')
      return reply.redirect(`/logs/${a.log.id}/meetings/${meeting.id}`, 303);
    const started = await meetings.start(request, a, meeting);
    if (!started.ok) {
      return reply.code(409).page('meetings/other-running', {
        logId: a.log.id,
        running: {
          id: started.running.id,
          when: formatDateTimeLong(started.running.starts_at, request.locale),
        },
      });
    }
    enterMeetingMode(request, a.log.id, meeting.id);
    return reply.redirect(modePath(a.log.id, meeting.id), 303);
  });
}
