/**
 * Several instances on one database start their job workers at the same time (a cluster starting, or a
 * rolling restart): each declares the same queues, and none may fail for it.
 */
import t from 'tap';
import { testApp } from './helpers/app.js';

t.test('three instances start their job workers at once on a fresh database', async (t) => {
  const apps = await Promise.all([testApp(t), testApp(t), testApp(t)]);
  const results = await Promise.allSettled(apps.map(({ app }) => app.jobs.start()));
  t.same(
    results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
    [],
    'every instance started its workers',
  );
  t.ok(apps.every(({ app }) => app.jobs.running));
});
