/**
 * Static assets (public/ and htmx) under /public/, fingerprinted by content (lib/assets.ts) and
 * compressed in advance, so a browser fetches each version once and a repeat visit asks for nothing.
 *
 *   <link rel="stylesheet" href="<%= it.asset('css/app.css') %>">   →  /public/css/app.1a2b3c4d5e.css
 *
 * - `/public/<name>.<hash>.<ext>`: Cache-Control `public, max-age=31536000, immutable`.
 * - `/public/<name>.<ext>` (the plain name, for old bookmarks and saved pages): the current file,
 *   `no-cache`, so the browser checks its ETag each time.
 * - brotli or gzip from the .br/.gz written in advance, as Accept-Encoding asks (@fastify/static's
 *   preCompressed; Vary: accept-encoding); compressing answers (plugins/compression.ts) leaves these
 *   alone, as they already say Content-Encoding.
 *
 * The fingerprints are computed from the sources at start (a few milliseconds). `npm run build` writes
 * the compressed files to dist/public (scripts/build-assets.ts); when that folder matches the sources
 * it is served. Otherwise (development, tests, sources changed after a build) they are written once
 * per version to node_modules/.cache/stafett-assets/ and served from there.
 */
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { projectRoot } from '../lib/project-root.js';
import {
  ensureAssets,
  fingerprint,
  FINGERPRINTED,
  listFiles,
  manifestOf,
  readManifest,
  sameManifest,
  type AssetSource,
} from '../lib/assets.js';

export const ASSET_PREFIX = '/public/';
/** Where `npm run build` puts the assets. */
export const BUILT_ASSETS_DIR = path.join(projectRoot, 'dist', 'public');
const CACHE_DIR = path.join(projectRoot, 'node_modules', '.cache', 'stafett-assets');
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** Every file in public/ (not dot-files), and htmx's minified build as vendor/htmx.min.js. */
export async function appAssetSources(root = projectRoot): Promise<AssetSource[]> {
  const publicDir = path.join(root, 'public');
  const own = (await listFiles(publicDir))
    .filter((name) => !name.split('/').some((part) => part.startsWith('.')))
    .map((name) => ({ name, file: path.join(publicDir, name) }));
  const htmx = path.join(root, 'node_modules', 'htmx.org', 'dist', 'htmx.min.js');
  return [...own, { name: 'vendor/htmx.min.js', file: htmx }];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The fingerprinted address of an asset: assetUrl('css/app.css') → '/public/css/app.1a2b3c4d5e.css'. */
    assetUrl(name: string): string;
  }
}

export default fp(
  async (app) => {
    const assets = fingerprint(await appAssetSources());
    const manifest = manifestOf(assets);
    let dir = BUILT_ASSETS_DIR;
    if (!sameManifest(await readManifest(BUILT_ASSETS_DIR), manifest)) {
      try {
        dir = await ensureAssets(CACHE_DIR, assets);
      } catch (error) {
        throw new Error(
          `the static assets could not be prepared in ${CACHE_DIR} (${(error as Error).message}); run \`npm run build\` to write them to dist/public`,
          { cause: error },
        );
      }
    }

    app.decorate('assetUrl', (name: string) => {
      const hashed = manifest[name];
      if (!hashed) throw new Error(`no asset named "${name}" (files in public/, or vendor/htmx.min.js)`);
      return ASSET_PREFIX + hashed;
    });

    await app.register(fastifyStatic, {
      root: dir,
      prefix: ASSET_PREFIX,
      preCompressed: true,
      cacheControl: false,
      index: false,
      allowedPath: (pathName) => pathName !== '/manifest.json',
      setHeaders: (reply, filePath) => {
        reply.header('cache-control', FINGERPRINTED.test(filePath) ? IMMUTABLE : REVALIDATE);
      },
    });
  },
  { name: 'assets' },
);
