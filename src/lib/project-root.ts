/**
 * The project's folder (package.json, views/, public/, node_modules/), found from this file whether the
 * code runs as TypeScript from src/ or compiled from dist/src/ (`npm run build`): the nearest folder
 * above with a package.json. Paths to files that are not code are resolved from here, never from the
 * location of a compiled file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function findProjectRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
