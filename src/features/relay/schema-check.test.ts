/** The small JSON Schema checker: the keywords it knows, the ones it refuses, and its error paths. */
import t from 'tap';
import { assertSupported, check, isDate, type Schema } from './schema-check.js';
import { EXPORT_SCHEMA } from './export-format.js';

const schema: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'when', 'items'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 3 },
    when: { type: ['string', 'null'], format: 'date' },
    kind: { enum: ['a', 'b', null] },
    items: { type: 'array', maxItems: 2, items: { $ref: '#/$defs/item' } },
    maybe: { oneOf: [{ type: 'null' }, { $ref: '#/$defs/item' }] },
  },
  $defs: {
    item: {
      type: 'object',
      additionalProperties: false,
      required: ['ref'],
      properties: { ref: { type: 'string', pattern: '^g[1-9]$' } },
    },
  },
};

t.test('a valid document has no errors', async (t) => {
  t.same(
    check({ name: 'Ida', when: '2026-02-28', kind: null, items: [{ ref: 'g1' }], maybe: null }, schema),
    [],
  );
  t.same(check({ name: 'Ida', when: null, items: [], maybe: { ref: 'g2' } }, schema), []);
});

t.test('errors name the place and the rule', async (t) => {
  const errors = check(
    { name: '', when: '2026-02-30', kind: 'c', items: [{ ref: 'x' }, {}, {}], extra: 1 },
    schema,
  );
  t.same(errors, [
    { path: '/name', keyword: 'minLength' },
    { path: '/when', keyword: 'format' },
    { path: '/kind', keyword: 'enum' },
    { path: '/items', keyword: 'maxItems' },
    { path: '/extra', keyword: 'additionalProperties' },
  ]);
  t.same(check({ name: 'Idaa', when: 5, items: [] }, schema), [
    { path: '/name', keyword: 'maxLength' },
    { path: '/when', keyword: 'type' },
  ]);
  t.same(check({ when: null, items: [] }, schema), [{ path: '/name', keyword: 'required' }]);
  t.same(
    check({ name: 'a', when: null, items: [], maybe: { ref: 'g0' } }, schema),
    [{ path: '/maybe/ref', keyword: 'pattern' }],
    'oneOf reports the closest option',
  );
  t.same(check({ name: 'a', when: null, items: [], maybe: 3 }, schema), [
    { path: '/maybe', keyword: 'oneOf' },
  ]);
  t.same(check([], schema), [{ path: '/', keyword: 'type' }]);
  t.equal(
    check({ name: 'a', when: null, items: [], x: 1, y: 2, z: 3 }, schema, schema, '', 2).length,
    2,
    'stops at the limit',
  );
});

t.test('a schema with a keyword the checker does not implement is refused when loaded', async (t) => {
  t.throws(
    () => assertSupported({ type: 'object', properties: { a: { type: 'string', uniqueItems: true } } }),
    /uniqueItems/,
  );
  t.throws(() => assertSupported({ additionalProperties: true }), /additionalProperties/);
  t.throws(() => assertSupported({ $ref: 'https://example.com/x' }), /local/);
  t.throws(() => assertSupported({ format: 'email' }), /email/);
  t.doesNotThrow(() => assertSupported(EXPORT_SCHEMA), 'the export schema uses only what is checked');
});

t.test('dates are real calendar days', async (t) => {
  t.ok(isDate('2024-02-29'));
  t.notOk(isDate('2023-02-29'));
  t.notOk(isDate('2023-2-1'));
});
