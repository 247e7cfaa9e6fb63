/**
 * Rules for glimmers: anyone in the log with 'glimmer.write' posts one, optionally tied to a concern they
 * see; then only those who see that concern see it (rule 8). Only the author edits it. Newest first on
 * the log page and in a feed per person across their logs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { osloDate } from '../../lib/dates.js';
import { newFormToken } from '../../lib/form.js';
import type { Once } from '../../db/handles.js';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import type { NotesService } from '../notes/index.js';
import type { GlimmerRow, GlimmersRepository, LogVisibility } from './repository.js';
import type { GlimmerParsed, GlimmerValues } from './form.js';
import { formatDateTime } from '../../lib/oslo-time.js';
import { section } from '../logs/index.js';

/** Glimmers shown on the log page; the rest are on the log's glimmer page. */
export const LOG_PAGE_GLIMMERS = 20;
const FEED_SIZE = 50;
const ALL_SIZE = 500;

export interface GlimmerView {
  id: number;
  logId: number;
  text: string;
  authorName: string;
  authorRole: string;
  when: string;
  at: string;
  edited: boolean;
  concernTitle: string | null;
  mine: boolean;
  childFirstName?: string;
}

/** What the service needs. */
export type GlimmersDeps = Pick<FastifyInstance, 'now' | 'audit'> & {
  repository: GlimmersRepository;
  once: Once;
  notes: Pick<NotesService, 'visibleConcerns'>;
};

export function glimmersService(deps: GlimmersDeps) {
  const { repository } = deps;

  const present =
    (request: FastifyRequest) =>
    (row: GlimmerRow & { child_first_name?: string }): GlimmerView => ({
      id: row.id,
      logId: row.log_id,
      text: row.text,
      authorName: row.author_name,
      authorRole: row.author_role,
      when: formatDateTime(row.created_at, request.locale),
      at: row.created_at.toISOString(),
      edited: row.edited_at !== null,
      concernTitle: row.concern_title,
      mine: row.author_id === request.user?.id,
      ...(row.child_first_name ? { childFirstName: row.child_first_name } : {}),
    });

  /** The concerns of the log this person sees (what they may tie a glimmer to), and what they see of the log. */
  async function scope(a: LogAccess) {
    const concerns = await deps.notes.visibleConcerns(a);
    const visibility: LogVisibility = { logId: a.log.id, concernIds: concerns.map((c) => c.id) };
    return { concerns, visibility };
  }

  const service = {
    scope,

    async childFirstName(a: LogAccess): Promise<string> {
      return (await repository.childFirstName(a.log.id)) ?? '';
    },

    newValues(): GlimmerValues {
      return { text: '', concernId: '', formToken: newFormToken() };
    },

    /** The glimmer section of the log page and the family's (registered in routes.ts). */
    logPageSection: section({
      parts: ({ access, concernIds }) =>
        repository.logPageParts(access.log.id, concernIds, LOG_PAGE_GLIMMERS),
      build: (data, { request, access, formToken }) => ({
        glimmers: data.glimmers.map(present(request)),
        glimmerTotal: data.glimmers[0]?.total ?? 0,
        glimmerForm: {
          canPost: access.can('glimmer.write'),
          concerns: data.concerns.filter((c) => c.status === 'active'),
          values: { text: '', concernId: '', formToken: formToken() } as GlimmerValues,
          errors: [] as { text: string; href: string }[],
        },
      }),
    }),

    /** Everything the glimmer section needs; `form` carries typed values and errors after a failed post. */
    async section(
      request: FastifyRequest,
      a: LogAccess,
      form: { values: GlimmerValues; errors: { text: string; href: string }[] } = {
        values: service.newValues(),
        errors: [],
      },
      known?: Awaited<ReturnType<typeof scope>>,
    ) {
      const { concerns, visibility } = known ?? (await scope(a));
      const rows = await repository.listForLog(visibility, LOG_PAGE_GLIMMERS);
      return {
        glimmers: rows.map(present(request)),
        glimmerTotal: rows[0]?.total ?? 0,
        glimmerForm: {
          canPost: a.can('glimmer.write'),
          concerns: concerns.filter((c) => c.status === 'active'),
          values: form.values,
          errors: form.errors,
        },
      };
    },

    /** Every glimmer of one log the person sees, newest first. */
    async allForLog(request: FastifyRequest, a: LogAccess) {
      const { visibility } = await scope(a);
      return (await repository.listForLog(visibility, ALL_SIZE)).map(present(request));
    },

    /** Creates the glimmer (once per form token); returns its id, or the id the first submit made. */
    async create(
      request: FastifyRequest,
      a: LogAccess,
      values: GlimmerValues,
      parsed: GlimmerParsed,
    ): Promise<number> {
      const user = request.user!;
      const done = await deps.once(values.formToken, user.id, async (trx) => {
        const glimmerId = await repository.insert(trx, {
          log_id: a.log.id,
          concern_id: parsed.concernId,
          author_id: user.id,
          author_role: a.role,
          text: parsed.text,
          created_at: deps.now(),
        });
        await deps.audit(
          request,
          {
            action: 'glimmer.create',
            objectType: 'glimmer',
            objectId: glimmerId,
            logId: a.log.id,
            role: a.role,
          },
          trx,
        );
        return String(glimmerId);
      });
      return Number(done.result);
    },

    /** The author's own glimmer in this log, as they may still see it; otherwise NotFoundError. */
    async own(request: FastifyRequest, a: LogAccess, glimmerId: number | null): Promise<GlimmerRow> {
      const row = glimmerId ? await repository.find(a.log.id, glimmerId) : undefined;
      if (
        !row ||
        row.author_id !== request.user!.id ||
        (row.concern_id !== null && !a.can('concern.read', row.concern_id))
      ) {
        await deps.audit(request, {
          action: 'denied:glimmer.update',
          objectType: 'glimmer',
          objectId: glimmerId,
          logId: a.log.id,
          outcome: 'denied',
          role: a.role,
        });
        throw new NotFoundError();
      }
      return row;
    },

    /** A visible glimmer of the log (for the htmx "cancel" that swaps the item back). */
    async visible(request: FastifyRequest, a: LogAccess, glimmerId: number | null): Promise<GlimmerView> {
      const row = glimmerId ? await repository.find(a.log.id, glimmerId) : undefined;
      if (!row || (row.concern_id !== null && !a.can('concern.read', row.concern_id)))
        throw new NotFoundError();
      return present(request)(row);
    },

    async update(
      request: FastifyRequest,
      a: LogAccess,
      row: GlimmerRow,
      parsed: GlimmerParsed,
    ): Promise<GlimmerView> {
      const user = request.user!;
      const ok = await repository.update(
        row.id,
        user.id,
        { text: parsed.text, concern_id: parsed.concernId },
        deps.now(),
      );
      if (!ok) throw new NotFoundError();
      await deps.audit(request, {
        action: 'glimmer.update',
        objectType: 'glimmer',
        objectId: row.id,
        logId: a.log.id,
        role: a.role,
      });
      return present(request)((await repository.find(a.log.id, row.id))!);
    },

    /** The person's feed: glimmers they may see in every log they take part in, newest first. */
    async feed(request: FastifyRequest) {
      const user = request.user!;
      const logIds = await repository.logIdsOf(user.id, osloDate(deps.now()));
      const accesses: LogAccess[] = [];
      for (const logId of logIds) {
        const a = await request.logAccess(String(logId), 'log.read').catch((error) => {
          if (error instanceof NotFoundError) return null;
          throw error;
        });
        if (a) accesses.push(a);
      }
      const scopes = await Promise.all(accesses.map(scope));
      const rows = await repository.listForFeed(
        scopes.map((s) => s.visibility),
        FEED_SIZE,
      );
      const shownLogs = [...new Set(rows.map((r) => r.log_id))];
      for (const logId of shownLogs) {
        const a = accesses.find((x) => x.log.id === logId)!;
        await deps.audit(request, {
          action: 'glimmer.feed.read',
          objectType: 'log',
          objectId: logId,
          logId,
          role: a.role,
        });
      }
      const logs = await Promise.all(
        accesses.map(async (a) => ({
          id: a.log.id,
          childFirstName: await service.childFirstName(a),
          canPost: a.can('glimmer.write'),
        })),
      );
      return { glimmers: rows.map(present(request)), logs };
    },
  };
  return service;
}

export type GlimmersService = ReturnType<typeof glimmersService>;
