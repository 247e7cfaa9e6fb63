/**
 * Keeping a session and a person's work: "Fortsett" in the timeout warning (with JavaScript through
 * fetch, without it as an ordinary form), and the page that gives back a form posted after the
 * session had expired, filled in and ready to send again.
 */
import type { FastifyInstance } from 'fastify';
import { asBody } from '../../lib/form.js';
import { safeLocalPath } from '../../plugins/views.js';
import { discardForm, pendingForms, type SavedForm } from '../../plugins/saved-forms/index.js';
import { extendSession } from '../../plugins/session/index.js';
import { hasMessage, type PlainMessageKey } from '../../i18n/index.js';
import { formatTimeOfDay } from '../../lib/oslo-time.js';

/** Fields shown for editing on the restore page: text someone wrote. The rest (choices, ids, versions) go along hidden. */
export function isTypedText(name: string, value: string): boolean {
  if (/(^|[-_])(id|version|token)$|Id$|Token$|-day$|-month$|-year$/.test(name)) return false;
  return /\s/.test(value.trim()) || value.length > 40;
}

export function fieldLabelKey(name: string): PlainMessageKey | null {
  const key = `restore.field.${name}`;
  return hasMessage(key) ? (key as PlainMessageKey) : null;
}

function restoreView(form: SavedForm) {
  return {
    id: form.id,
    path: form.path,
    from: form.from,
    createdAt: form.createdAt,
    fields: form.fields.map(([name, value], index) => ({
      name,
      value,
      index,
      typed: isTypedText(name, value),
      labelKey: fieldLabelKey(name),
    })),
  };
}

export default async function sessionRoutes(app: FastifyInstance) {
  app.post('/session/extend', async (request, reply) => {
    const json = String(request.headers.accept ?? '').includes('application/json');
    const user = request.user;
    if (!user) {
      if (json) return reply.code(401).send({ expired: true });
      return reply.redirect(`/login${request.sessionExpired ? '?expired=1' : ''}`, 303);
    }
    const now = app.now();
    await extendSession(app, user);
    if (!json) return reply.redirect(safeLocalPath(asBody(request.body).returnTo), 303);
    const time = formatTimeOfDay(user.sessionEndsAt, request.locale);
    return {
      remaining: Math.floor((user.sessionEndsAt.getTime() - now.getTime()) / 1000),
      text: request.t('session.endsAt', { time }),
      announce: request.t('session.extended', { time }),
    };
  });

  app.get('/form-restore', { preHandler: app.requireUser }, async (request, reply) => {
    const forms = await pendingForms(app, request.user!.id);
    if (forms.length === 0) return reply.redirect('/', 303);
    return reply.page('access/restore', { forms: forms.map(restoreView) });
  });

  app.post('/form-restore/discard', { preHandler: app.requireUser }, async (request, reply) => {
    await discardForm(app, request.user!.id, asBody(request.body).id);
    return reply.redirect('/form-restore', 303);
  });
}
