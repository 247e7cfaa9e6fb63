/** What an error keeps when it is logged: codes and names, never values. */
import t from 'tap';
import { maskValues, safeError, safeMessage } from './safe-error.js';

const NUMBER = '15031830858';

/** The fields pg gives a unique violation (as the server sends them), with knex's query in front of the message. */
function uniqueViolation() {
  return Object.assign(
    new Error(
      `insert into "children" ("national_id") values ($1) - duplicate key value violates unique constraint "children_municipality_id_national_id_unique"`,
    ),
    {
      name: 'error',
      severity: 'ERROR',
      code: '23505',
      detail: `Key (municipality_id, national_id)=(1, ${NUMBER}) already exists.`,
      schema: 'public',
      table: 'children',
      constraint: 'children_municipality_id_national_id_unique',
      routine: '_bt_check_unique',
      where: `SQL statement "insert ... ${NUMBER}"`,
      internalQuery: `select ${NUMBER}`,
    },
  );
}

t.test('a database error keeps its code and names, and nothing from the row', async (t) => {
  const safe = safeError(uniqueViolation());
  const written = JSON.stringify(safe);
  t.notMatch(written, NUMBER);
  t.notMatch(written, /detail|where|internalQuery|already exists/);
  t.equal(safe.code, '23505');
  t.equal(safe.constraint, 'children_municipality_id_national_id_unique');
  t.equal(safe.table, 'children');
  t.equal(
    safe.message,
    'PostgreSQL 23505 unique_violation, constraint children_municipality_id_national_id_unique, table children, routine _bt_check_unique',
  );
  t.match(safe.stack, /^Error: PostgreSQL 23505 unique_violation.*\n\s+at /);
});

t.test('input quoted by PostgreSQL in the message is not kept', async (t) => {
  const error = Object.assign(new Error(`invalid input syntax for type integer: "${NUMBER}x"`), {
    severity: 'ERROR',
    code: '22P02',
    routine: 'pg_strtoint32_safe',
  });
  t.equal(safeMessage(error), 'PostgreSQL 22P02 invalid_text_representation, routine pg_strtoint32_safe');
});

t.test('other errors: values masked, query text and bindings dropped, causes too', async (t) => {
  const timeout = Object.assign(new Error('Defined query timeout of 15000ms exceeded when running query.'), {
    name: 'KnexTimeoutError',
    sql: 'select * from children where national_id = ?',
    bindings: [NUMBER],
  });
  const wrapped = new Error(`printing failed for ${NUMBER} (ola@example.com)`, { cause: uniqueViolation() });
  const aggregate = new AggregateError([new Error(`connect ECONNREFUSED "${NUMBER}"`)], 'all failed');
  const written = JSON.stringify([safeError(timeout), safeError(wrapped), safeError(aggregate)]);
  t.notMatch(written, NUMBER);
  t.notMatch(written, /ola@example\.com|bindings|"sql"/);
  t.equal(safeError(timeout).message, 'Defined query timeout of 15000ms exceeded when running query.');
  t.equal(safeError(wrapped).message, 'printing failed for … (…@…)');
  t.equal((safeError(wrapped).cause as { code: string }).code, '23505', 'the cause is described too');
  t.equal(maskValues('select 1 from "x" where a = $1 - Connection terminated'), 'Connection terminated');
  t.equal(maskValues('Cannot read properties of undefined'), 'Cannot read properties of undefined');
});

t.test('a Danish CPR number is masked whole, with or without its hyphen', async (t) => {
  t.equal(maskValues('no child 120315-4123 here'), 'no child … here');
  t.equal(maskValues('no child 120315 4123 here'), 'no child … here');
  t.equal(maskValues('no child 1203154123 here'), 'no child … here');
  t.equal(maskValues('Fødselsnummer 150318 30858'), 'Fødselsnummer …');
});
