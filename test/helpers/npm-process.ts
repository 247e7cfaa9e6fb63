/**
 * The real thing, as a terminal runs it: `npm <args>` in a process group of its own (so Ctrl-C is a
 * signal to the whole group), resolving its address once it listens; a throwaway folder for an embedded
 * PostgreSQL's data; and the processes below a pid. Whatever a test starts here is stopped at its end.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Teardown } from './app.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every process below `pid`, with its command line (Linux /proc). */
export function descendants(pid: number): { pid: number; args: string }[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process has gone
    }
  }
  const found: { pid: number; args: string }[] = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      let args = '';
      try {
        args = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').join(' ').trim();
      } catch {
        // gone
      }
      found.push({ pid: child, args });
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** `npm <args>` in a process group of its own, as a terminal runs it; resolves `address` once it listens. */
export function startNpm(t: Teardown, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn('npm', args, {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid!;
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const address = new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /Stafett kjører på (http:\/\/\S+)/.exec(output);
      if (found) resolve(found[1]!.replace('localhost', '127.0.0.1'));
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then(({ code }) => reject(new Error(`npm exited (${code}) before listening:\n${output}`)));
  });
  // Whatever happens in the test, nothing it started may stay running.
  t.teardown(() => {
    for (const p of descendants(pid).reverse()) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { pid, address, exited, output: () => output };
}

/** A folder for an embedded PostgreSQL's data (`<folder>/postgres`), removed at the end of the test, with
 * a PostgreSQL left behind by a test that failed half-way stopped first. */
export async function dataFolder(t: Teardown, prefix: string): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(folder, 0o755);
  const dataDir = path.join(folder, 'postgres');
  t.teardown(async () => {
    const pidFile = path.join(dataDir, 'postmaster.pid');
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGKILL');
      } catch {
        // gone
      }
    }
    await rm(folder, { recursive: true, force: true });
  });
  return dataDir;
}
