/**
 * Reads a PDF the way an accessibility checker does, with pdf.js: the structure tree of every page, the
 * text inside tagged content and inside artifacts, painting done outside both, the document information
 * and the XMP metadata.
 *
 *   const pdf = await readPdfStructure(bytes);
 *   pdf.roles;            // every structure element, depth first: [{ role: 'H1', children: ['NonStruct'] }, …]
 *   pdf.untagged;         // painting operators outside marked content (PDF/UA: must be none)
 *   pdf.artifactText;     // text marked as artifact (running header and footer)
 *   pdf.xmp.get('pdfuaid:part');
 */

interface StructNode {
  role?: string;
  type?: string;
  id?: string;
  children?: StructNode[];
}

export interface StructElement {
  role: string;
  /** Roles of the child elements, 'content' for marked content. */
  children: string[];
}

export interface PdfStructure {
  pages: number;
  /** Every structure element of every page, depth first. */
  roles: StructElement[];
  /** Text inside tagged (MCID) content, in content order. */
  taggedText: string;
  /** Text inside artifacts. */
  artifactText: string;
  /** Painting operators (text, paths, images) outside any marked content, with the page number. */
  untagged: { page: number; op: string }[];
  info: Record<string, unknown>;
  xmp: Map<string, string>;
}

/** pdf.js draws these: text shown, paths painted, images and shadings. */
const PAINTING = [
  'showText',
  'showSpacedText',
  'nextLineShowText',
  'nextLineSetSpacingShowText',
  'fill',
  'eoFill',
  'stroke',
  'fillStroke',
  'eoFillStroke',
  'closeStroke',
  'closeFillStroke',
  'closeEOFillStroke',
  'shadingFill',
  'paintXObject',
  'paintImageXObject',
  'paintInlineImageXObject',
  'paintImageMaskXObject',
  'paintFormXObjectBegin',
  'rawFillPath',
] as const;

export async function readPdfStructure(pdf: Uint8Array): Promise<PdfStructure> {
  const { getDocument, OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0, isEvalSupported: false }).promise;
  const opName = new Map<number, string>(Object.entries(OPS).map(([k, v]) => [v as number, k]));
  const painting = new Set<number>(PAINTING.map((k) => (OPS as Record<string, number>)[k]!));
  const result: PdfStructure = {
    pages: doc.numPages,
    roles: [],
    taggedText: '',
    artifactText: '',
    untagged: [],
    info: {},
    xmp: new Map(),
  };
  try {
    const walk = (node: StructNode) => {
      if (node.role) {
        result.roles.push({
          role: node.role,
          children: (node.children ?? []).map((c) => c.role ?? c.type ?? '?'),
        });
      }
      for (const child of node.children ?? []) walk(child);
    };
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const tree = (await page.getStructTree()) as StructNode | null;
      if (tree) for (const child of tree.children ?? []) walk(child);

      const text = await page.getTextContent({ includeMarkedContent: true });
      const open: string[] = [];
      for (const item of text.items as { type?: string; tag?: string; id?: string; str?: string }[]) {
        if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') {
          open.push(item.tag === 'Artifact' ? 'artifact' : item.id ? 'tagged' : 'other');
        } else if (item.type === 'endMarkedContent') {
          open.pop();
        } else if (item.str !== undefined) {
          if (open.includes('artifact')) result.artifactText += `${item.str} `;
          else if (open.includes('tagged')) result.taggedText += `${item.str} `;
        }
      }

      const ops = await page.getOperatorList();
      let depth = 0;
      ops.fnArray.forEach((fn, i) => {
        if (fn === OPS.beginMarkedContent || fn === OPS.beginMarkedContentProps) depth++;
        else if (fn === OPS.endMarkedContent) depth--;
        else if (depth === 0) {
          const paintsPath = fn === OPS.constructPath && (ops.argsArray[i] as unknown[])[0] !== OPS.endPath;
          if (painting.has(fn) || paintsPath)
            result.untagged.push({ page: n, op: opName.get(fn) ?? String(fn) });
        }
      });
    }
    const meta = await doc.getMetadata();
    result.info = meta.info as Record<string, unknown>;
    if (meta.metadata) {
      for (const [key, value] of meta.metadata as unknown as Iterable<[string, unknown]>) {
        result.xmp.set(key, String(value));
      }
    }
  } finally {
    await doc.destroy();
  }
  result.taggedText = result.taggedText.replace(/\s+/g, ' ');
  result.artifactText = result.artifactText.replace(/\s+/g, ' ');
  return result;
}
