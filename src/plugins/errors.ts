/**
 * Error pages in the reader's language: 400, 403 (CSRF), 404, 409 (saved at the same time), 413, 429,
 * 500 and 503 when the database cannot be reached. No stack traces outside development, and no error's
 * values in the log (the logger's serializers, src/logger.ts). A form posted while the database is
 * down, or refused because another save got there first, comes back with what was typed. An id in the
 * address that its route's schema refuses (src/lib/route-schemas.ts) is not found, as a missing row is.
 */
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseError } from '../lib/safe-error.js';

const DB_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

export function isDatabaseDown(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { name?: string; code?: string; message?: string; errors?: unknown[] };
  if (e.name === 'KnexTimeoutError') return true;
  if (e.code && DB_DOWN_CODES.has(e.code)) return true;
  if (Array.isArray(e.errors) && e.errors.some(isDatabaseDown)) return true; // AggregateError (IPv4 + IPv6)
  return /Connection terminated|connection timeout|Client was closed|terminating connection/i.test(
    e.message ?? '',
  );
}

/** Fields of a form that nobody types: the CSRF token and markers (`_…`), passwords, the one-time token, versions. */
const NOT_TYPED = /^_|password|^formToken$|^version$/i;

/** Typed text from a posted form, without secrets, to hand back when the post could not be saved. */
export function typedText(body: unknown): { name: string; value: string }[] {
  if (!body || typeof body !== 'object') return [];
  return Object.entries(body as Record<string, unknown>).flatMap(([name, raw]) => {
    if (NOT_TYPED.test(name)) return [];
    // Several values under one name (checkboxes, repeated fields): one line each.
    const values = (Array.isArray(raw) ? raw : [raw]).filter(
      (v): v is string => typeof v === 'string' && v.trim() !== '',
    );
    return values.length ? [{ name, value: values.join('\n') }] : [];
  });
}

/**
 * The database refused a save because another one got there first: a unique constraint that a
 * simultaneous post hit (where the feature has no message of its own), a serialization failure or a
 * deadlock. Nothing of this post was saved.
 */
export function isSimultaneousSave(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isDatabaseError(error) && (code === '23505' || code === '40001' || code === '40P01');
}

export async function renderError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  extra: Record<string, unknown> = {},
): Promise<string> {
  reply.code(status);
  try {
    return await reply.page('errors/error', { status, ...extra });
  } catch (renderFailure) {
    request.log.error({ err: renderFailure }, 'error page could not be rendered');
    reply.type('text/plain; charset=utf-8');
    return `${status}`;
  }
}

/** After the route's guards: what its schema refused (see the onRoute hook below). */
async function refuseInvalid(request: FastifyRequest): Promise<void> {
  if (request.validationError) throw request.validationError;
}

export default fp(
  async (app) => {
    app.setNotFoundHandler(async (request, reply) => renderError(request, reply, 404));

    // An answer sent before the request's body has all arrived (an upload refused by its size): the rest
    // of that body would be read as the next request on a kept-alive connection, which then hangs. Say
    // that the connection closes (RFC 9112 9.5) and Node closes it after the answer.
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.raw.complete === false) reply.header('Connection', 'close');
      return payload;
    });

    // A body that cannot be read (a multipart body without its boundary, cut short or malformed) is the
    // sender's mistake: errors raised while it is parsed, before any handler runs, answer 400.
    const readingBody = new WeakSet<FastifyRequest>();
    app.addHook('preParsing', async (request, _reply, payload) => {
      readingBody.add(request);
      return payload;
    });
    app.addHook('preHandler', async (request) => {
      readingBody.delete(request);
    });

    // A route's schema checks its path and query, but the answer waits for the route's own guards (sign-in
    // and the CSRF token run first, as on every address); only then is an id that cannot be one refused.
    app.addHook('onRoute', (route) => {
      if (!route.schema) return;
      route.attachValidation = true;
      route.preHandler = [...[route.preHandler ?? []].flat(), refuseInvalid];
    });

    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (isDatabaseDown(error)) {
        request.log.warn({ code: error.code }, 'database unavailable');
        reply.header('Retry-After', '10');
        return renderError(request, reply, 503, {
          typed: request.method === 'POST' ? typedText(request.body) : [],
        });
      }
      if (isSimultaneousSave(error)) {
        request.log.info({ err: error }, 'saved at the same time: refused');
        return renderError(request, reply, 409, {
          typed: request.method === 'POST' ? typedText(request.body) : [],
        });
      }
      const status =
        error.validationContext === 'params'
          ? 404
          : error.statusCode && error.statusCode >= 400 && error.statusCode < 600
            ? error.statusCode
            : readingBody.has(request)
              ? 400
              : 500;
      if (status === 429) {
        const minutes = Math.max(1, Math.ceil(Number(reply.getHeader('retry-after') ?? 60) / 60));
        return renderError(request, reply, 429, { minutes });
      }
      if (status >= 500) {
        request.log.error({ err: error }, 'request failed');
        return renderError(request, reply, 500, {
          detail: app.config.env === 'development' ? (error.stack ?? String(error)) : '',
        });
      }
      request.log.info({ code: error.code, status }, 'request refused');
      const known = [400, 403, 404, 409, 413, 429].includes(status) ? status : 400;
      return renderError(request, reply, known === status ? status : status, { shownAs: known });
    });
  },
  { name: 'errors', dependencies: ['views'] },
);
