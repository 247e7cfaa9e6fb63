/**
 * The printed plan as PDF: its text in reading order (poppler's pdftotext), tagged with headings, lists
 * and tables, with a title, a document language, page numbers and when it was made; never the identity
 * number. And the PDF service: ten prints at once on one browser, a crashed browser replaced, a time
 * limit, a page kept ready in production, a clear error page with the HTML print view when no PDF can be
 * made, the browser closed on shutdown.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { Agent, signIn, testApp, type Response } from './helpers/app.js';
import { idaLogId } from './plan-fixture.js';
import { identityNumbersIn } from './helpers/identity.js';
import { planRepository } from '../src/features/logs/plan-repository.js';
import { PdfError, type PdfStats } from '../src/plugins/pdf.js';
import { createFullPlan } from '../scripts/full-plan.js';

const HOLDER = 'stafettholder@stafett.example';

/** Runs a poppler tool on the PDF and returns its output. */
function poppler(tool: 'pdftotext' | 'pdfinfo', pdf: Buffer, args: string[] = []): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'stafett-print-'));
  try {
    const file = path.join(folder, 'plan.pdf');
    writeFileSync(file, pdf);
    return execFileSync(tool, tool === 'pdftotext' ? [...args, file, '-'] : [file], { encoding: 'utf8' });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

/** Makes a PDF through the route (stored in the archive) and downloads it again. */
async function makePdf(
  agent: Agent,
  logId: number,
  form: Record<string, string> = { reason: 'yearly' },
): Promise<{ made: Response; pdf: Buffer }> {
  await agent.get(`/logs/${logId}/prints`);
  const made = await agent.post(`/logs/${logId}/prints`, form);
  if (made.statusCode !== 303) return { made, pdf: Buffer.alloc(0) };
  const id = /made=(\d+)/.exec(made.headers.location as string)![1];
  const download = await agent.get(`/logs/${logId}/prints/${id}/download`);
  return { made, pdf: download.rawPayload };
}

/** Chromium main processes started by this test process (the browser's helpers are its children). */
function browsersOfThisProcess(): number {
  const out = execFileSync('ps', ['-o', 'comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out.split('\n').filter((name) => /chrom/i.test(name)).length;
}

t.test(
  'the PDF has the plan in reading order, tagged, with title, language, page numbers and time',
  async (t) => {
    const { app, db } = await testApp(t);
    const agent = new Agent(app);
    await signIn(agent, HOLDER);
    const logId = await idaLogId(db);
    const child = await db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('l.id', logId)
      .first('c.national_id', 'c.first_name', 'c.last_name');
    const { made, pdf } = await makePdf(agent, logId);
    t.equal(made.statusCode, 303);
    t.equal(pdf.subarray(0, 5).toString(), '%PDF-');

    const text = flat(poppler('pdftotext', pdf, ['-raw']));
    const tree = await planRepository(db).loadTree(logId, {
      guardiansLabel: 'Foresatte',
      childName: child.first_name,
    });
    const expected: string[] = [];
    for (const concern of tree.filter((c) => c.status === 'active')) {
      expected.push(concern.title, concern.successIndicator);
      for (const goal of concern.goals) {
        expected.push(goal.text);
        for (const measure of goal.measures)
          expected.push(
            measure.text,
            measure.responsible === 'child' ? `Barnet (${measure.responsibleName})` : measure.responsibleName,
          );
      }
    }
    t.ok(expected.length > 10, 'Ida has concerns, goals and measures');
    let at = 0;
    const outOfOrder: string[] = [];
    for (const piece of expected) {
      const found = text.indexOf(flat(piece), at);
      if (found < 0) outOfOrder.push(piece);
      else at = found + flat(piece).length;
    }
    t.same(outOfOrder, [], 'concerns, goals, measures and responsible parties come in reading order');
    t.notOk(text.includes(child.national_id), 'the identity number is not in the PDF');
    t.same(identityNumbersIn(text), [], 'nothing that looks like an identity number');
    t.match(text, /Side 1 av \d+/, 'page numbers');
    t.match(
      text,
      /Laget \d{1,2}\. \w+ \d{4} kl\. \d{2}:\d{2} av Helga Nilsen/,
      'when it was made, and by whom',
    );
    t.match(text, /Samtykke .*Gyldig til/, 'consent status');
    t.match(text, /Helga Nilsen, Nordbyen helsestasjon/, 'holder and unit');

    const info = poppler('pdfinfo', pdf);
    t.match(
      info,
      new RegExp(`^Title:\\s+Stafettlogg for ${child.first_name} ${child.last_name}$`, 'm'),
      'a title',
    );
    t.match(info, /^Tagged:\s+yes$/m, 'tagged');
    const raw = pdf.toString('latin1');
    t.match(raw, /\/Lang \(nb\)/, 'document language nb');
    for (const tag of ['H1', 'H2', 'H3', 'L', 'LI', 'Table', 'TR', 'TH', 'TD']) {
      t.match(raw, new RegExp(`/S /${tag}\\b`), `structure element ${tag}`);
    }

    // In English when the reader uses English.
    await agent.post('/language', { lang: 'en', returnTo: `/logs/${logId}/prints` });
    const english = await makePdf(agent, logId);
    t.match(english.pdf.toString('latin1'), /\/Lang \(en\)/, 'document language en');
    t.match(flat(poppler('pdftotext', english.pdf, ['-raw'])), /Page 1 of \d+/);
    // The switch stores the choice with the holder's account; the other tests in this file read bokmål.
    await agent.post('/language', { lang: 'nb', returnTo: `/logs/${logId}/prints` });
  },
);

t.test('a full plan prints on several numbered pages', async (t) => {
  const { app, db } = await testApp(t);
  const logId = await createFullPlan(db);
  const agent = new Agent(app);
  await signIn(agent, HOLDER);
  const { pdf } = await makePdf(agent, logId);
  const pages = Number(/^Pages:\s+(\d+)$/m.exec(poppler('pdfinfo', pdf))![1]);
  t.ok(pages > 1, `${pages} pages`);
  const text = flat(poppler('pdftotext', pdf, ['-raw']));
  t.match(text, new RegExp(`Side ${pages} av ${pages}`));
  t.match(text, /Tiltak 30:/, 'the last measure is there');
});

t.test(
  'the margins: 20 mm with a header and footer, 15 mm without, and a document’s own @page rule wins',
  async (t) => {
    const { app } = await testApp(t);
    const document = (style: string) =>
      `<!DOCTYPE html><html lang="nb"><head><title>Plan</title><style>body, h1 { margin: 0 } ${style}</style></head><body><h1>Planen</h1></body></html>`;
    /** Where the heading's text begins on page 1, in mm from the top (poppler's bounding boxes). */
    const top = async (style: string, options: Parameters<typeof app.pdf.render>[1]) => {
      const pdf = await app.pdf.render({ html: document(style) }, options);
      const bbox = poppler('pdftotext', pdf, ['-bbox', '-f', '1', '-l', '1']);
      return (Number(/yMin="([\d.]+)"[^>]*>Planen</.exec(bbox)![1]) / 72) * 25.4;
    };
    const bands = {
      header: 'Plan for Ida',
      footer: { left: 'Laget i dag', pages: 'Side {page} av {total}' },
    };
    const plain = await top('', {});
    const withBands = await top('', bands);
    const own = await top('@page { margin: 30mm 15mm }', bands);
    t.ok(
      Math.abs(withBands - plain - 5) < 0.5,
      `a header and footer add 5 mm at the top (${(withBands - plain).toFixed(1)})`,
    );
    t.ok(
      Math.abs(own - withBands - 10) < 0.5,
      `the document’s 30 mm win over 20 mm (${(own - withBands).toFixed(1)})`,
    );
  },
);

t.test('ten prints started at once all succeed, on one browser', async (t) => {
  const { app, db } = await testApp(t);
  const logId = await idaLogId(db);
  const agent = new Agent(app);
  await signIn(agent, HOLDER);
  await agent.get(`/logs/${logId}/prints`);
  const before = Number(
    (await db('archive_prints').where({ log_id: logId }).count<{ count: number }[]>('* as count'))[0]!.count,
  );
  const answers = await Promise.all(
    Array.from({ length: 10 }, () => agent.post(`/logs/${logId}/prints`, { reason: 'yearly' })),
  );
  t.same(
    answers.map((a) => a.statusCode),
    Array(10).fill(303),
    'all ten made',
  );
  const after = Number(
    (await db('archive_prints').where({ log_id: logId }).count<{ count: number }[]>('* as count'))[0]!.count,
  );
  t.equal(after - before, 10, 'ten archive records');
  const stats = app.pdf.stats();
  t.equal(stats.launches, 1, 'one browser launched');
  t.ok(stats.pagesBusy + stats.pagesIdle <= 3, 'a small pool of pages');
  t.equal(stats.queued, 0, 'nobody left waiting');
  t.equal(browsersOfThisProcess(), 1, 'the process holds one browser');

  // A crashed browser is replaced on the next print.
  process.kill(stats.browserPid!, 'SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 200));
  const again = await agent.post(`/logs/${logId}/prints`, { reason: 'yearly' });
  t.equal(again.statusCode, 303, 'printing works after a crash');
  t.equal(app.pdf.stats().launches, 2, 'a new browser was started');
  t.equal(browsersOfThisProcess(), 1, 'still one browser');

  // A print over its time limit fails clearly, and the next one works.
  await t.rejects(
    app.pdf.render(
      { html: '<!DOCTYPE html><html lang="nb"><title>x</title><p>x</p></html>' },
      { timeoutMs: 1 },
    ),
    new PdfError('timeout', ''),
  );
  t.equal(
    (await agent.post(`/logs/${logId}/prints`, { reason: 'yearly' })).statusCode,
    303,
    'printing works after a timeout',
  );

  // Closed with the app.
  const pid = app.pdf.stats().browserPid!;
  await app.close();
  const alive = (() => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  })();
  t.notOk(alive, 'the browser is gone after the app closed');
});

/** Waits (up to 20 s) until the PDF service's stats pass the check. */
async function statsUntil(app: Awaited<ReturnType<typeof testApp>>['app'], ok: (s: PdfStats) => boolean) {
  for (let i = 0; i < 200 && !ok(app.pdf.stats()); i += 1) await new Promise((r) => setTimeout(r, 100));
  return app.pdf.stats();
}

t.test('warming the PDF service while it warms up waits for that warm-up', async (t) => {
  const { app } = await testApp(t, {
    NODE_ENV: 'production',
    SESSION_KEY: 'ab'.repeat(32),
    IDENTITY_KEY: 'cd'.repeat(32),
    SECURE_COOKIES: 'false',
  });
  // The app started warming with its start; a caller asking again gets that same warm-up.
  await app.pdf.warm();
  const stats = app.pdf.stats();
  t.equal(stats.pagesIdle, 1, 'a page is ready when warm() resolves');
  t.equal(stats.launches, 1, 'on the one browser the app started');
  t.equal(stats.pagesOpened, 1, 'no second page was opened');
});

t.test('in production one page is kept ready: at start, and again after a crash', async (t) => {
  const { app, db } = await testApp(t, {
    NODE_ENV: 'production',
    SESSION_KEY: 'ab'.repeat(32),
    IDENTITY_KEY: 'cd'.repeat(32),
    SECURE_COOKIES: 'false',
  });
  const ready = await statsUntil(app, (s) => s.pagesIdle === 1);
  t.equal(ready.launches, 1, 'the browser started with the app, before any print');
  t.equal(ready.pagesOpened, 1, 'with one page open');
  t.equal(ready.rendered, 0, 'nothing printed yet');

  const agent = new Agent(app);
  await signIn(agent, HOLDER);
  const logId = await idaLogId(db);
  const { made, pdf } = await makePdf(agent, logId);
  t.equal(made.statusCode, 303, 'a print is made');
  t.match(pdf.subarray(0, 5).toString(), '%PDF-');
  const after = app.pdf.stats();
  t.equal(after.pagesOpened, 1, 'on the page that was ready: no page was opened for it');
  t.equal(after.launches, 1);
  t.equal(after.pagesIdle, 1, 'and the page is ready again');

  process.kill(after.browserPid!, 'SIGKILL');
  const again = await statsUntil(app, (s) => s.launches === 2 && s.pagesIdle === 1);
  t.equal(again.launches, 2, 'after a crash a new browser starts without waiting for a print');
  t.equal(again.pagesIdle, 1, 'with a page ready');
  t.equal(browsersOfThisProcess(), 1, 'one browser');
});

t.test(
  'when no PDF can be made: a clear error page with the HTML print view, and the meeting still closes',
  async (t) => {
    const { app, db } = await testApp(t, { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' });
    const logId = await idaLogId(db);
    const agent = new Agent(app);
    await signIn(agent, HOLDER);
    const { made } = await makePdf(agent, logId);
    t.equal(made.statusCode, 503);
    t.match(made.body, /<h1[^>]*>PDF-en kunne ikke lages<\/h1>/);
    t.match(made.body, new RegExp(`href="/logs/${logId}/print"`), 'offers the HTML print view');
    t.equal((await agent.get(`/logs/${logId}/print`)).statusCode, 200, 'which works');

    const [meeting] = await db('meetings')
      .insert({
        log_id: logId,
        starts_at: new Date(),
        purpose: 'Oppfølging',
        status: 'running',
        current_phase: 'closing',
        started_at: new Date(),
        created_by: (await db('users').where({ email: HOLDER }).first('id')).id,
      })
      .returning('id');
    await agent.get(`/logs/${logId}/meetings/${meeting.id}/close`);
    const closed = await agent.post(`/logs/${logId}/meetings/${meeting.id}/close`);
    t.equal(closed.statusCode, 303);
    t.equal(
      (await db('meetings').where({ id: meeting.id }).first('status')).status,
      'closed',
      'the meeting is closed',
    );
    const page = await agent.follow(closed);
    t.match(page.body, /PDF-en kunne ikke lages nå/);
    t.match(
      page.body,
      new RegExp(`href="/logs/${logId}/print\\?meeting=${meeting.id}"`),
      'the HTML print view of the meeting',
    );
    t.match(
      page.body,
      new RegExp(`action="/logs/${logId}/meetings/${meeting.id}/print"`),
      'and a way to try again',
    );
  },
);
