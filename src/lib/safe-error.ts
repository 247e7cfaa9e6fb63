/**
 * Errors as they may be written to a log: never with the values in them. A PostgreSQL error's detail
 * quotes the row (`Key (municipality_id, national_id)=(1, …) already exists`), its message can quote
 * the input (`invalid input syntax for type integer: "…"`), and knex adds the query and its bindings.
 * What is kept: the kind of error, its codes, the constraint, table and column names, a message without
 * values, and the stack's code locations.
 */

/** The conditions worth naming in a log line (SQLSTATE → PostgreSQL's own condition name). */
const CONDITIONS: Record<string, string> = {
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '23P01': 'exclusion_violation',
  '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22021': 'character_not_in_repertoire',
  '22P02': 'invalid_text_representation',
  '22P05': 'untranslatable_character',
  '25P02': 'in_failed_sql_transaction',
  '28000': 'invalid_authorization_specification',
  '28P01': 'invalid_password',
  '3D000': 'invalid_catalog_name',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '42501': 'insufficient_privilege',
  '42601': 'syntax_error',
  '42703': 'undefined_column',
  '42P01': 'undefined_table',
  '53300': 'too_many_connections',
  '55P03': 'lock_not_available',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
  '57P02': 'crash_shutdown',
  '57P03': 'cannot_connect_now',
};

type Fields = Record<string, unknown>;

const asFields = (error: unknown): Fields =>
  error && typeof error === 'object' ? (error as Fields) : { message: String(error) };

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** An error PostgreSQL sent (pg's DatabaseError): a five-character SQLSTATE and the server's fields. */
export function isDatabaseError(error: unknown): boolean {
  const e = asFields(error);
  return (
    typeof e.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(e.code) &&
    (typeof e.severity === 'string' || typeof e.routine === 'string')
  );
}

/**
 * Anything that may be a value, masked: double-quoted text (PostgreSQL and JSON quote input that way),
 * e-mail addresses, runs of six or more digits (identity numbers, also a CPR number's DDMMYY-SSSS, phone numbers); and the SQL knex puts
 * in front of a driver's message.
 */
export function maskValues(message: string): string {
  const sql =
    /^\s*(select|insert|update|delete|with|begin|commit|rollback|savepoint|release|set|lock|create|alter|drop|truncate|copy)\b[\s\S]* - /i;
  return message
    .replace(sql, '')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/[^\s@"'<>()[\],;]+@[^\s@"'<>()[\],;]+/g, '…@…')
    .replace(/\d{6}[ -]?\d{4,5}|\d{6,}/g, '…');
}

/** A database error described by its fields only: nothing in it comes from the data. */
function databaseMessage(e: Fields): string {
  const code = e.code as string;
  const parts = [`PostgreSQL ${code} ${CONDITIONS[code] ?? `(class ${code.slice(0, 2)})`}`];
  if (text(e.constraint)) parts.push(`constraint ${e.constraint as string}`);
  if (text(e.table)) parts.push(`table ${e.table as string}`);
  if (text(e.column)) parts.push(`column ${e.column as string}`);
  if (text(e.dataType)) parts.push(`type ${e.dataType as string}`);
  if (text(e.routine)) parts.push(`routine ${e.routine as string}`);
  return parts.join(', ');
}

/** The error's message, safe to log. */
export function safeMessage(error: unknown): string {
  const e = asFields(error);
  if (isDatabaseError(e)) return databaseMessage(e);
  return maskValues(text(e.message) ?? '');
}

/** The code locations of a stack, under a safe first line. */
function safeStack(e: Fields, type: string, message: string): string {
  const frames =
    typeof e.stack === 'string' ? e.stack.split('\n').filter((line) => /^\s+at /.test(line)) : [];
  return [`${type}: ${message}`, ...frames].join('\n');
}

export interface SafeError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
}

/**
 * The serializer for `err` in log lines. Keeps: type, name, a safe message, code, errno, syscall, the
 * address and port of a failed connection, statusCode, reason, constraint/table/column/dataType/schema/routine/severity of a database error, the
 * stack's frames, and the same for `cause` and an AggregateError's `errors`. Drops everything else
 * (detail, where, hint, query text, parameters, bindings, sql, and whatever else an error carries).
 */
export function safeError(error: unknown, depth = 0): SafeError {
  const e = asFields(error);
  const type =
    (typeof error === 'object' && error && (error as object).constructor?.name) || text(e.name) || 'Error';
  const message = safeMessage(e);
  const out: SafeError = { type, message, stack: safeStack(e, type, message) };
  if (text(e.name) && e.name !== type) out.name = e.name;
  for (const key of ['code', 'errno', 'syscall', 'address', 'port', 'statusCode', 'reason'] as const) {
    if (typeof e[key] === 'string' || typeof e[key] === 'number') out[key] = e[key];
  }
  if (isDatabaseError(e)) {
    for (const key of ['severity', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine'] as const)
      if (text(e[key])) out[key] = e[key];
  }
  if (depth < 3) {
    if (e.cause !== undefined) out.cause = safeError(e.cause, depth + 1);
    if (Array.isArray(e.errors))
      out.errors = e.errors.slice(0, 5).map((inner) => safeError(inner, depth + 1));
  }
  return out;
}
