/** Parsing uploads as PDFs: real ones pass; fakes, cut-off files and files built to exhaust the parser do not. */
import { deflateSync } from 'node:zlib';
import t from 'tap';
import { parsePdf } from './pdf-parse.js';

const PAGE_OBJECTS = [
  '<< /Type /Catalog /Pages 2 0 R >>',
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
];

/** A PDF with a classic cross-reference table, as PDF writers make them. */
function classicPdf(objects = PAGE_OBJECTS): Buffer {
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/**
 * A PDF whose compressed cross-reference stream claims `entries` objects: a few kilobytes that unpack
 * to many megabytes, each entry an object for the parser to keep.
 */
function crossReferenceBomb(entries: number): Buffer {
  let body = '%PDF-1.7\n';
  const offsets: number[] = [];
  PAGE_OBJECTS.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xrefAt = body.length;
  const table = Buffer.alloc(entries * 7);
  const entry = (i: number, type: number, offset: number) => {
    table[i * 7] = type;
    table.writeUInt32BE(offset, i * 7 + 1);
  };
  for (let i = 0; i < entries; i++) entry(i, 1, offsets[0]!);
  entry(0, 0, 0);
  offsets.forEach((o, i) => entry(i + 1, 1, o));
  entry(4, 1, xrefAt);
  const stream = deflateSync(table, { level: 9 });
  const dict = `4 0 obj\n<< /Type /XRef /Size ${entries} /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length ${stream.length} >>\nstream\n`;
  return Buffer.concat([
    Buffer.from(body + dict, 'latin1'),
    stream,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'),
  ]);
}

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
