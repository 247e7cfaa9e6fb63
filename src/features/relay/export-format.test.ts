/**
 * Reading an export file: the schema (export-schema.json, checked by ajv in strict mode) with errors
 * that name the place and what is wrong, keys that only look like properties of every object, real
 * calendar days, and the rules the schema cannot say.
 */
import t from 'tap';
import {
  compileSchema,
  EXPORT_SCHEMA,
  readDocument,
  type ExportDocument,
  type ReadProblem,
} from './export-format.js';

/** A small valid document: one concern, one goal, an evaluated measure and an open one. */
function validDocument(): ExportDocument {
  return {
    format: 'stafett.log-export',
    version: 1,
    exportedAt: '2026-11-20T09:30:00.000Z',
    source: { system: 'Stafett', municipality: 'Nordby', unit: 'Solbakken skole', holder: 'Hanne Holm' },
    reason: 'Familien flytter.',
    child: { firstName: 'Ida', lastName: 'Berg', birthDate: '2013-03-12' },
    plan: { type: 'stafettlogg', level: 2, startupNote: 'Fravær.', createdOn: '2026-01-05' },
    concerns: [
      {
        title: 'Ida er borte fra skolen to dager i uka.',
        category: null,
        successIndicator: 'Ida er på skolen alle dager.',
        maintainingFactors: { worldView: '', coping: '', preconditions: '', service: '', home: '' },
        status: 'active',
        closingReason: null,
        goals: [
          {
            ref: 'g1',
            text: 'Ida er på skolen alle dager.',
            owner: 'child',
            ownerWords: 'Jeg vil være mindre lei meg.',
            arena: 'school',
            targetDate: '2026-12-20',
            status: 'active',
            decision: null,
            replacedBy: null,
            measures: [
              {
                ref: 'm1',
                text: 'Samtaler med helsesykepleier hver uke.',
                responsible: 'actor',
                responsibleName: 'Hanne Holm',
                startDate: '2026-01-10',
                deadline: '2026-02-10',
                status: 'evaluated',
                writtenAt: '2026-01-09T12:00:00+01:00',
                corrects: null,
                steps: [{ text: 'Første samtale', done: true }],
                evaluation: {
                  misregistered: false,
                  happened: 'yes',
                  effect: 'worked',
                  familyEffect: 'partly',
                  familyView: 'Det hjelper litt.',
                  comment: '',
                  nextStep: 'continue',
                  evaluatedAt: '2026-02-11T10:00:00Z',
                },
              },
              {
                ref: 'm2',
                text: 'Mor tar Ida med til fastlegen.',
                responsible: 'guardians',
                responsibleName: null,
                startDate: '2026-02-12',
                deadline: '2026-03-01',
                status: 'ongoing',
                writtenAt: '2026-02-11T10:05:00Z',
                corrects: null,
                steps: [],
                evaluation: null,
              },
            ],
          },
        ],
      },
    ],
  };
}

const bytes = (value: unknown) =>
  Buffer.isBuffer(value) ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

/** The schema errors of a document as "path keyword", or what else went wrong. */
function problems(value: unknown): string[] {
  const read = readDocument(bytes(value));
  if (!('problem' in read)) return [];
  const problem: ReadProblem = read.problem;
  return problem.kind === 'schema' ? problem.errors.map((e) => `${e.path} ${e.keyword}`) : [problem.kind];
}

t.test('a valid document reads', async (t) => {
  const read = readDocument(bytes(validDocument()));
  t.ok('document' in read, 'no problem');
  t.same(problems(validDocument()), []);
  t.ok('document' in readDocument(Buffer.from(`\uFEFF${JSON.stringify(validDocument())}`)), 'a BOM is fine');
});

t.test('keys every object seems to have are refused like any other unknown key', async (t) => {
  for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
    // As JSON text, so "__proto__" is an ordinary key of the parsed object (JSON.parse makes it one).
    const root = JSON.stringify(validDocument()).replace(/^\{/, `{"${key}":{"polluted":true},`);
    t.same(problems(root), [`/${key} additionalProperties`], `${key} at the top`);
    const nested = JSON.stringify(validDocument()).replace('"worldView":', `"${key}":"x","worldView":`);
    t.same(
      problems(nested),
      [`/concerns/0/maintainingFactors/${key} additionalProperties`],
      `${key} in a nested object`,
    );
  }
  t.equal(({} as { polluted?: boolean }).polluted, undefined, 'no object prototype was touched');
});

t.test('errors name the place and the rule, every one of them', async (t) => {
  const doc = validDocument() as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  doc.child.firstName = '';
  doc.child.birthDate = '2013-02-30';
  doc.plan.type = 'dagbok';
  doc.plan.level = 4;
  doc.concerns[0].goals[0].ref = 'x1';
  doc.concerns[0].goals[0].measures[0].text = 'x'.repeat(301);
  doc.concerns[0].goals[0].measures[0].steps = Array.from({ length: 13 }, () => ({ text: 's', done: false }));
  delete doc.concerns[0].goals[0].measures[1].deadline;
  doc.source.extra = 1;
  t.same(problems(doc), [
    '/source/extra additionalProperties',
    '/child/firstName minLength',
    '/child/birthDate format',
    '/plan/type enum',
    '/plan/level enum',
    '/concerns/0/goals/0/ref pattern',
    '/concerns/0/goals/0/measures/0/text maxLength',
    '/concerns/0/goals/0/measures/0/steps maxItems',
    '/concerns/0/goals/0/measures/1/deadline required',
  ]);
  t.same(problems({ ...validDocument(), version: 2 }), ['/version const']);
  t.same(problems({ ...validDocument(), reason: 5 }), ['/reason type']);
});

t.test('one of several forms: the closest form is reported, else the choice itself', async (t) => {
  const wrongInside = validDocument();
  (wrongInside.concerns[0]!.goals[0]!.measures[0]!.evaluation as unknown as { happened: string }).happened =
    'maybe';
  t.same(problems(wrongInside), ['/concerns/0/goals/0/measures/0/evaluation/happened enum']);
  const wrongType = validDocument();
  (wrongType.concerns[0]!.goals[0]!.measures[0] as unknown as { evaluation: number }).evaluation = 3;
  t.same(problems(wrongType), ['/concerns/0/goals/0/measures/0/evaluation oneOf']);
});

t.test('dates are real calendar days; moments carry a time zone', async (t) => {
  const at = (birthDate: string, exportedAt = '2026-11-20T09:30:00Z') =>
    problems({ ...validDocument(), exportedAt, child: { ...validDocument().child, birthDate } });
  t.same(at('2024-02-29'), [], 'a leap day');
  t.same(at('2023-02-29'), ['/child/birthDate format'], 'not a leap year');
  t.same(at('2023-2-1'), ['/child/birthDate format'], 'not zero-padded');
  t.same(at('2024-02-29', '2026-11-20T09:30:00'), ['/exportedAt format'], 'no time zone');
  t.same(at('2024-02-29', '2026-11-31T09:30:00Z'), ['/exportedAt format'], '31 November');
});

t.test('what the schema cannot say, and what is not an export file at all', async (t) => {
  t.same(problems('not json'), ['json']);
  t.same(problems({ format: 'other' }), ['format']);
  t.same(problems([]), ['format']);
  const latin1 = Buffer.from(JSON.stringify(validDocument()).replace('Berg', 'Bjørg'), 'latin1');
  t.same(problems(latin1), ['encoding'], 'not UTF-8 (ø in Latin-1 would be read as a replacement character)');
  const late = validDocument();
  late.concerns[0]!.goals[0]!.measures[1]!.deadline = '2026-01-01';
  t.same(problems(late), ['rule']);
});

t.test('strict mode: a schema that says more than is checked does not compile', async (t) => {
  t.doesNotThrow(() => compileSchema(EXPORT_SCHEMA), 'the export schema compiles');
  const withKeyword = (extra: Record<string, unknown>) =>
    compileSchema({ ...EXPORT_SCHEMA, properties: { ...(EXPORT_SCHEMA.properties as object), x: extra } });
  t.throws(() => withKeyword({ type: 'string', maxLenght: 3 }), /unknown keyword/, 'a misspelt keyword');
  t.throws(() => withKeyword({ type: 'string', format: 'email' }), /unknown format/, 'a format not loaded');
  t.throws(() => withKeyword({ type: 'strin' }), /type/, 'a type that does not exist');
});
