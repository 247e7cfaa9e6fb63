/**
 * Compression of HTML and other text answers (@fastify/compress): brotli when the browser accepts it,
 * else gzip, else plain, as Accept-Encoding says. Settings chosen by measuring the full-plan log page
 * (102 kB of HTML, about 12 ms of the server's CPU to make) on a 2-core machine, CPU time per
 * compression of that page:
 *
 *   brotli q1 9.3 kB 0.13 ms · q3 8.1 kB 0.20 ms · q4 7.5 kB 0.39 ms · q5 6.9 kB 0.72 ms · q11 6.0 kB 500 ms
 *   gzip 1 11.0 kB 0.15 ms · gzip 6 8.4 kB 0.53 ms
 *
 * Measured again on the page as it is now (115 kB of HTML), CPU per compression in a quiet process:
 *
 *   brotli q2 9.6 kB 0.21 ms · q3 8.8 kB 0.20–0.29 ms · q4 8.2 kB 0.46 ms · q5 7.5 kB 0.65 ms
 *
 * and under load the compression step (the string to bytes, the encoder's set-up and its work) took
 * about a tenth of the page's CPU at quality 4. Quality 3 takes 92 % off the page for half of
 * quality 4's CPU; the 0.6 kB it gives up is a small part of a first visit (the page and its
 * fingerprinted assets, which are compressed at build time at the highest quality). gzip level 6
 * (zlib's default) is for the few browsers without brotli. Answers up to
 * 256 kB are compressed in one synchronous call: measured on the same page, the plugin's stream path
 * (its default above 8 kB on 2 cores) used more CPU per page than one call, for the same bytes.
 *
 * - Only text: HTML, CSS, JavaScript, JSON, XML, calendar files. PDFs and uploads are already
 *   compressed and are sent as they are. Static assets are compressed once, when they are built, and
 *   served from those files (plugins/assets.ts) with Content-Encoding set, which this leaves alone.
 * - Below 1 KB nothing is compressed: the header costs about what it saves.
 * - Every text answer says `Vary: accept-encoding`, compressed or not, so a cache never hands a
 *   compressed answer to a browser that did not ask for one. Cache-Control is left as it is: pages
 *   with child data stay no-store.
 *
 * BREACH (guessing a secret from compressed sizes) needs a secret and attacker-chosen text in the
 * same answer, and the attacker's requests to carry the victim's cookie. The CSRF token in a page is
 * new on every render, and the session cookie is SameSite=Lax, so a cross-site page cannot make the
 * many signed-in requests such an attack needs.
 */
import zlib from 'node:zlib';
import fp from 'fastify-plugin';
import compress from '@fastify/compress';

/** Content types worth compressing; everything else (PDF, images, octet streams) is sent as it is. */
const TEXT = /^(?:text\/(?!event-stream)|application\/(?:json|javascript|xml|[\w.+-]+\+(?:json|xml))(?:;|$))/;

export const COMPRESSION = {
  brotliQuality: 3,
  gzipLevel: 6,
  threshold: 1024,
  /** Up to this size an answer is compressed in one synchronous call rather than as a stream. */
  syncThreshold: 256 * 1024,
};

export default fp(
  async (app) => {
    await app.register(compress, {
      encodings: ['br', 'gzip'],
      threshold: COMPRESSION.threshold,
      syncThreshold: COMPRESSION.syncThreshold,
      customTypes: TEXT,
      brotliOptions: {
        params: {
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          [zlib.constants.BROTLI_PARAM_QUALITY]: COMPRESSION.brotliQuality,
        },
      },
      zlibOptions: { level: COMPRESSION.gzipLevel },
    });

    // @fastify/compress says Vary only when it compresses; a text answer varies either way.
    // A text answer worth compressing goes on as UTF-8 bytes, made once (this hook runs before the
    // plugin's own, which is the route's): given a string, the plugin measures its byte length in
    // one pass over it and the compressor encodes it in another (an uncompressed answer likewise:
    // Content-Length, then the write). A page is built by concatenation, so the first pass also
    // flattens it; on the full-plan log page (115 kB) that pass was some 4 % of the server's CPU.
    app.addHook('onSend', async (_request, reply, payload) => {
      const type = reply.getHeader('content-type');
      if (typeof type !== 'string' || !TEXT.test(type)) return payload;
      addVary(reply, 'accept-encoding');
      return typeof payload === 'string' && payload.length >= COMPRESSION.threshold
        ? Buffer.from(payload, 'utf8')
        : payload;
    });
  },
  { name: 'compression' },
);

/** Adds a token to the Vary header unless it (or `*`) is there already. */
export function addVary(
  reply: { getHeader(name: string): unknown; header(name: string, value: string): unknown },
  token: string,
): void {
  const current = reply.getHeader('vary');
  const value = Array.isArray(current) ? current.join(', ') : typeof current === 'string' ? current : '';
  const tokens = value
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  if (tokens.includes(token.toLowerCase()) || tokens.includes('*')) return;
  reply.header('vary', value ? `${value}, ${token}` : token);
}
