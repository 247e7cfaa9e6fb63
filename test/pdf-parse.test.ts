/**
 * lib/pdf-parse.ts: real PDFs parse; fakes, cut-off files and files built to exhaust the parser do not.
 */
import t from 'tap';
import { parsePdf } from '../src/lib/pdf-parse.js';
import { crossReferenceBomb, tinyPdf as classicPdf } from './notes-fixtures.js';

t.test('a real PDF parses, with its page count', async (t) => {
  t.same(await parsePdf(classicPdf()), { ok: true, pages: 1 });
  const twoPages = classicPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ]);
  t.same(await parsePdf(twoPages), { ok: true, pages: 2 });
});

t.test('what only looks like a PDF does not parse', async (t) => {
  const invalid = { ok: false, reason: 'invalid' };
  t.same(await parsePdf(Buffer.from('%PDF-1.7\n<html><body>Ikke en PDF</body></html>\n%%EOF\n')), invalid);
  t.same(await parsePdf(Buffer.from('<html></html>')), invalid);
  t.same(await parsePdf(Buffer.alloc(0)), invalid);
  const pdf = classicPdf();
  for (const share of [0.3, 0.5, 0.7]) {
    const cut = pdf.subarray(0, Math.floor(pdf.length * share));
    t.same(await parsePdf(Buffer.concat([cut, Buffer.from('\n%%EOF\n')])), invalid, `cut at ${share}`);
  }
  const noPages = classicPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']);
  t.same(await parsePdf(noPages), invalid, 'a PDF without pages');
});

t.test('a file built to exhaust the parser is refused within the limits', async (t) => {
  const bomb = crossReferenceBomb(3_000_000);
  t.ok(bomb.length < 100_000, `a small file (${bomb.length} bytes) that unpacks to 21 MB`);
  const result = await parsePdf(bomb, { maxHeapMb: 32 });
  t.equal(result.ok, false, `refused (${result.ok ? 'parsed' : result.reason})`);
  t.same(await parsePdf(classicPdf()), { ok: true, pages: 1 }, 'and the next file parses as before');
});

t.test('a parse that takes longer than allowed is refused', async (t) => {
  t.same(await parsePdf(classicPdf(), { timeoutMs: 1 }), { ok: false, reason: 'timeout' });
});

t.test('many at once: each gets its own answer', async (t) => {
  const files = [classicPdf(), Buffer.from('%PDF-1.4\nx\n%%EOF'), classicPdf(), Buffer.from('no')];
  const results = await Promise.all(files.map((f) => parsePdf(f)));
  t.same(
    results.map((r) => r.ok),
    [true, false, true, false],
  );
});
