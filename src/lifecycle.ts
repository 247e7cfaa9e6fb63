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
      try {
        await app.close();
      } catch (error) {
        app.log.error({ err: error }, 'error while closing');
        code = 1;
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
