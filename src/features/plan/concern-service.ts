/** Rules for concerns: the holder creates one once per form token and saves one only over the version read. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../../types.js';
import type { Once } from '../../db/handles.js';
import type { ConcernParsed } from './concern-form.js';
import type { ConcernRepository } from './concern-repository.js';

export type SaveResult = { ok: true; id: number } | { ok: false; conflict: Record<string, unknown> };

/** What the service needs. */
export type ConcernDeps = Pick<FastifyInstance, 'now' | 'audit'> & {
  repository: ConcernRepository;
  once: Once;
};

export function concernService(deps: ConcernDeps) {
  const { repository } = deps;
  return {
    /** The municipality's concern categories, in their order. */
    categories(user: CurrentUser) {
      return repository.categories(user.municipalityId);
    },

    find(logId: number, concernId: number) {
      return repository.find(logId, concernId);
    },

    async create(
      request: FastifyRequest,
      logId: number,
      parsed: ConcernParsed,
      formToken: string,
    ): Promise<string> {
      const user = request.user!;
      const done = await deps.once(formToken, user.id, async (trx) => {
        const id = await repository.insert(trx, {
          ...parsed,
          log_id: logId,
          created_by: user.id,
          created_at: deps.now(),
          updated_at: deps.now(),
        });
        await deps.audit(
          request,
          { action: 'concern.create', objectType: 'concern', objectId: id, logId, role: 'holder' },
          trx,
        );
        return `/logs/${logId}#concern-${id}`;
      });
      return done.result || `/logs/${logId}`;
    },

    /** Saves only if nobody saved in between (version); otherwise returns the saved row for the conflict page. */
    async update(
      request: FastifyRequest,
      logId: number,
      concernId: number,
      version: number,
      parsed: ConcernParsed,
    ): Promise<SaveResult> {
      const saved = await repository.update(logId, concernId, version, { ...parsed, updated_at: deps.now() });
      if (!saved) {
        const current = await repository.find(logId, concernId);
        return { ok: false, conflict: current ?? {} };
      }
      await deps.audit(request, {
        action: 'concern.update',
        objectType: 'concern',
        objectId: concernId,
        logId,
        role: 'holder',
      });
      return { ok: true, id: concernId };
    },
  };
}

export type ConcernService = ReturnType<typeof concernService>;
