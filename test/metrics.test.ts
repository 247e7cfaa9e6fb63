/**
 * Metrics: on their own port, behind the bearer token, labelled by route pattern (never a URL with ids),
 * with the database pool, job queues, print pool and durations, e-mails and active sessions.
 */
import t from 'tap';
import { freePort } from '../src/db/embedded.js';
import { startCatcher } from '../src/features/notifications/catcher.js';
import { Agent, signIn, testApp } from './helpers/app.js';

const TOKEN = 'metrics-token-for-tests-0123456789';

/** The value of one sample line, e.g. sample(text, 'stafett_print_queued'), or null. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return null;
}

t.test('on a port of their own, only with the token', async (t) => {
  const port = await freePort();
  const catcher = await startCatcher();
  t.teardown(() => catcher.close());
  const { app } = await testApp(t, {
    METRICS_PORT: String(port),
    METRICS_TOKEN: TOKEN,
    SMTP_URL: catcher.url,
    JOBS_POLL_SECONDS: '1',
  });
  await app.jobs.start();
  const url = `http://127.0.0.1:${port}/metrics`;
  const scrape = async () => {
    const r = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    t.equal(r.status, 200);
    return r.text();
  };

  t.equal((await fetch(url)).status, 401, 'no token: 401');
  t.equal((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status, 401, 'wrong token');
  t.equal((await app.inject('/metrics')).statusCode, 404, 'not on the application port');

  const agent = new Agent(app);
  await signIn(agent, 'stafettholder@stafett.example');
  const logs = await agent.get('/logs');
  const logId = /href="\/logs\/(\d+)"/.exec(logs.body)![1]!;
  await agent.get(`/logs/${logId}`);
  await agent.get('/logs/999999');
  await agent.get('/no/such/page');
  await app.inject('/public/css/app.css');
  await app.pdf.render({ html: '<title>x</title><p>x</p>' });
  await app.services.notifications.notify({ kind: 'weekly_glimmer', userIds: [1] });
  await catcher.waitFor(1, 15_000);
  for (let i = 0; i < 40; i++) {
    if (sample(await scrape(), 'stafett_emails_total', { outcome: 'sent' })) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const text = await scrape();
  t.ok(
    sample(text, 'stafett_http_requests_total', { method: 'GET', route: '/logs/:logId', status_code: '200' }),
    'requests by route pattern',
  );
  t.ok(sample(text, 'stafett_http_requests_total', { route: '/logs/:logId', status_code: '404' }));
  t.ok(sample(text, 'stafett_http_requests_total', { route: 'unmatched', status_code: '404' }));
  t.ok(sample(text, 'stafett_http_requests_total', { route: 'static' }), 'static files under one label');
  const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]!));
  t.same(
    [...routes].filter((r) => /\/\d|no\/such/.test(r)),
    [],
    `never a URL with ids: ${[...routes].join(' ')}`,
  );
  t.ok(sample(text, 'stafett_http_request_duration_seconds_count', { route: '/logs/:logId' }), 'durations');
  t.not(sample(text, 'stafett_db_pool_connections', { state: 'used' }), null, 'pool in use');
  t.not(sample(text, 'stafett_db_pool_connections', { state: 'pending_acquires' }), null, 'waiting');
  t.ok(sample(text, 'stafett_jobs', { queue: 'notification.email', state: 'completed' }), 'job states');
  t.equal(sample(text, 'stafett_print_queued'), 0, 'print queue');
  t.not(sample(text, 'stafett_print_pages', { state: 'busy' }), null, 'print pool');
  t.equal(sample(text, 'stafett_print_duration_seconds_count', { outcome: 'ok' }), 1, 'one print timed');
  t.equal(sample(text, 'stafett_emails_total', { outcome: 'sent' }), 1, 'one e-mail sent');
  t.ok((sample(text, 'stafett_sessions_active') ?? 0) >= 1, 'active sessions');
  t.notMatch(text, /stafettholder|@stafett\.example/, 'no person in the metrics');
});

t.test('off by default; a metrics port reachable from elsewhere needs a token', async (t) => {
  const { app } = await testApp(t);
  t.equal(app.metrics.address(), null, 'no listener without METRICS_PORT');
  const { loadConfig } = await import('../src/config.js');
  t.throws(
    () => loadConfig({ NODE_ENV: 'test', METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }),
    /METRICS_TOKEN/,
  );
  t.doesNotThrow(() =>
    loadConfig({ NODE_ENV: 'test', METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: TOKEN }),
  );
});
