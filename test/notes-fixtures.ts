/** Test fixtures for notes: a small real PDF, one built to exhaust a parser, and multipart bodies. */
import { deflateSync } from 'node:zlib';

const PAGE_OBJECTS = [
  '<< /Type /Catalog /Pages 2 0 R >>',
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
];

/** A small but real PDF (one empty page unless told), with a classic cross-reference table. */
export function tinyPdf(objects = PAGE_OBJECTS): Buffer {
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
 * A PDF built to exhaust a parser: its compressed cross-reference stream claims `entries` objects, a
 * few kilobytes that unpack to 7 bytes per entry, each entry an object for the parser to keep.
 */
export function crossReferenceBomb(entries: number): Buffer {
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

/** A multipart/form-data body as a browser sends it. */
export function multipart(
  fields: Record<string, string>,
  file?: { name: string; type: string; data: Buffer },
) {
  const boundary = `----stafett${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        'utf8',
      ),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
        'utf8',
      ),
    );
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
