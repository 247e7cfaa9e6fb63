/**
 * Fails when an installed package does not support the running Node.js: every package.json under
 * node_modules (nested ones too) whose `engines.node` the running version does not satisfy, checked
 * the way npm checks it (semver, pre-releases included). scripts/test.sh runs it before the tests, so a
 * dependency that needs a newer Node fails the run instead of printing an EBADENGINE warning nobody reads.
 *
 *   node --import tsx scripts/check-engines.ts [node_modules folder]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

export interface EngineMismatch {
  name: string;
  version: string;
  requires: string;
  /** The package's folder, relative to the folder checked. */
  where: string;
}

/** Packages under `nodeModules` whose `engines.node` does not accept `nodeVersion`. */
export function engineMismatches(
  nodeModules: string,
  nodeVersion: string = process.version,
): EngineMismatch[] {
  const found: EngineMismatch[] = [];
  const visit = (folder: string) => {
    if (!existsSync(folder)) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || !(entry.isDirectory() || entry.isSymbolicLink())) continue;
      const dir = path.join(folder, entry.name);
      if (entry.name.startsWith('@')) {
        visit(dir);
        continue;
      }
      const manifest = path.join(dir, 'package.json');
      if (existsSync(manifest)) {
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
          name?: string;
          version?: string;
          engines?: { node?: unknown };
        };
        const requires = pkg.engines?.node;
        if (
          typeof requires === 'string' &&
          !semver.satisfies(nodeVersion, requires, { includePrerelease: true })
        ) {
          found.push({
            name: pkg.name ?? entry.name,
            version: pkg.version ?? '?',
            requires,
            where: path.relative(nodeModules, dir),
          });
        }
      }
      visit(path.join(dir, 'node_modules'));
    }
  };
  visit(nodeModules);
  return found.sort((a, b) => a.where.localeCompare(b.where));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const folder = path.resolve(process.argv[2] ?? path.join(root, 'node_modules'));
  const mismatches = engineMismatches(folder);
  if (mismatches.length) {
    console.error(`${mismatches.length} installed packages do not support Node.js ${process.version}:`);
    for (const m of mismatches)
      console.error(`  ${m.name}@${m.version} requires node ${m.requires} (${m.where})`);
    console.error('Pin versions that support this Node.js (see package.json "overrides").');
    process.exit(1);
  }
  console.log(`# every installed package supports Node.js ${process.version}`);
}
