/**
 * Route schemas for what an address carries: ids in the path and optional text in the query string.
 * Fastify checks them before the handler runs (plugins/errors.ts answers an id that cannot be one with
 * the not-found page, after sign-in and CSRF), and the `Schemas` type provider gives the handler the
 * checked values with their types, read from the same schema:
 *
 *   const app = instance.withTypeProvider<Schemas>();
 *   app.get('/logs/:logId/goals/:goalId', { schema: { params: idParams('logId', 'goalId') } },
 *     async (request) => request.params.goalId); // a number
 */
import type { FastifyTypeProvider } from 'fastify';
import { INT_MAX } from './form.js';

declare const TYPE: unique symbol;

/** A JSON Schema that also carries, for TypeScript only, the type of the value it accepts. */
export type Schema<T> = Readonly<Record<string, unknown>> & { readonly [TYPE]: T };

/** Fastify's type provider for these schemas: `request.params`/`request.query` typed by their schema. */
export interface Schemas extends FastifyTypeProvider {
  validator: this['schema'] extends Schema<infer T> ? T : unknown;
  serializer: unknown;
}

/**
 * An id as URLs and PostgreSQL have it: plain digits without a leading zero (so "0x10", "012", "1e3" and
 * " 1" are not ids, as they would be after Ajv's number coercion alone), then a number from 1 to the
 * largest integer column value.
 */
const ID = {
  allOf: [
    { type: 'string', pattern: '^[1-9][0-9]{0,9}$' },
    { type: 'integer', minimum: 1, maximum: INT_MAX },
  ],
};

/** A generated key (a row's UUID), lower-case as the database writes it. */
const UUID = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' };

/** The schema, with the type it gives the handler. */
const typed = <T>(schema: Record<string, unknown>) => schema as Schema<T>;

function pathParams<T>(properties: Record<string, unknown>): Schema<T> {
  return typed<T>({
    type: 'object',
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  });
}

/** Path parameters that are ids: `idParams('logId', 'goalId')` gives `{ logId: number; goalId: number }`. */
export function idParams<K extends string>(...names: K[]): Schema<{ [P in K]: number }> {
  return pathParams(Object.fromEntries(names.map((name) => [name, ID])));
}

/** Path parameters that are UUIDs (strings). */
export function uuidParams<K extends string>(...names: K[]): Schema<{ [P in K]: string }> {
  return pathParams(Object.fromEntries(names.map((name) => [name, UUID])));
}

/**
 * Optional text in the query string: `queryStrings('saved')` gives `{ saved?: string }`. Other names
 * are left as they are; a name given twice (?a=1&a=2) is refused as a bad request.
 */
export function queryStrings<K extends string>(...names: K[]): Schema<{ [P in K]?: string }> {
  return typed({
    type: 'object',
    properties: Object.fromEntries(names.map((name) => [name, { type: 'string' }])),
  });
}
