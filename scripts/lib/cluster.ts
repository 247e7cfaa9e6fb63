/**
 * A small Stafett cluster on this machine, the shape of a real deployment: one PostgreSQL (embedded), two
 * app instances (the production build under plain node, each on its own port, with the two database roles)
 * and nginx in front as the load balancer on a third port. Used by `npm run demo:cluster` and by the
 * cluster test (test/cluster.test.ts).
 *
 * nginx: round robin over both instances, passive health checks (max_fails=1 fail_timeout=5s: an instance
 * that refuses a connection or answers 502/503/504 is left alone for 5 s), and
 * `proxy_next_upstream error timeout http_502 http_503 http_504`, which nginx applies to idempotent
 * requests only (GET, HEAD …; never a POST once it was sent). No keepalive to the instances. A stopping
 * instance answers a page request on a new connection with 503 (nginx retries it on the other instance
 * and leaves the stopping one alone), answers a post as usual, and closes its listening socket once no new
 * connection has come for a moment; a refused connection nginx passes on whatever its method.
 * When nginx is missing and this runs as root on Debian, it is installed with apt-get.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startEmbedded, type EmbeddedDb } from '../../src/db/embedded.js';
import { createDb } from '../../src/db/knex.js';
import { ensureLoginRole, LOCAL_APP_PASSWORD, LOCAL_APP_ROLE, withLogin } from '../../src/db/roles.js';
import { migrateAs } from '../../src/db/setup.js';
import { seed } from '../../src/db/knex.js';
import { aptInstall } from '../../src/lib/apt.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ClusterOptions {
  /** nginx's port and the two instances' ports; 0 or absent: free ones. */
  port?: number;
  instancePorts?: [number, number];
  /** Extra environment for both instances (RETENTION_CRON, LOGIN_MAX_FAILURES …). */
  env?: Record<string, string>;
  /** Where each instance's output goes (default: nowhere). */
  output?: (instance: number, text: string) => void;
}

export interface Instance {
  readonly index: number;
  readonly port: number;
  readonly url: string;
  /** Its metrics port (METRICS_PORT, loopback only). */
  readonly metricsPort: number;
  /** The running process, or null. */
  process: ChildProcess | null;
  /** Starts it (again) and resolves once it listens. */
  start(): Promise<void>;
  /** Sends a signal; resolves with the exit code once the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface Cluster {
  /** nginx's address: what people use. */
  url: string;
  instances: [Instance, Instance];
  /** The owner's connection string (for checks behind the app's back). */
  ownerUrl: string;
  /** nginx's access log (one line per request: time, method, status, upstream, upstream status). */
  nginxLog: string;
  /** nginx's error log (warnings and worse: refused connections, resets, retries). */
  nginxErrors: string;
  close(): Promise<void>;
}

/** The newest modification time of the files under `dir` (recursive). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** Builds the production code when dist/ is missing or older than the sources. */
export function ensureBuild(): void {
  const server = path.join(root, 'dist', 'src', 'server.js');
  const sources = Math.max(newest(path.join(root, 'src')), newest(path.join(root, 'migrations')));
  if (existsSync(server) && statSync(server).mtimeMs >= sources) return;
  console.log('Building the production code (npm run build)…');
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

function nginxBinary(): string {
  const find = () =>
    ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ??
    (spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim() || null);
  const found = find() ?? (aptInstall(['nginx']) ? find() : null);
  if (!found) throw new Error('nginx is needed (Debian: apt-get install nginx)');
  return found;
}

function nginxConfig(dir: string, port: number, upstreams: number[]): string {
  return `# Written by scripts/lib/cluster.ts: the load balancer in front of the Stafett instances.
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  log_format upstream '$msec $request_method $status $upstream_addr $upstream_status $request_time';
  access_log ${dir}/access.log upstream;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  upstream stafett {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 25m;
    location / {
      proxy_pass http://stafett;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # Idempotent requests only: nginx never passes a POST on once it has been sent.
      proxy_next_upstream error timeout http_502 http_503 http_504;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }
  }
}
`;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  ensureBuild();
  const nginx = nginxBinary();
  const folder = await mkdtemp(path.join(os.tmpdir(), 'stafett-cluster-'));
  await chmod(folder, 0o755);
  const cleanups: (() => Promise<unknown>)[] = [() => rm(folder, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    // One PostgreSQL: the owner migrates and seeds; the instances connect as the application role.
    const embedded: EmbeddedDb = await startEmbedded({ dir: path.join(folder, 'postgres') });
    cleanups.push(() => embedded.stop());
    await embedded.createDatabase('stafett');
    const ownerUrl = embedded.url('stafett');
    const owner = createDb(ownerUrl, 2);
    try {
      await ensureLoginRole(owner, LOCAL_APP_ROLE, LOCAL_APP_PASSWORD);
      const app = createDb(withLogin(ownerUrl, LOCAL_APP_ROLE, LOCAL_APP_PASSWORD), 1);
      await migrateAs(owner, app);
      await app.destroy();
      await seed(owner);
    } finally {
      await owner.destroy();
    }

    const sessionKey = randomBytes(32).toString('hex'); // the same on every instance
    const identityKey = randomBytes(32).toString('hex'); // the same on every instance
    const ports = [
      options.instancePorts?.[0] || (await freePort()),
      options.instancePorts?.[1] || (await freePort()),
    ];
    const metricsPorts = [await freePort(), await freePort()];
    const makeInstance = (index: number): Instance => {
      const instance: Instance = {
        index,
        port: ports[index]!,
        url: `http://127.0.0.1:${ports[index]}`,
        metricsPort: metricsPorts[index]!,
        process: null,
        start: () =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, [path.join(root, 'dist', 'src', 'server.js')], {
              cwd: root,
              env: {
                PATH: process.env.PATH,
                HOME: process.env.HOME,
                NODE_ENV: 'production',
                DATABASE_URL: withLogin(ownerUrl, LOCAL_APP_ROLE, LOCAL_APP_PASSWORD),
                DATABASE_OWNER_URL: ownerUrl,
                SESSION_KEY: sessionKey,
                IDENTITY_KEY: identityKey,
                SECURE_COOKIES: 'false',
                TRUST_PROXY: 'true',
                HOST: '127.0.0.1',
                PORT: String(instance.port),
                METRICS_PORT: String(instance.metricsPort),
                LOG_LEVEL: 'warn',
                ...(process.env.PUPPETEER_EXECUTABLE_PATH
                  ? { PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH }
                  : {}),
                ...options.env,
              },
              stdio: ['ignore', 'pipe', 'pipe'],
            });
            instance.process = child;
            let output = '';
            let listening = false;
            const read = (chunk: Buffer) => {
              const text = chunk.toString();
              options.output?.(index, text);
              if (listening) return;
              output += text;
              if (output.includes('Stafett kjører på')) {
                listening = true;
                resolve();
              }
            };
            child.stdout!.on('data', read);
            child.stderr!.on('data', read);
            child.once('exit', (code) => {
              if (instance.process === child) instance.process = null;
              reject(new Error(`instance ${index + 1} exited (${code}) before listening:\n${output}`));
            });
          }),
        stop: (signal = 'SIGTERM') => {
          const child = instance.process;
          if (!child || child.exitCode !== null) return Promise.resolve(child?.exitCode ?? null);
          return new Promise((resolve) => {
            child.once('exit', (code) => resolve(code));
            child.kill(signal);
          });
        },
      };
      return instance;
    };
    const instances: [Instance, Instance] = [makeInstance(0), makeInstance(1)];
    cleanups.push(async () => {
      await Promise.all(instances.map((i) => i.stop('SIGTERM')));
    });
    await Promise.all(instances.map((i) => i.start()));

    const port = options.port || (await freePort());
    const nginxDir = path.join(folder, 'nginx');
    for (const sub of ['tmp/body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi'])
      await mkdir(path.join(nginxDir, sub), { recursive: true, mode: 0o777 });
    await chmod(nginxDir, 0o755);
    for (const sub of ['tmp', 'tmp/body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi'])
      await chmod(path.join(nginxDir, sub), 0o777);
    const config = path.join(nginxDir, 'nginx.conf');
    await writeFile(config, nginxConfig(nginxDir, port, ports));
    const balancer = spawn(nginx, ['-c', config, '-p', nginxDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let nginxOutput = '';
    balancer.stdout!.on('data', (c: Buffer) => (nginxOutput += c.toString()));
    balancer.stderr!.on('data', (c: Buffer) => (nginxOutput += c.toString()));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          if (balancer.exitCode !== null) return resolve();
          balancer.once('exit', () => resolve());
          balancer.kill('SIGQUIT'); // graceful: finish the requests in progress
        }),
    );
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const answer = await fetch(`${url}/livez`).then(
        (r) => r.status,
        () => 0,
      );
      if (answer === 200) break;
      if (balancer.exitCode !== null || i > 100) throw new Error(`nginx did not start:\n${nginxOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      url,
      instances,
      ownerUrl,
      nginxLog: path.join(nginxDir, 'access.log'),
      nginxErrors: path.join(nginxDir, 'error.log'),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
