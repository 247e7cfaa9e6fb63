/**
 * Graceful shutdown on SIGTERM and SIGINT, however many of them arrive (a terminal's Ctrl-C and npm
 * each send one). In order:
 *  1. stop listening: new connections are refused;
 *  2. answer every request the server has received, and any that still arrives on an open connection,
 *     with `Connection: close`, so each connection ends after its answer;
 *  3. close connections that carry no request once they have been idle for `idleMs` counted from the
 *     signal (a request already on its way is read and answered, never cut off unread);
 *  4. stop the background jobs (a running job finishes), then app.close() (mail, the PDF browser),
 *     then `cleanup` (the database);
 *  5. exit 0, or 1 if something failed or requests were still running after `limitMs`.
 */
import net from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

export interface ShutdownOptions {
  exit?: (code: number) => void;
  /** How long a connection without a request stays open after the signal (default 1 s). */
  idleMs?: number;
  /** How long requests may run after the signal before their connections are cut (default 25 s). */
  limitMs?: number;
}

interface Connection {
  responses: Set<ServerResponse>;
  idleSince: number;
}

/** Follows the server's connections and their requests, and drains them when asked. */
export function connectionDrainer(server: Server) {
  const connections = new Map<net.Socket, Connection>();
  let draining = false;
  server.on('connection', (socket: net.Socket) => {
    connections.set(socket, { responses: new Set(), idleSince: Date.now() });
    socket.once('close', () => connections.delete(socket));
  });
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const connection = connections.get(request.socket);
    if (draining) response.setHeader('connection', 'close');
    if (!connection) return;
    connection.responses.add(response);
    response.once('close', () => {
      connection.responses.delete(response);
      connection.idleSince = Date.now();
    });
  });

  /** Resolves true when every connection has ended, false when `limitMs` cut some off. */
  return async function drain(idleMs: number, limitMs: number): Promise<boolean> {
    draining = true;
    for (const { responses } of connections.values()) {
      for (const response of responses) if (!response.headersSent) response.setHeader('connection', 'close');
    }
    // Take the connections the kernel has already accepted before the listening socket closes.
    await new Promise((resolve) => setImmediate(resolve));
    const signalled = Date.now();
    // net.Server's close: stop listening only. http.Server's close() also drops every connection
    // without a request at once, including one whose request has arrived but is not read yet.
    const ended = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
    const reaper = setInterval(
      () => {
        const now = Date.now();
        for (const [socket, connection] of connections) {
          if (connection.responses.size === 0 && now - Math.max(connection.idleSince, signalled) >= idleMs)
            socket.destroy();
        }
      },
      Math.min(100, idleMs),
    );
    let timer: NodeJS.Timeout | undefined;
    const cutOff = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), limitMs)));
    const complete = await Promise.race([ended.then(() => true as const), cutOff]);
    clearInterval(reaper);
    clearTimeout(timer);
    if (!complete) {
      for (const socket of connections.keys()) socket.destroy();
      await ended;
    }
    return complete;
  };
}

export function onShutdownSignals(
  app: FastifyInstance,
  cleanup: () => Promise<void>,
  options: ShutdownOptions = {},
): () => Promise<void> {
  const { exit = (code: number) => process.exit(code), idleMs = 1000, limitMs = 25_000 } = options;
  const drain = connectionDrainer(app.server);
  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= (async () => {
      let code = 0;
      const step = async (what: string, fn: () => Promise<unknown>) => {
        try {
          await fn();
        } catch (error) {
          app.log.error({ err: error }, `shutdown: ${what} failed`);
          code = 1;
        }
      };
      app.log.info('shutdown: answering the requests received, refusing new connections');
      await step('draining requests', async () => {
        if (app.server.listening && !(await drain(idleMs, limitMs))) {
          app.log.error(`shutdown: requests still running after ${limitMs} ms were cut off`);
          code = 1;
        }
      });
      await step('stopping jobs', () => app.jobs.stop());
      await step('closing the app', () => app.close());
      await step('cleanup', cleanup);
      app.log.info('shutdown: done');
      exit(code);
    })();
    return closing;
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  return shutdown;
}

/**
 * For scripts that run to an end (benchmarks, database tasks): on the first SIGINT or SIGTERM run
 * `cleanup` once (stop the database they started, remove its folder), then exit 130 or 143 as the
 * signal would have, instead of leaving a PostgreSQL running.
 */
export function exitOnSignals(cleanup: () => Promise<unknown>): void {
  let stopping = false;
  const stop = (signal: 'SIGINT' | 'SIGTERM') => {
    if (stopping) return;
    stopping = true;
    cleanup()
      .catch((error: Error) => console.error(`cleanup after ${signal} failed: ${error.message}`))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
