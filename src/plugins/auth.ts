/** Guards for routes: signed in, and by kind of person. Deeper per-object checks live with the features. */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    requireUser(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  }
}

export default fp(
  async (app) => {
    app.decorate('requireUser', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.user) return undefined;
      const next = request.method === 'GET' ? request.url : '';
      if (next) request.session.set('next', next);
      const query = request.sessionExpired ? '?expired=1' : '';
      return reply.redirect(`/login${query}`, 303);
    });
  },
  { name: 'auth', dependencies: ['session'] },
);
