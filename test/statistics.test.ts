/**
 * Statistics routes against a small municipality counted by hand (test/statistics-fixture.ts): every
 * figure of the unit page and the area pages, the small-number rule on real tables, the period's edges,
 * the filters, bad input, the CSV files (parsed back), who may see what, and the audit trail.
 */
import t from 'tap';
import { parse } from 'csv-parse/sync';
import { Agent, createClock, signIn, testApp, type TestApp } from './helpers/app.js';
import { buildStatWorld, STAT_EMAIL, TODAY, type StatWorld } from './statistics-fixture.js';

const decode = (s: string) =>
  s
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();

/** A figure's table as rows of cell texts (header row first). */
function table(html: string, id: string): string[][] {
  const start = html.indexOf(`id="fig-${id}"`);
  if (start < 0) throw new Error(`no figure ${id}`);
  const body = html.slice(start, html.indexOf('</table>', start));
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => decode(cell[1]!)),
  );
}

/** The value column(s) of a row, by its label. */
function row(html: string, id: string, label: string): string[] {
  const found = table(html, id).find((r) => r[0] === label);
  if (!found) throw new Error(`no row "${label}" in ${id}: ${JSON.stringify(table(html, id))}`);
  return found.slice(1);
}

function summary(html: string, id: string): string {
  const start = html.indexOf(`id="fig-${id}"`);
  const m = /class="body stats-figure__summary">([\s\S]*?)<\/p>/.exec(html.slice(start));
  return decode(m![1]!);
}

let site: TestApp;
let world: StatWorld;

t.before(async () => {
  site = await testApp(t, {}, { clock: createClock(TODAY) });
  world = await buildStatWorld(site.db);
});

async function as(email: string): Promise<Agent> {
  const agent = new Agent(site.app);
  await signIn(agent, email);
  return agent;
}

t.test('the unit page: every figure as counted by hand', async (t) => {
  const leader = await as(STAT_EMAIL.leader1);
  const res = await leader.get(`/units/${world.u1}/statistics`);
  t.equal(res.statusCode, 200);
  const html = res.body;

  t.match(html, /Perioden er 1\. august 2025–31\. juli 2026\./, 'this school year by default');
  t.same(row(html, 'logs', 'Aktive logger nå'), ['12']);
  t.same(row(html, 'logs', 'Passive logger nå'), ['6']);
  t.same(row(html, 'logs', 'Opprettet i perioden'), ['8'], 'L1 (first minutes of 1 Aug) in, L2 out');
  t.same(row(html, 'logs', 'Avsluttet i perioden'), ['5']);
  const ages = [...world.activeAges].sort((a, b) => a - b);
  const median = (ages[5]! + ages[6]!) / 2;
  t.same(row(html, 'logs', 'Median alder på aktive logger'), [`${Math.round(median)} dager`]);

  t.same(table(html, 'logs-by-level').slice(1), [
    ['Nivå 1', 'skjult'],
    ['Nivå 2', '0'],
    ['Nivå 3', 'under 5'],
    ['Sum', '12'],
  ]);
  t.same(row(html, 'logs-by-plan-type', 'Stafettlogg'), ['12']);
  t.same(table(html, 'logs-by-holder').slice(1), [
    ['Bjørn Holder', '5'],
    ['Hanne Holder', '7'],
    ['Sum', '12'],
  ]);

  t.same(table(html, 'concerns-by-category').slice(1), [
    ['Fravær', '7'],
    ['Læring', '5'],
    ['Uten kategori', '0'],
    ['Sum', '12'],
  ]);
  for (const label of ['Tiltak i tjenesten', 'Tiltak hjemme', 'Tiltak for barnet', 'Alle tre'])
    t.same(row(html, 'concerns-measures', label), ['6', '50 %'], label);

  t.same(row(html, 'measures', 'Aktive tiltak nå'), ['18', '']);
  t.same(row(html, 'measures', 'Over fristen uten evaluering nå'), ['under 5', ''], '3 overdue: under 5');
  t.same(row(html, 'measures', 'Frist i perioden (passert)'), ['13', '']);
  t.same(row(html, 'measures', 'Evaluert innen fristen'), ['8', '62 %']);
  t.match(summary(html, 'measures'), /^under 5 tiltak har passert fristen/);
  const missed = table(html, 'measures-missed-by-month').slice(1);
  t.same(missed.at(-1), ['Sum', '5']);
  t.ok(
    missed.slice(0, -1).every((r) => r[1] === 'skjult'),
    'the months (1 in Nov, 1 in Feb, 3 in Mar) cannot be protected one by one: every month is hidden',
  );

  t.same(table(html, 'evaluations-by-outcome').slice(1), [
    ['Det har hjulpet', 'skjult'],
    ['Det har hjulpet litt', 'under 5'],
    ['Det har ikke hjulpet', 'under 5'],
    ['Ikke registrert', '0'],
    ['Sum', '10'],
  ]);
  t.same(row(html, 'evaluations-family-view', 'Familiens syn er skrevet ned'), ['5', '50 %']);

  t.same(table(html, 'consents-transfers').slice(1), [
    ['Samtykke går ut innen 30 dager', 'under 5'],
    ['Samtykke har gått ut', 'under 5'],
    ['Samtykke trukket eller mangler', '0'],
    ['Overføringer som venter, sendt fra', 'under 5'],
    ['Overføringer som venter, sendt hit', '0'],
    ['Logger uten en stafettholder som kan holde dem', '0'],
  ]);

  t.same(row(html, 'meetings', 'Møter holdt'), ['6']);
  t.same(row(html, 'meetings', 'Evalueringer fra familien'), ['6']);
  t.same(row(html, 'meeting-evaluations', 'I hvilken grad fikk du sagt det du hadde på hjertet?'), [
    '6',
    '4,0',
  ]);
  t.same(row(html, 'meeting-evaluations', 'I hvilken grad ble det du sa forstått riktig?'), [
    'under 5',
    'skjult',
  ]);
  t.same(row(html, 'meeting-evaluations', 'I hvilken grad følte du deg respektert i møtet?'), ['0', '–']);

  t.same(table(html, 'coverage').slice(1), [['A skole', '17', '100', '17 %']]);
  t.match(summary(html, 'coverage'), /17 % av barna har logg \(målet er minst 10 %\)/);

  t.notMatch(html, /Barn \d|Oppstart|Familien er fornøyd/, 'no child, no startup note, no free text');
  t.match(html, /<svg[^>]*aria-hidden="true"/, 'charts drawn on the server, hidden from screen readers');
});

t.test('the custom period: its first and last day count, the minutes around them do not', async (t) => {
  const leader = await as(STAT_EMAIL.leader1);
  const q = 'period=custom&from-day=2&from-month=8&from-year=2025&to-day=10&to-month=2&to-year=2026';
  const html = (await leader.get(`/units/${world.u1}/statistics?${q}`)).body;
  t.match(html, /Perioden er 2\. august 2025–10\. februar 2026\./);
  t.same(row(html, 'logs', 'Opprettet i perioden'), ['6'], 'L3–L8: L8 at 23:30 on the last day in, L9 out');
  t.same(row(html, 'logs', 'Avsluttet i perioden'), ['under 5'], 'P1–P4; P5 (15 Feb) is after the period');
});

t.test('filters: plan type and level narrow every figure', async (t) => {
  const leader = await as(STAT_EMAIL.leader1);
  const html = (await leader.get(`/units/${world.u1}/statistics?period=school-year&level=1`)).body;
  t.same(row(html, 'logs', 'Aktive logger nå'), ['10']);
  t.same(table(html, 'logs-by-level').slice(1), [
    ['Nivå 1', '10'],
    ['Nivå 2', '0'],
    ['Nivå 3', '0'],
    ['Sum', '10'],
  ]);
  const none = (await leader.get(`/units/${world.u1}/statistics?planType=familieplan`)).body;
  t.same(row(none, 'logs', 'Aktive logger nå'), ['0']);
});

t.test('bad dates and choices: 400, the message next to the field, what was typed back', async (t) => {
  const leader = await as(STAT_EMAIL.leader1);
  const res = await leader.get(
    `/units/${world.u1}/statistics?period=custom&from-day=31&from-month=2&from-year=2026&to-day=1&to-month=&to-year=2026&level=7`,
  );
  t.equal(res.statusCode, 400);
  t.match(res.body, /<title>Feil: /);
  t.match(res.body, /href="#from-day">Fra-datoen må være en ekte dato/);
  t.match(res.body, /href="#to-day">Til-datoen må ha dag, måned og år/);
  t.match(res.body, /href="#level">Velg et av valgene i listen/);
  t.match(res.body, /id="from-day" name="from-day" type="text" inputmode="numeric" value="31"/);
  t.match(res.body, /id="from-month" name="from-month" type="text" inputmode="numeric" value="2"/);
  t.notMatch(res.body, /class="stats-figure"/, 'no figures for a period that is not one');
  const order = await leader.get(
    `/units/${world.u1}/statistics?period=custom&from-day=1&from-month=3&from-year=2026&to-day=1&to-month=2&to-year=2026`,
  );
  t.equal(order.statusCode, 400);
  t.match(order.body, /href="#to-day">Til-datoen må være samme dag som fra-datoen eller senere/);
  const long = await leader.get(
    `/units/${world.u1}/statistics?period=custom&from-day=1&from-month=1&from-year=2010&to-day=1&to-month=1&to-year=2026`,
  );
  t.match(long.body, /Perioden kan være høyst 5 år/);
});

t.test('the municipality page: per unit, with the small-number rule across units', async (t) => {
  const admin = await as(STAT_EMAIL.admin);
  const res = await admin.get('/statistics');
  t.equal(res.statusCode, 200);
  const html = res.body;
  t.same(row(html, 'logs', 'Aktive logger nå'), ['25']);
  t.same(table(html, 'logs-by-unit').slice(1), [
    ['A skole', '12', 'under 5'],
    ['B barnehage', '5', '0'],
    ['C skole', '8', 'skjult'],
    ['Sum', '25', '9'],
  ]);
  t.notMatch(html, /id="fig-logs-by-holder"/, 'no holders on the municipality page');
  t.same(row(html, 'consents-transfers', 'Logger uten en stafettholder som kan holde dem'), ['under 5']);
  t.same(table(html, 'coverage').slice(1), [
    ['A skole', '17', '100', '17 %'],
    ['B barnehage', '5', 'ikke registrert', ''],
    ['C skole', '8', 'ikke registrert', ''],
    ['Sum', '30', '100', '17 %'],
  ]);

  const districtB = (await admin.get(`/statistics?district=${world.districtB}`)).body;
  t.match(districtB, /Bydel B, Testkommune/);
  t.same(table(districtB, 'logs-by-unit').slice(1), [
    ['C skole', '8', '6'],
    ['Sum', '8', '6'],
  ]);
  const kindergartens = (await admin.get('/statistics?unitKind=kindergarten')).body;
  t.same(row(kindergartens, 'logs', 'Aktive logger nå'), ['5']);
  const other = await admin.get('/statistics?district=999999');
  t.equal(other.statusCode, 400, 'a district of no one: the field says so');
  t.match(other.body, /href="#district"/);
});

t.test('a leader of two units sees both; of one, is sent to it; of none, gets 404', async (t) => {
  const leader2 = await as(STAT_EMAIL.leader2);
  const html = (await leader2.get('/statistics')).body;
  t.match(html, /Enhetene du leder/);
  t.same(row(html, 'logs', 'Aktive logger nå'), ['17']);
  t.same(
    table(html, 'logs-by-unit')
      .slice(1)
      .map((r) => r[0]),
    ['A skole', 'B barnehage', 'Sum'],
  );
  const leader1 = await as(STAT_EMAIL.leader1);
  const redirect = await leader1.get('/statistics');
  t.equal(redirect.statusCode, 303);
  t.equal(redirect.headers.location, `/units/${world.u1}/statistics`);
  t.equal((await leader1.get(`/units/${world.u3}/statistics`)).statusCode, 404, 'another unit: 404');
  t.equal((await leader1.get(`/units/${world.u3}/statistics/csv?table=logs`)).statusCode, 404);
  for (const email of [
    'aktor@stafett.example',
    'foresatt@stafett.example',
    'ungdom@stafett.example',
    STAT_EMAIL.holder,
  ]) {
    const agent = await as(email);
    t.equal((await agent.get('/statistics')).statusCode, 404, `${email}: /statistics`);
    t.equal((await agent.get(`/units/${world.u1}/statistics`)).statusCode, 404, `${email}: a unit's`);
  }
  const admin = await as(STAT_EMAIL.admin);
  t.equal(
    (await admin.get(`/units/${world.u1}/statistics`)).statusCode,
    404,
    'the administrator uses /statistics',
  );
  const otherAdmin = await as('admin@stafett.example');
  const theirs = (await otherAdmin.get('/statistics')).body;
  t.notMatch(theirs, /A skole|C skole/, "another municipality's administrator sees none of it");
});

t.test('CSV: UTF-8 with BOM, semicolons, the same figures and the same hiding', async (t) => {
  const leader = await as(STAT_EMAIL.leader1);
  const res = await leader.get(`/units/${world.u1}/statistics/csv?period=school-year&table=logs-by-level`);
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/csv; charset=utf-8/);
  t.match(
    res.headers['content-disposition'],
    /attachment; filename="stafett-statistikk-logs-by-level-2025-08-01-2026-07-31\.csv"/,
  );
  const raw = res.rawPayload;
  t.same([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte-order mark');
  t.match(raw.toString('utf8'), /\r\n/, 'CRLF line ends');
  const records = parse(raw, { bom: true, delimiter: ';' }) as string[][];
  t.same(records, [
    ['Nivå', 'Aktive logger nå'],
    ['Nivå 1', 'skjult'],
    ['Nivå 2', '0'],
    ['Nivå 3', 'under 5'],
    ['Sum', '12'],
  ]);
  const measures = parse((await leader.get(`/units/${world.u1}/statistics/csv?table=measures`)).rawPayload, {
    bom: true,
    delimiter: ';',
  }) as string[][];
  t.same(measures[0], ['Tall', 'Antall', 'Andel (%)']);
  t.same(
    measures.find((r) => r[0] === 'Evaluert innen fristen'),
    ['Evaluert innen fristen', '8', '62'],
  );
  t.same(
    measures.find((r) => r[0] === 'Over fristen uten evaluering nå'),
    ['Over fristen uten evaluering nå', 'under 5', ''],
  );
  const admin = await as(STAT_EMAIL.admin);
  const units = parse((await admin.get('/statistics/csv?table=logs-by-unit')).rawPayload, {
    bom: true,
    delimiter: ';',
  }) as string[][];
  t.same(units.slice(1), [
    ['A skole', '12', 'under 5'],
    ['B barnehage', '5', '0'],
    ['C skole', '8', 'skjult'],
    ['Sum', '25', '9'],
  ]);
  t.equal((await leader.get(`/units/${world.u1}/statistics/csv?table=nothing`)).statusCode, 404);
  t.equal(
    (await leader.get(`/units/${world.u1}/statistics/csv`)).statusCode,
    303,
    'no table named: the page',
  );
  const bad = await leader.get(`/units/${world.u1}/statistics/csv?table=logs&period=custom`);
  t.equal(bad.statusCode, 303, 'a CSV for a period that is not one goes back to the page');
});

t.test('viewing statistics is recorded as such, with no log', async (t) => {
  const before = Number((await site.db('audit_events').count('* as n').first())!.n);
  const leader = await as(STAT_EMAIL.leader1);
  await leader.get(`/units/${world.u1}/statistics`);
  await leader.get(`/units/${world.u1}/statistics/csv?table=logs`);
  await leader.get(`/units/${world.u3}/statistics`);
  const rows = await site
    .db('audit_events')
    .where('id', '>', 0)
    .whereIn('action', ['statistics.view', 'statistics.export', 'denied:statistics'])
    .orderBy('id', 'desc')
    .limit(3)
    .select('action', 'object_type', 'object_id', 'log_id', 'role', 'unit_id', 'outcome');
  t.ok(Number((await site.db('audit_events').count('* as n').first())!.n) > before);
  t.same(rows.reverse(), [
    {
      action: 'statistics.view',
      object_type: 'unit',
      object_id: world.u1,
      log_id: null,
      role: 'leader',
      unit_id: world.u1,
      outcome: 'ok',
    },
    {
      action: 'statistics.export',
      object_type: 'unit',
      object_id: world.u1,
      log_id: null,
      role: 'leader',
      unit_id: world.u1,
      outcome: 'ok',
    },
    {
      action: 'denied:statistics',
      object_type: 'unit',
      object_id: world.u3,
      log_id: null,
      role: 'staff',
      unit_id: world.u1,
      outcome: 'denied',
    },
  ]);
});

t.test('the number of children per school year: entered, checked, audited, used', async (t) => {
  const leader = await as(STAT_EMAIL.leader2);
  const page = await leader.get(`/units/${world.u2}/statistics/children`);
  t.equal(page.statusCode, 200);
  t.match(page.body, /<option value="2025" selected>2025–2026<\/option>/, 'this school year chosen');
  const bad = await leader.post(`/units/${world.u2}/statistics/children`, {
    schoolYear: '2025',
    children: 'førti',
  });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, /href="#children">Antallet må være et helt tall fra 0 til 100000/);
  t.match(bad.body, /value="førti"/);
  const year = await leader.post(`/units/${world.u2}/statistics/children`, {
    schoolYear: '1999',
    children: '40',
  });
  t.equal(year.statusCode, 422);
  t.match(year.body, /href="#schoolYear">Velg skoleåret/);
  const ok = await leader.post(`/units/${world.u2}/statistics/children`, {
    schoolYear: '2025',
    children: '40',
  });
  t.equal(ok.statusCode, 303);
  t.equal(ok.headers.location, `/units/${world.u2}/statistics/children?saved=1`);
  const after = (await leader.follow(ok)).body;
  t.match(after, /Antallet er lagret\./);
  t.match(after, /<th scope="row">2025–2026<\/th>\s*<td>40<\/td>\s*<td>Leder To<\/td>/);
  const audit = await site
    .db('audit_events')
    .where({ action: 'statistics.children.save' })
    .first('object_id', 'log_id');
  t.same(audit, { object_id: world.u2, log_id: null });
  const stats = (await leader.get(`/units/${world.u2}/statistics`)).body;
  t.same(table(stats, 'coverage').slice(1), [['B barnehage', '5', '40', '13 %']]);
  const missing = await leader.post(`/units/${world.u1}/statistics/children`, {
    _csrf: '',
    schoolYear: '2025',
    children: '5',
  });
  t.equal(missing.statusCode, 403, 'no CSRF token, no change');
});

t.test('the unit page and the admin pages link to the statistics', async (t) => {
  const leader = await as(STAT_EMAIL.leader2);
  const unit = (await leader.get(`/units/${world.u1}`)).body;
  t.match(unit, new RegExp(`href="/units/${world.u1}/statistics"`));
  t.match(unit, /href="\/statistics">Statistikk for alle enhetene du leder/);
  const admin = await as(STAT_EMAIL.admin);
  t.match((await admin.get('/admin')).body, /href="\/statistics">Statistikk for kommunen/);
  t.match(
    (await admin.get(`/admin/units/${world.u3}`)).body,
    new RegExp(`href="/statistics\\?district=${world.districtB}">Statistikk for Bydel B`),
  );
});
