/** Security headers (helmet) and no-store caching for every dynamic response. */
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

export default fp(
  async (app) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          baseUri: ["'self'"],
          ...(app.config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: app.config.secureCookies,
      crossOriginEmbedderPolicy: false,
    });
    app.addHook('onSend', async (request, reply, payload) => {
      if (!request.url.startsWith('/public/') && request.url !== '/favicon.ico') {
        reply.header('Cache-Control', 'no-store');
        reply.header('Vary', 'HX-Request, Cookie');
      }
      return payload;
    });
  },
  { name: 'security', dependencies: ['config'] },
);
