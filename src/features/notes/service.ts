/**
 * Rules for notes. Private notes: only their author ever sees them (not even on the log page or in a
 * meeting). Log notes: written by the holder ('log.write'), tied to a concern, seen by those who see that
 * concern (rule 8), and may carry PDF attachments. Every saved text is kept: the note's history.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import { intlLocale, type Locale } from '../../i18n/index.js';
import type { Once, Transaction } from '../../db/handles.js';
import { NotFoundError, type LogAccess } from '../../plugins/access/index.js';
import { formatDateTime } from '../../lib/oslo-time.js';
import type { AttachmentRow, NoteRow, NotesRepository } from './repository.js';
import type { Upload } from './pdf.js';
import { safeFilename } from './pdf.js';
import { section } from '../logs/index.js';

export interface NoteView {
  id: number;
  logId: number | null;
  text: string;
  authorName: string;
  concernTitle: string | null;
  created: string;
  updated: string;
  edited: boolean;
  version: number;
  attachments: { id: number; filename: string; size: string }[];
}

export function formatSize(bytes: number, locale: Locale): string {
  const kb = bytes / 1024;
  const format = (n: number) => n.toLocaleString(intlLocale(locale), { maximumFractionDigits: 1 });
  return kb < 1024 ? `${format(Math.max(1, Math.round(kb)))} kB` : `${format(kb / 1024)} MB`;
}

/** The concerns of a log this person sees, in plan order. */
export async function visibleConcerns(repository: Pick<NotesRepository, 'concernsOf'>, a: LogAccess) {
  return (await repository.concernsOf(a.log.id)).filter((c) => a.can('concern.read', c.id));
}

/** What the service needs. */
export type NotesDeps = Pick<FastifyInstance, 'now' | 'audit'> & {
  repository: NotesRepository;
  once: Once;
  transaction: Transaction;
};

export function notesService(deps: NotesDeps) {
  const { repository } = deps;

  const present =
    (request: FastifyRequest, attachments: AttachmentRow[] = []) =>
    (row: NoteRow): NoteView => ({
      id: row.id,
      logId: row.log_id,
      text: row.text,
      authorName: row.author_name,
      concernTitle: row.concern_title,
      created: formatDateTime(row.created_at, request.locale),
      updated: formatDateTime(row.updated_at, request.locale),
      edited: row.version > 1,
      version: row.version,
      attachments: attachments
        .filter((x) => x.note_id === row.id)
        .map((x) => ({ id: x.id, filename: x.filename, size: formatSize(x.size, request.locale) })),
    });

  async function storeAttachment(
    trx: Knex.Transaction,
    request: FastifyRequest,
    a: LogAccess,
    noteId: number,
    upload: Upload,
  ) {
    const id = await repository.insertAttachment(trx, {
      note_id: noteId,
      log_id: a.log.id,
      filename: safeFilename(upload.filename),
      size: upload.data.length,
      sha256: createHash('sha256').update(upload.data).digest('hex'),
      content: upload.data,
      uploaded_by: request.user!.id,
      created_at: deps.now(),
    });
    await deps.audit(
      request,
      {
        action: 'note_attachment.create',
        objectType: 'note_attachment',
        objectId: id,
        logId: a.log.id,
        role: a.role,
      },
      trx,
    );
  }

  return {
    /** The concerns of a log this person sees, in plan order. */
    visibleConcerns: (a: LogAccess) => visibleConcerns(repository, a),

    // ---- private notes ----
    async privateNotes(request: FastifyRequest): Promise<NoteView[]> {
      return (await repository.privateNotes(request.user!.id)).map(present(request));
    },

    async createPrivate(request: FastifyRequest, text: string, formToken: string): Promise<number> {
      const user = request.user!;
      const done = await deps.once(formToken, user.id, async (trx) => {
        const noteId = await repository.insert(trx, {
          kind: 'private',
          author_id: user.id,
          log_id: null,
          concern_id: null,
          text,
          created_at: deps.now(),
        });
        return String(noteId);
      });
      return Number(done.result);
    },

    /** The person's own private note, or NotFoundError (also for someone else's). */
    async ownPrivate(request: FastifyRequest, noteId: number | null): Promise<NoteRow> {
      const row = noteId ? await repository.find(noteId) : undefined;
      if (!row || row.kind !== 'private' || row.author_id !== request.user!.id) {
        await deps.audit(request, {
          action: 'denied:note.read',
          objectType: 'note',
          objectId: noteId,
          outcome: 'denied',
        });
        throw new NotFoundError();
      }
      return row;
    },

    // ---- log notes ----
    /** The log-note section of the log page and the family's (registered in routes.ts). */
    logPageSection: section({
      parts: ({ access, concernIds }) => repository.logPageParts(access.log.id, concernIds),
      build: (data, { request, access }) => ({
        logNotes: data.notes.map(present(request, data.attachments)),
        canWriteLogNotes: access.can('log.write'),
      }),
    }),

    /** A log note of this log that the person may see (its concern), or NotFoundError. */
    async visibleLogNote(request: FastifyRequest, a: LogAccess, noteId: number | null): Promise<NoteRow> {
      const row = noteId ? await repository.find(noteId) : undefined;
      if (!row || row.kind !== 'log' || row.log_id !== a.log.id || !a.can('concern.read', row.concern_id!)) {
        await deps.audit(request, {
          action: 'denied:note.read',
          objectType: 'note',
          objectId: noteId,
          logId: a.log.id,
          outcome: 'denied',
          role: a.role,
        });
        throw new NotFoundError();
      }
      return row;
    },

    async createLogNote(
      request: FastifyRequest,
      a: LogAccess,
      input: { concernId: number; text: string; formToken: string; upload: Upload | null },
    ): Promise<number> {
      const user = request.user!;
      const done = await deps.once(input.formToken, user.id, async (trx) => {
        const noteId = await repository.insert(trx, {
          kind: 'log',
          author_id: user.id,
          log_id: a.log.id,
          concern_id: input.concernId,
          text: input.text,
          created_at: deps.now(),
        });
        if (input.upload) await storeAttachment(trx, request, a, noteId, input.upload);
        await deps.audit(
          request,
          {
            action: 'note.create',
            objectType: 'note',
            objectId: noteId,
            logId: a.log.id,
            role: a.role,
          },
          trx,
        );
        return String(noteId);
      });
      return Number(done.result);
    },

    async addAttachment(
      request: FastifyRequest,
      a: LogAccess,
      noteId: number,
      upload: Upload,
    ): Promise<void> {
      await deps.transaction((trx) => storeAttachment(trx, request, a, noteId, upload));
    },

    /** The PDF itself; every download is audited. */
    async download(request: FastifyRequest, a: LogAccess, note: NoteRow, attachmentId: number | null) {
      const file = attachmentId ? await repository.attachmentContent(note.id, attachmentId) : undefined;
      if (!file) throw new NotFoundError();
      await deps.audit(request, {
        action: 'note_attachment.download',
        objectType: 'note_attachment',
        objectId: file.id,
        logId: a.log.id,
        role: a.role,
      });
      return file;
    },

    // ---- both ----
    present: (request: FastifyRequest, row: NoteRow) => present(request)(row),

    /** Saves a new text; false when someone (or another tab) saved in between. */
    async update(
      request: FastifyRequest,
      row: NoteRow,
      version: number,
      text: string,
      a?: LogAccess,
    ): Promise<boolean> {
      const ok = await repository.update(row.id, version, text, request.user!.id, deps.now());
      if (ok && row.kind === 'log' && a) {
        await deps.audit(request, {
          action: 'note.update',
          objectType: 'note',
          objectId: row.id,
          logId: a.log.id,
          role: a.role,
        });
      }
      return ok;
    },

    async history(request: FastifyRequest, row: NoteRow, a?: LogAccess) {
      if (row.kind === 'log' && a) {
        await deps.audit(request, {
          action: 'note.history.read',
          objectType: 'note',
          objectId: row.id,
          logId: a.log.id,
          role: a.role,
        });
      }
      return (await repository.versions(row.id)).map((v) => ({
        version: v.version,
        text: v.text,
        savedBy: v.saved_by_name,
        savedAt: formatDateTime(v.saved_at, request.locale),
      }));
    },

    find: (noteId: number) => repository.find(noteId),
  };
}

export type NotesService = ReturnType<typeof notesService>;
