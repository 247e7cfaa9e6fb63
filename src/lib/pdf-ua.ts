/**
 * Makes Chromium's tagged PDF meet PDF/UA-1's machine checks (ISO 14289-1). Chromium tags headings,
 * lists, tables and paragraphs, and this finishes the job after printing:
 *
 * - content outside every tag — the running header and footer that Chromium draws in the page's margin
 *   boxes (src/plugins/pdf.ts) — becomes an artifact (`/Artifact BMC … EMC`): screen readers skip it, and no
 *   content is left neither tagged nor artifact;
 * - tagged content that is only vector graphics (table rules, borders, backgrounds) becomes an artifact
 *   and leaves the structure tree; list bullets (Lbl) and figures keep their tags;
 * - a list item's body is tagged LBody (Chromium tags it NonStruct), so every LI is Lbl + LBody;
 * - XMP metadata that names the standard (pdfuaid:part 1), the title (dc:title, as in the document
 *   information) and the language (dc:language).
 *
 *   const ua = await toPdfUa(pdfBytes, { title: 'Stafettlogg for Ida Hansen' });
 *
 * The PDF is read with pdf-lib, and the changed objects are appended to Chromium's bytes as an
 * incremental update; only the content streams are tokenised here, and only to find where marked
 * content begins and ends.
 */
import zlib from 'node:zlib';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFRawStream,
  ParseSpeeds,
  PDFRef,
  PDFString,
  type PDFContext,
  type PDFObject,
} from '@pdfme/pdf-lib';

export interface PdfUaOptions {
  /** The document's title (dc:title); default the document information's Title. */
  title?: string;
}

/** One operator of a content stream, with its operands; start and end are byte offsets. */
export interface ContentOperator {
  name: string;
  operands: string;
  start: number;
  end: number;
}

/** Each byte's class in a content stream: regular, white-space or delimiter (PDF 32000-1 §7.2.2). */
const REGULAR = 0;
const WHITE = 1;
const DELIMITER = 2;
const CLASS = new Uint8Array(256);
for (const b of [0, 9, 10, 12, 13, 32]) CLASS[b] = WHITE;
for (const c of '()<>[]{}/%') CLASS[c.charCodeAt(0)] = DELIMITER;
const OPERAND_WORDS = new Set(['true', 'false', 'null']);

const latin1 = (bytes: Uint8Array, from: number, to: number) =>
  Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1');

/** Short tokens (operators are one to three letters) without a Buffer. */
const word = (bytes: Uint8Array, from: number, to: number) => {
  if (to - from > 8) return latin1(bytes, from, to);
  let s = '';
  for (let k = from; k < to; k++) s += String.fromCharCode(bytes[k]!);
  return s;
};

/**
 * An operator found by contentOperators. Its operands are text only when asked for (the BDC's, to
 * read an MCID): a full plan's pages hold some hundred thousand operators, nearly all of them numbers.
 */
class Operator implements ContentOperator {
  constructor(
    private readonly bytes: Uint8Array,
    readonly name: string,
    readonly start: number,
    private readonly nameStart: number,
    readonly end: number,
  ) {}
  get operands(): string {
    return latin1(this.bytes, this.start, this.nameStart).trim();
  }
}

/** Splits a content stream into operators (PDF 32000-1 §7.8.2). */
export function contentOperators(bytes: Uint8Array): ContentOperator[] {
  const ops: ContentOperator[] = [];
  const n = bytes.length;
  let i = 0;
  let operandStart = -1;
  const regular = (k: number) => k < n && CLASS[bytes[k]!] === REGULAR;
  while (i < n) {
    const c = bytes[i]!;
    if (CLASS[c] === WHITE) {
      i++;
      continue;
    }
    if (c === 0x25) {
      while (i < n && bytes[i] !== 10 && bytes[i] !== 13) i++;
      continue;
    }
    const tokenStart = i;
    if (c === 0x28) {
      // (literal string), with nested parentheses and backslash escapes
      let depth = 0;
      for (; i < n; i++) {
        const b = bytes[i];
        if (b === 0x5c) i++;
        else if (b === 0x28) depth++;
        else if (b === 0x29 && --depth === 0) {
          i++;
          break;
        }
      }
    } else if (c === 0x3c) {
      if (bytes[i + 1] === 0x3c) i += 2;
      else {
        while (i < n && bytes[i] !== 0x3e) i++;
        i++;
      }
    } else if (c === 0x3e) {
      i += bytes[i + 1] === 0x3e ? 2 : 1;
    } else if (c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) {
      i++;
    } else if (c === 0x2f) {
      i++;
      while (regular(i)) i++;
    } else {
      while (regular(i)) i++;
      if (i === tokenStart) i++; // a stray delimiter: skip it
      // Numbers are most of a content stream: tell them by their first character, without a string.
      const number = (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
      const name = number ? '' : word(bytes, tokenStart, i);
      if (!number && !OPERAND_WORDS.has(name)) {
        const start = operandStart >= 0 ? operandStart : tokenStart;
        ops.push(new Operator(bytes, name, start, tokenStart, i));
        operandStart = -1;
        if (name === 'ID') {
          // inline image data runs to the EI that stands alone
          i++;
          while (
            i < n &&
            !(bytes[i] === 0x45 && bytes[i + 1] === 0x49 && CLASS[bytes[i - 1]!] === WHITE && !regular(i + 2))
          )
            i++;
        }
        continue;
      }
    }
    if (operandStart < 0) operandStart = tokenStart;
  }
  return ops;
}

const PATH_CONSTRUCTION = new Set(['m', 'l', 'c', 'v', 'y', 'h', 're', 'W', 'W*']);
const PATH_PAINTING = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'n']);
const TEXT_SHOWING = new Set(['Tj', 'TJ', "'", '"']);
/** Tags whose graphics carry meaning: a list bullet, a figure, a formula. */
const MEANINGFUL_GRAPHICS = new Set(['Lbl', 'Figure', 'Formula']);

const ARTIFACT_BEGIN = '/Artifact BMC\n';
const ARTIFACT_END = '\nEMC';

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(bytes: Uint8Array, edits: Edit[]): Uint8Array {
  if (!edits.length) return bytes;
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: Buffer[] = [];
  let at = 0;
  for (const edit of edits) {
    parts.push(Buffer.from(bytes.subarray(at, edit.start)), Buffer.from(edit.text, 'latin1'));
    at = edit.end;
  }
  parts.push(Buffer.from(bytes.subarray(at)));
  return Buffer.concat(parts);
}

/**
 * Marks a page's content as artifacts where it is not real content: what is outside every marked
 * content sequence, and tagged sequences that only paint vector graphics (unless the tag is a bullet or
 * a figure). `roleOf` gives the structure type tagged with an MCID. Returns the new content and the
 * MCIDs that became artifacts (to be taken out of the structure tree).
 */
export function markArtifacts(
  content: Uint8Array,
  roleOf: (mcid: number) => string | undefined,
): { content: Uint8Array; artifactMcids: number[] } {
  const ops = contentOperators(content);
  const edits: Edit[] = [];
  const artifactMcids: number[] = [];

  // Tagged sequences that only paint graphics.
  const open: { op: ContentOperator; mcid: number | null; paints: boolean; meaningful: boolean }[] = [];
  for (const op of ops) {
    if (op.name === 'BDC' || op.name === 'BMC') {
      const mcid = op.name === 'BDC' ? /\/MCID\s+(\d+)/.exec(op.operands) : null;
      open.push({ op, mcid: mcid ? Number(mcid[1]) : null, paints: false, meaningful: false });
    } else if (op.name === 'EMC') {
      const seq = open.pop();
      if (seq?.mcid != null && seq.paints && !seq.meaningful) {
        const role = roleOf(seq.mcid);
        if (role && !MEANINGFUL_GRAPHICS.has(role)) {
          edits.push({ start: seq.op.start, end: seq.op.end, text: ARTIFACT_BEGIN.trimEnd() });
          artifactMcids.push(seq.mcid);
        }
      }
    } else if (TEXT_SHOWING.has(op.name) || op.name === 'Do' || op.name === 'EI') {
      for (const seq of open) seq.meaningful = true;
    } else if ((PATH_PAINTING.has(op.name) && op.name !== 'n') || op.name === 'sh') {
      for (const seq of open) seq.paints = true;
    }
  }

  // Content outside every marked content sequence.
  const wrap = (from: ContentOperator, to: ContentOperator) =>
    edits.push(
      { start: from.start, end: from.start, text: ARTIFACT_BEGIN },
      { start: to.end, end: to.end, text: ARTIFACT_END },
    );
  let depth = 0;
  let pathStart: ContentOperator | null = null;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k]!;
    if (op.name === 'BDC' || op.name === 'BMC') depth++;
    else if (op.name === 'EMC') depth = Math.max(0, depth - 1);
    else if (depth > 0) continue;
    else if (op.name === 'BT') {
      let e = k + 1;
      let marked = false;
      while (e < ops.length && ops[e]!.name !== 'ET') {
        if (ops[e]!.name === 'BDC' || ops[e]!.name === 'BMC') marked = true;
        e++;
      }
      if (!marked) {
        wrap(op, ops[Math.min(e, ops.length - 1)]!);
        k = e;
      }
      // A text object with marked content inside: its untagged text is wrapped one operator at a time.
    } else if (TEXT_SHOWING.has(op.name) || op.name === 'Do' || op.name === 'sh') {
      wrap(op, op);
    } else if (op.name === 'BI') {
      let e = k;
      while (e < ops.length && ops[e]!.name !== 'EI') e++;
      wrap(op, ops[Math.min(e, ops.length - 1)]!);
      k = e;
    } else if (PATH_CONSTRUCTION.has(op.name)) {
      pathStart ??= op;
    } else if (PATH_PAINTING.has(op.name)) {
      if (pathStart && op.name !== 'n') wrap(pathStart, op);
      pathStart = null;
    }
  }
  return { content: applyEdits(content, edits), artifactMcids };
}

/**
 * A content stream's bytes. Chromium compresses each with Flate alone, which zlib inflates natively;
 * any other filter (or Flate data zlib refuses) goes through pdf-lib's decoders.
 */
function decodeContent(stream: PDFRawStream): Buffer {
  const filter = stream.dict.get(PDFName.of('Filter'));
  const flate =
    (filter === PDFName.of('FlateDecode') ||
      (filter instanceof PDFArray && filter.size() === 1 && filter.get(0) === PDFName.of('FlateDecode'))) &&
    stream.dict.get(PDFName.of('DecodeParms')) === undefined;
  if (flate) {
    try {
      return zlib.inflateSync(stream.contents);
    } catch {
      // pdf-lib's decoder is more forgiving of damaged data.
    }
  }
  return Buffer.from(decodePDFRawStream(stream).decode());
}

const name = (dict: PDFDict, key: string) => dict.lookupMaybe(PDFName.of(key), PDFName)?.decodeText();

/** The entries of a number tree (PDF 32000-1 §7.9.7). */
function numberTree(context: PDFContext, node: PDFDict | undefined, out = new Map<number, PDFObject>()) {
  if (!node) return out;
  const nums = node.lookupMaybe(PDFName.of('Nums'), PDFArray);
  for (let i = 0; nums && i + 1 < nums.size(); i += 2) {
    out.set(nums.lookup(i, PDFNumber).asNumber(), nums.get(i + 1));
  }
  const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
  for (let i = 0; kids && i < kids.size(); i++) numberTree(context, kids.lookup(i, PDFDict), out);
  return out;
}

/** The kids of a structure element as a list (its /K may be one object or an array). */
function kidsOf(elem: PDFDict): PDFObject[] {
  const k = elem.get(PDFName.of('K'));
  if (!k) return [];
  return k instanceof PDFArray ? k.asArray() : [k];
}

function setKids(context: PDFContext, elem: PDFDict, kids: PDFObject[]) {
  if (kids.length === 0) elem.delete(PDFName.of('K'));
  else elem.set(PDFName.of('K'), kids.length === 1 ? kids[0]! : context.obj(kids));
}

/** The page and MCID a kid refers to, when it is marked content (an integer or an MCR). */
function markedContentOf(
  context: PDFContext,
  elem: PDFDict,
  kid: PDFObject,
): { page: PDFRef | undefined; mcid: number } | null {
  if (kid instanceof PDFNumber) {
    return { page: elem.get(PDFName.of('Pg')) as PDFRef | undefined, mcid: kid.asNumber() };
  }
  const dict = context.lookup(kid);
  if (dict instanceof PDFDict && name(dict, 'Type') === 'MCR') {
    const mcid = dict.lookupMaybe(PDFName.of('MCID'), PDFNumber)?.asNumber();
    const page = (dict.get(PDFName.of('Pg')) ?? elem.get(PDFName.of('Pg'))) as PDFRef | undefined;
    return mcid === undefined ? null : { page, mcid };
  }
  return null;
}

const xml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The XMP packet (ISO 16684-1) with the PDF/UA identification, title and language. */
export function xmpPacket(meta: { title: string; language?: string; producer?: string; created?: Date }) {
  const lines = [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    '  xmlns:dc="http://purl.org/dc/elements/1.1/"',
    '  xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
    '  xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    '  xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">',
    '<pdfuaid:part>1</pdfuaid:part>',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(meta.title)}</rdf:li></rdf:Alt></dc:title>`,
    ...(meta.language
      ? [`<dc:language><rdf:Bag><rdf:li>${xml(meta.language)}</rdf:li></rdf:Bag></dc:language>`]
      : []),
    ...(meta.producer ? [`<pdf:Producer>${xml(meta.producer)}</pdf:Producer>`] : []),
    ...(meta.created
      ? [
          `<xmp:CreateDate>${meta.created.toISOString()}</xmp:CreateDate>`,
          `<xmp:ModifyDate>${meta.created.toISOString()}</xmp:ModifyDate>`,
        ]
      : []),
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ];
  return lines.join('\n');
}

/**
 * The objects changed or added, so that only they are written, as an incremental update after the
 * original bytes (PDF 32000-1 §7.5.6): much faster than writing the whole file again. Something changed
 * that is not an indirect object of its own (never in Chromium's output) makes the whole file written.
 */
class Changes {
  readonly refs = new Map<string, PDFRef>();
  whole = false;
  mark(ref: PDFObject | undefined) {
    if (ref instanceof PDFRef) this.refs.set(ref.toString(), ref);
    else this.whole = true;
  }
}

/** Per page (by reference): the parent tree's array of structure elements by MCID, and its reference. */
type PageMarks = Map<string, { marks: PDFArray; ref: PDFObject | undefined }>;

/** Chromium's tagged PDF, made to meet PDF/UA-1's machine checks (see the top of this file). */
export async function toPdfUa(pdf: Uint8Array, options: PdfUaOptions = {}): Promise<Buffer> {
  // Parsed in one go: by default pdf-lib waits for a timer every 100 objects (a full plan has about
  // a thousand), which on a busy server adds a queue's wait each time and saves nothing.
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  const context = doc.context;
  const catalog = doc.catalog;
  const changes = new Changes();
  const structRoot = catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict);
  const parentTree = numberTree(context, structRoot?.lookupMaybe(PDFName.of('ParentTree'), PDFDict));
  const marksOfPage: PageMarks = new Map();

  for (const page of doc.getPages()) {
    const node = page.node;
    const key = node.lookupMaybe(PDFName.of('StructParents'), PDFNumber)?.asNumber();
    const marksRef = key === undefined ? undefined : parentTree.get(key);
    const marks = marksRef === undefined ? undefined : context.lookup(marksRef);
    if (marks instanceof PDFArray) marksOfPage.set(page.ref.toString(), { marks, ref: marksRef });
    const roleOf = (mcid: number) => {
      if (!(marks instanceof PDFArray) || mcid >= marks.size()) return undefined;
      const elem = marks.lookup(mcid);
      return elem instanceof PDFDict ? name(elem, 'S') : undefined;
    };

    // One content stream per page (Chromium writes one; an array is joined).
    const contents = node.get(PDFName.of('Contents'));
    const streams = (contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : []).map(
      (ref) => ({ ref, stream: context.lookup(ref) }),
    );
    if (!streams.length || streams.some((s) => !(s.stream instanceof PDFRawStream))) continue;
    const decoded = Buffer.concat(
      streams.flatMap((s) => [decodeContent(s.stream as PDFRawStream), Buffer.from('\n')]),
    );
    const { content, artifactMcids } = markArtifacts(decoded, roleOf);
    // zlib rather than pdf-lib's flateStream (pako, in JavaScript): the same Flate data, a fraction of the CPU.
    const fresh = context.stream(zlib.deflateSync(content), { Filter: 'FlateDecode' });
    const first = streams[0]!.ref;
    if (first instanceof PDFRef && streams.length === 1) {
      context.assign(first, fresh);
    } else {
      node.set(PDFName.of('Contents'), context.register(fresh));
      changes.mark(page.ref);
    }
    changes.mark(node.get(PDFName.of('Contents')));

    // The graphics that became artifacts leave the structure tree.
    if (marks instanceof PDFArray && artifactMcids.length) {
      for (const mcid of artifactMcids) {
        const elem = marks.lookup(mcid);
        if (elem instanceof PDFDict) {
          setKids(
            context,
            elem,
            kidsOf(elem).filter((kid) => {
              const mc = markedContentOf(context, elem, kid);
              return !(mc && mc.mcid === mcid && (!mc.page || mc.page.toString() === page.ref.toString()));
            }),
          );
          changes.mark(marks.get(mcid));
        }
        marks.set(mcid, PDFNull);
      }
      changes.mark(marksRef);
    }
  }

  // Every LI is Lbl + LBody.
  if (structRoot) {
    const seen = new Set<PDFObject>();
    const visit = (ref: PDFObject) => {
      const elem = context.lookup(ref);
      if (!(elem instanceof PDFDict) || seen.has(elem)) return;
      seen.add(elem);
      if (name(elem, 'S') === 'LI' && ref instanceof PDFRef) {
        listItemBody(context, ref, elem, marksOfPage, changes);
      }
      for (const kid of kidsOf(elem)) if (kid instanceof PDFRef) visit(kid);
    };
    for (const kid of kidsOf(structRoot)) visit(kid);
  }

  // XMP metadata, consistent with the document information; the catalog says PDF 1.7 (ISO 32000-1).
  const info = context.lookupMaybe(context.trailerInfo.Info, PDFDict);
  const infoText = (key: string) => {
    const value = info?.lookup(PDFName.of(key));
    return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
  };
  const title = options.title ?? infoText('Title') ?? '';
  if (info && options.title !== undefined && infoText('Title') !== title) {
    info.set(PDFName.of('Title'), PDFHexString.fromText(title));
    changes.mark(context.trailerInfo.Info);
  }
  const language = catalog.lookupMaybe(PDFName.of('Lang'), PDFString, PDFHexString)?.decodeText();
  const created = info?.lookupMaybe(PDFName.of('CreationDate'), PDFString)?.decodeDate();
  const xmp = xmpPacket({ title, language, producer: infoText('Producer'), created });
  const metadata = context.register(
    context.stream(Buffer.from(xmp, 'utf8'), { Type: 'Metadata', Subtype: 'XML' }),
  );
  catalog.set(PDFName.of('Metadata'), metadata);
  catalog.set(PDFName.of('Version'), PDFName.of('1.7'));
  const preferences = catalog.get(PDFName.of('ViewerPreferences'));
  const preferencesDict = context.lookup(preferences);
  if (preferencesDict instanceof PDFDict) {
    preferencesDict.set(PDFName.of('DisplayDocTitle'), context.obj(true));
    if (preferences instanceof PDFRef) changes.mark(preferences);
  } else {
    catalog.set(PDFName.of('ViewerPreferences'), context.obj({ DisplayDocTitle: true }));
  }
  changes.mark(metadata);
  changes.mark(context.trailerInfo.Root);

  const update = changes.whole ? null : incrementalUpdate(pdf, context, [...changes.refs.values()]);
  return update ?? Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));
}

const objectBytes = (object: PDFObject) => {
  const bytes = Buffer.alloc(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return bytes;
};

/**
 * The original file with the changed objects appended, a cross-reference section for them and a
 * trailer pointing back to the original one. Null when the original does not end in a classic
 * cross-reference table (then the whole file is written instead).
 */
function incrementalUpdate(original: Uint8Array, context: PDFContext, refs: PDFRef[]): Buffer | null {
  const tail = latin1(original, Math.max(0, original.length - 1024), original.length);
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  const prev = startxref ? Number(startxref[1]) : -1;
  if (prev < 0 || prev >= original.length || latin1(original, prev, prev + 4) !== 'xref') return null;

  const parts: Buffer[] = [Buffer.from(original.buffer, original.byteOffset, original.length)];
  let offset = original.length;
  const push = (bytes: Buffer) => {
    parts.push(bytes);
    offset += bytes.length;
  };
  if (original[original.length - 1] !== 0x0a) push(Buffer.from('\n'));
  let xref = 'xref\n0 1\n0000000000 65535 f \n';
  for (const ref of refs.sort((a, b) => a.objectNumber - b.objectNumber)) {
    const object = context.lookup(ref);
    if (!object) continue;
    const gen = ref.generationNumber;
    xref += `${ref.objectNumber} 1\n${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} n \n`;
    push(Buffer.from(`${ref.objectNumber} ${gen} obj\n`, 'latin1'));
    push(objectBytes(object));
    push(Buffer.from('\nendobj\n', 'latin1'));
  }
  const { Root, Info, ID } = context.trailerInfo;
  const trailer = context.obj({
    Size: context.largestObjectNumber + 1,
    Root: Root!,
    ...(Info ? { Info } : {}),
    ...(ID ? { ID } : {}),
    Prev: prev,
  });
  const xrefAt = offset;
  push(Buffer.from(`${xref}trailer\n`, 'latin1'));
  push(objectBytes(trailer));
  push(Buffer.from(`\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** Gives a list item an LBody: its one body element renamed, or a new LBody holding its other kids. */
function listItemBody(
  context: PDFContext,
  liRef: PDFRef,
  li: PDFDict,
  marksOfPage: PageMarks,
  changes: Changes,
) {
  const kids = kidsOf(li);
  const isLabel = (kid: PDFObject) => {
    const dict = context.lookup(kid);
    return dict instanceof PDFDict && name(dict, 'S') === 'Lbl';
  };
  const body = kids.filter((kid) => !isLabel(kid));
  if (body.length === 0) return;
  const only = body.length === 1 ? context.lookup(body[0]) : undefined;
  if (only instanceof PDFDict && name(only, 'Type') !== 'MCR' && body[0] instanceof PDFRef) {
    const role = name(only, 'S');
    if (role === 'LBody') return;
    if (role === 'NonStruct' || role === 'Span' || role === 'Div' || role === 'P') {
      only.set(PDFName.of('S'), PDFName.of('LBody'));
      changes.mark(body[0]);
      return;
    }
  }
  const lbody = context.obj({ Type: 'StructElem', S: 'LBody', P: liRef });
  const page = li.get(PDFName.of('Pg'));
  if (page) lbody.set(PDFName.of('Pg'), page);
  const lbodyRef = context.register(lbody);
  for (const kid of body) {
    const mc = markedContentOf(context, li, kid);
    if (mc) {
      // Marked content moves to the new element: the parent tree must point there.
      const pageMarks = marksOfPage.get(mc.page?.toString() ?? '');
      if (pageMarks) {
        pageMarks.marks.set(mc.mcid, lbodyRef);
        changes.mark(pageMarks.ref);
      } else changes.whole = true;
      if (kid instanceof PDFNumber && mc.page && !page) lbody.set(PDFName.of('Pg'), mc.page);
    } else {
      const dict = context.lookup(kid);
      if (dict instanceof PDFDict) {
        dict.set(PDFName.of('P'), lbodyRef);
        changes.mark(kid);
      }
    }
  }
  setKids(context, lbody, body);
  setKids(context, li, [...kids.filter(isLabel), lbodyRef]);
  changes.mark(lbodyRef);
  changes.mark(liRef);
}
