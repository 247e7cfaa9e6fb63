/**
 * Forms posted after the session had expired: the posted fields are kept on the server, sealed
 * (AES-256-GCM, tied to the user), for a limited time. After the same user signs in again they get
 * the form back, filled in, ready to send (features/access/restore.ts); nobody else ever sees it.
 * Used by the auth plugin (keeping) and the sign-in and restore routes (finding, discarding).
 * Its SQL is in repository.ts.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { seal, sealKey, unseal } from '../../lib/seal.js';
import { safeLocalPath } from '../views.js';
import { savedFormsRepository, type SavedFormsRepository } from './repository.js';

/** How long a kept form waits for its author to sign in again. */
export const SAVED_FORM_HOURS = 24;
/** At most this many kept forms per person (the newest). */
const MAX_PER_USER = 5;

export interface SavedForm {
  id: string;
  path: string;
  createdAt: Date;
  /** The page the form was on (same site only), '' if unknown. */
  from: string;
  fields: [string, string][];
}

const keys = new WeakMap<FastifyInstance, Buffer>();
function keyOf(app: FastifyInstance): Buffer {
  let key = keys.get(app);
  if (!key) {
    key = sealKey(app.config.sessionKey, 'saved-forms');
    keys.set(app, key);
  }
  return key;
}

const repositories = new WeakMap<FastifyInstance, SavedFormsRepository>();
function repositoryOf(app: FastifyInstance): SavedFormsRepository {
  let repository = repositories.get(app);
  if (!repository) {
    repository = savedFormsRepository(app.db);
    repositories.set(app, repository);
  }
  return repository;
}

const associated = (userId: number, id: string) => `saved-form:${userId}:${id}`;

/** The posted fields worth keeping: strings, in order, without the CSRF token, markers or passwords. */
export function keptFields(body: unknown): [string, string][] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const fields: [string, string][] = [];
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    if (name.startsWith('_') || /password/i.test(name) || name.length > 100) continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (typeof value === 'string') fields.push([name, value]);
    }
  }
  return fields;
}

function refererPath(request: FastifyRequest): string {
  const referer = request.headers.referer;
  if (typeof referer !== 'string') return '';
  try {
    const url = new URL(referer);
    if (url.host !== request.headers.host) return '';
    return safeLocalPath(url.pathname + url.search, '');
  } catch {
    return '';
  }
}

/** Keeps the form this request posted for `userId`; returns its id, or null when there was nothing to keep. */
export async function keepForm(
  app: FastifyInstance,
  request: FastifyRequest,
  userId: number,
): Promise<string | null> {
  const fields = keptFields(request.body);
  const path = safeLocalPath(request.url, '');
  if (fields.length === 0 || !path || path.length > 500) return null;
  const id = randomUUID();
  const now = app.now();
  const plaintext = JSON.stringify({ from: refererPath(request), fields });
  await repositoryOf(app).keep(
    {
      id,
      user_id: userId,
      method: request.method,
      path,
      sealed: seal(keyOf(app), plaintext, associated(userId, id)),
      created_at: now,
      expires_at: new Date(now.getTime() + SAVED_FORM_HOURS * 3_600_000),
    },
    now,
    MAX_PER_USER,
  );
  return id;
}

/** The person's kept forms that have not expired, newest first (those that no longer open are dropped). */
export async function pendingForms(app: FastifyInstance, userId: number): Promise<SavedForm[]> {
  const rows = await repositoryOf(app).pending(userId, app.now());
  const forms: SavedForm[] = [];
  for (const row of rows) {
    const text = unseal(keyOf(app), row.sealed, associated(userId, row.id));
    if (text === null) {
      await discardForm(app, userId, row.id);
      continue;
    }
    const parsed = JSON.parse(text) as { from: string; fields: [string, string][] };
    forms.push({
      id: row.id,
      path: row.path,
      createdAt: row.created_at,
      from: parsed.from,
      fields: parsed.fields,
    });
  }
  return forms;
}

export async function hasPendingForms(app: FastifyInstance, userId: number): Promise<boolean> {
  return repositoryOf(app).hasPending(userId, app.now());
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Deletes one of the person's kept forms (another person's id does nothing). */
export async function discardForm(app: FastifyInstance, userId: number, id: unknown): Promise<void> {
  if (typeof id !== 'string' || !UUID.test(id)) return;
  await repositoryOf(app).discard(userId, id);
}
