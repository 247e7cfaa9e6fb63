/**
 * A Danish installation (COUNTRY=DK), against its own demo data (seeds/dk/): the seed loads a Danish
 * municipality with barnets plan logs and valid CPR numbers; its pages render in Danish; the create-log
 * form takes CPR numbers and refuses wrong ones next to the field with the typed text back; a new log
 * is a barnets plan (an ungeplan from 16); and the plan prints as a Danish PDF (document language da).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { Agent, sharedDatabase, signIn, testApp, type Teardown } from './helpers/app.js';
import { resetDemoData } from '../src/db/demo.js';
import { identityNumbers } from '../src/lib/national-id.js';
import { catalogue } from '../src/i18n/index.js';
import { CONCERN_CATEGORY_CODES } from '../src/domain/categories.js';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import { DEMO_ACCOUNTS } from '../seeds/dk/01_organisation.js';

const today = osloDate(new Date());
const denmark = identityNumbers('DK');

/** This file's database with the Danish demo data instead of the Norwegian (once per file). */
let seeded: Promise<void> | undefined;
async function danishApp(t: Teardown, overrides: Record<string, string> = {}) {
  const database = await sharedDatabase();
  seeded ??= resetDemoData(database.db, 'DK');
  await seeded;
  return testApp(t, { COUNTRY: 'DK', ...overrides });
}

async function as(t: Teardown, email: string) {
  const made = await danishApp(t);
  const agent = new Agent(made.app);
  await signIn(agent, email);
  return { ...made, agent };
}

async function logIdOf(db: Awaited<ReturnType<typeof danishApp>>['db'], firstName: string): Promise<number> {
  const row = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', firstName)
    .first('l.id');
  return row.id as number;
}

function logForm(overrides: Record<string, string> = {}): Record<string, string> {
  const given = isoToParts(today);
  const until = isoToParts(addDays(today, 365));
  return {
    childNationalId: '030216-4987',
    childFirstName: 'Freja',
    childLastName: 'Testsen',
    guardian1Name: 'Trine Testsen',
    guardian1Email: 'trine.testsen@example.com',
    planType: 'barnets_plan',
    level: '1',
    consentBy: 'guardians',
    consentName: 'Trine Testsen',
    'consentGivenOn-day': given.day,
    'consentGivenOn-month': given.month,
    'consentGivenOn-year': given.year,
    'consentValidUntil-day': until.day,
    'consentValidUntil-month': until.month,
    'consentValidUntil-year': until.year,
    consentServices: 'health_station',
    consentConfirmed: 'yes',
    startupNote: 'Freja er ked af at gå i skole.',
    ...overrides,
  };
}

/** The text inside the field's error message element. */
function fieldError(html: string, id: string): string {
  const match = new RegExp(`id="${id}-error"[^>]*>([\\s\\S]*?)</p>`).exec(html);
  return match
    ? match[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim()
    : '';
}

t.test(
  'the Danish seed: a Danish municipality, its units, barnets plan logs and valid CPR numbers',
  async (t) => {
    const { db } = await danishApp(t);
    t.same(await db('municipalities').pluck('name'), ['Skovby Kommune']);
    t.same(
      (await db('units').orderBy('name').select('name', 'kind')).map((u) => `${u.name} (${u.kind})`),
      [
        'Børne- og Familieafdelingen (child_welfare)',
        'Børnehuset Solsikken (kindergarten)',
        'PPR Skovby (ppt)',
        'Skovby Skole (school)',
        'Sundhedsplejen Skovby (health_station)',
      ],
    );
    const logs = await db('logs').pluck('plan_type');
    t.ok(logs.length >= 5, `${logs.length} demo logs`);
    t.same([...new Set(logs)], ['barnets_plan'], 'every demo log is a barnets plan');
    const children = await db('children').select('national_id', 'birth_date');
    for (const child of children) {
      t.equal(
        denmark.problem(child.national_id),
        null,
        `${child.national_id.slice(0, 6)}… is a valid CPR number`,
      );
      t.equal(denmark.birthDate(child.national_id, today), child.birth_date, 'its date is the birth date');
    }
    const masked = await db('users').whereNotNull('national_id_masked').pluck('national_id_masked');
    t.ok(masked.length >= 10);
    t.ok(
      masked.every((m: string) => /^\d{6}-\*{4}$/.test(m)),
      'adults have masked CPR numbers',
    );
    const concerns = await db('concerns').pluck('title');
    t.ok(
      concerns.some((c: string) => /Ida er væk fra skolen/.test(c)),
      'the texts are Danish',
    );
    t.ok(DEMO_ACCOUNTS.length >= 7, 'npm start has demo accounts to print');
  },
);

t.test('text written without a request (e-mails, prints) also says CPR number', async (t) => {
  const { app } = await danishApp(t);
  for (const locale of ['da', 'en'] as const)
    t.equal(
      app.translator(locale)('nationalId.empty'),
      catalogue(locale)['cpr.empty'],
      `${locale}: the CPR wording`,
    );
  const norway = await testApp(t);
  t.equal(norway.app.translator('en')('nationalId.empty'), catalogue('en')['nationalId.empty']);
});

t.test('the Danish demo’s concern categories are built-in ones, read in the reader’s language', async (t) => {
  const { agent, db } = await as(t, 'stafettholder@stafett.example');
  const categories = await db('concern_categories').orderBy('position').select('code', 'label');
  t.same(
    categories.filter((c) => c.code).map((c) => c.code),
    CONCERN_CATEGORY_CODES.filter((code) => code !== 'school_environment'),
    'the built-in codes (Denmark has no § 12-4 school environment category)',
  );
  const logId = await logIdOf(db, 'Ida');
  const concern = await db('concerns as c')
    .join('concern_categories as k', 'k.id', 'c.category_id')
    .where('c.log_id', logId)
    .whereNotNull('k.code')
    .first('k.code', 'k.label');
  t.ok(concern, 'Ida has a concern with a built-in category');
  // The choice is stored with the account: the other tests in this file read the pages in Danish.
  t.teardown(() => db('users').update({ locale: null }));
  await agent.post('/language', { lang: 'en', returnTo: '/' });
  const page = await agent.get(`/logs/${logId}`);
  t.match(page.body, `>${catalogue('en')[`category.${concern.code}`]}</span>`, 'in English');
  t.notMatch(page.body, `>${concern.label}</span>`, 'not the Danish label');
});

t.test('the pages of the Danish demo render in Danish for each role', async (t) => {
  const pages: [
    email: string,
    paths: (db: Awaited<ReturnType<typeof danishApp>>['db']) => Promise<string[]>,
  ][] = [
    [
      'stafettholder@stafett.example',
      async (db) => [
        '/',
        '/logs',
        `/logs/${await logIdOf(db, 'Ida')}`,
        `/logs/${await logIdOf(db, 'Lise')}`,
        '/logs/new',
      ],
    ],
    ['raadgiver@stafett.example', async (db) => ['/logs', `/logs/${await logIdOf(db, 'Mikkel')}`]],
    ['leder@stafett.example', async () => ['/', '/unit']],
    ['aktor@stafett.example', async () => ['/actor']],
    ['foresatt@stafett.example', async () => ['/', '/family']],
    ['ungdom@stafett.example', async () => ['/', '/family']],
  ];
  for (const [email, paths] of pages) {
    const { agent, db } = await as(t, email);
    for (const url of await paths(db)) {
      const first = await agent.get(url);
      const page = first.statusCode === 303 ? await agent.follow(first) : first;
      t.equal(page.statusCode, 200, `${email} ${url}`);
      t.match(page.body, /<html lang="da">/, `${url} is in Danish`);
      t.notMatch(page.body, /\b\d{6}-?\d{4}\b/, `${url} shows no CPR number`);
    }
  }
});

t.test('barnets plan, and an ungeplan from 16', async (t) => {
  const { agent, db } = await as(t, 'stafettholder@stafett.example');
  const ida = await agent.get(`/logs/${await logIdOf(db, 'Ida')}`);
  t.match(ida.body, /<span class="caption">Barnets plan<\/span> Ida Madsen/);
  const list = await agent.get('/logs');
  t.match(list.body, /Barnets plan/);

  const adviser = await as(t, 'raadgiver@stafett.example');
  const mikkel = await adviser.agent.get(`/logs/${await logIdOf(db, 'Mikkel')}`);
  t.match(mikkel.body, /<span class="caption">Ungeplan<\/span> Mikkel Olsen/, 'Mikkel is 16: an ungeplan');
  t.match((await adviser.agent.get('/logs')).body, /Ungeplan/);
  const transfer = await adviser.agent.get(`/logs/${await logIdOf(db, 'Mikkel')}/transfer`);
  t.equal(transfer.statusCode, 200);
  t.match(transfer.body, /summary-list__value">Ungeplan</, 'the summary on the transfer page');

  const leader = await as(t, 'leder@stafett.example');
  const first = await leader.agent.get('/unit');
  const overview = first.statusCode === 303 ? await leader.agent.follow(first) : first;
  t.match(overview.body, /<td>Barnets plan<\/td>/, "the school's overview: Ella's and Noah's plans");
});

t.test('the create-log form asks for a CPR number and starts as a barnets plan', async (t) => {
  const { agent } = await as(t, 'stafettholder@stafett.example');
  const page = await agent.get('/logs/new');
  t.equal(page.statusCode, 200);
  t.match(page.body, /<label[^>]*for="childNationalId"[^>]*>\s*CPR-nummer \(10 cifre\)/);
  t.match(
    page.body,
    /name="planType" type="radio" value="barnets_plan" checked|value="barnets_plan"[^>]*checked/,
  );
  t.notMatch(page.body, /[Ff]ødselsnummer/);
});

t.test('wrong CPR numbers are refused next to the field, with the typed text back', async (t) => {
  const { agent, db } = await as(t, 'stafettholder@stafett.example');
  await agent.get('/logs/new');
  const before = Number((await db('logs').count<{ count: number }[]>('* as count').first())!.count);
  const cases: [typed: string, message: RegExp][] = [
    ['310223-1234', /CPR-nummeret begynder ikke med en gyldig fødselsdato/],
    ['290200-1234', /CPR-nummeret begynder ikke med en gyldig fødselsdato/], // 1900 was no leap year
    ['030216498', /CPR-nummeret skal have 10 cifre/],
    ['03021649871', /CPR-nummeret skal have 10 cifre/],
    ['03O216-4987', /CPR-nummeret kan kun indeholde tal og én bindestreg/],
    ['0302-164987', /Skriv CPR-nummeret som DDMMÅÅ-XXXX/],
    ['', /Skriv CPR-nummeret/],
  ];
  for (const [typed, message] of cases) {
    const response = await agent.post('/logs', logForm({ childNationalId: typed }));
    t.equal(response.statusCode, 422, `"${typed}": 422`);
    t.match(response.body, /<title>Fejl: /);
    t.match(response.body, /href="#childNationalId"/, 'the summary links to the field');
    t.match(
      fieldError(response.body, 'childNationalId'),
      message,
      `"${typed}": the message next to the field`,
    );
    t.match(response.body, /aria-invalid="true"/);
    if (typed) t.match(response.body, `value="${typed}"`, 'the typed number comes back');
    t.match(response.body, /value="Freja"/, 'the rest of the form comes back');
  }
  const guardian = await agent.post('/logs', logForm({ guardian1NationalId: '150385-12345' }));
  t.equal(guardian.statusCode, 422);
  t.match(fieldError(guardian.body, 'guardian1NationalId'), /CPR-nummeret skal have 10 cifre/);
  const after = Number((await db('logs').count<{ count: number }[]>('* as count').first())!.count);
  t.equal(after, before, 'no log was made');
});

t.test('a valid CPR number (hyphen or not) creates the log, stored as ten digits', async (t) => {
  const { agent, db } = await as(t, 'stafettholder@stafett.example');
  await agent.get('/logs/new');
  const created = await agent.post(
    '/logs',
    logForm({ childNationalId: '0302164987', guardian1NationalId: '150385-1234' }),
  );
  t.equal(created.statusCode, 303);
  const child = await db('children').where({ first_name: 'Freja' }).first('id', 'national_id', 'birth_date');
  t.equal(child.national_id, '0302164987');
  t.equal(child.birth_date, '2016-02-03', 'the birth date from the CPR number (7th digit 4: the 2000s)');
  const log = await db('logs').where({ child_id: child.id }).first('plan_type');
  t.equal(log.plan_type, 'barnets_plan');
  const guardian = await db('users')
    .where({ email: 'trine.testsen@example.com' })
    .first('national_id_masked');
  t.equal(guardian.national_id_masked, '150385-****');

  await agent.get('/logs/new');
  const again = await agent.post(
    '/logs',
    logForm({ childNationalId: '030216-4987', childFirstName: 'Freja' }),
  );
  t.equal(again.statusCode, 422, 'with the hyphen it is the same child, who has a log already');
  t.match(again.body, /href="#childNationalId"/);
});

/** Runs a poppler tool on the PDF and returns its output. */
function pdftotext(pdf: Buffer): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'stafett-dk-print-'));
  try {
    const file = path.join(folder, 'plan.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

t.test('a barnets plan created and printed in Danish: the PDF text is Danish, its language da', async (t) => {
  const { agent, db } = await as(t, 'stafettholder@stafett.example');
  await agent.get('/logs/new');
  const created = await agent.post(
    '/logs',
    logForm({ childNationalId: '120914-4321', childFirstName: 'Signe', childLastName: 'Holm' }),
  );
  t.equal(created.statusCode, 303);
  const logId = Number(/\/logs\/(\d+)/.exec(created.headers.location as string)![1]);
  await agent.get(`/logs/${logId}`);
  const concern = await agent.post(`/logs/${logId}/concerns`, {
    title: 'Signe kommer for sent i skole tre dage om ugen.',
    successIndicator: 'Signe er i skole til tiden hver dag i fire uger.',
  });
  t.ok([303, 200].includes(concern.statusCode), `concern added (${concern.statusCode})`);

  await agent.get(`/logs/${logId}/prints`);
  const made = await agent.post(`/logs/${logId}/prints`, { reason: 'yearly' });
  t.equal(made.statusCode, 303);
  const id = /made=(\d+)/.exec(made.headers.location as string)![1];
  const pdf = (await agent.get(`/logs/${logId}/prints/${id}/download`)).rawPayload;
  t.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  t.match(pdf.toString('latin1'), /\/Lang \(da\)/, 'document language da');
  const text = pdftotext(pdf);
  t.match(text, /Barnets plan for Signe Holm/, 'the title in Danish');
  t.match(text, /Planskabelon/, 'the labels in Danish');
  t.match(text, /Signe kommer for sent i skole/, 'the concern');
  t.notMatch(text, /Planmal|Stafettlogg|Foresatte/, 'no bokmål');
  t.notMatch(text, /1209144321|120914-4321/, 'no CPR number');
  const child = await db('children').where({ first_name: 'Signe' }).first('birth_date');
  t.equal(child.birth_date, '2014-09-12');
});
