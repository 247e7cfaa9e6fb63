/**
 * Prepared statements (src/db/knex.ts): a query marked with prepared() — the session lookup, every
 * one-statement read — runs as a named prepared statement, so PostgreSQL plans its text once per
 * connection; the answers are the same as unprepared, the same text is one statement however often it
 * runs, and a transaction's queries run as they are.
 */
import t from 'tap';
import { createDb, prepared } from '../src/db/knex.js';
import { oneStatement, row, rows } from '../src/db/one-statement.js';
import { testDatabase } from './helpers/db.js';

t.test('marked queries are prepared once per connection and answer as before', async (t) => {
  const database = await testDatabase();
  // One connection, so the statements it holds can be read back from the same session.
  const db = createDb(database.url, 1);
  t.teardown(async () => {
    await db.destroy();
    await database.close();
  });
  const statements = async () =>
    (await db.raw(`SELECT name, statement FROM pg_prepared_statements ORDER BY name`)).rows as {
      name: string;
      statement: string;
    }[];

  const units = () => db('units').orderBy('id').select('id', 'name');
  const plain = await units();
  t.ok(plain.length > 0, 'the seeds have units');
  t.same(await prepared(units()), plain, 'the same rows, prepared');
  t.same(await prepared(units()), plain, 'and again');
  const after = await statements();
  t.equal(after.length, 1, 'one statement for one text, however often it runs');
  t.equal(after[0]!.statement, units().toSQL().toNative().sql, 'the text as Knex wrote it');

  const first = await prepared(db('units').where('id', plain[0]!.id).first('name'));
  t.equal(first?.name, plain[0]!.name, 'first() keeps its shape');
  t.equal((await statements()).length, 2, 'another text is another statement');

  const answer = await oneStatement(db, {
    unit: row<{ id: number }>(db('units').where('id', plain[0]!.id).first('id')),
    all: rows<{ id: number }>(db('units').orderBy('id').select('id')),
  });
  t.same(
    answer.all.map((u) => u.id),
    plain.map((u) => u.id),
  );
  t.equal(answer.unit?.id, plain[0]!.id);
  t.equal((await statements()).length, 3, 'one-statement reads are prepared');

  const inTransaction = await db.transaction(async (trx) => {
    const found = await oneStatement(trx, { all: rows<{ id: number }>(trx('units').select('id')) });
    return found.all.length;
  });
  t.equal(inTransaction, plain.length, 'a transaction reads the same');
  t.equal((await statements()).length, 3, 'and prepares nothing');
});
