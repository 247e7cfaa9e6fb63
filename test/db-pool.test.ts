/**
 * Nothing holds a pool connection in a transaction while it waits for another one: with a pool smaller
 * than a burst of creates, every request still gets its answer (no 503 from an exhausted pool). And the
 * guard every test app runs with (src/db/transaction-guard.ts) catches such a call at once.
 */
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { createDb } from '../src/db/knex.js';
import { Agent, sharedDatabase, signIn, testApp } from './helpers/app.js';
import { addDays, dateFields, HOLDER, idaLogId, userId } from './plan-fixture.js';
import { osloDate } from '../src/lib/dates.js';
import { SecondConnectionError, violations } from '../src/db/transaction-guard.js';
import { JOBS_SCHEMA } from '../src/plugins/jobs.js';
import { EMAIL_QUEUE } from '../src/features/notifications/service.js';

const BURST = 20;

t.test('a burst of measure creates larger than the pool: every request answered, no 503', async (t) => {
  const database = await sharedDatabase();
  const small = createDb(database.appUrl, 2);
  t.teardown(() => small.destroy());
  const { app, clock } = await testApp(t, {}, { db: small });
  const agent = new Agent(app);
  await signIn(agent, HOLDER);
  const logId = await idaLogId(database.db);
  const tor = await userId(database.db, 'aktor@stafett.example');
  // Ida's mood goal: Tor has no measure in that concern yet.
  const goal = await database
    .db('goals')
    .where({ log_id: logId, text: 'Ida har det bedre.' })
    .first('id', 'concern_id');
  await agent.get(`/logs/${logId}/goals/${goal.id}/measures/new`);
  const today = osloDate(clock.now());
  const answers = await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      agent.post(`/logs/${logId}/goals/${goal.id}/measures`, {
        token: randomUUID(),
        text: `Tor følger opp Ida i friminuttet (${i + 1}).`,
        responsible: 'actor',
        actor_id: String(tor),
        ...dateFields('start', today),
        ...dateFields('deadline', addDays(today, 21)),
        steps: '',
      }),
    ),
  );
  const statuses = answers.map((a) => a.statusCode);
  t.same(
    statuses.filter((s) => s !== 303 && s !== 422),
    [],
    'each create is saved (303) or refused by rule 4 (422): none waits for a connection',
  );
  const active = await database
    .db('measures')
    .where({ concern_id: goal.concern_id, responsible: 'actor', responsible_user_id: tor })
    .whereNot('status', 'evaluated');
  t.equal(active.length, 1, 'rule 4 still holds: the actor has one active measure in the concern');
  t.equal(statuses.filter((s) => s === 303).length, 1, 'the one that was saved answered 303');
});

t.test(
  'the guard: the plain pool inside a transaction fails at once, the transaction itself works',
  async (t) => {
    const { app } = await testApp(t);
    const db = app.db;
    await t.rejects(
      db.transaction(async () => {
        await db('users').first('id');
      }),
      SecondConnectionError,
      'a query on the pool while holding a transaction',
    );
    await t.rejects(
      db.transaction(async () => {
        await db.transaction(async (inner) => inner('users').first('id'));
      }),
      SecondConnectionError,
      'a second top-level transaction inside one',
    );
    const viaTrx = await db.transaction(async (trx) => {
      const nested = await trx.transaction(async (savepoint) => savepoint('users').first('id'));
      return [await trx('users').first('id'), nested];
    });
    t.ok(viaTrx[0] && viaTrx[1], 'queries and savepoints on the transaction itself are fine');
    t.ok(await db('users').first('id'), 'after the transaction the pool is free to use again');
    violations.length = 0; // the violations above were on purpose
  },
);

t.test('a job queued inside a transaction goes on its connection, and only if it commits', async (t) => {
  const { app, db } = await testApp(t);
  const count = async () =>
    Number(
      (await db.raw(`SELECT count(*) AS n FROM ${JOBS_SCHEMA}.job WHERE name = ?`, [EMAIL_QUEUE])).rows[0].n,
    );
  await app.jobs.send(EMAIL_QUEUE, { kind: 'weekly_glimmer', userId: 1, logId: null }); // pg-boss started
  const before = await count();
  await t.rejects(
    app.db.transaction(async () => {
      await app.jobs.send(EMAIL_QUEUE, { kind: 'weekly_glimmer', userId: 1, logId: null });
    }),
    SecondConnectionError,
    "pg-boss's own pool inside a transaction",
  );
  violations.length = 0;
  await app.db
    .transaction(async (trx) => {
      await app.jobs.send(EMAIL_QUEUE, { kind: 'weekly_glimmer', userId: 1, logId: null }, { trx });
      throw new Error('roll back');
    })
    .catch(() => {});
  t.equal(await count(), before, 'rolled back: no job');
  await app.db.transaction(async (trx) => {
    await app.jobs.send(EMAIL_QUEUE, { kind: 'weekly_glimmer', userId: 1, logId: null }, { trx });
  });
  t.equal(await count(), before + 1, 'committed: one job');
});
