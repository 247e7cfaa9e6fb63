/**
 * npm run bench:profile — where the server's CPU goes while it serves the full-plan log page (the
 * plan of npm run bench) under load. The app runs in this process (production settings: template
 * cache on, compression on); autocannon runs in a process of its own, so its work is not counted.
 * The V8 sampling profiler runs during the load only and prints, per page served:
 *
 *   - self time per group (a package in node_modules, a file of src/, compiled templates, Node's
 *     internals, the garbage collector), in ms of CPU per page;
 *   - inclusive time per group: a sample counts for every group on its stack, once.
 *
 *   npm run bench:profile                                   # a throw-away embedded PostgreSQL
 *   npm run bench:profile -- --seconds 10 --connections 10 --out /tmp/log-page.cpuprofile
 *   npm run bench:profile -- --html /tmp/log-page.html --seconds 1 --no-profile   # the page itself
 *   npm run bench:profile -- --no-cache        # the page loaded and rendered each time (LOG_PAGE_CACHE_MB=0),
 *                                              # as after every change; by default an unchanged log's page
 *                                              # comes from the cache (features/logs/page-cache.ts)
 *
 * The .cpuprofile (with --out) opens in Chrome DevTools. Not a test: it prints figures only.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { createDb } from '../src/db/knex.js';
import { loadConfig } from '../src/config.js';
import { exitOnSignals } from '../src/lifecycle.js';
import { projectRoot } from '../src/lib/project-root.js';
import { DEMO_PASSWORD } from '../seeds/01_organisation.js';
import { createTestDatabase, startTestServer, type TestServer } from '../test/helpers/db.js';
import { createFullPlan } from './full-plan.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const seconds = Math.min(60, Math.max(1, Number(arg('seconds', '10'))));
const connections = Math.min(100, Math.max(1, Number(arg('connections', '10'))));
const out = arg('out', '');
const encodings = arg('encoding', 'gzip, deflate, br');

/** Signs in through the real form; returns the session cookie. */
async function signIn(address: string, email: string): Promise<string> {
  const loginPage = await fetch(`${address}/login`);
  const cookie = (loginPage.headers.getSetCookie()[0] ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]*)"/.exec(await loginPage.text())?.[1] ?? '';
  const login = await fetch(`${address}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email, password: DEMO_PASSWORD }),
  });
  if (login.status !== 303) throw new Error(`sign-in answered ${login.status}`);
  return (login.headers.getSetCookie()[0] ?? '').split(';')[0]!;
}

/** CPU time all cores have been busy since boot (ms), from /proc/stat (0 where there is none). */
function machineBusyMs(): number {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    const ticks = user! + nice! + system! + irq! + softirq! + steal!;
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/** autocannon in a process of its own; resolves with the number of 2xx answers. */
function cannon(url: string, headers: Record<string, string>, duration: number): Promise<number> {
  const args = [
    path.join(projectRoot, 'node_modules', 'autocannon', 'autocannon.js'),
    '--json',
    '-c',
    String(connections),
    '-d',
    String(duration),
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]),
    url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let json = '';
    child.stdout.on('data', (chunk: Buffer) => (json += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const result = JSON.parse(json) as { '2xx': number; non2xx: number; errors: number };
      if (result.non2xx > 0 || result.errors > 0)
        return reject(new Error(`${result.non2xx} answers were not 2xx, ${result.errors} errors`));
      resolve(result['2xx']);
    });
  });
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The group a frame belongs to: a package, a source file, compiled templates, Node, V8. */
function groupOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName.startsWith('(')) return functionName;
    // new Function(): Eta's compiled templates are anonymous functions without a file.
    if (functionName === 'anonymous') return 'templates (compiled Eta)';
    return `native ${functionName}`;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const root = `file://${projectRoot}/`;
  return url.startsWith(root) ? url.slice(root.length) : url;
}

function summarise(profile: Profile, pages: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    const us = profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(profile.samples[i]!)!;
    const leafGroup = groupOf(leaf.callFrame);
    if (leafGroup === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    self.set(leafGroup, (self.get(leafGroup) ?? 0) + us);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const group = groupOf(byId.get(id)!.callFrame);
      if (group === '(root)' || seen.has(group)) continue;
      seen.add(group);
      inclusive.set(group, (inclusive.get(group) ?? 0) + us);
    }
  }
  const perPage = (us: number) => (us / 1000 / pages).toFixed(3).padStart(7);
  const share = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const table = (title: string, values: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [group, us] of [...values].sort((a, b) => b[1] - a[1]).slice(0, 30))
      if (us / total >= 0.002) console.log(`  ${perPage(us)} ms  ${share(us)}  ${group}`);
  };
  console.log(
    `\nProfiled: ${pages} pages in ${seconds} s at ${connections} connections: ${(pages / seconds).toFixed(0)} req/s; CPU busy ${perPage(total)} ms per page (idle ${(idle / 1000 / seconds).toFixed(0)} ms/s)`,
  );
  table('Self time per group (ms of CPU per page, share of busy time):', self);
  table('Inclusive time per group (a sample counts for every group on its stack):', inclusive);
}

let server: TestServer | null = null;
const serverUrl = process.env.DATABASE_URL?.trim() || (server = await startTestServer()).url;
const database = await createTestDatabase(serverUrl);
exitOnSignals(async () => {
  await database.close();
  await server?.stop();
});
try {
  const logId = await createFullPlan(database.db);
  const log = await database.db('logs').where({ id: logId }).first('holder_id');
  await database.db('glimmers').insert(
    Array.from({ length: 40 }, (_, i) => ({
      log_id: logId,
      author_id: log.holder_id,
      author_role: 'holder',
      text: `Fin uke ${i + 1}: Maja var på skolen hver dag og spiste lunsj med venner.`,
    })),
  );
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    SESSION_KEY: randomBytes(32).toString('hex'),
    IDENTITY_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: database.appUrl,
    SECURE_COOKIES: 'false',
    LOG_PAGE_CACHE_MB: process.argv.includes('--no-cache') ? '0' : '32',
  });
  // --socket: the app reaches PostgreSQL through its Unix socket instead of TCP on 127.0.0.1.
  let appDb = database.appDb;
  if (process.argv.includes('--socket')) {
    const dirs = (await database.db.raw('show unix_socket_directories')).rows[0].unix_socket_directories;
    const url = new URL(database.appUrl);
    url.searchParams.set('host', String(dirs).split(',')[0]!.trim());
    appDb = createDb(url.toString());
    console.log(`Through the Unix socket: ${url.searchParams.get('host')}`);
  }
  const app = await buildApp({ config, db: appDb, logger: false });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const session = await signIn(address, 'stafettholder@stafett.example');
    const url = `${address}/logs/${logId}`;
    const headers = { cookie: session, 'accept-encoding': encodings };
    const html = arg('html', '');
    if (html) writeFileSync(html, await fetch(url, { headers: { cookie: session } }).then((r) => r.text()));
    await cannon(url, headers, 2); // warm-up: compiled templates, prepared statements, JIT
    // One page after another in-process (no HTTP, no concurrency): this process's CPU per page.
    const sequential = Number(arg('sequential', '300'));
    const seq0 = process.cpuUsage();
    for (let i = 0; i < sequential; i += 1) {
      const answer = await app.inject({ url: `/logs/${logId}`, headers });
      if (answer.statusCode !== 200) throw new Error(`log page answered ${answer.statusCode}`);
    }
    const seq = process.cpuUsage(seq0);
    console.log(
      `\nSequential (inject, ${sequential} pages): CPU ${((seq.user + seq.system) / 1000 / sequential).toFixed(3)} ms per page`,
    );
    // CPU time of this process per page, without the profiler: user + system over the pages served;
    // and the whole machine's (this server, PostgreSQL, autocannon, everything else) from /proc/stat.
    const cpu0 = process.cpuUsage();
    const machine0 = machineBusyMs();
    const plainPages = await cannon(url, headers, seconds);
    const machinePerPage = (machineBusyMs() - machine0) / plainPages;
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `\nWithout the profiler: ${plainPages} pages in ${seconds} s (${(plainPages / seconds).toFixed(0)} req/s), CPU ${((cpu.user + cpu.system) / 1000 / plainPages).toFixed(3)} ms per page (user ${(cpu.user / 1000 / plainPages).toFixed(3)}, system ${(cpu.system / 1000 / plainPages).toFixed(3)})`,
    );
    const healthz0 = machineBusyMs();
    const healthz = await cannon(`${address}/healthz`, {}, seconds);
    const machinePerHealthz = (machineBusyMs() - healthz0) / healthz;
    const cores = os.cpus().length;
    console.log(
      `Whole machine (${cores} cores; server, PostgreSQL, autocannon and the rest): ${machinePerPage.toFixed(2)} ms of CPU per log page, ${machinePerHealthz.toFixed(3)} ms per /healthz (${(healthz / seconds).toFixed(0)} req/s). ` +
        `If every core did nothing else: at most ${((cores * 1000) / machinePerPage).toFixed(0)} log pages a second, ×${(machinePerHealthz / machinePerPage).toFixed(3)} of /healthz at the same CPU per request`,
    );
    if (!process.argv.includes('--no-profile')) {
      const inspector = new Session();
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.setSamplingInterval', { interval: 250 });
      await inspector.post('Profiler.start');
      const pages = await cannon(url, headers, seconds);
      const { profile } = (await inspector.post('Profiler.stop')) as unknown as { profile: Profile };
      inspector.disconnect();
      if (out) writeFileSync(out, JSON.stringify(profile));
      summarise(profile, pages);
    }
  } finally {
    await app.close();
    if (appDb !== database.appDb) await appDb.destroy();
  }
} finally {
  await database.close();
  await server?.stop();
}
