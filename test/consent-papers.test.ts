/**
 * Consent paperwork (issue 14, item 4): the consent form and the information letter in eight languages,
 * printed as tagged PDFs with embedded fonts that cover every script (pdffonts, pdftotext), Arabic right
 * to left in logical order; the signed form uploaded as a PDF or a photo (turned into a PDF), stored
 * with its consent, downloaded and audited; bad uploads refused next to the field. One app, one
 * database and one print browser for the whole file.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName, PDFRawStream } from '@pdfme/pdf-lib';
import { Agent, signIn, testApp } from './helpers/app.js';
import { readPdfStructure } from './helpers/pdf-structure.js';
import { idaLogId } from './plan-fixture.js';
import { multipart, tinyPdf } from './notes-fixtures.js';
import { DOCUMENT_LANGUAGES, DOCUMENT_LANGUAGE_INFO } from '../src/domain/document-languages.js';
import { projectRoot } from '../src/lib/project-root.js';

const HOLDER = 'stafettholder@stafett.example';
const GUARDIAN = 'foresatt@stafett.example';
const CHILD = 'Ida Hagen';

const folder = mkdtempSync(path.join(os.tmpdir(), 'stafett-consent-'));
t.teardown(() => rmSync(folder, { recursive: true, force: true }));

/** A language's texts as written in its file (read here, not through the code under test). */
const texts = (language: string): Record<string, string> =>
  JSON.parse(
    readFileSync(path.join(projectRoot, 'src/features/consent-papers/texts', `${language}.json`), 'utf8'),
  ) as Record<string, string>;

let n = 0;
/** Runs a poppler tool on a PDF. */
function poppler(tool: 'pdftotext' | 'pdffonts' | 'pdfinfo', pdf: Buffer): string {
  const file = path.join(folder, `doc-${++n}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync(tool, tool === 'pdftotext' ? [file, '-'] : [file], { encoding: 'utf8' });
}

/** pdffonts' rows: name, type and whether the font is embedded. */
function fonts(pdf: Buffer): { name: string; embedded: boolean; type: string }[] {
  return poppler('pdffonts', pdf)
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      // name, type (one or more words), encoding, emb, sub, uni, object id (2 columns)
      const [emb] = cols.slice(-5);
      return { name: cols[0]!, embedded: emb === 'yes', type: cols.slice(1, -6).join(' ') };
    });
}

/** The words of a text, without punctuation (pdftotext spaces punctuation between scripts its own way). */
const words = (text: string) =>
  plain(text)
    .replace(/[.,،:;؛؟?!()«»"]/g, ' ')
    .split(' ')
    .filter(Boolean);

/** Whether the words of `sentence` come in `text` one after the other, in the order they are written. */
function hasSentence(text: string, sentence: string): boolean {
  const all = words(text);
  const wanted = words(sentence);
  return all.some((_, i) => wanted.every((w, k) => all[i + k] === w));
}

/** Text as a reader gets it: bidi controls and isolates gone, presentation forms folded, one space. */
const plain = (text: string) =>
  text
    .normalize('NFKC')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

const { app, db } = await testApp(t, { ATTACHMENT_MAX_MB: '1' });
const holder = new Agent(app);
await signIn(holder, HOLDER);
const logId = await idaLogId(db);
const consentId = (await db('consents').where({ log_id: logId }).orderBy('given_on', 'desc').first('id'))
  .id as number;

const guardians = (
  await db('log_guardians as g')
    .join('users as u', 'u.id', 'g.user_id')
    .where('g.log_id', logId)
    .pluck('u.name')
).sort() as string[];

const printUrl = (language: string, document: 'form' | 'letter') =>
  `/logs/${logId}/consent-papers/print?language=${language}&consent=${consentId}&document=${document}`;

t.test('the page: the holder prints and uploads; a guardian sees the signed forms only', async (t) => {
  const page = await holder.get(`/logs/${logId}/consent-papers`);
  t.equal(page.statusCode, 200);
  t.match(page.body, /<form method="get" action="\/logs\/\d+\/consent-papers\/print"/, 'a GET form');
  for (const l of DOCUMENT_LANGUAGES)
    t.match(page.body, `<option value="${l}"`, `${DOCUMENT_LANGUAGE_INFO[l].name} can be chosen`);
  t.match(page.body, /enctype="multipart\/form-data"/, 'the upload is a multipart form');
  const log = await holder.get(`/logs/${logId}`);
  t.match(log.body, `href="/logs/${logId}/consent-papers"`, 'the log page links to the paperwork');

  const guardian = new Agent(app);
  await signIn(guardian, GUARDIAN);
  const theirs = await guardian.get(`/logs/${logId}/consent-papers`);
  t.equal(theirs.statusCode, 200);
  t.notMatch(theirs.body, /consent-papers\/print/, 'no print form for the family');
  t.notMatch(theirs.body, /multipart/, 'no upload form for the family');
  t.equal((await guardian.get(printUrl('nb', 'form'))).statusCode, 404, 'and printing is not theirs');
});

for (const language of DOCUMENT_LANGUAGES) {
  t.test(
    `the consent form in ${language}: embedded fonts, the text, tagged, /Lang ${language}`,
    async (t) => {
      const started = performance.now();
      const response = await holder.get(printUrl(language, 'form'));
      const ms = Math.round(performance.now() - started);
      t.equal(response.statusCode, 200);
      t.equal(response.headers['content-type'], 'application/pdf');
      const pdf = response.rawPayload;
      t.comment(`${language}: consent form ${pdf.length} bytes, ${ms} ms from request to PDF`);

      const used = fonts(pdf);
      t.ok(used.length > 0, 'the PDF uses fonts');
      t.same(
        used.filter((f) => !f.embedded),
        [],
        'every font is embedded (pdffonts: emb yes)',
      );
      t.same(
        used.filter((f) => f.type.startsWith('Type 3')),
        [],
        'no font drawn as Type 3 shapes (a missing glyph fallback)',
      );
      t.ok(
        used.every((f) => /Noto/.test(f.name)),
        `the Noto fonts: ${used.map((f) => f.name).join(', ')}`,
      );

      const text = plain(poppler('pdftotext', pdf));
      t.ok(text.includes(CHILD), "the child's name is in the text");
      const withdraw = texts(language)['meaning.withdraw']!;
      t.ok(hasSentence(text, withdraw), `a sentence from ${language}.json is in the text: ${withdraw}`);
      t.ok(hasSentence(text, texts(language)['section.signatures']!), 'and the heading of the signatures');
      t.notMatch(text, /\uFFFD/, 'no replacement characters');

      const structure = await readPdfStructure(pdf);
      t.equal(structure.info.Language, DOCUMENT_LANGUAGE_INFO[language].lang, 'the PDF’s /Lang');
      t.equal(structure.xmp.get('pdfuaid:part'), '1', 'PDF/UA-1 in the XMP metadata');
      t.same(structure.untagged, [], 'every piece of content is tagged or an artifact');
      t.ok(
        ['H1', 'H2', 'L', 'LI', 'LBody', 'Table', 'TH', 'TD'].every((role) =>
          structure.roles.some((e) => e.role === role),
        ),
        'headings, lists and the signature table are tagged',
      );
    },
  );
}

t.test('Arabic reads right to left in logical order', async (t) => {
  const pdf = (await holder.get(printUrl('ar', 'form'))).rawPayload;
  const text = poppler('pdftotext', pdf);
  const ar = texts('ar');
  const form = [
    'form.title',
    'section.child',
    'section.guardians',
    'section.services',
    'services.intro',
    'section.meaning',
    'meaning.share',
    'meaning.read',
    'meaning.withdraw',
    'meaning.voluntary',
    'meaning.archive',
    'section.signatures',
    'signature.intro',
  ];
  for (const key of form) {
    t.ok(hasSentence(text, ar[key]!), `${key}: the extracted words come in the order they are written`);
  }
  const reversed = words(ar['meaning.withdraw']!).reverse().join(' ');
  t.notOk(hasSentence(text, reversed), 'and not in the visual (left to right) order');
  t.ok(hasSentence(text, `${CHILD}`), "the child's name, in Latin letters, is kept whole");

  const html = await holder.get(`/logs/${logId}/consent-papers`);
  t.match(html.body, /<option value="ar" lang="ar"/, 'Arabic is offered in its own script, marked as Arabic');
});

for (const language of ['nb', 'ar', 'uk', 'so'] as const) {
  t.test(`the information letter in ${language}`, async (t) => {
    const response = await holder.get(printUrl(language, 'letter'));
    t.equal(response.statusCode, 200);
    const pdf = response.rawPayload;
    t.comment(`${language}: information letter ${pdf.length} bytes`);
    t.same(
      fonts(pdf).filter((f) => !f.embedded),
      [],
      'every font is embedded',
    );
    const text = plain(poppler('pdftotext', pdf));
    t.ok(text.includes(CHILD), "the child's name");
    t.ok(hasSentence(text, texts(language)['letter.what']!), `the letter's text from ${language}.json`);
    for (const name of guardians) t.ok(text.includes(name), `the guardian ${name}`);
    const structure = await readPdfStructure(pdf);
    t.equal(structure.info.Language, DOCUMENT_LANGUAGE_INFO[language].lang);
  });
}

t.test('a print with a language that is not offered: the message next to the field', async (t) => {
  const response = await holder.get(
    `/logs/${logId}/consent-papers/print?language=xx&consent=${consentId}&document=form`,
  );
  t.equal(response.statusCode, 422);
  t.match(response.body, /id="language-error"/);
  t.match(response.body, /<title>Feil: /);
  t.match(response.body, /href="#language"/, 'the error summary links to the field');
  t.match(response.body, /aria-invalid="true"/);
  const audited = await db('audit_events').where({ action: 'consent_paper.print', log_id: logId }).count();
  t.ok(Number(audited[0]!.count) >= DOCUMENT_LANGUAGES.length, 'every print was audited');
});

/** Posts the upload form as a browser does. */
async function upload(
  file?: { name: string; type: string; data: Buffer },
  fields: Record<string, string> = {},
) {
  const page = await holder.get(`/logs/${logId}/consent-papers`);
  const csrf = /name="_csrf" value="([^"]*)"/.exec(page.body)![1]!;
  const body = multipart({ _csrf: csrf, consent: String(consentId), ...fields }, file);
  return app.inject({
    method: 'POST',
    url: `/logs/${logId}/consent-papers/signed`,
    headers: { cookie: holder.cookieHeader(), 'content-type': body.contentType },
    payload: body.payload,
  });
}

const stored = () => db('consent_signed_forms').where({ log_id: logId }).orderBy('id');

t.test('a signed PDF is stored with its consent, listed, downloadable and audited', async (t) => {
  const signed = tinyPdf();
  const response = await upload({ name: 'Signert samtykke.pdf', type: 'application/pdf', data: signed });
  t.equal(response.statusCode, 303);
  const rows = await stored();
  const row = rows.at(-1)!;
  t.equal(row.consent_id, consentId, 'stored with the consent it documents');
  t.equal(row.source, 'pdf');
  t.same(Buffer.from(row.content), signed, 'the PDF as it was uploaded');
  t.match(String(response.headers.location), `#signed-${row.id}`);

  const guardian = new Agent(app);
  await signIn(guardian, GUARDIAN);
  const page = await guardian.get(`/logs/${logId}/consent-papers`);
  t.match(page.body, 'Signert samtykke.pdf', 'the family sees it');
  const download = await guardian.get(`/logs/${logId}/consent-papers/signed/${row.id}`);
  t.equal(download.statusCode, 200);
  t.equal(download.headers['content-type'], 'application/pdf');
  t.match(String(download.headers['content-disposition']), /^attachment; filename="Signert samtykke\.pdf"/);
  t.same(download.rawPayload, signed, 'the same bytes come back');

  const audit = await db('audit_events')
    .where({ object_type: 'consent_signed_form', object_id: row.id })
    .orderBy('id')
    .select('action', 'role', 'log_id');
  t.same(
    audit.map((a) => [a.action, a.role, a.log_id]),
    [
      ['consent_signed_form.create', 'holder', logId],
      ['consent_signed_form.download', 'guardian', logId],
    ],
    'upload and download are audited',
  );
});

t.test('a photo of the signed form (JPEG, PNG) comes back as a one-page PDF', async (t) => {
  // Real images: the printed consent form, photographed by poppler.
  const form = path.join(folder, 'form.pdf');
  writeFileSync(form, (await holder.get(printUrl('nb', 'form'))).rawPayload);
  execFileSync('pdftoppm', ['-jpeg', '-r', '60', '-singlefile', form, path.join(folder, 'photo')]);
  execFileSync('pdftoppm', ['-png', '-r', '40', '-singlefile', form, path.join(folder, 'scan')]);
  for (const [name, type, file] of [
    ['IMG_2041.jpg', 'image/jpeg', 'photo.jpg'],
    ['skann.png', 'image/png', 'scan.png'],
  ] as const) {
    const image = readFileSync(path.join(folder, file));
    const response = await upload({ name, type, data: image });
    t.equal(response.statusCode, 303, `${name} is accepted`);
    const row = (await stored()).at(-1)!;
    t.equal(row.source, type === 'image/jpeg' ? 'jpeg' : 'png');
    t.equal(row.filename, name.replace(/\.\w+$/, '.pdf'), 'stored under its name, as a PDF');
    const download = await holder.get(`/logs/${logId}/consent-papers/signed/${row.id}`);
    t.equal(download.statusCode, 200);
    const pdf = download.rawPayload;
    t.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'the photo came back as a PDF');
    const doc = await PDFDocument.load(pdf);
    t.equal(doc.getPageCount(), 1, 'one page');
    const images = doc.context
      .enumerateIndirectObjects()
      .map(([, o]) => o)
      .filter((o) => o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
    t.equal(images.length >= 1, true, 'holding the image');
    if (type === 'image/jpeg') {
      const jpeg = images.find(
        (o) => (o as PDFRawStream).dict.get(PDFName.of('Filter')) === PDFName.of('DCTDecode'),
      );
      t.same(Buffer.from((jpeg as PDFRawStream).contents), image, 'the JPEG is embedded as it was taken');
    }
    t.match(poppler('pdfinfo', pdf), /Pages:\s+1/, 'poppler reads it');
    t.equal(
      await db('audit_events')
        .where({ action: 'consent_signed_form.create', object_id: row.id })
        .count()
        .first()
        .then((c) => Number(c!.count)),
      1,
      'the upload is audited',
    );
  }
});

t.test('a photo taken turned (EXIF orientation 6) is stored upright', async (t) => {
  const form = path.join(folder, 'turned.pdf');
  writeFileSync(form, (await holder.get(printUrl('en', 'form'))).rawPayload);
  execFileSync('pdftoppm', ['-jpeg', '-r', '30', '-singlefile', form, path.join(folder, 'turned')]);
  const photo = readFileSync(path.join(folder, 'turned.jpg'));
  // An EXIF block (big-endian TIFF, one entry: Orientation = 6) right after the JPEG's start.
  const tiff = Buffer.from([
    0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0,
  ]);
  const app1 = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const turned = Buffer.concat([
    photo.subarray(0, 2),
    Buffer.from([0xff, 0xe1, (app1.length + 2) >> 8, (app1.length + 2) & 0xff]),
    app1,
    photo.subarray(2),
  ]);
  t.equal((await upload({ name: 'turned.jpg', type: 'image/jpeg', data: turned })).statusCode, 303);
  const row = (await stored()).at(-1)!;
  const pdf = Buffer.from(row.content);
  const doc = await PDFDocument.load(pdf);
  t.equal(doc.getPage(0).getRotation().angle, 90, 'the page is turned a quarter clockwise');
  t.match(poppler('pdfinfo', pdf), /Page rot:\s+90/, 'as a viewer shows it');
});

t.test('bad uploads: a clear message next to the field, 4xx, nothing stored', async (t) => {
  const before = (await stored()).length;
  const cases = [
    { label: 'no file', file: undefined, message: /Velg filen med den underskrevne erklæringen/ },
    {
      label: 'an empty file',
      file: { name: 'tom.pdf', type: 'application/pdf', data: Buffer.alloc(0) },
      message: /Filen er tom/,
    },
    {
      label: 'HTML named .pdf',
      file: {
        name: 'skjema.pdf',
        type: 'application/pdf',
        data: Buffer.from('<html><script>alert(1)</script></html>'),
      },
      message: /Filen må være en PDF, et JPEG-bilde eller et PNG-bilde/,
    },
    {
      label: 'a Word document named .jpg',
      file: { name: 'skjema.jpg', type: 'image/jpeg', data: Buffer.from('PK\u0003\u0004 word/document.xml') },
      message: /Filen må være en PDF, et JPEG-bilde eller et PNG-bilde/,
    },
    {
      label: 'a file over the limit (1 MB here)',
      file: {
        name: 'stor.pdf',
        type: 'application/pdf',
        data: Buffer.concat([tinyPdf(), Buffer.alloc(1024 * 1024 + 10, 32)]),
      },
      message: /Filen er større enn 1 MB/,
    },
    {
      label: 'a broken JPEG',
      file: {
        name: 'bilde.jpg',
        type: 'image/jpeg',
        data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]),
      },
      message: /Filen kunne ikke leses/,
    },
  ];
  for (const c of cases) {
    const response = await upload(c.file);
    t.equal(response.statusCode, 422, `${c.label}: 422`);
    const field =
      /<p class="error-message" id="signed-file-error">([\s\S]*?)<\/p>/.exec(response.body)?.[1] ?? '';
    t.match(field, c.message, `${c.label}: the message next to the file field`);
    t.match(response.body, /id="signed-file"[^>]*aria-invalid="true"/, `${c.label}: the field is marked`);
    t.match(response.body, /href="#signed-file"/, `${c.label}: the error summary links to it`);
  }
  const wrongConsent = await upload(
    { name: 'ok.pdf', type: 'application/pdf', data: tinyPdf() },
    { consent: '999999' },
  );
  t.equal(wrongConsent.statusCode, 422, 'a consent of another log: 422');
  t.match(wrongConsent.body, /id="signed-consent-error"/);
  t.equal((await stored()).length, before, 'nothing was stored');
});

t.test('a double-clicked upload (the same form token twice) stores one signed form', async (t) => {
  const page = await holder.get(`/logs/${logId}/consent-papers`);
  const csrf = /name="_csrf" value="([^"]*)"/.exec(page.body)![1]!;
  const token = /name="formToken" value="([^"]*)"/.exec(page.body)?.[1];
  t.ok(token, 'the upload form carries a one-time token');
  const before = (await stored()).length;
  const post = () => {
    const body = multipart(
      { _csrf: csrf, formToken: token ?? '', consent: String(consentId) },
      { name: 'dobbel.pdf', type: 'application/pdf', data: tinyPdf() },
    );
    return app.inject({
      method: 'POST',
      url: `/logs/${logId}/consent-papers/signed`,
      headers: { cookie: holder.cookieHeader(), 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  const first = await post();
  const second = await post();
  t.equal(first.statusCode, 303);
  t.equal(second.statusCode, 303, 'the repeat goes where the first went');
  t.equal(second.headers.location, first.headers.location);
  t.equal((await stored()).length, before + 1, 'one row, not two');
});

t.test(
  'a photo is stored without its EXIF/XMP metadata (a GPS position), still turned upright',
  async (t) => {
    const form = path.join(folder, 'gps.pdf');
    writeFileSync(form, (await holder.get(printUrl('nb', 'form'))).rawPayload);
    execFileSync('pdftoppm', ['-jpeg', '-r', '30', '-singlefile', form, path.join(folder, 'gps')]);
    const photo = readFileSync(path.join(folder, 'gps.jpg'));
    const segment = (marker: number, payload: Buffer) =>
      Buffer.concat([
        Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]),
        payload,
      ]);
    // EXIF (big-endian TIFF): Orientation = 8, then bytes standing for a GPS position after the IFD.
    const tiff = Buffer.concat([
      Buffer.from([
        0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0,
      ]),
      Buffer.from('GPS 59.9127N 10.7461E Heimveien 7', 'latin1'),
    ]);
    const xmp = Buffer.from(
      'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>59,54.76N</exif:GPSLatitude></x:xmpmeta>',
      'latin1',
    );
    const iptc = Buffer.from('Photoshop 3.0\0 8BIM Heimveien 7', 'latin1');
    // The JFIF APP0 of pdftoppm's JPEG stays first; the metadata segments follow it.
    const app0Length = photo.readUInt16BE(4);
    const withMeta = Buffer.concat([
      photo.subarray(0, 4 + app0Length),
      segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])),
      segment(0xe1, xmp),
      segment(0xed, iptc),
      photo.subarray(4 + app0Length),
    ]);
    t.equal((await upload({ name: 'gps.jpg', type: 'image/jpeg', data: withMeta })).statusCode, 303);
    const pdf = Buffer.from((await stored()).at(-1)!.content);
    for (const secret of ['Exif\0\0', 'Heimveien 7', '59.9127N', 'GPSLatitude', 'Photoshop 3.0'])
      t.equal(pdf.includes(Buffer.from(secret, 'latin1')), false, `the stored PDF has no "${secret.trim()}"`);
    t.ok(pdf.includes(Buffer.from('JFIF\0', 'latin1')), 'the JFIF header (needed to decode) is kept');
    const doc = await PDFDocument.load(pdf);
    t.equal(doc.getPage(0).getRotation().angle, 270, 'the EXIF orientation was applied before stripping');
    t.match(poppler('pdfinfo', pdf), /Pages:\s+1/, 'poppler reads it');
  },
);

t.test('a PNG of more than 20 megapixels is refused with a clear message, not decoded', async (t) => {
  const { deflateSync } = await import('node:zlib');
  // A single-colour 5000 × 4200 PNG (21 MP): tiny as a file, about 84 MB once decoded.
  const [w, h] = [5000, 4200];
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const raw = Buffer.alloc((w + 1) * h, 0xff);
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0; // filter: none
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  const before = (await stored()).length;
  const response = await upload({ name: 'stor.png', type: 'image/png', data: png });
  t.equal(response.statusCode, 422);
  const field =
    /<p class="error-message" id="signed-file-error">([\s\S]*?)<\/p>/.exec(response.body)?.[1] ?? '';
  t.match(field, /Bildet har for mange piksler \(mer enn 20 megapiksler\)/, 'the message says why');
  t.equal((await stored()).length, before, 'nothing stored');
});

t.test('the language to print in starts at the family’s language, else the installation’s', async (t) => {
  const selected = (body: string) =>
    /<option value="(\w+)"[^>]*selected[^>]*>[^<]*<\/option>/.exec(
      /<select[^>]*id="language"[\s\S]*?<\/select>/.exec(body)?.[0] ?? '',
    )?.[1];
  const guardianIds = await db('log_guardians').where({ log_id: logId }).pluck('user_id');
  const saved = await db('users').whereIn('id', guardianIds).select('id', 'locale');
  t.teardown(async () => {
    for (const s of saved) await db('users').where({ id: s.id }).update({ locale: s.locale });
  });
  await db('users').whereIn('id', guardianIds).update({ locale: null });
  t.equal(
    selected((await holder.get(`/logs/${logId}/consent-papers`)).body),
    'nb',
    'no choice: the installation’s',
  );
  await db('users').whereIn('id', guardianIds).update({ locale: 'en' });
  t.equal(
    selected((await holder.get(`/logs/${logId}/consent-papers`)).body),
    'en',
    'the family chose English',
  );
});

/** CRC-32 of PNG chunks. */
function crc32(data: Buffer): number {
  let c = ~0;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
