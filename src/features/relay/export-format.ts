/**
 * The export file (export-schema.json): the chosen concerns of a log with their goals, measures,
 * steps and evaluations, for another municipality or a system without Stafett. toDocument() builds it
 * from database rows; readDocument() checks an uploaded file against the schema (ajv in strict mode)
 * and the rules the schema cannot say (references, dates in order, one responsible party, status and
 * evaluation agree).
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

// Imported (not read from disk next to this file), so the build copies it to dist/ with the code.
import schema from './export-schema.json' with { type: 'json' };
import type { MeasureStatus } from '../../domain/plan.js';

export const EXPORT_SCHEMA = schema as Record<string, unknown>;

/**
 * Compiles a schema as the export schema is compiled: ajv in strict mode, so a keyword, format or type
 * ajv does not know makes compiling fail and the schema file cannot promise more than is checked.
 */
export function compileSchema(schema: Record<string, unknown>) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  formats.default(ajv, ['date', 'date-time']);
  return ajv.compile(schema);
}

/** Compiled once, on first use: compiling takes long enough to slow every start of the server. */
let compiled: ReturnType<typeof compileSchema> | null = null;
const validateExport = () => (compiled ??= compileSchema(EXPORT_SCHEMA));

export const EXPORT_FORMAT = 'stafett.log-export';
export const MAX_EXPORT_BYTES = 1024 * 1024;

export interface ExportEvaluation {
  misregistered: boolean;
  happened: string | null;
  effect: string | null;
  familyEffect: string | null;
  familyView: string;
  comment: string;
  nextStep: string | null;
  evaluatedAt: string;
}

export interface ExportMeasure {
  ref: string;
  text: string;
  responsible: 'actor' | 'guardians' | 'child';
  responsibleName: string | null;
  startDate: string;
  deadline: string;
  status: MeasureStatus;
  writtenAt: string;
  corrects: string | null;
  steps: { text: string; done: boolean }[];
  evaluation: ExportEvaluation | null;
}

export interface ExportGoal {
  ref: string;
  text: string;
  owner: 'child' | 'guardian' | 'professional' | null;
  ownerWords: string;
  arena: 'school' | 'home' | 'leisure' | 'network' | null;
  targetDate: string | null;
  status: 'active' | 'achieved' | 'not_achieved' | 'replaced';
  decision: string | null;
  replacedBy: string | null;
  measures: ExportMeasure[];
}

export interface ExportConcern {
  title: string;
  category: string | null;
  successIndicator: string;
  maintainingFactors: {
    worldView: string;
    coping: string;
    preconditions: string;
    service: string;
    home: string;
  };
  status: 'active' | 'solved' | 'closed';
  closingReason: string | null;
  goals: ExportGoal[];
}

export interface ExportDocument {
  format: typeof EXPORT_FORMAT;
  version: 1;
  exportedAt: string;
  source: { system: string; municipality: string; unit: string; holder: string };
  reason: string;
  child: { firstName: string; lastName: string; birthDate: string };
  plan: { type: string; level: 1 | 2 | 3; startupNote: string; createdOn: string };
  concerns: ExportConcern[];
}

/** Rows as the exchange repository reads them (column names as in the tables). */
export interface PlanRows {
  concerns: Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  goals: Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  measures: Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  steps: Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  evaluations: Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** The document for these rows (already limited to the chosen concerns, in reading order). */
export function toDocument(
  rows: PlanRows,
  head: Omit<ExportDocument, 'format' | 'version' | 'concerns'>,
): ExportDocument {
  const goalRef = new Map(rows.goals.map((g, i) => [g.id as number, `g${i + 1}`]));
  const measureRef = new Map(rows.measures.map((m, i) => [m.id as number, `m${i + 1}`]));
  const evaluationOf = new Map(rows.evaluations.map((e) => [e.measure_id as number, e]));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const measure = (m: Record<string, any>): ExportMeasure => {
    const e = evaluationOf.get(m.id);
    return {
      ref: measureRef.get(m.id)!,
      text: m.text,
      responsible: m.responsible,
      responsibleName: m.responsible === 'actor' ? (m.responsible_name ?? '') : null,
      startDate: m.start_date,
      deadline: m.deadline,
      status: m.status,
      writtenAt: iso(m.text_written_at),
      corrects: measureRef.get(m.corrects_measure_id) ?? null,
      steps: rows.steps.filter((s) => s.measure_id === m.id).map((s) => ({ text: s.text, done: s.done })),
      evaluation: e
        ? {
            misregistered: e.misregistered,
            happened: e.happened,
            effect: e.effect,
            familyEffect: e.family_effect,
            familyView: e.family_view,
            comment: e.comment,
            nextStep: e.next_step,
            evaluatedAt: iso(e.evaluated_at),
          }
        : null,
    };
  };
  return {
    format: EXPORT_FORMAT,
    version: 1,
    ...head,
    concerns: rows.concerns.map((c) => ({
      title: c.title,
      category: c.category_label ?? null,
      successIndicator: c.success_indicator,
      maintainingFactors: {
        worldView: c.mf_world_view,
        coping: c.mf_coping,
        preconditions: c.mf_preconditions,
        service: c.mf_service,
        home: c.mf_home,
      },
      status: c.status,
      closingReason: c.closing_reason,
      goals: rows.goals
        .filter((g) => g.concern_id === c.id)
        .map((g) => ({
          ref: goalRef.get(g.id)!,
          text: g.text,
          owner: g.owner,
          ownerWords: g.owner_words,
          arena: g.arena,
          targetDate: g.target_date,
          status: g.status,
          decision: g.decision,
          replacedBy: goalRef.get(g.replaced_by) ?? null,
          measures: rows.measures.filter((m) => m.goal_id === g.id).map(measure),
        })),
    })),
  };
}

/** One thing wrong in a file: where (a JSON Pointer), which rule, and the rule's figures. */
export interface SchemaError {
  path: string;
  keyword: string;
  params: Record<string, unknown>;
}

export type ReadProblem =
  | { kind: 'encoding' }
  | { kind: 'json' }
  | { kind: 'format' }
  | { kind: 'schema'; errors: SchemaError[] }
  | { kind: 'rule'; path: string; rule: 'ref' | 'dates' | 'responsible' | 'evaluation' | 'control' };

// C0 control characters other than tab and newline, DEL, and C1 controls (as the forms refuse them).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

function findControl(value: unknown, path: string): string | null {
  if (typeof value === 'string') return CONTROL.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findControl(item, `${path}/${i}`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findControl(item, `${path}/${key}`);
      if (found) return found;
    }
  }
  return null;
}

const inside = (path: string, parent: string) => path === parent || path.startsWith(`${parent}/`);

/**
 * Ajv's errors as the places and rules a person can act on. A property that is missing or not allowed
 * is named in the path. Where a value may take one of several forms (oneOf), the errors of the form
 * closest to the value are kept — not those of forms of another type altogether — and the choice
 * itself is reported only when no form comes closer.
 */
export function schemaErrors(errors: readonly ErrorObject[]): SchemaError[] {
  const kept: ErrorObject[] = [];
  for (const error of errors) {
    if (error.keyword === 'oneOf') {
      // The errors of the options come just before, all at or below the value's place.
      let start = kept.length;
      while (start > 0 && inside(kept[start - 1]!.instancePath, error.instancePath)) start--;
      const options = kept.splice(start);
      const closer = options.filter((e) => !(e.instancePath === error.instancePath && e.keyword === 'type'));
      kept.push(...(closer.length ? closer : [error]));
    } else kept.push(error);
  }
  return kept.map((error) => {
    const params = error.params as Record<string, unknown>;
    const key =
      error.keyword === 'required'
        ? params.missingProperty
        : error.keyword === 'additionalProperties'
          ? params.additionalProperty
          : undefined;
    const path =
      typeof key === 'string'
        ? `${error.instancePath}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`
        : error.instancePath || '/';
    return { path, keyword: error.keyword, params };
  });
}

/** Reads an uploaded file: the document, or what is wrong with it. */
export function readDocument(bytes: Buffer): { document: ExportDocument } | { problem: ReadProblem } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: { kind: 'encoding' } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { problem: { kind: 'json' } };
  }
  if (!value || typeof value !== 'object' || (value as { format?: unknown }).format !== EXPORT_FORMAT)
    return { problem: { kind: 'format' } };
  const validate = validateExport();
  if (!validate(value)) return { problem: { kind: 'schema', errors: schemaErrors(validate.errors ?? []) } };
  const document = value as ExportDocument;
  const control = findControl(document, '');
  if (control) return { problem: { kind: 'rule', path: control, rule: 'control' } };

  const goalRefs = new Set<string>();
  const measureRefs = new Set<string>();
  for (const [ci, c] of document.concerns.entries()) {
    for (const [gi, g] of c.goals.entries()) {
      if (goalRefs.has(g.ref))
        return { problem: { kind: 'rule', path: `/concerns/${ci}/goals/${gi}/ref`, rule: 'ref' } };
      goalRefs.add(g.ref);
      for (const [mi, m] of g.measures.entries()) {
        const at = `/concerns/${ci}/goals/${gi}/measures/${mi}`;
        if (measureRefs.has(m.ref)) return { problem: { kind: 'rule', path: `${at}/ref`, rule: 'ref' } };
        measureRefs.add(m.ref);
        if (m.deadline < m.startDate)
          return { problem: { kind: 'rule', path: `${at}/deadline`, rule: 'dates' } };
        if (
          (m.responsible === 'actor') !==
          (typeof m.responsibleName === 'string' && m.responsibleName.trim() !== '')
        ) {
          return { problem: { kind: 'rule', path: `${at}/responsibleName`, rule: 'responsible' } };
        }
        if ((m.status === 'evaluated') !== (m.evaluation !== null))
          return { problem: { kind: 'rule', path: `${at}/evaluation`, rule: 'evaluation' } };
      }
    }
  }
  for (const [ci, c] of document.concerns.entries()) {
    for (const [gi, g] of c.goals.entries()) {
      if (g.replacedBy && (!goalRefs.has(g.replacedBy) || g.replacedBy === g.ref)) {
        return { problem: { kind: 'rule', path: `/concerns/${ci}/goals/${gi}/replacedBy`, rule: 'ref' } };
      }
      for (const [mi, m] of g.measures.entries()) {
        if (m.corrects && (!measureRefs.has(m.corrects) || m.corrects === m.ref)) {
          return {
            problem: {
              kind: 'rule',
              path: `/concerns/${ci}/goals/${gi}/measures/${mi}/corrects`,
              rule: 'ref',
            },
          };
        }
      }
    }
  }
  return { document };
}

/** The distinct staff names responsible for measures in the file, in order of appearance. */
export function actorNames(document: ExportDocument): string[] {
  const names = document.concerns.flatMap((c) =>
    c.goals.flatMap((g) =>
      g.measures.filter((m) => m.responsible === 'actor').map((m) => m.responsibleName!),
    ),
  );
  return [...new Set(names)];
}
