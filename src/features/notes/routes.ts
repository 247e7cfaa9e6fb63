/**
 * Notes: "Mine notater" (private notes: only the author), and log notes on the log page (the holder's,
 * tied to a concern, with PDF attachments: see upload-routes.ts). Editing keeps every version (history)
 * and refuses to overwrite a save made in between (409 with both texts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newFormToken } from '../../lib/submissions.js';
import { versionValue, type FieldError } from '../../lib/form.js';
import { accessService, parseId, type LogAccess } from '../access/service.js';
import { notesService } from './service.js';
import { parseNote, type NoteValues } from './form.js';
import { sendPdfDownload } from '../../lib/uploads.js';
import type { NoteRow } from './repository.js';
import uploadRoutes from './upload-routes.js';

export default async function noteRoutes(app: FastifyInstance) {
  const service = notesService(app);
  const access = accessService(app);
  const guard = { preHandler: app.requireUser };
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
    const { values, text, errors } = parseNote(request.body, request.t);
    if (text === null) return privatePage(request, reply.code(422), values, errors.list);
    const id = await service.createPrivate(request, text, values.formToken);
    return reply.redirect(`/notes#note-${id}`, 303);
  });

  // ---- editing and history, for both kinds ----
  /** The note behind the URL as this person may use it: their own private note, or a visible log note. */
  async function load(
    request: FastifyRequest,
    action: 'read' | 'write',
  ): Promise<{ row: NoteRow; a?: LogAccess; base: string; back: string }> {
    const params = request.params as { logId?: string; noteId: string };
    const noteId = parseId(params.noteId);
    if (params.logId === undefined) {
      const row = await service.ownPrivate(request, noteId);
      return { row, base: `/notes/${row.id}`, back: `/notes#note-${row.id}` };
    }
    const a = await access.require(request, params.logId, action === 'write' ? 'log.write' : 'log.read');
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

  for (const prefix of ['/notes/:noteId', '/logs/:logId/notes/:noteId']) {
    app.get(`${prefix}/edit`, guard, async (request, reply) => {
      const loaded = await load(request, 'write');
      return editPage(
        reply,
        loaded,
        { text: loaded.row.text, concernId: '', version: String(loaded.row.version), formToken: '' },
        [],
      );
    });

    app.post(prefix, guard, async (request, reply) => {
      const loaded = await load(request, 'write');
      const { values, text, errors } = parseNote(request.body, request.t);
      if (text === null) return editPage(reply.code(422), loaded, values, errors.list);
      const saved = await service.update(request, loaded.row, versionValue(values.version), text, loaded.a);
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

    app.get(`${prefix}/history`, guard, async (request, reply) => {
      const loaded = await load(request, 'read');
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
  app.get('/logs/:logId/notes/:noteId/attachments/:attachmentId', guard, async (request, reply) => {
    const params = request.params as { logId: string; noteId: string; attachmentId: string };
    const a = await access.require(request, params.logId, 'log.read');
    const note = await service.visibleLogNote(request, a, parseId(params.noteId));
    const file = await service.download(request, a, note, parseId(params.attachmentId));
    return sendPdfDownload(reply, file);
  });

  await app.register(uploadRoutes);
}
