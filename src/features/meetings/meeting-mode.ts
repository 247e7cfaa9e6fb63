/**
 * Meeting mode is a state of the holder's session: while it is on, every page of that one log is shown
 * for the projector (no header, navigation or footer: no way to other children), and the log page
 * itself leads back to meeting mode. So the plan's own forms (new goal, new measure, edit), used without
 * JavaScript, stay in meeting mode and return to it after saving. It ends only by a deliberate action
 * (the "Avslutt møtemodus" confirmation) or by closing the meeting; a new sign-in starts without it.
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { wantsFragment } from '../../plugins/views.js';

declare module '@fastify/secure-session' {
  interface SessionData {
    meetingMode: { logId: number; meetingId: number };
  }
}

export const modePath = (logId: number, meetingId: number) => `/logs/${logId}/meetings/${meetingId}/mode`;

export function enterMeetingMode(request: FastifyRequest, logId: number, meetingId: number): void {
  const current = request.session.get('meetingMode');
  if (current?.logId !== logId || current.meetingId !== meetingId)
    request.session.set('meetingMode', { logId, meetingId });
}

export function leaveMeetingMode(request: FastifyRequest): void {
  if (request.session.get('meetingMode')) request.session.set('meetingMode', undefined);
}

export function meetingModeOf(request: FastifyRequest): { logId: number; meetingId: number } | null {
  return request.user ? (request.session.get('meetingMode') ?? null) : null;
}

export default fp(
  async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      const mode = meetingModeOf(request);
      if (!mode) return;
      const path = request.url.split('?')[0] ?? '';
      const prefix = `/logs/${mode.logId}`;
      if (path !== prefix && !path.startsWith(`${prefix}/`)) return;
      if (request.method === 'GET' && path === prefix && !wantsFragment(request)) {
        // The browser keeps the #fragment of the original address (e.g. #measure-12 after a save).
        return reply.redirect(modePath(mode.logId, mode.meetingId), 303);
      }
      // @fastify/view merges reply.locals into every template's data, and the layout reads these two.
      const withLocals = reply as FastifyReply & { locals?: Record<string, unknown> | null };
      withLocals.locals = { ...(withLocals.locals ?? {}), meetingMode: true, bodyClass: 'meeting-mode' };
    });
  },
  { name: 'meeting-mode', dependencies: ['session', 'views'] },
);
