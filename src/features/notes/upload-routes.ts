/**
 * Log notes with PDF attachments: the only routes that take multipart bodies, so @fastify/multipart is
 * registered in this scope alone. Fields (the CSRF token too) arrive in request.body; the file is read
 * only up to ATTACHMENT_MAX_MB (busboy drops the rest), then checked by its content (parsed as a PDF).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newFormToken } from '../../lib/form.js';
import type { FieldError } from '../../lib/form.js';
import type { MessageKey } from '../../i18n/index.js';
import { type LogAccess } from '../../plugins/access/index.js';
import { parseNote, type NoteValues } from './form.js';
import { uploadProblem, type Upload } from './pdf.js';
import { registerUploads, uploadIn } from '../../lib/uploads.js';
import { idParams, queryStrings, type Schemas } from '../../lib/route-schemas.js';

export default async function uploadRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<Schemas>();
  const service = app.services.notes;
  const guard = { preHandler: app.requireUser };
  const inLog = { ...guard, schema: { params: idParams('logId') } };
  const aNote = { ...guard, schema: { params: idParams('logId', 'noteId') } };
  const maxBytes = app.config.attachmentMaxBytes;
  const maxMb = Math.round(maxBytes / (1024 * 1024));

  // Far beyond one PDF and a note: refused before a byte of it is read.
  await registerUploads(app, {
    refuseBeyond: maxBytes * 4 + 256 * 1024,
    limits: { fileSize: maxBytes, fields: 10, fieldSize: 64 * 1024, parts: 12 },
  });

  const uploadError = async (
    request: FastifyRequest,
    upload: Upload | null,
    required: boolean,
  ): Promise<FieldError | null> => {
    const problem = await uploadProblem(upload, required);
    return problem
      ? { text: request.t(`note.err.file.${problem}` as MessageKey, { max: maxMb }), href: '#note-file' }
      : null;
  };

  // ---- a new log note ----
  const newPage = async (
    reply: FastifyReply,
    a: LogAccess,
    values: NoteValues,
    errors: FieldError[],
    fileDropped = false,
  ) =>
    reply.page('notes/new', {
      logId: a.log.id,
      concerns: (await service.visibleConcerns(a)).filter((c) => c.status === 'active'),
      values,
      errors,
      maxMb,
      fileDropped,
    });

  const newNote = { ...inLog, schema: { ...inLog.schema, querystring: queryStrings('concern') } };
  app.get('/logs/:logId/notes/new', newNote, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.write');
    const concernId = request.query.concern ?? '';
    return newPage(reply, a, { text: '', concernId, version: '', formToken: newFormToken() }, []);
  });

  app.post('/logs/:logId/notes', inLog, async (request, reply) => {
    const a = await request.logAccess(request.params.logId, 'log.write');
    const concerns = (await service.visibleConcerns(a)).filter((c) => c.status === 'active');
    const { values, input, errors } = parseNote(request.body, request.t, {
      concernIds: concerns.map((c) => c.id),
    });
    const upload = uploadIn(request.body);
    const fileError = await uploadError(request, upload, false);
    const list = fileError ? [...errors, fileError] : errors;
    if (list.length || !input || input.concernId === null) {
      const dropped = !fileError && upload !== null && upload.size > 0;
      return newPage(reply.code(422), a, values, list, dropped);
    }
    const noteId = await service.createLogNote(request, a, {
      concernId: input.concernId,
      text: input.text,
      formToken: values.formToken,
      upload: upload && upload.size > 0 ? upload : null,
    });
    return reply.redirect(`/logs/${a.log.id}#note-${noteId}`, 303);
  });

  // ---- another attachment on an existing log note ----
  const attachPage = (
    reply: FastifyReply,
    a: LogAccess,
    noteId: number,
    concernTitle: string | null,
    errors: FieldError[],
  ) => reply.page('notes/attach', { logId: a.log.id, noteId, concernTitle, errors, maxMb });

  const loadForAttach = async (request: FastifyRequest, ids: { logId: number; noteId: number }) => {
    const a = await request.logAccess(ids.logId, 'log.write');
    const note = await service.visibleLogNote(request, a, ids.noteId);
    return { a, note };
  };

  app.get('/logs/:logId/notes/:noteId/attachments/new', aNote, async (request, reply) => {
    const { a, note } = await loadForAttach(request, request.params);
    return attachPage(reply, a, note.id, note.concern_title, []);
  });

  app.post('/logs/:logId/notes/:noteId/attachments', aNote, async (request, reply) => {
    const { a, note } = await loadForAttach(request, request.params);
    const upload = uploadIn(request.body);
    const fileError = await uploadError(request, upload, true);
    if (fileError || !upload)
      return attachPage(reply.code(422), a, note.id, note.concern_title, fileError ? [fileError] : []);
    await service.addAttachment(request, a, note.id, upload);
    return reply.redirect(`/logs/${a.log.id}#note-${note.id}`, 303);
  });
}
