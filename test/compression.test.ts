/**
 * Compressed answers (plugins/compression.ts): pages come brotli- or gzip-compressed as the browser's
 * Accept-Encoding asks, plain without it; every text answer says Vary: accept-encoding; pages with
 * child data stay no-store; PDFs are sent as they are.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import t from 'tap';
import { Agent, csrfTokenIn, signIn, testApp } from './helpers/app.js';
import { idaLogId } from './plan-fixture.js';

const varyTokens = (value: unknown) =>
  String(value ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase());

t.test('the log page is compressed as Accept-Encoding asks', async (t) => {
  const { app, db } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, 'stafettholder@stafett.example');
  const url = `/logs/${await idaLogId(db)}`;

  const plain = await agent.get(url);
  t.equal(plain.statusCode, 200);
  t.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: not compressed');
  t.match(plain.body, /Ida er borte fra skolen/, 'and the HTML is readable as it is');
  t.ok(varyTokens(plain.headers.vary).includes('accept-encoding'), 'Vary names accept-encoding anyway');
  t.equal(plain.headers['cache-control'], 'no-store', 'a page with child data is no-store');

  const cases: [string, string | undefined, (b: Buffer) => Buffer][] = [
    ['br', 'br', zlib.brotliDecompressSync],
    ['gzip', 'gzip', zlib.gunzipSync],
    ['gzip, deflate, br', 'br', zlib.brotliDecompressSync],
    ['gzip, deflate', 'gzip', zlib.gunzipSync],
    ['br;q=0, gzip', 'gzip', zlib.gunzipSync],
    ['identity', undefined, (b) => b],
    ['deflate', undefined, (b) => b],
  ];
  for (const [accept, expected, decode] of cases) {
    const res = await agent.get(url, { 'accept-encoding': accept });
    t.equal(res.statusCode, 200);
    t.equal(res.headers['content-encoding'], expected, `Accept-Encoding: ${accept} → ${expected ?? 'plain'}`);
    const html = decode(res.rawPayload).toString('utf8');
    t.match(html, /Ida er borte fra skolen/, `${accept}: the page reads the same once decoded`);
    if (expected) t.ok(res.rawPayload.length < html.length / 4, `${accept}: the answer is much smaller`);
    t.equal(res.headers['cache-control'], 'no-store', `${accept}: still no-store`);
    const vary = varyTokens(res.headers.vary);
    t.ok(vary.includes('accept-encoding'), `${accept}: Vary names accept-encoding`);
    t.ok(
      vary.includes('hx-request') && vary.includes('cookie'),
      `${accept}: and still HX-Request and Cookie`,
    );
    t.equal(vary.filter((v) => v === 'accept-encoding').length, 1, `${accept}: once`);
  }
});

t.test('the sign-in page is compressed too; a tiny answer is not', async (t) => {
  const { app } = await testApp(t);
  const login = await app.inject({ url: '/login', headers: { 'accept-encoding': 'br' } });
  t.equal(login.headers['content-encoding'], 'br');
  const html = zlib.brotliDecompressSync(login.rawPayload).toString();
  t.match(html, /name="password"/);
  // Against BREACH: the secret in a compressed page (the CSRF token) differs on every render.
  const again = await app.inject({
    url: '/login',
    headers: { cookie: String(login.headers['set-cookie']).split(';')[0] },
  });
  t.not(csrfTokenIn(again.body), csrfTokenIn(html), 'the CSRF token in the page is new on every render');

  const health = await app.inject({ url: '/healthz', headers: { 'accept-encoding': 'br, gzip' } });
  t.equal(health.statusCode, 200);
  t.equal(health.headers['content-encoding'], undefined, 'a few bytes of JSON are sent as they are');
  t.same(health.json(), { status: 'ok' });
});

t.test('a PDF is sent as it is, whatever the browser accepts', async (t) => {
  const { app, db } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, 'stafettholder@stafett.example');
  const logId = await idaLogId(db);
  // Very compressible bytes: if anything compressed PDFs, it would compress these.
  const pdf = Buffer.from(`%PDF-1.7\n${'0 0 0 rg\n'.repeat(4000)}%%EOF\n`);
  const [row] = await db('archive_prints')
    .insert({
      log_id: logId,
      log_ref: logId,
      reason: 'yearly',
      made_at: new Date(),
      filename: 'stafett-plan.pdf',
      pdf,
      size: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
    })
    .returning('id');
  const res = await agent.get(`/logs/${logId}/prints/${row.id}/download`, { 'accept-encoding': 'br, gzip' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/pdf/);
  t.equal(res.headers['content-encoding'], undefined, 'not compressed again');
  t.ok(res.rawPayload.equals(pdf), 'the bytes are the stored PDF');
});
