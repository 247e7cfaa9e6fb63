/**
 * Drafts while typing (JavaScript only, public/js/session.js): long texts are saved every few seconds
 * per person, form action and field, sealed at rest, and offered again when the form is opened with
 * the field empty. A successful post to the form's action removes its drafts. Registered with
 * fastify-plugin so that last hook sees every route's answers.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { asBody, str } from '../../lib/form.js';
import { seal, sealKey, unseal } from '../../lib/seal.js';
import { safeLocalPath } from '../../plugins/views.js';

export const DRAFT_DAYS = 7;
export const DRAFT_MAX = 100_000;
const FIELD = /^[A-Za-z0-9_.[\]-]{1,100}$/;
const PRUNE_EVERY_MS = 60_000;

const associated = (userId: number, path: string, field: string) => `draft:${userId}:${path}:${field}`;

function formPath(value: unknown): string {
  const path = safeLocalPath(value, '');
  return path && path.length <= 500 && !path.includes('#') ? path.split('?')[0]! : '';
}

export default fp(
  async (app: FastifyInstance) => {
    const key = sealKey(app.config.sessionKey, 'drafts');
    // Registered before the services are built (src/app.ts): they are looked up when a request comes.
    const store = () => app.services.access.drafts;
    let prunedAt = 0;

    const signedIn = (request: FastifyRequest) => request.user;

    app.get('/drafts', async (request, reply) => {
      const user = signedIn(request);
      if (!user) return reply.code(401).send({ expired: true });
      const path = formPath((request.query as Record<string, unknown>).path);
      if (!path) return reply.code(400).send({ drafts: [] });
      const rows = await store().unexpired(user.id, path, app.now());
      const drafts = rows
        .map((r) => ({
          field: r.field,
          text: unseal(key, r.sealed, associated(user.id, path, r.field)),
          savedAt: r.updated_at,
        }))
        .filter((d) => d.text);
      return { drafts };
    });

    app.post('/drafts', async (request, reply) => {
      const user = signedIn(request);
      if (!user) return reply.code(401).send({ expired: true });
      const body = asBody(request.body);
      const path = formPath(str(body, 'path'));
      const field = str(body, 'field');
      const text = str(body, 'text');
      if (!path || !FIELD.test(field) || text.length > DRAFT_MAX)
        return reply.code(400).send({ saved: false });
      const now = app.now();
      if (now.getTime() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = now.getTime();
        await store().removeExpired(now);
      }
      const where = { user_id: user.id, path, field };
      if (text.trim() === '') {
        await store().remove(where);
      } else {
        await store().save(where, {
          sealed: seal(key, text, associated(user.id, path, field)),
          updated_at: now,
          expires_at: new Date(now.getTime() + DRAFT_DAYS * 86_400_000),
        });
      }
      return { saved: true };
    });

    // The form was sent and taken: its drafts are done with. (422 and 409 keep them: the text is not saved yet.)
    // (onSend, not onResponse: done before the answer leaves, so the next page never offers it.)
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.method !== 'POST' || !request.user || reply.statusCode < 200 || reply.statusCode >= 400)
        return payload;
      const path = request.url.split('?')[0]!;
      if (path !== '/drafts') await store().remove({ user_id: request.user.id, path });
      return payload;
    });
  },
  { name: 'drafts', dependencies: ['auth', 'csrf'] },
);
