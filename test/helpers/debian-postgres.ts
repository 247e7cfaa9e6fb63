/**
 * A throw-away PostgreSQL server from Debian's packages (postgresql-<N>), for tests that need the
 * server version that Debian's pg_dump and pg_restore can read (the embedded server is newer than
 * Debian 12's client programs). initdb and the server run as the postgres user when the tests run as
 * root. The superuser is "postgres", trusted on 127.0.0.1 only. npm test installs the package as root.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embedded.js';

export interface DebianPostgres {
  /** Superuser connection string to the maintenance database. */
  url: string;
  major: number;
  stop(): Promise<void>;
}

const BASE = '/usr/lib/postgresql';

/** The newest installed Debian server's bin folder, or null. */
export function debianServerBin(): { bin: string; major: number } | null {
  if (!existsSync(BASE)) return null;
  const versions = readdirSync(BASE)
    .filter((v) => /^\d+$/.test(v) && existsSync(path.join(BASE, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? { bin: path.join(BASE, versions[0], 'bin'), major: Number(versions[0]) } : null;
}

function postgresUser(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, but there is no postgres user to run the server as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function exec(file: string, args: string[], as: { uid: number; gid: number } | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...(as ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${path.basename(file)} exited ${code}: ${output}`)),
    );
  });
}

export async function startDebianPostgres(): Promise<DebianPostgres> {
  const server = debianServerBin();
  if (!server) throw new Error('no Debian PostgreSQL server installed (apt-get install postgresql)');
  const as = postgresUser();
  const folder = await mkdtemp(path.join(os.tmpdir(), 'stafett-debian-pg-'));
  await chmod(folder, 0o755);
  if (as) await chown(folder, as.uid, as.gid);
  const data = path.join(folder, 'data');
  const port = await freePort();
  try {
    await exec(
      path.join(server.bin, 'initdb'),
      ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'],
      as,
    );
    await exec(
      path.join(server.bin, 'pg_ctl'),
      [
        '-D',
        data,
        '-l',
        path.join(folder, 'server.log'),
        '-w',
        '-o',
        `-p ${port} -c listen_addresses=127.0.0.1 -k ${folder} -c fsync=off`,
        'start',
      ],
      as,
    );
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    major: server.major,
    stop: () =>
      (stopped ??= (async () => {
        await exec(path.join(server.bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], as).catch(
          () => {},
        );
        await rm(folder, { recursive: true, force: true });
      })()),
  };
}
