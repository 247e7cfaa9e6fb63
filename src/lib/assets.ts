/**
 * Static assets fingerprinted by content: `css/app.css` is served as `css/app.<hash>.css`, so its
 * address changes whenever its bytes do and browsers may keep it for a year. A stylesheet's
 * references to other assets (`@import url('print.css')`, `url(…)`) are rewritten to their
 * fingerprinted names first, so a change in print.css gives app.css a new address too.
 *
 *   const assets = fingerprint([{ name: 'css/app.css', file: '/…/public/css/app.css' }, …]);
 *   await writeAssets('dist/public', assets);   // name, fingerprinted name, each also .br and .gz
 *
 * The written folder holds, per asset, the fingerprinted file and a copy under its plain name (for
 * old bookmarks and saved pages), each with brotli (quality 11) and gzip (level 9) versions when
 * those are smaller, and manifest.json (plain name → fingerprinted name), written last: a folder
 * with a manifest is complete.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export interface AssetSource {
  /** The plain name, relative to the asset root: 'css/app.css'. */
  name: string;
  /** The file it is read from. */
  file: string;
}

export interface Asset {
  name: string;
  /** 'css/app.1a2b3c4d5e.css' */
  hashed: string;
  body: Buffer;
}

export type AssetManifest = Record<string, string>;

/** A fingerprinted file name (also its .br and .gz): ten hex digits before the extension. */
export const FINGERPRINTED = /\.[0-9a-f]{10}\.[A-Za-z0-9]+(?:\.br|\.gz)?$/;

const hashOf = (body: Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 10);

function withHash(name: string, hash: string): string {
  const ext = path.posix.extname(name);
  return `${name.slice(0, name.length - ext.length)}.${hash}${ext}`;
}

/** A comment (left alone), or `url(x)` / `@import 'x'` in a stylesheet: [match, comment, before, reference, after]. */
const CSS_REFERENCE = /(\/\*[\s\S]*?\*\/)|(url\(\s*['"]?|@import\s+['"])([^'")\s]+)(['"]?\s*\)|['"])/g;

/** Fingerprints the sources; stylesheets get their references rewritten first. */
export function fingerprint(sources: AssetSource[]): Map<string, Asset> {
  const byName = new Map(sources.map((s) => [s.name, s]));
  const done = new Map<string, Asset>();
  const visiting = new Set<string>();

  const visit = (name: string): Asset => {
    const seen = done.get(name);
    if (seen) return seen;
    if (visiting.has(name))
      throw new Error(`assets refer to each other in a circle: ${[...visiting, name].join(' → ')}`);
    visiting.add(name);
    let body = readFileSync(byName.get(name)!.file);
    if (name.endsWith('.css')) {
      const dir = path.posix.dirname(name);
      const css = body
        .toString('utf8')
        .replace(CSS_REFERENCE, (whole, comment, before: string, ref: string, after: string) => {
          if (comment) return whole;
          if (/^(?:[a-z][a-z0-9+.-]*:|\/|#)/i.test(ref)) return whole; // data:, http:, absolute, fragment
          const [file = '', suffix = ''] = ref.split(/(?=[?#])/);
          const target = path.posix.normalize(path.posix.join(dir, file));
          if (!byName.has(target)) return whole;
          const relative = path.posix.relative(dir, visit(target).hashed);
          return `${before}${relative}${suffix}${after}`;
        });
      body = Buffer.from(css, 'utf8');
    }
    const asset = { name, hashed: withHash(name, hashOf(body)), body };
    visiting.delete(name);
    done.set(name, asset);
    return asset;
  };
  for (const source of sources) visit(source.name);
  return new Map([...done].sort(([a], [b]) => a.localeCompare(b)));
}

export function manifestOf(assets: Map<string, Asset>): AssetManifest {
  return Object.fromEntries([...assets.values()].map((a) => [a.name, a.hashed]));
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const files = await Promise.all(
    entries.map((e) => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      return e.isDirectory() ? listFiles(dir, rel) : Promise.resolve(e.isFile() ? [rel] : []);
    }),
  );
  return files.flat();
}

/** The manifest in `dir`, or null when there is none (or it cannot be read). */
export async function readManifest(dir: string): Promise<AssetManifest | null> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as AssetManifest;
  } catch {
    return null;
  }
}

export const sameManifest = (a: AssetManifest | null, b: AssetManifest) =>
  a !== null && JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** The brotli and gzip versions of a body, each only when it is smaller. */
async function compressed(name: string, body: Buffer): Promise<[string, Buffer][]> {
  const text = /\.(?:css|js|mjs|json|svg|txt|html|map|xml)$/.test(name);
  const [br, gz] = await Promise.all([
    brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: text
          ? zlib.constants.BROTLI_MODE_TEXT
          : zlib.constants.BROTLI_MODE_GENERIC,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gzip(body, { level: zlib.constants.Z_BEST_COMPRESSION }),
  ]);
  return [
    ['.br', br],
    ['.gz', gz],
  ].filter(([, b]) => (b as Buffer).length < body.length) as [string, Buffer][];
}

/**
 * Writes the assets into `dir` (created if needed): the fingerprinted and the plain names, each with
 * its compressed versions, then manifest.json. Use a fresh folder (see `ensureAssets`) or the build's.
 */
export async function writeAssets(dir: string, assets: Map<string, Asset>): Promise<void> {
  await Promise.all(
    [...assets.values()].map(async (asset) => {
      const versions: [string, Buffer][] = [['', asset.body], ...(await compressed(asset.name, asset.body))];
      for (const name of [asset.hashed, asset.name]) {
        await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
        for (const [ext, body] of versions) await writeFile(path.join(dir, name + ext), body);
      }
    }),
  );
  await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifestOf(assets), null, 2)}\n`);
}

/**
 * A complete folder of these assets under `cacheDir`, made once per set of contents and shared by
 * every process of the project: `<cacheDir>/<hash of the manifest>/`. Written to a temporary folder
 * and renamed into place, so no one ever serves a half-written folder. Older sets beyond the newest
 * few are removed. Returns the folder.
 */
export async function ensureAssets(cacheDir: string, assets: Map<string, Asset>): Promise<string> {
  const manifest = manifestOf(assets);
  const version = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
  const dir = path.join(cacheDir, version);
  if (sameManifest(await readManifest(dir), manifest)) {
    const now = new Date();
    await utimes(dir, now, now).catch(() => {}); // in use: not pruned by another process
    return dir;
  }
  const temporary = path.join(cacheDir, `.tmp-${version}-${randomBytes(6).toString('hex')}`);
  await writeAssets(temporary, assets);
  try {
    await rename(temporary, dir);
  } catch (error) {
    // Another process renamed its copy into place first: use that one.
    await rm(temporary, { recursive: true, force: true });
    if (!sameManifest(await readManifest(dir), manifest)) throw error;
  }
  await pruneOldSets(cacheDir, dir);
  return dir;
}

const KEEP_SETS = 5;
const HOUR = 60 * 60 * 1000;

async function pruneOldSets(cacheDir: string, current: string): Promise<void> {
  const entries = await readdir(cacheDir, { withFileTypes: true }).catch(() => []);
  const sets = await Promise.all(
    entries
      .filter((e) => e.isDirectory() && path.join(cacheDir, e.name) !== current)
      .map(async (e) => {
        const full = path.join(cacheDir, e.name);
        const mtime = (await stat(full).catch(() => null))?.mtimeMs ?? 0;
        return { full, mtime, leftOver: e.name.startsWith('.tmp-') };
      }),
  );
  // Sets in use by a running process are recent; an hour-old set beyond the newest few is not.
  const sorted = sets.filter((s) => !s.leftOver).sort((a, b) => b.mtime - a.mtime);
  const old = [...sorted.slice(KEEP_SETS - 1), ...sets.filter((s) => s.leftOver)];
  await Promise.all(
    old
      .filter((s) => Date.now() - s.mtime > HOUR)
      .map((s) => rm(s.full, { recursive: true, force: true }).catch(() => {})),
  );
}
