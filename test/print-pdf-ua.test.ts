/**
 * The printed plan meets PDF/UA-1's machine checks, read back with pdf.js as a checker reads it: every
 * piece of content is tagged or an artifact; the running header and footer are artifacts; table rules
 * are artifacts (no table or row owns content of its own); every list item is Lbl + LBody; XMP metadata
 * names pdfuaid:part 1 and the title. For the yearly print and the meeting print, which also carry the
 * meeting's purpose and each concern's maintaining factors.
 */
import t, { type Test } from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { readPdfStructure, type PdfStructure } from './helpers/pdf-structure.js';
import { idaLogId } from './plan-fixture.js';

const HOLDER = 'stafettholder@stafett.example';
const PURPOSE = 'Vi ser på hvordan morgenene går, og avtaler neste steg for skolen.';

/** Makes a PDF through the route (stored in the archive) and downloads it again. */
async function makePdf(agent: Agent, logId: number, form: Record<string, string>): Promise<Buffer> {
  await agent.get(`/logs/${logId}/prints`);
  const made = await agent.post(`/logs/${logId}/prints`, form);
  if (made.statusCode !== 303) throw new Error(`print answered ${made.statusCode}`);
  const id = /made=(\d+)/.exec(made.headers.location as string)![1];
  return (await agent.get(`/logs/${logId}/prints/${id}/download`)).rawPayload;
}

function expectPdfUa(t: Test, pdf: PdfStructure, title: RegExp) {
  t.same(pdf.untagged, [], 'no content is left neither tagged nor artifact');
  t.match(pdf.artifactText, title, 'the running header (the title) is an artifact');
  t.match(pdf.artifactText, new RegExp(`Side 1 av ${pdf.pages}`), 'the page numbers are artifacts');
  t.match(pdf.artifactText, /Laget \d{1,2}\. \w+ \d{4}/, 'when it was made, in the footer, is an artifact');
  t.notMatch(pdf.taggedText, /Side \d+ av \d+/, 'the footer is not tagged text');

  const roles = new Set(pdf.roles.map((e) => e.role));
  for (const role of ['Document', 'H1', 'H2', 'H3', 'L', 'LI', 'Lbl', 'LBody', 'Table', 'TR', 'TH', 'TD']) {
    t.ok(roles.has(role), `structure element ${role}`);
  }
  const items = pdf.roles.filter((e) => e.role === 'LI');
  t.ok(items.length > 5, `${items.length} list items`);
  t.same(
    items.filter(
      (li) => !li.children.includes('LBody') || li.children.some((c) => c !== 'Lbl' && c !== 'LBody'),
    ),
    [],
    'every list item is Lbl + LBody',
  );
  t.same(
    pdf.roles.filter(
      (e) => ['Table', 'TR', 'THead', 'TBody', 'L'].includes(e.role) && e.children.includes('content'),
    ),
    [],
    'tables, rows and lists own no content of their own (their rules are artifacts)',
  );

  t.equal(pdf.xmp.get('pdfuaid:part'), '1', 'XMP names PDF/UA-1');
  t.match(pdf.xmp.get('dc:title') ?? '', title, 'XMP has the title');
  t.equal(pdf.xmp.get('dc:title'), pdf.info.Title, 'the same title as the document information');
  t.equal(pdf.xmp.get('dc:language'), 'nb', 'XMP has the language');
  t.equal(pdf.info.Language, 'nb', 'the document language');
}

t.test(
  'the yearly print is PDF/UA-1: artifacts, Lbl + LBody, XMP; maintaining factors included',
  async (t) => {
    const { app, db } = await testApp(t);
    const agent = new Agent(app);
    await signIn(agent, HOLDER);
    const logId = await idaLogId(db);
    const pdf = await readPdfStructure(await makePdf(agent, logId, { reason: 'yearly' }));
    expectPdfUa(t, pdf, /Stafettlogg for Ida Hagen/);
    t.match(pdf.taggedText, /Opprettholdende faktorer/, 'the maintaining factors have a heading');
    t.match(
      pdf.taggedText,
      /Barnets forståelse av verden: Ida tror at de andre i klassen ikke liker henne\./,
      'and each factor is printed with its name',
    );
    t.match(pdf.taggedText, /Faktorer hjemme: Mor går tidlig på jobb/);
    t.ok(
      pdf.roles.some((e) => e.role === 'H3') && /Opprettholdende faktorer/.test(pdf.taggedText),
      'maintaining factors are part of the tagged plan',
    );
  },
);

t.test('the meeting print is PDF/UA-1 and carries the meeting’s purpose', async (t) => {
  const { app, db } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, HOLDER);
  const logId = await idaLogId(db);
  const holder = await db('users').where({ email: HOLDER }).first('id');
  const [meeting] = await db('meetings')
    .insert({
      log_id: logId,
      starts_at: new Date(),
      purpose: PURPOSE,
      agreements: 'Mor følger Ida til skolen på mandager.',
      status: 'closed',
      created_by: holder.id,
    })
    .returning('id');
  const pdf = await readPdfStructure(
    await makePdf(agent, logId, { reason: 'meeting', meetingId: String(meeting.id) }),
  );
  expectPdfUa(t, pdf, /Stafettlogg for Ida Hagen/);
  t.match(pdf.taggedText, /Formålet med møtet/, 'the purpose has a heading');
  t.match(pdf.taggedText, PURPOSE, 'the meeting’s purpose is printed');
  t.match(pdf.taggedText, /Mor følger Ida til skolen på mandager/, 'and the agreements');
});

t.test('the running header, the footer and the title print any text as it is', async (t) => {
  const { app } = await testApp(t);
  const header = 'Plan for «Ida» "Kim" O\'Hara \\ </style><h1>Inne</h1>';
  const pdf = await readPdfStructure(
    await app.pdf.render(
      {
        html: '<!DOCTYPE html><html lang="nb"><head><title>Plan for Åse Ærø «Kim» &amp; co</title></head><body><h1>Planen</h1></body></html>',
      },
      { header, footer: { left: 'Laget "i dag"', pages: 'Side {page} av {total}' } },
    ),
  );
  t.same(pdf.untagged, [], 'no content is left neither tagged nor artifact');
  t.ok(pdf.artifactText.includes(header), 'the header, character for character');
  t.ok(pdf.artifactText.includes('Laget "i dag"'), 'the footer, character for character');
  t.ok(pdf.artifactText.includes('Side 1 av 1'), 'the page number and count');
  t.equal(pdf.taggedText.trim(), 'Planen', 'the document is the only tagged text');
  t.equal(pdf.info.Title, 'Plan for Åse Ærø «Kim» & co', 'the title, from the document');
  t.equal(pdf.xmp.get('dc:title'), pdf.info.Title, 'and the same in the XMP metadata');
});
