/**
 * CSRF: every POST must carry the token from the form's hidden "_csrf" field (or the X-CSRF-Token
 * header). Checked in preHandler, when the form body has been parsed. Missing or wrong token: 403.
 */
import fp from 'fastify-plugin';
import csrf from '@fastify/csrf-protection';

export default fp(
  async (app) => {
    await app.register(csrf, { sessionPlugin: '@fastify/secure-session' });
    app.addHook('preHandler', (request, reply, done) => {
      if (request.method === 'POST') return app.csrfProtection(request, reply, done);
      done();
    });
  },
  { name: 'csrf', dependencies: ['session'] },
);
