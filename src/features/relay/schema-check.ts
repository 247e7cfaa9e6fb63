/**
 * A small JSON Schema (2020-12) checker for the keywords the export schema uses, and no others: a
 * schema with any other keyword is refused when it is loaded, so the schema file and this checker
 * cannot drift apart. Errors name the place in the document as a JSON Pointer ("/concerns/0/title").
 */
export type Schema = { [keyword: string]: unknown };

export interface SchemaError {
  path: string;
  keyword: string;
}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$comment', '$defs']);
const CHECKED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'items',
  'minItems',
  'maxItems',
  '$ref',
  'oneOf',
]);

/** Throws when the schema uses a keyword this checker does not implement. */
export function assertSupported(schema: Schema, where = '#'): void {
  for (const [keyword, value] of Object.entries(schema)) {
    if (!ANNOTATIONS.has(keyword) && !CHECKED.has(keyword))
      throw new Error(`schema keyword "${keyword}" at ${where} is not supported`);
    if (keyword === 'additionalProperties' && value !== false)
      throw new Error(`only "additionalProperties": false is supported (${where})`);
    if (keyword === '$ref' && (typeof value !== 'string' || !value.startsWith('#/$defs/')))
      throw new Error(`only local $defs references are supported (${where})`);
    if (keyword === 'format' && value !== 'date' && value !== 'date-time')
      throw new Error(`format "${String(value)}" is not supported (${where})`);
  }
  const children: [string, unknown][] = [
    ...Object.entries((schema.properties as Record<string, unknown>) ?? {}).map(
      ([k, v]) => [`${where}/properties/${k}`, v] as [string, unknown],
    ),
    ...Object.entries((schema.$defs as Record<string, unknown>) ?? {}).map(
      ([k, v]) => [`${where}/$defs/${k}`, v] as [string, unknown],
    ),
    ...((schema.oneOf as unknown[]) ?? []).map((v, i) => [`${where}/oneOf/${i}`, v] as [string, unknown]),
    ...(schema.items ? [[`${where}/items`, schema.items] as [string, unknown]] : []),
  ];
  for (const [path, child] of children) assertSupported(child as Schema, path);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function isDateTime(value: string): boolean {
  return DATE_TIME.test(value) && isDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(actual: string, wanted: string): boolean {
  return actual === wanted || (wanted === 'number' && actual === 'integer');
}

const pointer = (path: string, key: string | number) =>
  `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Checks `value` against `schema` (with `root` holding the $defs); returns every error found, up to `limit`. */
export function check(
  value: unknown,
  schema: Schema,
  root: Schema = schema,
  path = '',
  limit = 50,
): SchemaError[] {
  const errors: SchemaError[] = [];
  const fail = (at: string, keyword: string) => {
    if (errors.length < limit) errors.push({ path: at || '/', keyword });
  };
  const walk = (v: unknown, s: Schema, at: string): void => {
    if (errors.length >= limit) return;
    if (typeof s.$ref === 'string') {
      const target = (root.$defs as Record<string, Schema>)[s.$ref.slice('#/$defs/'.length)];
      if (!target) throw new Error(`unknown reference ${s.$ref}`);
      walk(v, target, at);
    }
    if (s.oneOf) {
      const results = (s.oneOf as Schema[]).map((option) => check(v, option, root, at, limit));
      const matching = results.filter((r) => r.length === 0).length;
      if (matching !== 1) {
        // Report the closest option's errors (not the options of another type altogether), else "oneOf".
        const sameType = results.filter(
          (r) => r.length > 0 && !(r.length === 1 && r[0]!.path === (at || '/') && r[0]!.keyword === 'type'),
        );
        const closest = sameType.sort((a, b) => a.length - b.length)[0];
        if (matching === 0 && closest) closest.forEach((e) => fail(e.path, e.keyword));
        else fail(at, 'oneOf');
      }
    }
    const actual = typeOf(v);
    if (s.type !== undefined) {
      const wanted = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!wanted.some((w) => typeMatches(actual, w))) return fail(at, 'type');
    }
    if ('const' in s && v !== s.const) return fail(at, 'const');
    if (s.enum && !(s.enum as unknown[]).includes(v)) return fail(at, 'enum');
    if (typeof v === 'string') {
      const length = [...v].length;
      if (typeof s.minLength === 'number' && length < s.minLength) fail(at, 'minLength');
      if (typeof s.maxLength === 'number' && length > s.maxLength) fail(at, 'maxLength');
      if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) fail(at, 'pattern');
      if (s.format === 'date' && !isDate(v)) fail(at, 'format');
      if (s.format === 'date-time' && !isDateTime(v)) fail(at, 'format');
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) fail(at, 'minItems');
      if (typeof s.maxItems === 'number' && v.length > s.maxItems) return fail(at, 'maxItems');
      if (s.items) v.forEach((item, i) => walk(item, s.items as Schema, pointer(at, i)));
    }
    if (actual === 'object') {
      const object = v as Record<string, unknown>;
      const properties = (s.properties as Record<string, Schema>) ?? {};
      for (const key of (s.required as string[]) ?? [])
        if (!(key in object)) fail(pointer(at, key), 'required');
      for (const [key, item] of Object.entries(object)) {
        if (key in properties) walk(item, properties[key]!, pointer(at, key));
        else if (s.additionalProperties === false) fail(pointer(at, key), 'additionalProperties');
      }
    }
  };
  walk(value, schema, path);
  return errors;
}
