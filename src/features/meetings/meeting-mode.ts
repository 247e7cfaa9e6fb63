/**
 * Meeting mode is a state of the holder's session (rule 12). While it is on, one hook decides every
 * request: the running meeting's own pages, the plan's own forms in that log (new goal, new measure,
 * edit, evaluate — used without JavaScript they stay in meeting mode and return to it after saving), the
 * exit action, sign-out and the page's background requests are served, shown for the projector (no
 * header, navigation, footer or session notice); anything else — another log, the start page, a typed
 * address, a post — answers with the meeting-mode page, so there is no way to other children. It ends
 * only by a deliberate action (the "Avslutt møtemodus" confirmation) or by signing out; a new sign-in
 * starts without it.
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { wantsFragment } from '../../plugins/views.js';

export interface MeetingMode {
  logId: number;
  meetingId: number;
  /** Until when (epoch ms) the projector page keeps the session alive instead of warning about it. */
  keepAliveUntil?: number;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    meetingMode: MeetingMode;
  }
}

export const modePath = (logId: number, meetingId: number) => `/logs/${logId}/meetings/${meetingId}/mode`;

/** How long after the meeting's planned end the projector still keeps the session alive. */
export const KEEP_ALIVE_AFTER_END_MS = 30 * 60_000;

export function enterMeetingMode(
  request: FastifyRequest,
  logId: number,
  meetingId: number,
  keepAliveUntil?: number,
): void {
  const current = request.session.get('meetingMode');
  const until = keepAliveUntil ?? (current?.meetingId === meetingId ? current.keepAliveUntil : undefined);
  if (current?.logId !== logId || current.meetingId !== meetingId || current.keepAliveUntil !== until)
    request.session.set('meetingMode', { logId, meetingId, ...(until ? { keepAliveUntil: until } : {}) });
}

export function leaveMeetingMode(request: FastifyRequest): void {
  if (request.session.get('meetingMode')) request.session.set('meetingMode', undefined);
}

export function meetingModeOf(request: FastifyRequest): MeetingMode | null {
  return request.user ? (request.session.get('meetingMode') ?? null) : null;
}

/** What meeting mode does with a request: serve it ('page': as a projector page), or answer with the mode page. */
export type MeetingModeAnswer = 'serve' | 'page' | 'mode';

/** Addresses that are not pages and show nothing of a child: static files, health, sign-out, keep-alive. */
const ALWAYS = /^\/(public\/.*|favicon\.ico|healthz|logout|session\/extend)$/;

/**
 * The allow-list, in one place. `query` is the parsed query string. Anything not named here answers
 * with the meeting-mode page.
 */
export function meetingModeAnswer(
  mode: MeetingMode,
  method: string,
  path: string,
  query: Record<string, unknown>,
  fragment: boolean,
): MeetingModeAnswer {
  if (ALWAYS.test(path)) return 'serve';
  const log = `/logs/${mode.logId}`;
  const meeting = `${log}/meetings/${mode.meetingId}`;
  // Drafts are saved for any form, but only read back for a form that is open in meeting mode.
  if (path === '/drafts') {
    if (method === 'POST') return 'serve';
    const draftPath = typeof query.path === 'string' ? query.path.split('?')[0]! : '';
    return draftPath && meetingModeAnswer(mode, 'GET', draftPath, {}, false) === 'page' ? 'serve' : 'mode';
  }
  // The log page itself is the mode page; htmx may still refresh parts of it.
  if (path === log) return fragment ? 'page' : 'mode';
  if (path === meeting || path.startsWith(`${meeting}/`)) return 'page';
  // The next meeting's calendar file, offered when the meeting is closed.
  if (new RegExp(`^${log}/meetings/\\d+/invitation$`).test(path)) return 'page';
  // The plan's own pages and forms in this log, linked from the mode page.
  if (path.startsWith(`${log}/`) && /^\/(concerns|goals|measures)(\/|$)/.test(path.slice(log.length)))
    return 'page';
  // The meeting's printed plan: its print view and the PDF made when it closed.
  if (path === `${log}/print` && String(query.meeting ?? '') === String(mode.meetingId)) return 'page';
  if (new RegExp(`^${log}/prints/\\d+/download$`).test(path)) return 'page';
  return 'mode';
}

export default fp(
  async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      const mode = meetingModeOf(request);
      if (!mode) return;
      const path = request.url.split('?')[0] ?? '';
      const query = (request.query ?? {}) as Record<string, unknown>;
      const answer = meetingModeAnswer(mode, request.method, path, query, wantsFragment(request));
      if (answer === 'mode') {
        const target = modePath(mode.logId, mode.meetingId);
        if (request.headers['hx-request'] === 'true') {
          // htmx would swap the page into a part of this one: have it load the mode page instead.
          reply.header('HX-Redirect', target);
          return reply.code(204).send();
        }
        // The browser keeps the #fragment of the original address (e.g. #measure-12 after a save).
        return reply.redirect(target, 303);
      }
      if (answer === 'serve') return;
      // @fastify/view merges reply.locals into every template's data, and the layout reads these.
      const withLocals = reply as FastifyReply & { locals?: Record<string, unknown> | null };
      withLocals.locals = {
        ...(withLocals.locals ?? {}),
        meetingMode: true,
        bodyClass: 'meeting-mode',
        keepAliveUntil: mode.keepAliveUntil ?? null,
      };
    });
  },
  { name: 'meeting-mode', dependencies: ['session', 'views'] },
);
