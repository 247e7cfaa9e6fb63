/** Notes: private notes (only the author, with history and conflicts), log notes with PDF uploads. */
import t from 'tap';
import { Agent, signIn, testApp, type Teardown } from './helpers/app.js';
import type { Db } from '../src/db/knex.js';
import { attachmentDisposition, looksLikePdf, safeFilename } from '../src/features/notes/pdf.js';
import { crossReferenceBomb, multipart, tinyPdf } from './notes-fixtures.js';

const HOLDER = 'stafettholder@stafett.example';
const ACTOR = 'aktor@stafett.example'; // actor in Ida's absence concern only
const GUARDIAN = 'foresatt@stafett.example';
const LEADER = 'leder@stafett.example';

async function idaLog(db: Db) {
  const log = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ida')
    .first('l.id');
  const concerns = await db('concerns').where({ log_id: log.id }).orderBy('position').pluck('id');
  return { logId: log.id as number, absence: concerns[0] as number, mood: concerns[1] as number };
}

async function as(t: Teardown, email: string, env: Record<string, string> = {}) {
  const site = await testApp(t, env);
  const agent = new Agent(site.app);
  await signIn(agent, email);
  return { ...site, agent, ida: await idaLog(site.db) };
}

function token(html: string): string {
  return /name="formToken" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

async function postMultipart(
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  file?: { name: string; type: string; data: Buffer },
) {
  const body = multipart(fields, file);
  return agent.app.inject({
    method: 'POST',
    url,
    headers: { cookie: agent.cookieHeader(), 'content-type': body.contentType },
    payload: body.payload,
  });
}

t.test('PDF checks: by content, safe names, attachment disposition', async (t) => {
  t.ok(looksLikePdf(tinyPdf()));
  t.notOk(
    looksLikePdf(Buffer.from('<html><script>alert(1)</script></html>')),
    'HTML named .pdf is not a PDF',
  );
  t.notOk(looksLikePdf(Buffer.from('%PDF-1.4 but never ends')), 'no %%EOF');
  t.equal(safeFilename('../../etc/passwd'), 'passwd.pdf');
  t.equal(safeFilename('C:\\Users\\Ida\\Møte "referat".PDF'), 'Møte referat.pdf');
  t.equal(safeFilename('\u0000\u0007'), 'vedlegg.pdf');
  t.equal(safeFilename('.hidden.pdf'), 'hidden.pdf');
  t.equal(
    attachmentDisposition('Møte referat.pdf'),
    `attachment; filename="Mote referat.pdf"; filename*=UTF-8''M%C3%B8te%20referat.pdf`,
  );
});

t.test(
  'private notes: only the author sees them; editing keeps every version; a stale save gets 409',
  async (t) => {
    const { agent, app, db } = await as(t, GUARDIAN);
    const page = await agent.get('/notes');
    t.equal(page.statusCode, 200);
    t.match(page.body, /<h1[^>]*>Mine notater<\/h1>/);
    const empty = await agent.post('/notes', { text: '  ', formToken: token(page.body) });
    t.equal(empty.statusCode, 422);
    t.match(empty.body, /href="#note-text"/);
    const created = await agent.post('/notes', {
      text: 'Spør om leksehjelp på neste møte.',
      formToken: token(page.body),
    });
    t.equal(created.statusCode, 303);
    const id = Number(/#note-(\d+)$/.exec(String(created.headers.location))![1]);
    const again = await agent.post('/notes', {
      text: 'Spør om leksehjelp på neste møte.',
      formToken: token(page.body),
    });
    t.equal(again.headers.location, created.headers.location, 'a double submit makes one note');

    const edit = await agent.get(`/notes/${id}/edit`);
    t.equal(edit.statusCode, 200);
    t.match(edit.body, /name="version" value="1"/);
    t.equal(
      (await agent.post(`/notes/${id}`, { text: 'Spør om leksehjelp og skyss.', version: '1' })).statusCode,
      303,
    );
    const stale = await agent.post(`/notes/${id}`, { text: 'Min gamle fane.', version: '1' });
    t.equal(stale.statusCode, 409, 'a save from an old tab does not overwrite');
    t.match(stale.body, /Spør om leksehjelp og skyss\./, 'the saved text is shown');
    t.match(stale.body, /Min gamle fane\./, 'and the typed text is kept');
    t.equal((await db('notes').where({ id }).first()).text, 'Spør om leksehjelp og skyss.');
    const history = await agent.get(`/notes/${id}/history`);
    t.equal(history.statusCode, 200);
    t.match(history.body, /Versjon 2 \(gjeldende\)/);
    t.match(history.body, /Spør om leksehjelp på neste møte\./, 'the first text is kept in the history');

    for (const email of [HOLDER, ACTOR]) {
      const other = new Agent(app);
      await signIn(other, email);
      t.notMatch((await other.get('/notes')).body, /leksehjelp/, `${email} does not see it in their notes`);
      t.equal((await other.get(`/notes/${id}/edit`)).statusCode, 404);
      t.equal((await other.get(`/notes/${id}/history`)).statusCode, 404);
      t.equal((await other.post(`/notes/${id}`, { text: 'x', version: '2' })).statusCode, 404);
      const log = await other.get(`/logs/${(await idaLog(db)).logId}`);
      t.notMatch(log.body, /leksehjelp/, `${email} never sees it on the log page`);
    }
  },
);

t.test(
  'uploads: too large, not a PDF, empty → a clear message and nothing stored; a real PDF is stored',
  async (t) => {
    const { agent, ida, db } = await as(t, HOLDER, { ATTACHMENT_MAX_MB: '1' });
    const form = await agent.get(`/logs/${ida.logId}/notes/new`);
    t.equal(form.statusCode, 200);
    t.match(form.body, /enctype="multipart\/form-data"/);
    const count = async () =>
      Number((await db('note_attachments').count<{ count: number }[]>('* as count').first())!.count);
    const notes = async () =>
      Number(
        (await db('notes').where({ kind: 'log' }).count<{ count: number }[]>('* as count').first())!.count,
      );
    const before = { attachments: await count(), notes: await notes() };
    const fields = (text: string) => ({
      _csrf: agent.csrfToken,
      concernId: String(ida.absence),
      text,
      formToken: token(form.body),
    });

    const big = Buffer.concat([tinyPdf(), Buffer.alloc(1024 * 1024, 0x20)]);
    const tooLarge = await postMultipart(agent, `/logs/${ida.logId}/notes`, fields('Kartlegging vedlagt.'), {
      name: 'stor.pdf',
      type: 'application/pdf',
      data: big,
    });
    t.equal(tooLarge.statusCode, 422);
    t.match(tooLarge.body, /Filen er for stor\. Den kan være høyst 1 MB/);
    t.match(tooLarge.body, /href="#note-file"/);
    t.match(tooLarge.body, /Kartlegging vedlagt\./, 'the typed note comes back');

    const html = await postMultipart(agent, `/logs/${ida.logId}/notes`, fields('Falsk PDF.'), {
      name: 'rapport.pdf',
      type: 'application/pdf',
      data: Buffer.from('<html><body>Ikke en PDF</body></html>'),
    });
    t.equal(html.statusCode, 422);
    t.match(html.body, /Filen er ikke en PDF/);

    const empty = await postMultipart(agent, `/logs/${ida.logId}/notes`, fields('Tom fil.'), {
      name: 'tom.pdf',
      type: 'application/pdf',
      data: Buffer.alloc(0),
    });
    t.equal(empty.statusCode, 422);
    t.match(empty.body, /Filen er tom/);

    t.same(
      { attachments: await count(), notes: await notes() },
      before,
      'nothing stored for the three refused uploads',
    );

    const noToken = await postMultipart(
      agent,
      `/logs/${ida.logId}/notes`,
      { concernId: String(ida.absence), text: 'Uten nøkkel', formToken: token(form.body) },
      { name: 'ok.pdf', type: 'application/pdf', data: tinyPdf() },
    );
    t.equal(noToken.statusCode, 403, 'a multipart POST without a CSRF token is refused');

    const ok = await postMultipart(
      agent,
      `/logs/${ida.logId}/notes`,
      fields('Fraværsoversikt for oktober.'),
      { name: '../Fravær oktober.pdf', type: 'application/octet-stream', data: tinyPdf() },
    );
    t.equal(ok.statusCode, 303);
    const noteId = Number(/#note-(\d+)$/.exec(String(ok.headers.location))![1]);
    const stored = await db('note_attachments').where({ note_id: noteId }).first();
    t.equal(stored.filename, 'Fravær oktober.pdf', 'stored under a safe name');
    t.same(stored.content, tinyPdf(), 'the bytes as uploaded');
    t.equal(await count(), before.attachments + 1);
  },
);

t.test(
  'uploads are read as PDFs: HTML between PDF markers and a cut-off PDF are refused, a printed PDF is stored',
  async (t) => {
    const { agent, ida, db, app } = await as(t, HOLDER);
    const printed = await app.pdf.render({
      html: '<!doctype html><html lang="nb"><head><title>Kartlegging</title></head><body><h1>Fravær</h1><p>Oktober.</p></body></html>',
    });
    t.ok(looksLikePdf(printed), 'the printed PDF passes the cheap first check');
    const half = printed.subarray(0, Math.floor(printed.length / 2));
    const fakes: [string, Buffer][] = [
      [
        'HTML between "%PDF-" and "%%EOF"',
        Buffer.from('%PDF-1.7\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n'),
      ],
      [
        'HTML with a PDF trailer',
        Buffer.from(
          '%PDF-1.4\n<html><body>Ikke en PDF</body></html>\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n',
        ),
      ],
      ['the first half of a PDF, made to end in "%%EOF"', Buffer.concat([half, Buffer.from('\n%%EOF\n')])],
      ['the first half of a PDF', half],
    ];
    const attachments = async () =>
      Number((await db('note_attachments').count<{ count: number }[]>('* as count').first())!.count);
    const before = await attachments();
    for (const [what, data] of fakes) {
      const form = await agent.get(`/logs/${ida.logId}/notes/new`);
      const refused = await postMultipart(
        agent,
        `/logs/${ida.logId}/notes`,
        {
          _csrf: agent.csrfToken,
          concernId: String(ida.absence),
          text: `Vedlegg: ${what}.`,
          formToken: token(form.body),
        },
        { name: 'rapport.pdf', type: 'application/pdf', data },
      );
      t.equal(refused.statusCode, 422, `${what}: refused`);
      t.match(refused.body, /Filen er ikke en PDF/, `${what}: said why`);
      t.match(refused.body, /id="note-file-error"/, `${what}: next to the file field`);
      t.match(refused.body, /Vedlegg: /, `${what}: the typed text comes back`);
    }
    t.equal(await attachments(), before, 'nothing stored');

    const crafted = await postMultipart(
      agent,
      `/logs/${ida.logId}/notes`,
      {
        _csrf: agent.csrfToken,
        concernId: String(ida.absence),
        text: 'Vedlegg laget for å knekke leseren.',
        formToken: token((await agent.get(`/logs/${ida.logId}/notes/new`)).body),
      },
      { name: 'bombe.pdf', type: 'application/pdf', data: crossReferenceBomb(6_000_000) },
    );
    t.equal(crafted.statusCode, 422, 'a file built to exhaust the parser is refused');
    t.match(crafted.body, /Filen kunne ikke leses som PDF/);
    t.match(crafted.body, /Vedlegg laget for å knekke leseren\./, 'the typed text comes back');
    t.equal(await attachments(), before);

    const form = await agent.get(`/logs/${ida.logId}/notes/new`);
    const stored = await postMultipart(
      agent,
      `/logs/${ida.logId}/notes`,
      {
        _csrf: agent.csrfToken,
        concernId: String(ida.absence),
        text: 'Kartlegging vedlagt.',
        formToken: token(form.body),
      },
      { name: 'kartlegging.pdf', type: 'application/pdf', data: printed },
    );
    t.equal(stored.statusCode, 303, 'a PDF the app printed is accepted');
    const noteId = Number(/#note-(\d+)$/.exec(String(stored.headers.location))![1]);
    t.same((await db('note_attachments').where({ note_id: noteId }).first()).content, printed);

    const another = await postMultipart(
      agent,
      `/logs/${ida.logId}/notes/${noteId}/attachments`,
      { _csrf: agent.csrfToken },
      { name: 'falsk.pdf', type: 'application/pdf', data: fakes[0]![1] },
    );
    t.equal(another.statusCode, 422, 'the same check for another attachment on a note');
    t.match(another.body, /Filen er ikke en PDF/);
    t.equal((await db('note_attachments').where({ note_id: noteId })).length, 1);
  },
);

t.test(
  'log notes: the holder writes, those who see the concern read and download (audited), others get 404',
  async (t) => {
    const { agent, ida, db, app } = await as(t, HOLDER);
    const form = await agent.get(`/logs/${ida.logId}/notes/new`);
    const missing = await postMultipart(agent, `/logs/${ida.logId}/notes`, {
      _csrf: agent.csrfToken,
      concernId: '',
      text: '',
      formToken: token(form.body),
    });
    t.equal(missing.statusCode, 422);
    t.match(missing.body, /href="#note-concernId"[\s\S]*href="#note-text"/, 'errors in field order');

    const made: Record<string, number> = {};
    for (const [key, concern] of [
      ['absence', ida.absence],
      ['mood', ida.mood],
    ] as const) {
      const page = await agent.get(`/logs/${ida.logId}/notes/new`);
      const res = await postMultipart(
        agent,
        `/logs/${ida.logId}/notes`,
        {
          _csrf: agent.csrfToken,
          concernId: String(concern),
          text: `Notat om ${key}.`,
          formToken: token(page.body),
        },
        { name: `${key}.pdf`, type: 'application/pdf', data: tinyPdf() },
      );
      t.equal(res.statusCode, 303);
      made[key] = Number(/#note-(\d+)$/.exec(String(res.headers.location))![1]);
    }
    const attachment = async (noteId: number) =>
      (await db('note_attachments').where({ note_id: noteId }).first('id')).id as number;
    const url = (noteId: number, attachmentId: number) =>
      `/logs/${ida.logId}/notes/${noteId}/attachments/${attachmentId}`;
    const absenceFile = url(made.absence!, await attachment(made.absence!));
    const moodFile = url(made.mood!, await attachment(made.mood!));

    const download = await agent.get(absenceFile);
    t.equal(download.statusCode, 200);
    t.equal(download.headers['content-type'], 'application/pdf');
    t.equal(
      download.headers['content-disposition'],
      `attachment; filename="absence.pdf"; filename*=UTF-8''absence.pdf`,
    );
    t.equal(download.headers['x-content-type-options'], 'nosniff');
    t.match(String(download.headers['cache-control']), /no-store/);
    t.same(download.rawPayload, tinyPdf());
    const audited = await db('audit_events').where({ action: 'note_attachment.download', log_id: ida.logId });
    t.equal(audited.length, 1, 'the download is audited');

    const sees = async (email: string) => {
      const other = new Agent(app);
      await signIn(other, email);
      const page = await other.get(`/logs/${ida.logId}`);
      return {
        absence: page.body.includes('Notat om absence.'),
        mood: page.body.includes('Notat om mood.'),
        absenceFile: (await other.get(absenceFile)).statusCode,
        moodFile: (await other.get(moodFile)).statusCode,
        canWrite: (await other.get(`/logs/${ida.logId}/notes/new`)).statusCode,
      };
    };
    t.same(
      await sees(GUARDIAN),
      { absence: true, mood: true, absenceFile: 200, moodFile: 200, canWrite: 404 },
      'the guardian reads both, writes none',
    );
    t.same(
      await sees(ACTOR),
      { absence: true, mood: false, absenceFile: 200, moodFile: 404, canWrite: 404 },
      'the actor only the note of their concern',
    );
    t.same(
      await sees(LEADER),
      { absence: false, mood: false, absenceFile: 404, moodFile: 404, canWrite: 404 },
      "another unit's leader nothing",
    );
    const downloads = await db('audit_events').where({
      action: 'note_attachment.download',
      log_id: ida.logId,
    });
    t.equal(downloads.length, 4, 'every download audited (holder, guardian ×2, actor)');

    const edit = await agent.post(`/logs/${ida.logId}/notes/${made.absence}`, {
      text: 'Notat om fravær, rettet.',
      version: '1',
    });
    t.equal(edit.statusCode, 303);
    const history = await agent.get(`/logs/${ida.logId}/notes/${made.absence}/history`);
    t.match(history.body, /Notat om absence\./);
    const attach = await agent.get(`/logs/${ida.logId}/notes/${made.absence}/attachments/new`);
    t.equal(attach.statusCode, 200);
    const none = await postMultipart(
      agent,
      `/logs/${ida.logId}/notes/${made.absence}/attachments`,
      { _csrf: agent.csrfToken },
      { name: '', type: 'application/octet-stream', data: Buffer.alloc(0) },
    );
    t.equal(none.statusCode, 422);
    t.match(none.body, /Velg en PDF-fil/);
    const second = await postMultipart(
      agent,
      `/logs/${ida.logId}/notes/${made.absence}/attachments`,
      { _csrf: agent.csrfToken },
      { name: 'nr2.pdf', type: 'application/pdf', data: tinyPdf() },
    );
    t.equal(second.statusCode, 303);
    t.equal((await db('note_attachments').where({ note_id: made.absence })).length, 2);
  },
);
