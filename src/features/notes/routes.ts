/**
 * Notes: "Mine notater" (private notes: only the author), and log notes on the log page (the holder's,
 * tied to a concern, with PDF attachments: see upload-routes.ts). Editing keeps every version (history)
 * and refuses to overwrite a save made in between (409 with both texts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newFormToken } from '../../lib/form.js';
import { versionValue, type FieldError } from '../../lib/form.js';
import { type LogAccess } from '../../plugins/access/index.js';
import { parseNote, type NoteValues } from './form.js';
import { sendPdfDownload } from '../../lib/uploads.js';
import type { NoteRow } from './repository.js';
import uploadRoutes from './upload-routes.js';
import { idParams, type Schemas } from '../../lib/route-schemas.js';

export default async function noteRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const service = app.services.notes;

  // The log notes on the log page and the family's, after the glimmers (features/logs/registry.ts).
  app.logPage.register({
    id: 'notes.logNotes',
    views: ['log', 'family'],
    order: 20,
    slot: 'afterPlan',
    partial: '/notes/_log-notes',
    ...service.logPageSection,
  });
  const guard = { preHandler: app.requireUser };
  const aAttachment = { ...guard, schema: { params: idParams('logId', 'noteId', 'attachmentId') } };
  const emptyValues = (): NoteValues => ({ text: '', concernId: '', version: '', formToken: newFormToken() });

  // ---- Mine notater ----
  const privatePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: NoteValues,
    errors: FieldError[],
  ) => reply.page('notes/private', { notes: await service.privateNotes(request), values, errors });

  app.get('/notes', guard, async (request, reply) => privatePage(request, reply, emptyValues(), []));

  app.post('/notes', guard, async (request, reply) => {
    const { values, input, errors } = parseNote(request.body, request.t);
    if (!input) return privatePage(request, reply.code(422), values, errors);
    const id = await service.createPrivate(request, input.text, values.formToken);
    return reply.redirect(`/notes#note-${id}`, 303);
  });

  // ---- editing and history, for both kinds ----
  /** The note behind the URL as this person may use it: their own private note, or a visible log note. */
  async function load(
    request: FastifyRequest,
    { logId, noteId }: { logId?: number; noteId: number },
    action: 'read' | 'write',
  ): Promise<{ row: NoteRow; a?: LogAccess; base: string; back: string }> {
    if (logId === undefined) {
      const row = await service.ownPrivate(request, noteId);
      return { row, base: `/notes/${row.id}`, back: `/notes#note-${row.id}` };
    }
    const a = await request.logAccess(logId, action === 'write' ? 'log.write' : 'log.read');
    const row = await service.visibleLogNote(request, a, noteId);
    return { row, a, base: `/logs/${a.log.id}/notes/${row.id}`, back: `/logs/${a.log.id}#note-${row.id}` };
  }

  const editPage = (
    reply: FastifyReply,
    loaded: { row: NoteRow; base: string; back: string },
    values: NoteValues,
    errors: FieldError[],
    theirs: string | null = null,
  ) =>
    reply.page('notes/edit', {
      note: { id: loaded.row.id, kind: loaded.row.kind, concernTitle: loaded.row.concern_title },
      action: loaded.base,
      back: loaded.back,
      values,
      errors,
      theirs,
    });

  for (const [prefix, params] of [
    ['/notes/:noteId', idParams('noteId')],
    ['/logs/:logId/notes/:noteId', idParams('logId', 'noteId')],
  ] as const) {
    const aNote = { ...guard, schema: { params } };
    app.get(`${prefix}/edit`, aNote, async (request, reply) => {
      const loaded = await load(request, request.params, 'write');
      return editPage(
        reply,
        loaded,
        { text: loaded.row.text, concernId: '', version: String(loaded.row.version), formToken: '' },
        [],
      );
    });

    app.post(prefix, aNote, async (request, reply) => {
      const loaded = await load(request, request.params, 'write');
      const { values, input, errors } = parseNote(request.body, request.t);
      if (!input) return editPage(reply.code(422), loaded, values, errors);
      const saved = await service.update(
        request,
        loaded.row,
        versionValue(values.version),
        input.text,
        loaded.a,
      );
      if (!saved) {
        const current = (await service.find(loaded.row.id))!;
        return editPage(
          reply.code(409),
          loaded,
          { ...values, version: String(current.version) },
          [],
          current.text,
        );
      }
      return reply.redirect(loaded.back, 303);
    });

    app.get(`${prefix}/history`, aNote, async (request, reply) => {
      const loaded = await load(request, request.params, 'read');
      const versions = await service.history(request, loaded.row, loaded.a);
      return reply.page('notes/history', {
        note: service.present(request, loaded.row),
        kind: loaded.row.kind,
        back: loaded.back,
        versions,
      });
    });
  }

  // ---- log notes: downloads (and, in their own scope with multipart, uploads) ----
  app.get('/logs/:logId/notes/:noteId/attachments/:attachmentId', aAttachment, async (request, reply) => {
    const { logId, noteId, attachmentId } = request.params;
    const a = await request.logAccess(logId, 'log.read');
    const note = await service.visibleLogNote(request, a, noteId);
    const file = await service.download(request, a, note, attachmentId);
    return sendPdfDownload(reply, file);
  });

  await app.register(uploadRoutes);
}
