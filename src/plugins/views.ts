/**
 * Eta templates through @fastify/view. reply.page() renders a page (the template declares its layout);
 * reply.fragment() renders a partial alone, for htmx. Both get the same common locals.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import fp from 'fastify-plugin';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LANGUAGES, hasMessage, intlLocale, type PlainMessageKey } from '../i18n/index.js';
import { planTypeKey } from '../domain/plan.js';
import { categoryLabel } from '../domain/categories.js';
import { osloDate } from '../lib/dates.js';
import { fieldError } from '../lib/field-error.js';
import { newFormToken } from '../lib/form.js';
import { projectRoot } from '../lib/project-root.js';
import { formatTimeOfDay } from '../lib/oslo-time.js';
import type { SharedPage } from '../types.js';

export const viewsDir = path.join(projectRoot, 'views');

/** An htmx request that wants a fragment: not a boosted link and not a history restore. */
export function wantsFragment(request: FastifyRequest): boolean {
  return (
    request.headers['hx-request'] === 'true' &&
    request.headers['hx-boosted'] === undefined &&
    request.headers['hx-history-restore-request'] === undefined
  );
}

const LOCAL_ORIGIN = 'http://local.invalid';
const MAX_LOCAL_PATH = 2000;

/**
 * The one gate for addresses taken from input (a form's returnTo, the page asked for before sign-in, a
 * referer): a path on this site, as a browser would read it, percent-encoded so it is safe in a
 * Location header; otherwise `fallback`. Line breaks, tabs and other control characters, backslashes,
 * "//host" and absolute URLs are refused rather than repaired.
 */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > MAX_LOCAL_PATH) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(value) || value.startsWith('//')) return fallback;
  let url: URL;
  try {
    url = new URL(value, LOCAL_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== LOCAL_ORIGIN) return fallback;
  const local = url.pathname + url.search + url.hash;
  return local.startsWith('//') ? fallback : local;
}

/**
 * What differs between two renderings of the same page for the same person at the same address: the
 * CSRF token, when the session ends, and each form's token (a form post is saved once per token, so no
 * two answers may carry the same one). A shared rendering (reply.sharedPage) holds a mark in their place,
 * made of letters and digits (so escaping leaves it as it is) and random per process (so no text a
 * person writes can hold one); reply.sendShared puts this request's values in, and a new form token for
 * each form. A page's data asks for a form token's mark with formTokenMark().
 */
const PER_REQUEST = ['csrfToken', 'sessionEndsAtIso', 'sessionEndsAtTime', 'sessionRemaining'] as const;
const MARK = `m${randomUUID().replaceAll('-', '')}x`;
const MARKS = Object.fromEntries(PER_REQUEST.map((name, i) => [name, `${MARK}${i}`]));
const FORM_TOKEN_SLOT = PER_REQUEST.length;
const MARKED = new RegExp(`${MARK}(\\d)`, 'g');

/** Where a new form token goes in a shared rendering (each one is filled with a token of its own). */
export function formTokenMark(): string {
  return `${MARK}${FORM_TOKEN_SLOT}`;
}

function splitMarked(html: string): SharedPage {
  const segments: string[] = [];
  const slots: number[] = [];
  let from = 0;
  for (const match of html.matchAll(MARKED)) {
    segments.push(html.slice(from, match.index));
    slots.push(Number(match[1]));
    from = match.index + match[0].length;
  }
  segments.push(html.slice(from));
  return { segments, slots, length: html.length };
}

/** This request's per-request values, in PER_REQUEST's order. */
function perRequest(request: FastifyRequest, reply: FastifyReply): string[] {
  const user = request.user;
  const remaining = user
    ? Math.max(0, Math.floor((user.sessionEndsAt.getTime() - request.server.now().getTime()) / 1000))
    : 0;
  return [
    reply.generateCsrf(),
    user ? user.sessionEndsAt.toISOString() : '',
    user ? formatTimeOfDay(user.sessionEndsAt, request.locale) : '',
    String(remaining),
  ];
}

/** Locals set on the reply for every template it renders (@fastify/view's reply.locals: meeting mode's). */
export function ownLocals(reply: FastifyReply): Record<string, unknown> | undefined {
  const own = (reply as FastifyReply & { locals?: Record<string, unknown> | null }).locals;
  return own && Object.keys(own).length ? own : undefined;
}

function locals(request: FastifyRequest, reply: FastifyReply, shared = false): Record<string, unknown> {
  const user = request.user;
  const path = request.url.split('?')[0] ?? '/';
  const staff = user?.kind === 'staff' && !user.isMunicipalAdmin;
  const leads = Boolean(staff && user?.memberships.some((m) => m.isLeader || m.isSuperuser));
  const nav = user
    ? [
        { href: '/', text: request.t('nav.home'), current: path === '/' },
        ...(staff ? [{ href: '/logs', text: request.t('nav.myLogs'), current: path === '/logs' }] : []),
        ...(staff ? [{ href: '/actor', text: request.t('nav.actor'), current: path === '/actor' }] : []),
        ...(leads
          ? [
              {
                href: '/unit',
                text: request.t('nav.unit'),
                current: path === '/unit' || path.startsWith('/units/'),
              },
            ]
          : []),
        ...(user.isMunicipalAdmin
          ? [{ href: '/admin', text: request.t('nav.admin'), current: path.startsWith('/admin') }]
          : []),
        ...(user.kind !== 'staff'
          ? [
              {
                href: '/family',
                text: request.t(user.kind === 'youth' ? 'nav.family.youth' : 'nav.family'),
                current: path === '/family',
              },
            ]
          : []),
        ...(
          [
            ['/glimmers', 'nav.glimmers'],
            ['/notes', 'nav.notes'],
            ['/notifications', 'nav.notifications'],
            ['/account', 'nav.account'],
          ] as const
        ).map(([href, key]) => ({ href, text: request.t(key), current: path === href })),
      ]
    : [];
  // The timeout warning (public/js/session.js) counts from the seconds left as the server sees them.
  const idleSeconds = request.server.config.sessionIdleMinutes * 60;
  const [csrfToken, sessionEndsAtIso, sessionEndsAtTime, sessionRemaining] = shared
    ? PER_REQUEST.map((name) => MARKS[name]!)
    : perRequest(request, reply);
  return {
    nav,
    t: request.t,
    /** Whether a key built from data (a query parameter, say) names a message. */
    hasMessage,
    /** A field's error message: it.fieldError(it.errors, 'field-id'). */
    fieldError,
    /** The name of a log's plan type for its child: a barnets plan is an "ungeplan" from 16. */
    planTypeName: (planType: string, birthDate: string | null | undefined) =>
      request.t(planTypeKey(planType, birthDate, osloDate(request.server.now())) as PlainMessageKey),
    /** A concern category's label: a built-in one (with a code) in the reader's language, else as written. */
    categoryName: (code: string | null | undefined, label: string) =>
      categoryLabel(request.t, { code, label }),
    locale: request.locale,
    asset: request.server.assetUrl,
    /** The BCP 47 tag for Intl, for public/js/session.js to show times as the page does. */
    intlLocale: intlLocale(request.locale),
    /** The language switch: every other language, each named in itself. */
    otherLanguages: LANGUAGES.filter((l) => l.code !== request.locale),
    user,
    csrfToken,
    currentPath: request.url,
    isDevelopment: request.server.config.env === 'development',
    /** A practice installation: the banner on every page. */
    training: request.server.config.training,
    /** Whether the session notice is shown; its values are the three below. */
    sessionEndsAt: user?.sessionEndsAt ?? null,
    sessionEndsAtIso,
    sessionEndsAtTime,
    sessionRemaining,
    /** Two minutes before the idle limit (less when the limit itself is very short, as in tests). */
    sessionWarnBefore: Math.min(120, Math.max(5, idleSeconds - 5)),
    formatTime: (d: Date) => formatTimeOfDay(d, request.locale),
  };
}

/**
 * Eta resolves a template's path again on every include (a JSON key, path joins and a check that it
 * stays in views/), and a full plan's log page includes partials some hundreds of times. The answer
 * depends only on the including file and the name asked for, so it is kept.
 */
function rememberPaths(eta: Eta): Eta {
  const resolve = eta.resolvePath!;
  // Per including file, then per name: both are the same strings each time, so no key is built.
  const resolved = new Map<string, Map<string, string>>();
  const cached: typeof resolve = function (template, options) {
    const from = options?.filepath ?? '';
    let names = resolved.get(from);
    if (names === undefined) resolved.set(from, (names = new Map()));
    let file = names.get(template);
    if (file === undefined) {
      file = resolve.call(this, template, options);
      names.set(template, file);
    }
    return file;
  };
  eta.resolvePath = cached;
  return eta;
}

/**
 * An included template's `it`. Eta 4 compiles `include(name, data)` as `this.render(name, {...it,
 * ...data})`: a copy of the whole of `it` (the common locals and the page's data, some sixty keys) on
 * every include, and the full plan's log page includes partials some 150 times. `include(name, it)`
 * (the most common call) gets `it` itself, as nothing would change in the copy but its identity; any
 * other data is merged as Eta does. (Templates never assign to `it`.) So pass an include only the keys
 * it adds, never `{ ...it, … }` or `Object.assign({}, it, …)`: the include merges them already.
 */
export function includeScope(it: object, data: object | null | undefined): object {
  return data == null || data === it ? it : { ...it, ...data };
}

/**
 * Rewrites the code Eta generates for include() and includeAsync() to use includeScope (reached
 * through the engine, the compiled function's `this`), and adds `partial(name, data)`: a template
 * that gets exactly `data`, nothing merged, for the small partials a page repeats (a plain-language
 * tip box, a glimmer, a staircase) whose data says everything they read. Throws when Eta generates
 * other code, so an upgrade cannot silently bring the copying back.
 */
const scopedIncludes = {
  processFnString(fn: string, config?: { varName: string }): string {
    const it = config?.varName ?? 'it';
    const merge = `{...${it}, ...(__eta_d ?? {})}`;
    const include = 'let include = (__eta_t, __eta_d) =>';
    if (fn.split(merge).length !== 3 || !fn.includes(include))
      throw new Error('Eta no longer compiles include() as src/plugins/views.ts expects');
    return fn
      .replaceAll(merge, `this.includeScope(${it}, __eta_d)`)
      .replace(
        include,
        `let partial = (__eta_t, __eta_d) => this.render(__eta_t, __eta_d ?? {}, options);\n${include}`,
      );
  },
};

/** Eta with the scope its rewritten includes call (an own property: Eta's withConfig copies only those). */
class Views extends Eta {
  includeScope = includeScope;
}

/** The template engine of views/: templates cached when `production` (read again on each render otherwise). */
export function viewEngine(production: boolean): Eta {
  return rememberPaths(
    new Views({ views: viewsDir, cache: production, autoTrim: false, plugins: [scopedIncludes] }),
  );
}

export default fp(
  async (app) => {
    const production = app.config.env !== 'development';
    const eta = viewEngine(production);
    await app.register(view, { engine: { eta }, root: viewsDir, production });

    // A page renders through the engine directly, with what @fastify/view would merge (its
    // reply.locals, which meeting mode sets, under the common locals and the page's data): its
    // viewAsync() copies the data again and reconfigures the engine on every render. app.view()
    // (the print documents) still goes through @fastify/view, with the same engine.
    const render = async function (
      this: FastifyReply,
      template: string,
      data: Record<string, unknown> = {},
    ): Promise<string> {
      const own = ownLocals(this);
      const html = eta.render(template, { ...own, ...locals(this.request, this), ...data });
      this.type('text/html; charset=utf-8');
      return html;
    };
    app.decorateReply('page', render);
    app.decorateReply('fragment', render);
    app.decorateReply(
      'sharedPage',
      function (this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
        const own = ownLocals(this);
        return splitMarked(eta.render(template, { ...own, ...locals(this.request, this, true), ...data }));
      },
    );
    app.decorateReply('sendShared', function (this: FastifyReply, page: SharedPage): string {
      const values = perRequest(this.request, this);
      let html = page.segments[0]!;
      for (let i = 0; i < page.slots.length; i += 1) {
        const slot = page.slots[i]!;
        html += (slot === FORM_TOKEN_SLOT ? newFormToken() : values[slot]!) + page.segments[i + 1]!;
      }
      this.type('text/html; charset=utf-8');
      return html;
    });
  },
  { name: 'views', dependencies: ['csrf', 'i18n', 'assets'] },
);
