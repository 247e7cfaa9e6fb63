/** SQL for the consent paperwork: what the documents are filled in with, and the signed forms. */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';
import { oneStatement, row, rows } from '../../db/one-statement.js';

export interface PaperworkLog {
  id: number;
  plan_type: string;
  status: string;
  first_name: string;
  last_name: string;
  birth_date: string;
  holder_name: string;
  unit_name: string;
}

export interface PaperworkConsent {
  id: number;
  given_by: string;
  given_by_role: string;
  given_on: string;
  valid_until: string;
  services: string[];
  services_note: string;
  withdrawn_at: Date | null;
}

export interface PaperworkActor {
  name: string;
  units: string;
}

export interface SignedFormRow {
  id: number;
  consent_id: number;
  filename: string;
  source: string;
  size: number;
  uploaded_by_name: string;
  created_at: Date;
}

export function consentPapersRepository(db: Db) {
  return {
    /** Everything the documents and the page show, in one statement. */
    async paperwork(logId: number) {
      return oneStatement(db, {
        log: row<PaperworkLog>(
          db('logs as l')
            .join('children as c', 'c.id', 'l.child_id')
            .join('users as h', 'h.id', 'l.holder_id')
            .join('units as u', 'u.id', 'l.unit_id')
            .where('l.id', logId)
            .select(
              'l.id',
              'l.plan_type',
              'l.status',
              'c.first_name',
              'c.last_name',
              db.raw(`to_char(c.birth_date, 'YYYY-MM-DD') as birth_date`),
              'h.name as holder_name',
              'u.name as unit_name',
            ),
        ),
        guardians: rows<{ name: string }>(
          db('log_guardians as g')
            .join('users as u', 'u.id', 'g.user_id')
            .where('g.log_id', logId)
            .orderBy('u.name')
            .select('u.name'),
        ),
        // The staff responsible for a measure not yet evaluated (planned or ongoing), with their units.
        actors: rows<PaperworkActor>(
          db('users as u')
            .whereIn(
              'u.id',
              db('measures')
                .where({ log_id: logId, responsible: 'actor' })
                .whereNot('status', 'evaluated')
                .select('responsible_user_id'),
            )
            .select(
              'u.name',
              db.raw(
                `coalesce((select string_agg(distinct un.name, ', ') from unit_memberships m join units un on un.id = m.unit_id where m.user_id = u.id), '') as units`,
              ),
            )
            .orderBy('u.name'),
        ),
        consents: rows<PaperworkConsent>(
          db('consents')
            .where({ log_id: logId })
            .orderBy([
              { column: 'given_on', order: 'desc' },
              { column: 'id', order: 'desc' },
            ])
            .select(
              'id',
              'given_by',
              'given_by_role',
              db.raw(`to_char(given_on, 'YYYY-MM-DD') as given_on`),
              db.raw(`to_char(valid_until, 'YYYY-MM-DD') as valid_until`),
              'services',
              'services_note',
              'withdrawn_at',
            ),
        ),
        signed: rows<SignedFormRow>(
          db('consent_signed_forms as s')
            .join('users as u', 'u.id', 's.uploaded_by')
            .where('s.log_id', logId)
            .orderBy([
              { column: 's.created_at', order: 'desc' },
              { column: 's.id', order: 'desc' },
            ])
            .select(
              's.id',
              's.consent_id',
              's.filename',
              's.source',
              's.size',
              'u.name as uploaded_by_name',
              's.created_at',
            ),
        ),
      });
    },

    async insertSignedForm(
      trx: Knex.Transaction,
      values: {
        consent_id: number;
        log_id: number;
        filename: string;
        source: string;
        content: Buffer;
        sha256: string;
        uploaded_by: number;
        created_at: Date;
      },
    ): Promise<number> {
      const [created] = await trx('consent_signed_forms')
        .insert({ ...values, size: values.content.length })
        .returning('id');
      return created.id as number;
    },

    signedFormContent(
      logId: number,
      signedId: number,
    ): Promise<{ id: number; consent_id: number; filename: string; content: Buffer } | undefined> {
      return db('consent_signed_forms')
        .where({ id: signedId, log_id: logId })
        .first('id', 'consent_id', 'filename', 'content');
    },
  };
}

export type ConsentPapersRepository = ReturnType<typeof consentPapersRepository>;
