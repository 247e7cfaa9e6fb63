/**
 * The signed consent form as uploaded: a PDF (a scan) or a photo (JPEG or PNG), told apart by content
 * (magic bytes), never by name or declared type. A PDF must parse (pdf.js in a worker with limits, as a
 * note's attachment); a photo becomes a one-page PDF with pdf-lib, turned upright as the camera's
 * EXIF orientation says. A JPEG is embedded without its metadata (EXIF and XMP can hold where the photo
 * was taken, the family's home): every APPn segment and comment is dropped except the two a decoder
 * needs (JFIF APP0, Adobe APP14); the orientation is read before. A PNG is decoded, so its pixel count
 * is checked first.
 */
import { degrees, PDFDocument } from '@pdfme/pdf-lib';
import { parsePdf } from '../../lib/pdf-parse.js';
import { basicUploadProblem, type BasicUploadProblem, type Upload } from '../../lib/uploads.js';
import { looksLikePdf, safeFilename } from '../notes/index.js';

import type { SignedSource } from '../../domain/consent-papers.js';
export type { SignedSource };
export type UploadProblem = BasicUploadProblem | 'wrongType' | 'unreadable' | 'tooManyPixels';

/**
 * A PNG larger than this many pixels is not decoded (a small file can claim a huge image; pdf-lib decodes
 * on the main thread, 4 bytes a pixel: 20 MP is about 80 MB).
 */
export const MAX_MEGAPIXELS = 20;
const MAX_PIXELS = MAX_MEGAPIXELS * 1_000_000;
/** The largest PDF stored (as the table allows): a PNG's PDF can be larger than the PNG. */
export const STORED_MAX_BYTES = 25 * 1024 * 1024;
const A4: [number, number] = [595.28, 841.89];

export function sourceOf(data: Buffer): SignedSource | null {
  if (looksLikePdf(data)) return 'pdf';
  if (data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return null;
}

/** What is wrong with an upload, or null; only the cheap checks (the content is read in toSignedPdf). */
export function uploadProblem(upload: Upload | null): UploadProblem | null {
  const basic = basicUploadProblem(upload);
  if (basic || !upload) return basic;
  if (!sourceOf(upload.data)) return 'wrongType';
  return null;
}

/** The JPEG's EXIF orientation (1 upright, 3 upside down, 6 turned right, 8 turned left), or 1. */
export function jpegOrientation(data: Buffer): number {
  let at = 2;
  while (at + 4 <= data.length && data[at] === 0xff) {
    const marker = data[at + 1]!;
    const length = data.readUInt16BE(at + 2);
    if (marker === 0xda) break; // image data: no EXIF after it
    if (marker === 0xe1 && data.toString('latin1', at + 4, at + 10) === 'Exif\0\0') {
      const tiff = at + 10;
      if (tiff + 8 > data.length) return 1;
      const little = data.toString('latin1', tiff, tiff + 2) === 'II';
      const u16 = (o: number) => (little ? data.readUInt16LE(o) : data.readUInt16BE(o));
      const u32 = (o: number) => (little ? data.readUInt32LE(o) : data.readUInt32BE(o));
      const ifd = tiff + u32(tiff + 4);
      if (ifd + 2 > data.length) return 1;
      const entries = u16(ifd);
      for (let i = 0; i < entries; i++) {
        const entry = ifd + 2 + i * 12;
        if (entry + 12 > data.length) return 1;
        if (u16(entry) === 0x0112) return u16(entry + 8);
      }
      return 1;
    }
    at += 2 + length;
  }
  return 1;
}

/** APPn segments a decoder needs: JFIF (APP0, "JFIF\0" or "JFXX\0") and Adobe (APP14, colour transform). */
function neededAppSegment(data: Buffer, at: number, marker: number): boolean {
  const id = data.toString('latin1', at + 4, at + 9);
  return (marker === 0xe0 && (id === 'JFIF\0' || id === 'JFXX\0')) || (marker === 0xee && id === 'Adobe');
}

/**
 * The JPEG without its metadata: APPn segments (EXIF, XMP, ICC, IPTC, maker notes) and comments are
 * dropped, except those a decoder needs; everything from the image data on is kept as it is. Null
 * when the segments before the image data do not add up (not a JPEG to embed).
 */
export function stripJpegMetadata(data: Buffer): Buffer | null {
  const kept: Buffer[] = [data.subarray(0, 2)];
  let at = 2;
  while (at < data.length) {
    if (data[at] !== 0xff) return null;
    const marker = data[at + 1];
    if (marker === undefined) return null;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      kept.push(data.subarray(at, at + 2)); // no length
      at += 2;
      continue;
    }
    if (marker === 0xda) {
      kept.push(data.subarray(at)); // the image data, and what follows it
      return Buffer.concat(kept);
    }
    if (at + 4 > data.length) return null;
    const end = at + 2 + data.readUInt16BE(at + 2);
    if (end > data.length) return null;
    const metadata = (marker >= 0xe0 && marker <= 0xef) || marker === 0xfe;
    if (!metadata || neededAppSegment(data, at, marker)) kept.push(data.subarray(at, end));
    at = end;
  }
  return null;
}

/** Page rotation (clockwise, as a viewer shows it) for an EXIF orientation; mirrored ones as the nearest. */
const ROTATION: Record<number, number> = { 3: 180, 4: 180, 5: 90, 6: 90, 7: 270, 8: 270 };

export type SignedPdf =
  { ok: true; pdf: Buffer; source: SignedSource } | { ok: false; problem: UploadProblem };

/** The upload as the PDF to store: a PDF as it is (once it parses), a photo as a one-page A4 PDF. */
export async function toSignedPdf(data: Buffer): Promise<SignedPdf> {
  const source = sourceOf(data);
  if (!source) return { ok: false, problem: 'wrongType' };
  if (source === 'pdf') {
    const parsed = await parsePdf(data);
    return parsed.ok ? { ok: true, pdf: data, source } : { ok: false, problem: 'unreadable' };
  }
  if (source === 'png' && data.length >= 24 && data.readUInt32BE(16) * data.readUInt32BE(20) > MAX_PIXELS)
    return { ok: false, problem: 'tooManyPixels' };
  const clean = source === 'jpeg' ? stripJpegMetadata(data) : data;
  if (!clean) return { ok: false, problem: 'unreadable' };
  try {
    const doc = await PDFDocument.create({ updateMetadata: false });
    // A copy of its own: pdf-lib's PNG decoder reads the whole ArrayBuffer under a small Buffer.
    const bytes = new Uint8Array(clean);
    const image = source === 'jpeg' ? await doc.embedJpg(bytes) : await doc.embedPng(bytes);
    const rotation = source === 'jpeg' ? (ROTATION[jpegOrientation(data)] ?? 0) : 0;
    const turned = rotation === 90 || rotation === 270;
    // The page is A4 in the direction the photo is seen, the photo as large as fits.
    const [shownW, shownH] = turned ? [image.height, image.width] : [image.width, image.height];
    const [boxW, boxH] = shownW <= shownH ? A4 : [A4[1], A4[0]];
    const scale = Math.min(boxW / shownW, boxH / shownH);
    const page = doc.addPage([image.width * scale, image.height * scale]);
    page.drawImage(image, { x: 0, y: 0, width: image.width * scale, height: image.height * scale });
    if (rotation) page.setRotation(degrees(rotation));
    doc.setTitle('Signert samtykkeerklæring');
    return { ok: true, pdf: Buffer.from(await doc.save()), source };
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
}

/** The stored file's name: the uploaded one (safe), always ending in .pdf. */
export function signedFilename(original: string): string {
  return safeFilename(original.replace(/\.(jpe?g|png)$/i, ''));
}
