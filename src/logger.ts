/**
 * Fastify's logger (pino): what a log line may hold. Never query strings, bodies or cookies, and never
 * an error's values: every `err` goes through safeError (lib/safe-error.ts), and a line whose message
 * is an error's own message gets the safe message instead. Applies to every logger of the app,
 * request loggers and app.log alike (jobs, PDF printing, shutdown).
 */
import type { FastifyServerOptions } from 'fastify';
import { safeError, safeMessage } from './lib/safe-error.js';

export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: {
      req: (req) => ({ method: req.method, url: req.url.split('?')[0], id: req.id }),
      err: (err: unknown) => safeError(err),
      error: (err: unknown) => safeError(err),
    },
    hooks: {
      // log.error(err) and log.error({ err }, err.message) would write the raw message as `msg`.
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        const err = first instanceof Error ? first : (first as { err?: unknown } | null)?.err;
        if (!err || typeof first !== 'object') return method.apply(this, args);
        const raw = (err as { message?: unknown }).message;
        if (typeof rest[0] !== 'string') rest.unshift(safeMessage(err));
        else if (rest[0] === raw) rest[0] = safeMessage(err);
        const fields = first instanceof Error ? { err: first } : first;
        return method.apply(this, [fields, ...rest] as Parameters<typeof method>);
      },
    },
  };
}
