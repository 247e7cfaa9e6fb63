/**
 * Retention, with the app's clock: expired sessions, kept forms, drafts, form tokens and old sign-in
 * failures go every night and fresh ones stay; archive prints after their years; passive logs (off by
 * default) through the leader's deletion path, deletion print first; audit rows only by the owner role,
 * never by the application role.
 */
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { RETENTION_QUEUE } from '../src/features/retention/index.js';
import { JOBS_SCHEMA } from '../src/plugins/jobs.js';
import { createClock, sharedDatabase, testApp } from './helpers/app.js';

const DAY = 24 * 3600 * 1000;
const YEAR = 365.25 * DAY;
const NOW = new Date('2040-06-15T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

t.test('rows that expire by themselves go; fresh ones stay', async (t) => {
  const clock = createClock(NOW);
  const { app, db } = await testApp(t, {}, { clock });
  const userId = (await db('users').first('id')).id as number;
  const session = (created: Date, lastSeen: Date, ended: Date | null) => ({
    id: randomUUID(),
    user_id: userId,
    created_at: created,
    last_seen_at: lastSeen,
    ended_at: ended,
    ended_reason: ended ? 'logout' : null,
  });
  const sessions = {
    endedLongAgo: session(ago(20 * DAY), ago(20 * DAY), ago(20 * DAY)),
    endedYesterday: session(ago(DAY), ago(DAY), ago(DAY)),
    abandoned: session(ago(10 * DAY), ago(10 * DAY), null),
    live: session(ago(3600_000), ago(60_000), null),
  };
  await db('sessions').insert(Object.values(sessions));
  const blob = Buffer.from('sealed');
  const form = (expires: Date) => ({
    id: randomUUID(),
    user_id: userId,
    method: 'POST',
    path: '/x',
    sealed: blob,
    created_at: ago(2 * DAY),
    expires_at: expires,
  });
  const oldForm = form(ago(DAY));
  const keptForm = form(new Date(NOW.getTime() + DAY));
  await db('saved_forms').insert([oldForm, keptForm]);
  const draft = (path: string, expires: Date) => ({
    user_id: userId,
    path,
    field: 'text',
    sealed: blob,
    updated_at: ago(DAY),
    expires_at: expires,
  });
  await db('drafts').insert([draft('/old', ago(1000)), draft('/new', new Date(NOW.getTime() + DAY))]);
  const oldToken = randomUUID();
  const newToken = randomUUID();
  await db('form_submissions').insert([
    { token: oldToken, user_id: userId, created_at: ago(31 * DAY) },
    { token: newToken, user_id: userId, created_at: ago(DAY) },
  ]);
  await db('login_failures').insert([
    { scope: 'pair', key: 'a'.repeat(64), failures: 3, window_start: ago(3 * DAY), updated_at: ago(3 * DAY) },
    { scope: 'pair', key: 'b'.repeat(64), failures: 3, window_start: ago(60_000), updated_at: ago(60_000) },
  ]);

  const removed = await app.services.retention.run();
  t.match(removed, { sessions: 2, saved_forms: 1, drafts: 1, form_submissions: 1, login_failures: 1 });
  const left = await db('sessions')
    .whereIn(
      'id',
      Object.values(sessions).map((s) => s.id),
    )
    .pluck('id');
  t.same(
    left.sort(),
    [sessions.endedYesterday.id, sessions.live.id].sort(),
    'sessions: ended a day ago (within RETENTION_SESSION_DAYS) and the live one stay',
  );
  t.same(await db('saved_forms').whereIn('id', [oldForm.id, keptForm.id]).pluck('id'), [keptForm.id]);
  t.same(await db('drafts').where({ user_id: userId }).pluck('path'), ['/new']);
  t.same(await db('form_submissions').whereIn('token', [oldToken, newToken]).pluck('token'), [newToken]);
  t.equal(Number((await db('login_failures').count('* as n'))[0]!.n), 1);

  const run = await db('retention_runs').orderBy('id', 'desc').first();
  t.equal(run.outcome, 'ok', 'the run is recorded');
  t.match(run.removed, { sessions: 2 });
});

t.test(
  'archive prints after their years; passive logs only when turned on, deletion print first',
  async (t) => {
    const clock = createClock(NOW);
    const { app, db } = await testApp(t, { RETENTION_ARCHIVE_PRINT_YEARS: '10' }, { clock });
    const log = await db('logs').where({ status: 'active' }).orderBy('id').first('id');
    const print = (madeAt: Date) => ({
      log_id: log.id,
      log_ref: log.id,
      reason: 'yearly',
      made_at: madeAt,
      filename: 'plan.pdf',
      size: 4,
      sha256: '0'.repeat(64),
      pdf: Buffer.from('%PDF'),
    });
    const [old] = await db('archive_prints')
      .insert(print(ago(11 * YEAR)))
      .returning('id');
    const [recent] = await db('archive_prints')
      .insert(print(ago(9 * YEAR)))
      .returning('id');
    await db('logs')
      .where({ id: log.id })
      .update({ status: 'passive', closed_at: ago(6 * YEAR) });

    const first = await app.services.retention.run();
    t.equal(first.archive_prints, 1, 'one print past ten years');
    t.same(await db('archive_prints').whereIn('id', [old.id, recent.id]).pluck('id'), [recent.id]);
    t.notOk('passive_logs' in first, 'passive logs are kept by default');
    t.ok(await db('logs').where({ id: log.id }).first(), 'the passive log is still there');

    const on = await testApp(t, { RETENTION_PASSIVE_LOG_YEARS: '5' }, { clock });
    const second = await on.app.services.retention.run();
    t.equal(second.passive_logs, 1, 'the log closed six years ago is deleted');
    t.notOk(await db('logs').where({ id: log.id }).first(), 'gone');
    const deletionPrint = await db('archive_prints').where({ log_ref: log.id, reason: 'deletion' }).first();
    t.ok(deletionPrint, 'its deletion print was stored');
    t.equal(deletionPrint.pdf.subarray(0, 5).toString(), '%PDF-', 'a real PDF');
    const line = await db('deleted_logs').where({ log_ref: log.id }).first();
    t.equal(line.deleted_by, null, 'deleted by the system, named in the archive list');
    const audit = await db('audit_events').where({ action: 'log.delete', log_id: log.id }).first();
    t.equal(audit.role, 'system', 'and audited as the system');
    t.equal(audit.user_id, null);
  },
);

t.test(
  'audit rows: removed after their years by the owner only; the application role never can',
  async (t) => {
    const clock = createClock(NOW);
    const database = await sharedDatabase();
    const [old] = await database
      .db('audit_events')
      .insert({ at: ago(11 * YEAR), action: 'test.old' })
      .returning('id');
    const [young] = await database
      .db('audit_events')
      .insert({ at: ago(9 * YEAR), action: 'test.young' })
      .returning('id');
    const ids = [old.id, young.id];

    // The application role: no DELETE, whatever it sets.
    await t.rejects(
      database.appDb.transaction(async (trx) => {
        await trx.raw("SELECT set_config('stafett.audit_retention_before', ?, true)", [NOW.toISOString()]);
        await trx('audit_events').where({ id: old.id }).delete();
      }),
      /permission denied/,
      'the application role cannot delete audit rows',
    );
    // The owner, outside the retention transaction, or for rows younger than the date it names: refused.
    await t.rejects(database.db('audit_events').where({ id: old.id }).delete(), /append-only/);
    await t.rejects(
      database.db.transaction(async (trx) => {
        await trx.raw("SELECT set_config('stafett.audit_retention_before', ?, true)", [
          ago(10 * YEAR).toISOString(),
        ]);
        await trx('audit_events').where({ id: young.id }).delete();
      }),
      /append-only/,
      'not a row younger than the date named',
    );
    await t.rejects(database.db('audit_events').where({ id: old.id }).update({ action: 'x' }), /append-only/);

    const withoutOwner = await testApp(t, {}, { clock });
    const kept = await withoutOwner.app.services.retention.run();
    t.notOk('audit_events' in kept, 'without the owner connection nothing is removed');
    t.equal(
      await database
        .db('audit_events')
        .whereIn('id', ids)
        .count('* as n')
        .then((r) => Number(r[0]!.n)),
      2,
    );

    const { app } = await testApp(t, {}, { clock, withOwner: true });
    const removed = await app.services.retention.run();
    t.ok(removed.audit_events! >= 1, 'the owner removed the old rows');
    t.same(
      await database.db('audit_events').whereIn('id', ids).pluck('id'),
      [young.id],
      'the young row stays',
    );
  },
);

t.test('the nightly job is scheduled once for the whole cluster, at RETENTION_CRON', async (t) => {
  const { app, db } = await testApp(t, { RETENTION_CRON: '15 4 * * *' });
  await app.jobs.start();
  const schedule = await db.raw(`SELECT cron, timezone FROM ${JOBS_SCHEMA}.schedule WHERE name = ?`, [
    RETENTION_QUEUE,
  ]);
  t.same(schedule.rows, [{ cron: '15 4 * * *', timezone: 'Europe/Oslo' }]);
});
