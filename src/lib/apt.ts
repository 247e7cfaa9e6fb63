/**
 * Installing a Debian package the tools need (pg_dump for backups, nginx for the cluster demo) when it is
 * missing: only as root, only where apt-get exists, quietly, with the log in /tmp/stafett-apt.log.
 * Returns false when it could not (not root, not Debian, or apt-get failed).
 */
import { spawnSync } from 'node:child_process';

export function aptInstall(packages: string[]): boolean {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) return false;
  console.log(`Installing ${packages.join(', ')} with apt-get…`);
  const result = spawnSync(
    'sh',
    [
      '-c',
      `{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages.join(' ')}; } >>/tmp/stafett-apt.log 2>&1`,
    ],
    { stdio: 'ignore' },
  );
  return result.status === 0;
}
