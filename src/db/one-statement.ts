/**
 * Several reads, and optionally one insert, in ONE SQL statement: one round trip to PostgreSQL however
 * many parts a page needs. Each part is an ordinary Knex query, run as a sub-select whose result comes
 * back as JSON in a column of its own:
 *
 *   const { log, glimmers, hasConsent } = await oneStatement(db, {
 *     log: row<LogRow>(db('logs').where({ id }).first('id', 'status')),
 *     glimmers: rows<GlimmerRow>(db('glimmers').where({ log_id: id }).orderBy('id').select('*')),
 *     hasConsent: exists(db('consents').where({ log_id: id }).select('id')),
 *     lifeAreas: none([]),                       // not needed this time: sent nothing, answers []
 *   }, { insert: { table: 'audit_events', rows } });
 *
 * `rows` answers an array in the query's own order (json_agg over the ordered sub-select, which
 * PostgreSQL aggregates in the order the sub-select yields), `row` the first row or undefined, `exists`
 * a boolean. JSON has no timestamps: columns named `at` or `…_at` (the schema's timestamp columns) are
 * turned back into Dates, so the rows look as pg itself would have given them (DATE columns are
 * 'YYYY-MM-DD' strings and BIGINTs numbers either way: src/db/knex.ts).
 *
 * The insert is a data-modifying WITH (`WITH inserted AS (INSERT … RETURNING 1) SELECT …`): it is part
 * of the same statement, so it commits together with the reads or not at all, and pg hands the result
 * over only after PostgreSQL has confirmed the statement (ReadyForQuery, after the commit). So whoever
 * gets the rows knows the inserted rows are stored; if the insert fails, the whole statement fails and
 * nothing is read. The number of inserted rows is checked as well.
 */
import type { Knex } from 'knex';
import { prepared, type Db } from './knex.js';

type Query = Knex.QueryBuilder | Knex.Raw;

/** One part of the statement: what to send and how to read its answer. */
export interface Part<T> {
  readonly kind: 'rows' | 'row' | 'exists' | 'none';
  readonly query: Query | null;
  readonly fallback?: T;
  /** Only for the type: what the part answers. */
  readonly __type?: T;
}

export type Parts = Record<string, Part<unknown>>;
export type Results<P extends Parts> = { [K in keyof P]: P[K] extends Part<infer T> ? T : never };

export const rows = <T>(query: Query): Part<T[]> => ({ kind: 'rows', query });
export const row = <T>(query: Query): Part<T | undefined> => ({ kind: 'row', query });
export const exists = (query: Query): Part<boolean> => ({ kind: 'exists', query });
/** A part not needed this time: nothing is sent, the answer is `value`. */
export const none = <T>(value: T): Part<T> => ({ kind: 'none', query: null, fallback: value });

const TIMESTAMP = /(^|_)at$/;

/** JSON's timestamp strings back into Dates, for the columns named `at` or `…_at`. */
function revive(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (typeof v === 'string' && TIMESTAMP.test(key)) record[key] = new Date(v);
  }
  return record;
}

export interface Insert {
  table: string;
  rows: Record<string, unknown>[];
}

/** Runs every part (and the insert, if any) as one statement; answers each part's result by its name. */
export async function oneStatement<P extends Parts>(
  db: Db | Knex.Transaction,
  parts: P,
  options: { insert?: Insert } = {},
): Promise<Results<P>> {
  const columns: Knex.Raw[] = [];
  const names: string[] = [];
  for (const [name, part] of Object.entries(parts)) {
    if (part.kind === 'none') continue;
    names.push(name);
    const sql =
      part.kind === 'rows'
        ? `(SELECT coalesce(json_agg(q), '[]'::json) FROM (?) q) AS ??`
        : part.kind === 'row'
          ? `(SELECT row_to_json(q) FROM (?) q LIMIT 1) AS ??`
          : `EXISTS (?) AS ??`;
    columns.push(db.raw(sql, [part.query!, name]));
  }
  const insert = options.insert && options.insert.rows.length > 0 ? options.insert : undefined;
  if (insert) columns.push(db.raw('(SELECT count(*) FROM inserted) AS ??', ['inserted']));
  if (columns.length === 0) return finish(parts, {});
  const select = insert
    ? db.with('inserted', db(insert.table).insert(insert.rows).returning(db.raw('1'))).select(columns)
    : db.select(columns);
  // Every page runs the same few statements: prepared, PostgreSQL plans each one once per connection.
  const [answer] = (await (db.isTransaction ? select : prepared(select))) as Record<string, unknown>[];
  if (insert && answer!.inserted !== insert.rows.length)
    throw new Error(`expected ${insert.rows.length} rows inserted into ${insert.table}`);
  return finish(parts, answer!);
}

function finish<P extends Parts>(parts: P, answer: Record<string, unknown>): Results<P> {
  const results: Record<string, unknown> = {};
  for (const [name, part] of Object.entries(parts)) {
    const value = answer[name];
    if (part.kind === 'none') results[name] = part.fallback;
    else if (part.kind === 'rows') results[name] = (value as unknown[]).map(revive);
    else if (part.kind === 'row') results[name] = value === null ? undefined : revive(value);
    else results[name] = value;
  }
  return results as Results<P>;
}
