/**
 * Counts the SQL round trips each request makes (every statement sent through app.db: BEGIN and
 * COMMIT included) and answers the number in an `x-query-count` header. For tests and the benchmark
 * only (buildApp's `countQueries`), never in production: it keeps an AsyncLocalStorage context per
 * request, which on Node 20 slows every promise in the process a little.
 *
 *   const app = await buildApp({ config, db, countQueries: true });
 *   const res = await app.inject({ url: '/logs/1', headers: { cookie } });
 *   res.headers['x-query-count']   // '21'
 *
 * A statement counts for the request whose handling started it, also when it runs after an await or
 * inside a transaction; statements of background jobs count for no request. The header is set when
 * the answer is sent, so a statement started after that (none today) would not be counted.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fp from 'fastify-plugin';
import { onEveryStatement } from '../../db/plugins.js';

export const QUERY_COUNT_HEADER = 'x-query-count';

interface Tally {
  count: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** SQL statements this request has sent so far (only with buildApp's `countQueries`). */
    queryCount: number;
  }
}

export default fp(
  async (app) => {
    const current = new AsyncLocalStorage<Tally>();
    const tallies = new WeakMap<object, Tally>();
    const onQuery = () => {
      const tally = current.getStore();
      if (tally) tally.count += 1;
    };
    const stop = onEveryStatement(app.db, onQuery);
    app.addHook('onClose', async () => {
      stop();
    });

    app.decorateRequest('queryCount', {
      getter(this: object) {
        return tallies.get(this)?.count ?? 0;
      },
    });
    // The rest of the request (hooks, handler, and what they start) runs inside the tally's context.
    app.addHook('onRequest', (request, _reply, done) => {
      const tally: Tally = { count: 0 };
      tallies.set(request, tally);
      current.run(tally, done);
    });
    app.addHook('onSend', async (request, reply, payload) => {
      reply.header(QUERY_COUNT_HEADER, String(request.queryCount));
      return payload;
    });
  },
  { name: 'query-count', dependencies: ['config'] },
);
