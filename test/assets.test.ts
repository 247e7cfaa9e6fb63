/**
 * Static assets (plugins/assets.ts): pages refer to fingerprinted addresses, which are cached for a
 * year and come pre-compressed as Accept-Encoding asks; the plain addresses still answer, checked
 * each time; the stylesheet's print import is fingerprinted too.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import t from 'tap';
import { testApp } from './helpers/app.js';
import { projectRoot } from '../src/lib/project-root.js';
import { IMMUTABLE } from '../src/plugins/assets.js';

const source = (name: string) =>
  readFileSync(
    name === 'vendor/htmx.min.js'
      ? path.join(projectRoot, 'node_modules/htmx.org/dist/htmx.min.js')
      : path.join(projectRoot, 'public', name),
  );
const varyTokens = (value: unknown) =>
  String(value ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase());

t.test('a page refers to its assets by fingerprint; each is cached for a year', async (t) => {
  const { app } = await testApp(t);
  const page = await app.inject({ url: '/login' });
  const urls = [...page.body.matchAll(/(?:href|src)="(\/public\/[^"]+)"/g)].map((m) => m[1]!);
  t.same(
    urls.map((u) => u.replace(/\.[0-9a-f]{10}\./, '.')),
    ['/public/css/app.css', '/public/vendor/htmx.min.js', '/public/js/app.js', '/public/js/session.js'],
    'the layout links the stylesheet and the three scripts, each by fingerprint',
  );
  t.match(page.headers['content-security-policy'], /script-src 'self';/, 'CSP stays strict');
  t.notMatch(page.headers['content-security-policy'], /unsafe-inline|unsafe-eval/);

  for (const url of urls) {
    const name = url.replace('/public/', '').replace(/\.[0-9a-f]{10}\./, '.');
    const type = name.endsWith('.css') ? /^text\/css/ : /^(?:application|text)\/javascript/;
    const plain = await app.inject({ url });
    t.equal(plain.statusCode, 200, `${url} answers`);
    t.equal(plain.headers['cache-control'], IMMUTABLE, `${name}: cached for a year, immutable`);
    t.match(plain.headers['content-type'], type, `${name}: its type`);
    t.equal(plain.headers['content-encoding'], undefined, `${name}: plain when nothing else is accepted`);
    t.ok(varyTokens(plain.headers.vary).includes('accept-encoding'), `${name}: Vary: accept-encoding`);
    if (name !== 'css/app.css') t.ok(plain.rawPayload.equals(source(name)), `${name}: the file as it is`);

    const br = await app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    t.equal(br.headers['content-encoding'], 'br', `${name}: brotli when accepted`);
    t.match(br.headers['content-type'], type, `${name}: the same type`);
    t.equal(br.headers['cache-control'], IMMUTABLE);
    t.ok(zlib.brotliDecompressSync(br.rawPayload).equals(plain.rawPayload), `${name}: the same bytes`);
    t.ok(br.rawPayload.length < plain.rawPayload.length / 2, `${name}: in less than half the bytes`);

    const gz = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    t.equal(gz.headers['content-encoding'], 'gzip', `${name}: gzip when that is what is accepted`);
    t.ok(zlib.gunzipSync(gz.rawPayload).equals(plain.rawPayload), `${name}: the same bytes`);
  }
});

t.test("the stylesheet's print import is fingerprinted, and so cached, too", async (t) => {
  const { app } = await testApp(t);
  const css = (await app.inject({ url: app.assetUrl('css/app.css') })).body;
  const print = /@import url\('([^']+)'\) print;/.exec(css)?.[1] ?? '';
  t.match(print, /^print\.[0-9a-f]{10}\.css$/, 'app.css imports print.css by fingerprint');
  t.equal(`/public/css/${print}`, app.assetUrl('css/print.css'));
  const res = await app.inject({ url: `/public/css/${print}` });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], IMMUTABLE);
  t.ok(res.rawPayload.equals(source('css/print.css')));
  t.equal(
    css.replace(print, 'print.css'),
    source('css/app.css').toString(),
    'nothing else in app.css changed',
  );
});

t.test('the plain addresses of old pages still work, checked each time', async (t) => {
  const { app } = await testApp(t);
  for (const name of ['css/app.css', 'css/print.css', 'js/app.js', 'js/session.js', 'vendor/htmx.min.js']) {
    const res = await app.inject({ url: `/public/${name}`, headers: { 'accept-encoding': 'br' } });
    t.equal(res.statusCode, 200, `/public/${name} answers`);
    t.equal(res.headers['cache-control'], 'no-cache', `${name}: not kept without asking`);
    t.equal(res.headers['content-encoding'], 'br');
    const hashed = await app.inject({ url: app.assetUrl(name) });
    t.ok(zlib.brotliDecompressSync(res.rawPayload).equals(hashed.rawPayload), `${name}: the current file`);
    const etag = res.headers.etag as string;
    t.ok(etag, `${name}: with an ETag`);
    const again = await app.inject({
      url: `/public/${name}`,
      headers: { 'accept-encoding': 'br', 'if-none-match': etag },
    });
    t.equal(again.statusCode, 304, `${name}: unchanged → 304`);
  }
  t.equal((await app.inject({ url: '/public/manifest.json' })).statusCode, 404, 'the manifest is not served');
  t.equal((await app.inject({ url: '/public/css/missing.css' })).statusCode, 404);
  t.equal(
    (await app.inject({ url: '/public/css/app.0000000000.css' })).statusCode,
    404,
    'an unknown fingerprint',
  );
  t.throws(() => app.assetUrl('css/missing.css'), /no asset named "css\/missing.css"/);
});
