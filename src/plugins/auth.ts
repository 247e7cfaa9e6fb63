/**
 * Guards for routes: signed in, and by kind of person. Deeper per-object checks live with the features
 * (features/access). A form posted after the session expired is kept for its author before they are
 * sent to sign in again. Every route is recorded in app.routeTable, so the access matrix test can
 * require a row for each one.
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { asBody } from '../lib/form.js';
import { discardForm, keepForm } from './saved-forms/index.js';

export interface RouteEntry {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    requireUser(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
    /** Every route registered after this plugin: method and URL pattern. */
    routeTable: RouteEntry[];
  }
}

declare module '@fastify/secure-session' {
  interface SessionData {
    /** A form kept after the session expired: the login page says so. */
    savedForm: string;
  }
}

/** Posts that are never kept: signing in and out, and the background requests of the page's scripts. */
const NOT_KEPT = /^\/(login|logout|language|session\/|drafts)/;

export default fp(
  async (app) => {
    const routeTable: RouteEntry[] = [];
    app.decorate('routeTable', routeTable);
    app.addHook('onRoute', (route) => {
      for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
        routeTable.push({ method, url: route.url ?? route.path });
      }
    });

    app.decorate('requireUser', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.user) return undefined;
      if (request.method === 'POST' && request.expiredUserId && !NOT_KEPT.test(request.url)) {
        const id = await keepForm(app, request, request.expiredUserId);
        if (id) request.session.set('savedForm', id);
      }
      const next = request.method === 'GET' ? request.url : '';
      if (next) request.session.set('next', next);
      const target = `/login${request.sessionExpired ? '?expired=1' : ''}`;
      if (request.headers['hx-request'] === 'true') {
        // htmx would follow a redirect inside the page: have it load the login page instead.
        reply.header('HX-Redirect', target);
        return reply.code(204).send();
      }
      return reply.redirect(target, 303);
    });

    // A kept form sent again from the restore page: once it has reached its route, it is no longer kept.
    // (onSend, not onResponse: done before the answer leaves, so the next request never sees it.)
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.method !== 'POST' || !request.user) return payload;
      const restored = asBody(request.body)._restored;
      if (
        restored === undefined ||
        reply.statusCode === 403 ||
        reply.statusCode === 404 ||
        reply.statusCode >= 500
      )
        return payload;
      await discardForm(app, request.user.id, restored);
      return payload;
    });
  },
  { name: 'auth', dependencies: ['session'] },
);
