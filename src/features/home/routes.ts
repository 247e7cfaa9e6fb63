import type { FastifyInstance } from 'fastify';

export default async function homeRoutes(app: FastifyInstance) {
  app.get('/', { preHandler: app.requireUser }, async (request, reply) => {
    const user = request.user!;
    const children = user.kind === 'staff' ? [] : await app.services.home.childrenOf(user.id);
    return reply.page('home/page', { children });
  });

  // Browsers ask for a favicon on every page; answer cheaply instead of with a 404 page and a session lookup.
  app.get('/favicon.ico', async (_request, reply) =>
    reply.code(204).header('Cache-Control', 'public, max-age=86400').send(),
  );
}
