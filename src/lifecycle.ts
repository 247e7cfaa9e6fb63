/**
 * Graceful shutdown on SIGTERM and SIGINT, however many of them arrive (a terminal's Ctrl-C and npm
 * each send one). In order:
 *  1. answer every request the server has received, and any that still arrives on an open connection;
 *  2. keep listening until no new connection has come for `quietMs` (at most `graceMs`): a new connection
 *     that asks for a page (GET or HEAD) is answered 503 with `Retry-After`, which tells a load balancer
 *     to send elsewhere (nginx retries it on the next instance and leaves this one alone), and anything
 *     else on it (a form post) is answered as usual. Connections stay open meanwhile, so a browser (or
 *     a load balancer with keep-alive) goes on on the one it has instead of opening another. Then stop
 *     listening, so later connections are refused, and answer on every connection with
 *     `Connection: close`, so each ends after its next answer. Closing a listening socket resets the
 *     connections the kernel has accepted for it but the server has not taken yet, and a load balancer
 *     never retries a post it has sent: so it closes only once nobody is connecting, and tells nobody to
 *     reconnect before then;
 *  3. close connections that carry no request once they have been idle for `idleMs` counted from the
 *     signal (a request already on its way is read and answered, never cut off unread), or `idleMs` and
 *     the Retry-After second for a connection opened after the signal;
 *  4. stop the background jobs (a running job finishes), then app.close() (mail, the PDF browser),
 *     then `cleanup` (the database);
 *  5. exit 0, or 1 if something failed or requests were still running after `limitMs`.
 */
import net from 'node:net';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

export interface ShutdownOptions {
  exit?: (code: number) => void;
  /** How long a connection without a request stays open after the signal (default 1 s). */
  idleMs?: number;
  /** How long requests may run after the signal before their connections are cut (default 25 s). */
  limitMs?: number;
  /** Stop listening once no new connection has come for this long (default 200 ms)… */
  quietMs?: number;
  /** …or this long after the signal at the latest (default 5 s). */
  graceMs?: number;
}

export type DrainTimes = Required<Pick<ShutdownOptions, 'idleMs' | 'limitMs' | 'quietMs' | 'graceMs'>>;

interface Connection {
  responses: Set<ServerResponse>;
  idleSince: number;
  /** Accepted after the signal. */
  late: boolean;
}

/** Seconds a page request turned away is told to wait. */
const RETRY_AFTER_S = 1;

const TURNED_AWAY = `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Stafett starter på nytt</title></head>
<body><h1>Stafett starter på nytt</h1><p>Prøv igjen om et øyeblikk.</p></body></html>
`;

/** Follows the server's connections and their requests, and drains them when asked. */
export function connectionDrainer(server: Server) {
  const connections = new Map<net.Socket, Connection>();
  let draining = false;
  /** The listening socket is closed: every answer ends its connection. */
  let closing = false;
  let lastConnectionAt = 0;
  let turnedAway = 0;
  server.on('connection', (socket: net.Socket) => {
    connections.set(socket, { responses: new Set(), idleSince: Date.now(), late: draining });
    if (draining) lastConnectionAt = Date.now();
    socket.once('close', () => connections.delete(socket));
  });
  // Every request passes here first: the application's own listeners run only for what is not turned away.
  const handlers = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const connection = connections.get(request.socket);
    if (closing) response.setHeader('connection', 'close');
    if (connection) {
      connection.responses.add(response);
      response.once('close', () => {
        connection.responses.delete(response);
        connection.idleSince = Date.now();
      });
      if (connection.late && (request.method === 'GET' || request.method === 'HEAD')) {
        turnedAway += 1;
        request.resume();
        response.writeHead(503, {
          'content-type': 'text/html; charset=utf-8',
          'retry-after': String(RETRY_AFTER_S),
          'cache-control': 'no-store',
        });
        response.end(request.method === 'HEAD' ? undefined : TURNED_AWAY);
        return;
      }
    }
    for (const handler of handlers) handler.call(server, request, response);
  });

  /**
   * Resolves once every connection has ended (`complete`) or `limitMs` cut some off, with the number of
   * page requests answered 503 on connections opened after the signal.
   */
  return async function drain(times: DrainTimes): Promise<{ complete: boolean; turnedAway: number }> {
    const { idleMs, limitMs, quietMs, graceMs } = times;
    draining = true;
    const signalled = Date.now();
    lastConnectionAt = signalled;
    const reaper = setInterval(
      () => {
        const now = Date.now();
        for (const [socket, connection] of connections) {
          // Someone told to come back in a second may come back on the same connection.
          const limit = connection.late ? idleMs + RETRY_AFTER_S * 1000 : idleMs;
          if (connection.responses.size === 0 && now - Math.max(connection.idleSince, signalled) >= limit)
            socket.destroy();
        }
      },
      Math.min(100, idleMs),
    );
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    while (Date.now() - lastConnectionAt < quietMs && Date.now() - signalled < Math.min(graceMs, limitMs))
      await sleep(Math.max(1, Math.min(25, quietMs - (Date.now() - lastConnectionAt))));
    // Take the connections the kernel has already accepted before the listening socket closes.
    await new Promise((resolve) => setImmediate(resolve));
    closing = true;
    for (const { responses } of connections.values()) {
      for (const response of responses) if (!response.headersSent) response.setHeader('connection', 'close');
    }
    // net.Server's close: stop listening only. http.Server's close() also drops every connection
    // without a request at once, including one whose request has arrived but is not read yet.
    const ended = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const cutOff = new Promise<false>(
      (resolve) =>
        (timer = setTimeout(() => resolve(false), Math.max(0, limitMs - (Date.now() - signalled)))),
    );
    const complete = await Promise.race([ended.then(() => true as const), cutOff]);
    clearInterval(reaper);
    clearTimeout(timer);
    if (!complete) {
      for (const socket of connections.keys()) socket.destroy();
      await ended;
    }
    return { complete, turnedAway };
  };
}

export function onShutdownSignals(
  app: FastifyInstance,
  cleanup: () => Promise<void>,
  options: ShutdownOptions = {},
): () => Promise<void> {
  const {
    exit = (code: number) => process.exit(code),
    idleMs = 1000,
    limitMs = 25_000,
    quietMs = 200,
    graceMs = 5000,
  } = options;
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
      app.markStopping(); // /readyz answers 503 "stopping" on connections still open
      app.log.info('shutdown: answering the requests received, turning new page requests away');
      await step('draining requests', async () => {
        if (!app.server.listening) return;
        const { complete, turnedAway } = await drain({ idleMs, limitMs, quietMs, graceMs });
        if (turnedAway > 0) app.log.info(`shutdown: ${turnedAway} new page requests answered 503`);
        if (!complete) {
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
