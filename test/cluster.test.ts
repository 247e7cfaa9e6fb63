/**
 * Two instances, one database, behind nginx (scripts/lib/cluster.ts; part of `npm test`; alone:
 * `npm run test:cluster`): a person signs in on one instance and goes on on the other; the sign-in throttle counts across
 * instances; a nightly job runs once per night, not once per instance; one instance gets SIGTERM under
 * steady mixed load through nginx (pages, inline edits as htmx posts, glimmer posts, PDFs) and no request
 * fails and nothing is lost; then it comes back and takes load again. Prints the figures.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { createDb } from '../src/db/knex.js';
import { DEMO_PASSWORD } from '../seeds/01_organisation.js';
import { startCluster, type Cluster } from '../scripts/lib/cluster.js';
import { postForms } from './helpers/form-reader.js';

const HOLDER = 'stafettholder@stafett.example';
const RUN = randomBytes(3).toString('hex');

// Starting PostgreSQL, two production instances and nginx and riding out a restart takes minutes.
t.setTimeout(900_000);

interface Outcome {
  what: string;
  method: string;
  sentAt: number;
  endedAt: number;
  status: number | null;
  error: string | null;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One browser: cookies, one keep-alive connection, every request recorded. */
class Person {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly base: string,
    private readonly record: (o: Outcome) => void = () => {},
    private readonly headers: Record<string, string> = {},
  ) {}

  request(what: string, method: 'GET' | 'POST', path: string, form?: URLSearchParams, extra = {}) {
    const body = form?.toString();
    const url = new URL(path, this.base);
    return new Promise<Answer>((resolve, reject) => {
      const outcome: Outcome = { what, method, sentAt: Date.now(), endedAt: 0, status: null, error: null };
      const done = (error: string | null, answer?: Answer) => {
        if (outcome.endedAt) return;
        outcome.endedAt = Date.now();
        outcome.error = error;
        outcome.status = answer?.status ?? null;
        this.record(outcome);
        if (answer) resolve(answer);
        else reject(new Error(`${what}: ${error}`));
      };
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path: url.pathname + url.search,
          agent: this.agent,
          timeout: 60_000,
          headers: {
            accept: 'text/html',
            cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            ...this.headers,
            ...extra,
            ...(body
              ? {
                  'content-type': 'application/x-www-form-urlencoded',
                  'content-length': Buffer.byteLength(body),
                }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
          res.on('end', () => {
            for (const cookie of res.headers['set-cookie'] ?? []) {
              const [pair] = cookie.split(';');
              const at = pair!.indexOf('=');
              this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
            }
            done(null, {
              status: res.statusCode!,
              headers: res.headers,
              body: Buffer.concat(chunks).toString(),
            });
          });
        },
      );
      req.on('timeout', () => {
        done('timeout');
        req.destroy();
      });
      req.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
      req.end(body);
    });
  }

  async signIn(email: string, password = DEMO_PASSWORD): Promise<Answer> {
    const page = await this.request('GET /login', 'GET', '/login');
    return this.request(
      'POST /login',
      'POST',
      '/login',
      new URLSearchParams({ _csrf: csrf(page.body), email, password }),
    );
  }

  close() {
    this.agent.destroy();
  }
}

const csrf = (html: string) => /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';

/** The form posting to `action` in `html`, as a browser would send it, with `changes` applied. */
function formOf(html: string, action: string, changes: (name: string) => string | undefined) {
  const form = postForms(html).find((f) => f.action === action);
  if (!form) throw new Error(`no form posting to ${action}`);
  const params = new URLSearchParams();
  for (const field of form.fields) {
    if ((field.kind === 'choice' || field.kind === 'checkbox') && !field.checked) continue;
    params.append(field.name, changes(field.name) ?? field.value);
  }
  return params;
}

const p99 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]! : 0;
};

let cluster: Cluster;
t.before(async () => {
  cluster = await startCluster({
    env: { RETENTION_CRON: '* * * * *', LOGIN_MAX_FAILURES: '3', JOBS_POLL_SECONDS: '1' },
  });
});
t.teardown(() => cluster?.close());

t.test('signed in on one instance, going on on the other', async (t) => {
  const [a, b] = cluster.instances;
  const person = new Person(a.url);
  t.equal((await person.signIn(HOLDER)).status, 303, 'signed in on instance 1');
  const onB = new Person(b.url);
  for (const [k, v] of person.cookies) onB.cookies.set(k, v);
  const logs = await onB.request('GET /logs', 'GET', '/logs');
  t.equal(logs.status, 200, 'instance 2 knows the session (it is in the database)');
  const logId = /href="\/logs\/(\d+)"/.exec(logs.body)![1]!;
  const form = await onB.request('glimmer form', 'GET', `/logs/${logId}/glimmers/new`);
  // The browser keeps one cookie jar whichever instance answers: what instance 2 set goes along.
  for (const [k, v] of onB.cookies) person.cookies.set(k, v);
  const posted = await person.request(
    'POST glimmer on instance 1 with instance 2 form',
    'POST',
    `/logs/${logId}/glimmers`,
    formOf(form.body, `/logs/${logId}/glimmers`, (n) => (n === 'text' ? `Klynge ${RUN} økt` : undefined)),
  );
  t.equal(posted.status, 303, 'a form from one instance posts to the other (CSRF secret in the cookie)');
  person.close();
  onB.close();
});

t.test('the sign-in throttle counts across instances', async (t) => {
  const [a, b] = cluster.instances;
  const from = (instance: typeof a, address: string) =>
    new Person(instance.url, undefined, { 'x-forwarded-for': address });
  for (const [i, instance] of [a, b, a].entries()) {
    const answer = await from(instance, '203.0.113.7').signIn('aktor@stafett.example', 'wrong-password');
    t.equal(answer.status, 401, `failure ${i + 1} on instance ${instance.index + 1}`);
  }
  const throttled = await from(b, '203.0.113.7').signIn('aktor@stafett.example');
  t.equal(throttled.status, 429, 'the next try on the other instance has to wait: the counts are shared');
  const elsewhere = await from(b, '198.51.100.9').signIn('aktor@stafett.example');
  t.equal(elsewhere.status, 303, 'the right password from another address still works');
});

t.test(
  'SIGTERM to one instance under mixed load: nothing fails, nothing is lost, it comes back',
  async (t) => {
    const outcomes: Outcome[] = [];
    const people = Array.from({ length: 6 }, () => new Person(cluster.url, (o) => outcomes.push(o)));
    for (const person of people) t.equal((await person.signIn(HOLDER)).status, 303);
    const logs = await people[0]!.request('GET /logs', 'GET', '/logs');
    const logId = /href="\/logs\/(\d+)"/.exec(logs.body)![1]!;
    const page = await people[0]!.request('GET log', 'GET', `/logs/${logId}`);
    const goals = [...new Set([...page.body.matchAll(/\/logs\/\d+\/goals\/(\d+)\/edit/g)].map((m) => m[1]!))];
    t.ok(goals.length > 0, `goals to edit inline: ${goals.length}`);

    let stopping = false;
    let glimmers303 = 0;
    const hx = { 'hx-request': 'true' };
    const work = people.map(async (person, i) => {
      const goalId = goals[i % goals.length]!;
      for (let round = 0; !stopping; round++) {
        try {
          await person.request('GET log page', 'GET', `/logs/${logId}`);
          const edit = await person.request(
            'GET goal edit (htmx)',
            'GET',
            `/logs/${logId}/goals/${goalId}/edit`,
            undefined,
            hx,
          );
          if (edit.status === 200) {
            await person.request(
              'POST goal inline edit (htmx)',
              'POST',
              `/logs/${logId}/goals/${goalId}`,
              formOf(edit.body, `/logs/${logId}/goals/${goalId}`, (n) =>
                n.endsWith('-text') ? `Mål ${i} runde ${round}` : undefined,
              ),
              hx,
            );
          }
          const form = await person.request('GET glimmer form', 'GET', `/logs/${logId}/glimmers/new`);
          const posted = await person.request(
            'POST glimmer',
            'POST',
            `/logs/${logId}/glimmers`,
            formOf(form.body, `/logs/${logId}/glimmers`, (n) =>
              n === 'text' ? `Klynge ${RUN} ${i}-${round}` : undefined,
            ),
          );
          if (posted.status === 303) glimmers303 += 1;
          if (round % 4 === i % 4) {
            const prints = await person.request('GET prints', 'GET', `/logs/${logId}/prints`);
            await person.request(
              'POST print (PDF)',
              'POST',
              `/logs/${logId}/prints`,
              new URLSearchParams({ _csrf: csrf(prints.body), reason: 'meeting' }),
            );
          }
        } catch {
          // recorded as an outcome; go on with the next round
        }
      }
    });

    const [a] = cluster.instances;
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await wait(4000);
    const signalAt = Date.now();
    const exitCode = await a.stop('SIGTERM');
    const stoppedAt = Date.now();
    await wait(3000);
    await a.start();
    let readyAt = 0;
    for (let i = 0; i < 100 && !readyAt; i++) {
      if (
        (await fetch(`${a.url}/readyz`).then(
          (r) => r.status,
          () => 0,
        )) === 200
      )
        readyAt = Date.now();
      else await wait(100);
    }
    await wait(9000); // nginx tries instance 1 again after fail_timeout (5 s)
    stopping = true;
    await Promise.all(work);
    for (const person of people) person.close();

    const failed = outcomes.filter((o) => o.status === null || o.status >= 500);
    const during = outcomes.filter((o) => o.sentAt >= signalAt && o.sentAt <= readyAt + 5000);
    const figures = {
      requests: outcomes.length,
      failed: failed.length,
      posts: outcomes.filter((o) => o.method === 'POST').length,
      pdfs: outcomes.filter((o) => o.what.includes('PDF')).length,
      duringRestart: during.length,
      p99DuringRestartMs: p99(during.map((o) => o.endedAt - o.sentAt)),
      p99DuringRestartWithoutPdfMs: p99(
        during.filter((o) => !o.what.includes('PDF')).map((o) => o.endedAt - o.sentAt),
      ),
      p99OverallMs: p99(outcomes.map((o) => o.endedAt - o.sentAt)),
      statuses: outcomes.reduce<Record<string, number>>((counts, o) => {
        const key = String(o.status ?? o.error);
        counts[key] = (counts[key] ?? 0) + 1;
        return counts;
      }, {}),
      drainMs: stoppedAt - signalAt,
      pagesTurnedAwayAndRetried: (await readFile(cluster.nginxLog, 'utf8'))
        .split('\n')
        .filter((line) => /\b503, \d{3}\b/.test(line)).length,
      backInMs: readyAt - signalAt,
    };
    t.comment(`cluster figures: ${JSON.stringify(figures)}`);
    console.log(`# cluster figures: ${JSON.stringify(figures)}`);
    if (failed.length > 0) {
      const errors = await readFile(cluster.nginxErrors, 'utf8').catch(() => '');
      t.comment(`nginx's error log:\n${errors.split('\n').slice(-40).join('\n')}`);
    }
    t.equal(exitCode, 0, 'the stopped instance answered what it had and exited 0');
    t.ok(readyAt > 0, 'it came back ready');
    t.ok(figures.duringRestart > 20, 'load went on during the restart');
    t.same(
      failed.map((o) => `${o.what}: ${o.status ?? o.error}`),
      [],
      'no request failed (nginx retried turned-away pages and refused connections on the other instance; the stopping instance answered its own)',
    );

    const owner = createDb(cluster.ownerUrl, 1);
    t.teardown(() => owner.destroy());
    const written = Number(
      (await owner('glimmers').where('text', 'like', `Klynge ${RUN} %-%`).count('* as n'))[0]!.n,
    );
    t.equal(written, glimmers303, `every glimmer answered 303 is in the database, and no other (${written})`);

    // The restarted instance takes load again: its own (fresh) counters.
    const metrics = await fetch(`http://127.0.0.1:${a.metricsPort}/metrics`).then((r) => r.text());
    const served = [
      ...metrics.matchAll(/^stafett_http_requests_total\{[^}]*route="\/logs\/:logId"[^}]*\} (\d+)/gm),
    ]
      .map((m) => Number(m[1]))
      .reduce((x, y) => x + y, 0);
    t.ok(served > 0, `instance 1 served log pages again after its restart (${served})`);
  },
);

t.test('a nightly job runs once per night for the cluster, not once per instance', async (t) => {
  const owner = createDb(cluster.ownerUrl, 1);
  t.teardown(() => owner.destroy());
  const runs = () =>
    owner('retention_runs')
      .orderBy('started_at')
      .select(owner.raw("date_trunc('minute', started_at) AS minute"), 'instance');
  // RETENTION_CRON is every minute here: wait until two scheduled minutes have passed.
  let rows = await runs();
  for (let i = 0; i < 200 && new Set(rows.map((r) => String(r.minute))).size < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rows = await runs();
  }
  const perMinute = new Map<string, number>();
  for (const row of rows) perMinute.set(String(row.minute), (perMinute.get(String(row.minute)) ?? 0) + 1);
  t.ok(perMinute.size >= 2, `scheduled runs in ${perMinute.size} minutes`);
  t.same(
    [...perMinute.values()].filter((n) => n !== 1),
    [],
    'one run per scheduled time, whichever instance',
  );
  t.comment(`retention runs by instance: ${JSON.stringify(rows.map((r) => r.instance))}`);
});
