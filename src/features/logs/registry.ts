/**
 * The log page's registry. Logs owns the log page, the family's page, "my logs" and the print; other
 * features add to them without logs importing them: each registers its section from its own plugin,
 * with the SQL parts it needs (sections.ts, one statement for the whole page), how it turns their answer
 * into locals, and where its partial goes:
 *
 *   app.logPage.register({
 *     id: 'relay.status', views: ['log', 'family'], order: 10,
 *     slot: 'notices', partial: '/relay/_log-status',
 *     parts: ({ access }) => repository.logPageParts(access.log.id),
 *     build: (data, ctx) => ({ relay: … }),          // merged into the page's locals; null: nothing to show
 *   });
 *   app.logPage.registerMyLogs({ id: 'relay.myLogs', order: 10, slot: 'lists', partial: '/relay/_my-logs',
 *     parts: (user, today) => …, build: (data, user, today) => ({ relay: … }) });
 *
 * The page templates render a slot's partials in `order` (`it.slots.notices`), so logs shows whatever is
 * registered. The registry takes sections while the app is being built; the first page load seals it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { none, type Parts, type Results } from '../../db/one-statement.js';
import type { AuditInsert } from '../../plugins/audit/index.js';
import type { CurrentUser } from '../../types.js';
import type { LogAccess } from '../../plugins/access/index.js';
import { loadSections, pageContext, section, type PageContext, type Section } from './sections.js';
import type { PageVersions } from './page-cache.js';
import type { PlanPage } from './plan-section.js';

/** The pages built from the registry: the staff log page, the family's page, the printed plan. */
export type LogView = 'log' | 'family' | 'print';
export const LOG_VIEWS: readonly LogView[] = ['log', 'family', 'print'];
/** Where on a page a section's partial goes (views/logs/page.eta, views/family/log.eta). */
export type LogSlot = 'links' | 'notices' | 'beforePlan' | 'afterPlan';
/** Where on "my logs" a section's partial goes (views/logs/list.eta). */
export type MyLogsSlot = 'lists';

export interface LogPageSection<P extends Parts = Parts, T extends object = object> extends Section<
  T | null,
  P
> {
  /** 'feature.what', unique ('relay.status'). */
  id: string;
  /** The pages that show it. */
  views: readonly LogView[];
  /** Its place among the sections of a slot, and the order in which locals are merged. */
  order: number;
  /** The slot its partial goes in: one for every view, or per view. None: the page reads its locals. */
  slot?: LogSlot | Partial<Record<LogView, LogSlot>>;
  /** The partial rendered in the slot, with the page's locals (its own merged in). */
  partial?: string;
}

export interface MyLogsSection<P extends Parts = Parts, T extends object = object> {
  id: string;
  order: number;
  slot?: MyLogsSlot;
  partial?: string;
  parts(user: CurrentUser, today: string): P;
  build(data: Results<P>, user: CurrentUser, today: string): T;
}

/** A loaded page: the plan (logs' own section), every section's locals merged, each slot's partials. */
export interface LoadedLogPage {
  plan: PlanPage;
  locals: Record<string, unknown>;
  slots: Record<LogSlot, string[]>;
  /** The versions of its data, read in the same statement (page-cache.ts); 0 and 0 unless `shared`. */
  versions: PageVersions;
  /** When a section said its content changes (epoch ms), or Infinity (PageContext.changesAt). */
  nextChange: number;
}

export interface LogPageRegistry {
  register<P extends Parts, T extends object>(section: LogPageSection<P, T>): void;
  registerMyLogs<P extends Parts, T extends object>(section: MyLogsSection<P, T>): void;
  /** The sections of one view, in order (seals the registry). */
  sections(view: LogView): readonly LogPageSection[];
  /**
   * The plan and every section of `view` in one statement, with `audit`'s rows written in it.
   * `context` may be a ready PageContext or just the request (or a job's reader) and the access.
   */
  load(
    view: LogView,
    context: PageContext | { request: FastifyRequest; access: LogAccess },
    audit?: AuditInsert,
    /** `shared`: rendered with reply.sharedPage, for the log page's cache (PageContext.formToken). */
    options?: { shared?: boolean },
  ): Promise<LoadedLogPage>;
  /** "My logs": each registered section's parts, to go into the page's one statement. */
  myLogsParts(user: CurrentUser, today: string): Parts;
  /** "My logs": each section's locals merged, and the slot's partials, from the statement's answer. */
  myLogsBuild(
    answer: Record<string, unknown>,
    user: CurrentUser,
    today: string,
  ): { locals: Record<string, unknown>; slots: Record<MyLogsSlot, string[]> };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The log page's registry (features/logs/registry.ts): features register what they add to it. */
    logPage: LogPageRegistry;
  }
}

const SLOTS: readonly LogSlot[] = ['links', 'notices', 'beforePlan', 'afterPlan'];
const byOrder = (a: { order: number; id: string }, b: { order: number; id: string }) =>
  a.order - b.order || a.id.localeCompare(b.id);
/** A section's id as a name in the statement ('relay.status' → 'relay_status'). */
const key = (id: string) => id.replace(/\W/g, '_');

/** Merges `add` into `locals`; two sections giving the same local is a mistake in the code. */
function merge(locals: Record<string, unknown>, add: object, id: string) {
  for (const [name, value] of Object.entries(add)) {
    if (name in locals) throw new Error(`log page section ${id} sets '${name}', which is set already`);
    locals[name] = value;
  }
}

export function logPageRegistry(app: FastifyInstance): LogPageRegistry {
  const all: LogPageSection[] = [];
  const mine: MyLogsSection[] = [];
  let sealed = false;
  const byView = new Map<LogView, LogPageSection[]>();
  const plan = app.services.logs.planSection;

  const add = <S extends { id: string }>(list: S[], section: S) => {
    if (sealed) throw new Error(`log page section ${section.id} registered after the first page load`);
    if (all.some((s) => s.id === section.id) || mine.some((s) => s.id === section.id))
      throw new Error(`log page section ${section.id} registered twice`);
    list.push(section);
  };
  const seal = () => {
    if (sealed) return;
    sealed = true;
    for (const view of LOG_VIEWS) byView.set(view, all.filter((s) => s.views.includes(view)).sort(byOrder));
    mine.sort(byOrder);
  };
  const slotOf = (section: LogPageSection, view: LogView) =>
    typeof section.slot === 'string' ? section.slot : section.slot?.[view];

  const sectionsOf = (view: LogView) => {
    seal();
    return byView.get(view)!;
  };

  return {
    register(section) {
      add(all, section as unknown as LogPageSection);
    },
    registerMyLogs(section) {
      add(mine, section as unknown as MyLogsSection);
    },
    sections: sectionsOf,
    async load(view, context, audit, options = {}) {
      const sections = sectionsOf(view);
      const ctx = 'today' in context ? context : pageContext(app, context.request, context.access, options);
      const loaded = await loadSections(
        { now: () => app.now(), statement: app.services.logs.statement },
        ctx,
        {
          plan,
          // For the cache: the versions of what the page shows, in the same snapshot as its data.
          versions: section({
            parts: () => ({
              versions: options.shared
                ? app.services.logs.pageVersionsPart(ctx.access.log.id)
                : none<PageVersions | undefined>(undefined),
            }),
            build: ({ versions }) => versions ?? { log: 0, epoch: 0 },
          }),
          ...Object.fromEntries(sections.map((s) => [key(s.id), s])),
        },
        audit,
      );
      const locals: Record<string, unknown> = {};
      const slots = Object.fromEntries(SLOTS.map((slot) => [slot, [] as string[]])) as Record<
        LogSlot,
        string[]
      >;
      for (const section of sections) {
        const built = (loaded as Record<string, object | null>)[key(section.id)];
        if (built === null) continue;
        merge(locals, built, section.id);
        const slot = slotOf(section, view);
        if (slot && section.partial) slots[slot].push(section.partial);
      }
      return { plan: loaded.plan, locals, slots, versions: loaded.versions, nextChange: ctx.nextChange };
    },
    myLogsParts(user, today) {
      seal();
      const parts: Parts = {};
      for (const section of mine) {
        for (const [name, part] of Object.entries(section.parts(user, today)))
          parts[`${key(section.id)}__${name}`] = part;
      }
      return parts;
    },
    myLogsBuild(answer, user, today) {
      seal();
      const locals: Record<string, unknown> = {};
      const slots: Record<MyLogsSlot, string[]> = { lists: [] };
      for (const section of mine) {
        const prefix = `${key(section.id)}__`;
        const own: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(answer))
          if (name.startsWith(prefix)) own[name.slice(prefix.length)] = value;
        merge(locals, section.build(own as never, user, today), section.id);
        if (section.slot && section.partial) slots[section.slot].push(section.partial);
      }
      return { locals, slots };
    },
  };
}

/** Decorates the app with its log page registry; registered before the features that add to it. */
export const logPagePlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('logPage', logPageRegistry(app));
  },
  { name: 'log-page' },
);
