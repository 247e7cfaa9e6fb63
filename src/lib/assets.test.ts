/** Fingerprinting static assets (lib/assets.ts): names by content, rewritten references, the written folder. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import t from 'tap';
import { ensureAssets, fingerprint, FINGERPRINTED, listFiles, readManifest, writeAssets } from './assets.js';

function sourceFolder(t: { teardown(fn: () => void): void }, files: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stafett-assets-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  const sources = () => Object.keys(files).map((name) => ({ name, file: path.join(dir, name) }));
  return { dir, sources, write: (name: string, text: string) => writeFileSync(path.join(dir, name), text) };
}

const CSS = `/* Loaded by \`@import url('print.css') print;\` in a comment: left alone. */
@import url('print.css') print;
.logo { background: url("../img/logo.svg") no-repeat, url(data:image/png;base64,AAAA); }
.ext { background: url(https://example.com/x.png); }
`;

t.test('names change with the content, and a stylesheet follows what it refers to', async (t) => {
  const src = sourceFolder(t, {
    'css/app.css': CSS,
    'css/print.css': 'body { color: black; }\n',
    'img/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    'js/app.js': 'console.log(1);\n',
  });
  const first = fingerprint(src.sources());
  for (const asset of first.values()) {
    t.match(asset.hashed, FINGERPRINTED, `${asset.name} gets a fingerprinted name`);
    t.equal(path.posix.dirname(asset.hashed), path.posix.dirname(asset.name), 'in the same folder');
  }
  const app = first.get('css/app.css')!.body.toString();
  const print = first.get('css/print.css')!.hashed;
  t.match(
    app,
    `@import url('${path.posix.basename(print)}') print;`,
    'the import names the fingerprinted file',
  );
  t.match(app, `url("../${first.get('img/logo.svg')!.hashed}")`, 'a url() in another folder too');
  t.match(app, "`@import url('print.css') print;` in a comment", 'a comment is not rewritten');
  t.match(app, 'url(data:image/png;base64,AAAA)', 'data: addresses are left alone');
  t.match(app, 'url(https://example.com/x.png)', 'and other sites');

  t.same(fingerprint(src.sources()), first, 'the same content gives the same names');

  src.write('css/print.css', 'body { color: #000; }\n');
  const second = fingerprint(src.sources());
  t.not(second.get('css/print.css')!.hashed, print, 'a changed file gets a new name');
  t.not(
    second.get('css/app.css')!.hashed,
    first.get('css/app.css')!.hashed,
    'and so does the stylesheet that imports it',
  );
  t.equal(second.get('js/app.js')!.hashed, first.get('js/app.js')!.hashed, 'the others keep theirs');
});

t.test('assets that refer to each other in a circle are refused', async (t) => {
  const src = sourceFolder(t, { 'a.css': "@import 'b.css';", 'b.css': "@import 'a.css';" });
  t.throws(() => fingerprint(src.sources()), /circle/);
});

t.test('the written folder: both names, brotli and gzip when smaller, and the manifest', async (t) => {
  const long = `.rule { color: black; margin: 0 auto; }\n`.repeat(200);
  const src = sourceFolder(t, { 'css/app.css': long, 'js/tiny.js': '1' });
  const assets = fingerprint(src.sources());
  const out = path.join(src.dir, 'out');
  await writeAssets(out, assets);
  const css = assets.get('css/app.css')!;
  for (const name of [css.hashed, css.name]) {
    t.equal(readFileSync(path.join(out, name), 'utf8'), long, `${name} holds the file`);
    t.equal(
      zlib.brotliDecompressSync(readFileSync(path.join(out, `${name}.br`))).toString(),
      long,
      `${name}.br`,
    );
    t.equal(zlib.gunzipSync(readFileSync(path.join(out, `${name}.gz`))).toString(), long, `${name}.gz`);
  }
  const tiny = assets.get('js/tiny.js')!;
  t.ok(existsSync(path.join(out, tiny.hashed)), 'a one-byte file is written');
  t.notOk(existsSync(path.join(out, `${tiny.hashed}.br`)), 'but not compressed: it would only grow');
  t.same(await readManifest(out), { 'css/app.css': css.hashed, 'js/tiny.js': tiny.hashed });
});

t.test('ensureAssets writes a set once and reuses it', async (t) => {
  const src = sourceFolder(t, { 'js/app.js': 'console.log("a");\n'.repeat(100) });
  const cache = path.join(src.dir, 'cache');
  const dir = await ensureAssets(cache, fingerprint(src.sources()));
  t.ok(existsSync(path.join(dir, 'manifest.json')), 'a complete set');
  const files = await listFiles(dir);
  t.equal(await ensureAssets(cache, fingerprint(src.sources())), dir, 'the same set is found again');
  t.same(await listFiles(dir), files);
  src.write('js/app.js', 'console.log("b");\n');
  const next = await ensureAssets(cache, fingerprint(src.sources()));
  t.not(next, dir, 'changed sources get a set of their own');
  t.same(
    (await listFiles(cache)).filter((f) => f.includes('.tmp-')),
    [],
    'no half-written folders are left',
  );
});
