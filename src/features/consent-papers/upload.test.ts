/**
 * The signed form's upload checks: the type told by content, never by name; a photo's EXIF orientation
 * turns its page upright; a JPEG loses its metadata segments; a PNG claiming a huge image is not decoded.
 */
import t from 'tap';
import { deflateSync } from 'node:zlib';
import { PDFDocument } from '@pdfme/pdf-lib';
import {
  jpegOrientation,
  signedFilename,
  sourceOf,
  stripJpegMetadata,
  toSignedPdf,
  uploadProblem,
} from './upload.js';

/** A PNG of w × h pixels (grey, 8 bits), with the CRCs left as zeros (pdf-lib does not check them). */
function png(width: number, height: number, pixels = true): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = pixels ? Buffer.alloc((width + 1) * height, 0x80) : Buffer.alloc(0);
  for (let y = 0; pixels && y < height; y++) rows[y * (width + 1)] = 0; // filter: none
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The start of a JPEG with an EXIF block giving `orientation` (big- or little-endian TIFF). */
function exifJpeg(orientation: number, little: boolean): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write(little ? 'II' : 'MM', 0, 'latin1');
  const u16 = (v: number, o: number) => (little ? tiff.writeUInt16LE(v, o) : tiff.writeUInt16BE(v, o));
  const u32 = (v: number, o: number) => (little ? tiff.writeUInt32LE(v, o) : tiff.writeUInt32BE(v, o));
  u16(42, 2);
  u32(8, 4);
  u16(1, 8); // one entry
  u16(0x0112, 10); // Orientation
  u16(3, 12); // SHORT
  u32(1, 14);
  u16(orientation, 18);
  const app1 = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(app1.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), length, app1, Buffer.from([0xff, 0xda])]);
}

t.test('the type is told by the content', async (t) => {
  t.equal(sourceOf(Buffer.from('%PDF-1.7\n…\n%%EOF\n')), 'pdf');
  t.equal(sourceOf(exifJpeg(1, false)), 'jpeg');
  t.equal(sourceOf(png(2, 2)), 'png');
  t.equal(sourceOf(Buffer.from('GIF89a')), null);
  t.equal(sourceOf(Buffer.from('<html>')), null);
  const upload = (data: Buffer, filename = 'x.pdf', truncated = false) => ({
    filename,
    size: data.length,
    data,
    truncated,
  });
  t.equal(uploadProblem(null), 'missing');
  t.equal(uploadProblem(upload(Buffer.alloc(0), '')), 'missing', 'no file chosen');
  t.equal(uploadProblem(upload(Buffer.alloc(0))), 'empty');
  t.equal(uploadProblem(upload(png(2, 2), 'big.png', true)), 'tooLarge');
  t.equal(uploadProblem(upload(Buffer.from('<html>'), 'form.pdf')), 'wrongType', 'a name is not a type');
  t.equal(uploadProblem(upload(png(2, 2), 'photo.pdf')), null, 'a PNG named .pdf is still a PNG');
});

t.test('EXIF orientation, both byte orders', async (t) => {
  for (const little of [true, false]) {
    for (const o of [1, 3, 6, 8]) t.equal(jpegOrientation(exifJpeg(o, little)), o);
  }
  t.equal(jpegOrientation(Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0, 4, 0, 0])), 1, 'no EXIF: upright');
  t.equal(jpegOrientation(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, 200])), 1, 'a cut EXIF: upright');
});

t.test(
  'a JPEG loses its metadata segments, keeps what a decoder needs, and the image data as it is',
  async (t) => {
    const segment = (marker: number, payload: string) => {
      const body = Buffer.from(payload, 'latin1');
      return Buffer.concat([
        Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]),
        body,
      ]);
    };
    const jfif = segment(0xe0, 'JFIF\0\x01\x01\0\0\x01\0\x01\0\0');
    const adobe = segment(0xee, 'Adobe\0\x64\0\0\0\0\x01');
    const quant = segment(0xdb, '\0' + 'q'.repeat(64));
    const frame = segment(0xc0, '\x08\0\x10\0\x10\x01\x01\x11\0');
    const scan = Buffer.from([0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0, 0x12, 0x34, 0xff, 0xe1, 0xff, 0xd9]);
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      jfif,
      segment(0xe1, 'Exif\0\0MM GPS 59.9N'),
      segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>'),
      segment(0xe2, 'ICC_PROFILE\0'),
      segment(0xed, 'Photoshop 3.0\0'),
      segment(0xfe, 'a comment'),
      Buffer.from([0xff]), // a fill byte
      adobe,
      quant,
      frame,
      scan,
    ]);
    t.same(
      stripJpegMetadata(jpeg),
      Buffer.concat([Buffer.from([0xff, 0xd8]), jfif, adobe, quant, frame, scan]),
      'JFIF, Adobe, tables, frame and the scan (bytes after it untouched) are kept',
    );
    t.equal(stripJpegMetadata(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x10, 0])), null, 'a cut segment');
    t.equal(stripJpegMetadata(Buffer.from([0xff, 0xd8, 0x00, 0x01])), null, 'not a marker');
    t.equal(stripJpegMetadata(Buffer.concat([Buffer.from([0xff, 0xd8]), jfif])), null, 'no image data');
  },
);

t.test('a PNG becomes a one-page PDF, upright on A4; a huge one is not decoded', async (t) => {
  const made = await toSignedPdf(png(300, 200));
  t.ok(made.ok);
  if (!made.ok) return;
  const doc = await PDFDocument.load(made.pdf);
  t.equal(doc.getPageCount(), 1);
  const { width, height } = doc.getPage(0).getSize();
  t.ok(width > height, 'a wide photo on a landscape page');
  t.ok(Math.abs(width - 841.89) < 0.5, 'as wide as A4 is long');
  t.same(await toSignedPdf(png(20_000, 20_000, false)), { ok: false, problem: 'tooManyPixels' });
  t.same(
    await toSignedPdf(png(5000, 4001, false)),
    { ok: false, problem: 'tooManyPixels' },
    'just over 20 MP',
  );
  t.same(await toSignedPdf(Buffer.from('%PDF-1.4\nnot really\n%%EOF\n')), {
    ok: false,
    problem: 'unreadable',
  });
});

t.test('stored names end in .pdf', async (t) => {
  t.equal(signedFilename('IMG_2041.JPG'), 'IMG_2041.pdf');
  t.equal(signedFilename('../skann.png'), 'skann.pdf');
  t.equal(signedFilename('Samtykke.pdf'), 'Samtykke.pdf');
});
