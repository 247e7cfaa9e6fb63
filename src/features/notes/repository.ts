/** SQL for notes, their versions (history) and PDF attachments. */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';
import { rows } from '../../db/one-statement.js';

export interface NoteRow {
  id: number;
  kind: 'private' | 'log';
  author_id: number;
  author_name: string;
  log_id: number | null;
  concern_id: number | null;
  concern_title: string | null;
  text: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface AttachmentRow {
  id: number;
  note_id: number;
  filename: string;
  size: number;
  created_at: Date;
}

const COLUMNS = [
  'n.id',
  'n.kind',
  'n.author_id',
  'u.name as author_name',
  'n.log_id',
  'n.concern_id',
  'c.title as concern_title',
  'n.text',
  'n.version',
  'n.created_at',
  'n.updated_at',
];

export function notesRepository(db: Db) {
  const base = () =>
    db('notes as n')
      .join('users as u', 'u.id', 'n.author_id')
      .leftJoin('concerns as c', 'c.id', 'n.concern_id');

  /** Log notes of the log in the concerns this person sees (all the log's concerns when undefined). */
  const logNotesQuery = (logId: number, concernIds: number[] | undefined) => {
    const visible = db('concerns').where('log_id', logId).select('id');
    if (concernIds) visible.whereIn('id', concernIds);
    return base().where({ 'n.kind': 'log', 'n.log_id': logId }).whereIn('n.concern_id', visible);
  };

  return {
    /** The log-note section of the log page, as parts of the page's statement (logs/sections.ts). */
    logPageParts(logId: number, concernIds: number[] | undefined) {
      return {
        notes: rows<NoteRow>(
          logNotesQuery(logId, concernIds)
            .orderBy([
              { column: 'n.created_at', order: 'desc' },
              { column: 'n.id', order: 'desc' },
            ])
            .select(COLUMNS),
        ),
        attachments: rows<AttachmentRow>(
          db('note_attachments')
            .whereIn('note_id', logNotesQuery(logId, concernIds).select('n.id'))
            .orderBy('id')
            .select('id', 'note_id', 'filename', 'size', 'created_at'),
        ),
      };
    },

    privateNotes(authorId: number): Promise<NoteRow[]> {
      return base()
        .where({ 'n.kind': 'private', 'n.author_id': authorId })
        .orderBy([
          { column: 'n.updated_at', order: 'desc' },
          { column: 'n.id', order: 'desc' },
        ])
        .select(COLUMNS);
    },

    find(id: number): Promise<NoteRow | undefined> {
      return base().where('n.id', id).first(COLUMNS);
    },

    attachmentContent(
      noteId: number,
      attachmentId: number,
    ): Promise<(AttachmentRow & { content: Buffer }) | undefined> {
      return db('note_attachments')
        .where({ id: attachmentId, note_id: noteId })
        .first('id', 'note_id', 'filename', 'size', 'created_at', 'content');
    },

    versions(
      noteId: number,
    ): Promise<{ version: number; text: string; saved_at: Date; saved_by_name: string }[]> {
      return db('note_versions as v')
        .join('users as u', 'u.id', 'v.saved_by')
        .where('v.note_id', noteId)
        .orderBy('v.version', 'desc')
        .select('v.version', 'v.text', 'v.saved_at', 'u.name as saved_by_name');
    },

    async insert(
      trx: Knex.Transaction,
      row: {
        kind: 'private' | 'log';
        author_id: number;
        log_id: number | null;
        concern_id: number | null;
        text: string;
        created_at: Date;
      },
    ): Promise<number> {
      const [note] = await trx('notes')
        .insert({ ...row, updated_at: row.created_at })
        .returning('id');
      await trx('note_versions').insert({
        note_id: note.id,
        version: 1,
        text: row.text,
        saved_by: row.author_id,
        saved_at: row.created_at,
      });
      return note.id as number;
    },

    /** Saves a new text only if nobody saved in between; keeps the new text as the next version. */
    async update(noteId: number, version: number, text: string, userId: number, now: Date): Promise<boolean> {
      return db.transaction(async (trx) => {
        const rows = await trx('notes')
          .where({ id: noteId, version })
          .update({ text, version: version + 1, updated_at: now })
          .returning('id');
        if (rows.length === 0) return false;
        await trx('note_versions').insert({
          note_id: noteId,
          version: version + 1,
          text,
          saved_by: userId,
          saved_at: now,
        });
        return true;
      });
    },

    async insertAttachment(
      trx: Knex.Transaction | Db,
      row: {
        note_id: number;
        log_id: number;
        filename: string;
        size: number;
        sha256: string;
        content: Buffer;
        uploaded_by: number;
        created_at: Date;
      },
    ): Promise<number> {
      const [attachment] = await trx('note_attachments').insert(row).returning('id');
      return attachment.id as number;
    },

    concernsOf(logId: number): Promise<{ id: number; title: string; status: string }[]> {
      return db('concerns')
        .where({ log_id: logId })
        .orderBy([{ column: 'position' }, { column: 'id' }])
        .select('id', 'title', 'status');
    },
  };
}

export type NotesRepository = ReturnType<typeof notesRepository>;
