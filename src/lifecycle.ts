/** Graceful shutdown: stop taking requests (new ones get 503), let in-flight ones finish, then close. */
import type { FastifyInstance } from 'fastify';

export function onShutdownSignals(
  app: FastifyInstance,
  cleanup: () => Promise<void>,
  exit: (code: number) => void = (code) => process.exit(code),
): () => Promise<void> {
  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= (async () => {
      let code = 0;
      // A keep-alive connection whose request finishes during the drain would otherwise stay open
      // until Fastify's keepAliveTimeout (72 s) and hold up the exit: close such connections as they go idle.
      const reaper = setInterval(() => app.server.closeIdleConnections(), 100);
      try {
        await app.close();
      } catch (error) {
        app.log.error({ err: error }, 'error while closing');
        code = 1;
      } finally {
        clearInterval(reaper);
      }
      try {
        await cleanup();
      } catch (error) {
        app.log.error({ err: error }, 'error during cleanup');
        code = 1;
      }
      exit(code);
    })();
    return closing;
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return shutdown;
}
