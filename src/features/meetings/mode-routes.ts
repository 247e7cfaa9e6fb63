/**
 * The running meeting in meeting mode: the projector view (agenda beside the plan, the current phase, the
 * time guide), moving between phases, agreements and next meeting, the family's evaluation, closing with
 * the PDF, and leaving meeting mode on purpose. Every page here is shown without navigation.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newFormToken } from '../../lib/form.js';
import { isoToParts, osloDate } from '../../lib/dates.js';
import { formatDateTimeLong, osloTime } from '../../lib/oslo-time.js';
import { asBody, str, versionValue, type FieldError } from '../../lib/form.js';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import { planLocals } from '../plan/index.js';
import {
  EVALUATION_QUESTIONS,
  RESPONDENTS,
  SCALE,
  emptyEvaluation,
  parseAgreements,
  parseEvaluation,
  type AgreementValues,
  type EvaluationValues,
} from './form.js';
import {
  enterMeetingMode,
  KEEP_ALIVE_AFTER_END_MS,
  leaveMeetingMode,
  meetingModeOf,
  modePath,
} from './meeting-mode.js';
import { isPhase, nextPhase, previousPhase, timeGuide } from './phases.js';
import type { MeetingRow } from './repository.js';
import { wantsFragment } from '../../plugins/views.js';
import type { AuditEntry } from '../../plugins/audit/index.js';
import { formatMeeting, meetingView } from './view.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

/** The meeting's address. */
type Ids = { logId: number; meetingId: number };

const MODE = { meetingMode: true, bodyClass: 'meeting-mode' };

export default async function meetingModeRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const meetings = app.services.meetings;
  const repository = meetings.repository;
  const guard = { preHandler: app.requireUser };
  const aMeeting = { ...guard, schema: { params: idParams('logId', 'meetingId') } };

  /**
   * The log (with `action` allowed) and the meeting in it, in the access check's one statement; or 404.
   * `deferRead`: the read's audit row waits for the page's own statement (renderMode).
   */
  async function load(
    request: FastifyRequest,
    ids: Ids,
    action: 'log.readAll' | 'log.write',
    deferRead = false,
  ) {
    const a = await request.logAccess(ids.logId, action, {
      deferRead,
      also: { meeting: repository.findPart(ids.logId, ids.meetingId) },
    });
    const meeting = a.also.meeting;
    if (!meeting) throw new NotFoundError();
    return { a, meeting };
  }

  const base = (a: LogAccess, meeting: MeetingRow) => `/logs/${a.log.id}/meetings/${meeting.id}`;

  function agreementValues(meeting: MeetingRow): AgreementValues {
    const next = meeting.next_meeting_at;
    return {
      agreements: meeting.agreements,
      next: isoToParts(next ? osloDate(next) : null),
      nextTime: next ? osloTime(next) : '',
      version: String(meeting.version),
    };
  }

  async function renderMode(
    request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    meeting: MeetingRow,
    extra: {
      agreementValues?: AgreementValues;
      errors?: FieldError[];
      saved?: string;
      /** The phase was changed with htmx: the swapped part moves focus to the phase and announces it. */
      phaseChanged?: boolean;
      /** Audit rows for this page, written in its statement with any deferred read (app.takeAudit). */
      audit?: AuditEntry[];
    } = {},
  ) {
    const view = await meetingView(app, request, a, meeting, app.takeAudit(request, extra.audit));
    const locals = await planLocals(app, request, a, view.childName);
    const guide = timeGuide(meeting, app.now());
    const mode = meetingModeOf(request);
    return reply.code(extra.errors?.length ? 422 : 200).page('meetings/mode', {
      ...MODE,
      keepAliveUntil: mode?.meetingId === meeting.id ? (mode.keepAliveUntil ?? null) : null,
      ...locals,
      ...view,
      fragment: false,
      concerns: view.page.concerns.filter((c) => c.status === 'active'),
      hiddenConcerns: view.page.concerns.filter((c) => c.status !== 'active').length,
      guide: {
        ...guide,
        startTime: osloTime(guide.start),
        endTime: osloTime(guide.end),
        statusUntilTime: osloTime(guide.statusUntil),
        nowTime: osloTime(app.now()),
      },
      nextPhase: nextPhase(meeting.current_phase),
      previousPhase: previousPhase(meeting.current_phase),
      agreementValues: extra.agreementValues ?? agreementValues(meeting),
      errors: extra.errors ?? [],
      saved: extra.saved ?? '',
      phaseChanged: extra.phaseChanged ?? false,
      evaluationCount: view.evaluationRows.length,
      exampleYear: osloDate(app.now()).slice(0, 4),
    });
  }

  // ---- the projector view ----
  app.get('/logs/:logId/meetings/:meetingId/mode', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.readAll', true).catch(
      (error: unknown) => {
        // Every other page leads here while meeting mode is on: a meeting that is gone ends it.
        const mode = meetingModeOf(request);
        if (
          error instanceof NotFoundError &&
          mode &&
          request.url.startsWith(modePath(mode.logId, mode.meetingId))
        )
          leaveMeetingMode(request);
        throw error;
      },
    );
    if (meeting.status === 'planned') return reply.redirect(base(a, meeting), 303);
    if (meeting.status === 'closed') return reply.redirect(`${base(a, meeting)}/closed`, 303);
    // The one running the meeting keeps the log's pages in meeting mode; others just see this page.
    // Until a while after its planned end, the projector keeps the session alive instead of warning.
    if (a.can('log.write')) {
      const end = timeGuide(meeting, app.now()).end.getTime();
      enterMeetingMode(request, a.log.id, meeting.id, end + KEEP_ALIVE_AFTER_END_MS);
    }
    const saved = str(asBody(request.query), 'saved');
    return renderMode(request, reply, a, meeting, {
      saved: ['agreements', 'evaluation', 'meeting'].includes(saved) ? saved : '',
      audit: [
        {
          action: 'meeting.mode',
          objectType: 'meeting',
          objectId: meeting.id,
          logId: a.log.id,
          role: a.role,
          unitId: a.unitId,
        },
      ],
    });
  });

  app.post('/logs/:logId/meetings/:meetingId/phase', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.write');
    const phase = str(asBody(request.body), 'phase');
    if (meeting.status === 'running' && isPhase(phase)) {
      await meetings.setPhase(request, a, meeting, phase);
      // With JavaScript (htmx) the page is answered at once and only its meeting part is swapped in;
      // without it, the browser follows the redirect to the page.
      if (wantsFragment(request))
        return renderMode(request, reply, a, { ...meeting, current_phase: phase }, { phaseChanged: true });
    }
    return reply.redirect(`${modePath(a.log.id, meeting.id)}#meeting-phase`, 303);
  });

  app.post('/logs/:logId/meetings/:meetingId/agreements', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.write');
    if (meeting.status !== 'running') return reply.redirect(base(a, meeting), 303);
    const { values, input: parsed, errors } = parseAgreements(request.body, request.t);
    if (!parsed) return renderMode(request, reply, a, meeting, { agreementValues: values, errors });
    const saved = await meetings.saveAgreements(request, a, meeting, versionValue(values.version), parsed);
    if (!saved.ok) {
      return reply.code(409).page('meetings/agreements-conflict', {
        ...MODE,
        logId: a.log.id,
        meetingId: meeting.id,
        theirs: {
          agreements: saved.current.agreements,
          nextMeeting: formatMeeting(saved.current, request.locale).nextMeeting,
        },
        values: { ...values, version: String(saved.current.version) },
        exampleYear: osloDate(app.now()).slice(0, 4),
      });
    }
    return reply.redirect(`${modePath(a.log.id, meeting.id)}?saved=agreements#meeting-phase`, 303);
  });

  // ---- the family's evaluation of the meeting ----
  const renderEvaluation = async (
    _request: FastifyRequest,
    reply: FastifyReply,
    a: LogAccess,
    meeting: MeetingRow,
    values: EvaluationValues,
    errors: FieldError[],
  ) =>
    reply.code(errors.length ? 422 : 200).page('meetings/evaluation', {
      ...MODE,
      logId: a.log.id,
      meetingId: meeting.id,
      childName: await meetings.childFirstName(a),
      values,
      errors,
      questions: EVALUATION_QUESTIONS,
      scale: SCALE,
      respondents: RESPONDENTS,
    });

  app.get('/logs/:logId/meetings/:meetingId/evaluation', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.write');
    if (meeting.status === 'planned') return reply.redirect(base(a, meeting), 303);
    return renderEvaluation(request, reply, a, meeting, emptyEvaluation(newFormToken()), []);
  });

  app.post('/logs/:logId/meetings/:meetingId/evaluation', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.write');
    if (meeting.status === 'planned') return reply.redirect(base(a, meeting), 303);
    const { values, input: parsed, errors } = parseEvaluation(request.body, request.t);
    if (!parsed) return renderEvaluation(request, reply, a, meeting, values, errors);
    await meetings.evaluate(request, a, meeting, parsed, values.formToken);
    const to =
      meeting.status === 'running'
        ? `${modePath(a.log.id, meeting.id)}?saved=evaluation#meeting-phase`
        : `${base(a, meeting)}#evaluations`;
    return reply.redirect(to, 303);
  });

  // ---- closing: confirm, close and print, then offer the PDF ----
  app.get('/logs/:logId/meetings/:meetingId/close', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.write');
    if (meeting.status === 'closed') return reply.redirect(`${base(a, meeting)}/closed`, 303);
    return reply.page('meetings/close', {
      ...MODE,
      logId: a.log.id,
      meetingId: meeting.id,
      childName: await meetings.childFirstName(a),
      meeting: formatMeeting(meeting, request.locale),
      inMode: meeting.status === 'running',
    });
  });

  app.post('/logs/:logId/meetings/:meetingId/close', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.write');
    if (meeting.status === 'closed') return reply.redirect(`${base(a, meeting)}/closed`, 303);
    const planNext = str(asBody(request.body), 'planNext') === 'yes';
    await meetings.close(request, a, meeting, { planNext });
    return reply.redirect(`${base(a, meeting)}/closed`, 303);
  });

  /** Tries the meeting's PDF again after a failure. */
  app.post('/logs/:logId/meetings/:meetingId/print', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.write');
    if (meeting.status !== 'closed') return reply.redirect(base(a, meeting), 303);
    await meetings.print(request, a, meeting.id);
    return reply.redirect(`${base(a, meeting)}/closed`, 303);
  });

  app.get('/logs/:logId/meetings/:meetingId/closed', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.readAll');
    if (meeting.status !== 'closed') return reply.redirect(base(a, meeting), 303);
    const prints = await app.services.prints.list(a.log.id, { meetingId: meeting.id, limit: 1 });
    const next = meeting.next_meeting_at
      ? (await meetings.list(a)).find(
          (m) => m.status === 'planned' && m.starts_at.getTime() === meeting.next_meeting_at!.getTime(),
        )
      : undefined;
    return reply.page('meetings/closed', {
      ...MODE,
      logId: a.log.id,
      meetingId: meeting.id,
      childName: await meetings.childFirstName(a),
      meeting: formatMeeting(meeting, request.locale),
      print: prints[0] ?? null,
      nextMeetingId: next?.id ?? null,
      canWrite: a.can('log.write'),
    });
  });

  // ---- leaving meeting mode, on purpose ----
  app.get('/logs/:logId/meetings/:meetingId/mode/leave', aMeeting, async (request, reply) => {
    const { a, meeting } = await load(request, request.params, 'log.readAll');
    return reply.page('meetings/leave', {
      ...MODE,
      logId: a.log.id,
      meetingId: meeting.id,
      running: meeting.status === 'running',
      when: formatDateTimeLong(meeting.starts_at, request.locale),
    });
  });

  app.post('/logs/:logId/meetings/:meetingId/mode/leave', aMeeting, async (request, reply) => {
    // Left first: a meeting or log that is gone (or no longer readable) must not keep anyone in it.
    leaveMeetingMode(request);
    const { a, meeting } = await load(request, request.params, 'log.readAll');
    return reply.redirect(base(a, meeting), 303);
  });
}
