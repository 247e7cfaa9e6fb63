/**
 * The last step of `npm run build`: the static assets, fingerprinted and compressed (brotli 11, gzip 9)
 * once, into dist/public, where the server finds them at start (src/plugins/assets.ts). Runs compiled,
 * as `node dist/scripts/build-assets.js`.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fingerprint, writeAssets } from '../src/lib/assets.js';
import { projectRoot } from '../src/lib/project-root.js';
import { appAssetSources, BUILT_ASSETS_DIR } from '../src/plugins/assets.js';

const assets = fingerprint(await appAssetSources());
await rm(BUILT_ASSETS_DIR, { recursive: true, force: true });
await writeAssets(BUILT_ASSETS_DIR, assets);
console.log(
  `${assets.size} static assets fingerprinted and compressed into ${path.relative(projectRoot, BUILT_ASSETS_DIR)}/`,
);
