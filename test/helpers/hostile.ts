/**
 * Hostile variants of a form (for test/hostile-forms.test.ts): the form as a person would fill it in,
 * then one thing wrong at a time (long text, control characters, lone surrogates, markup, numbers that
 * cannot be ids or versions, impossible dates, missing and repeated fields, JSON, wrong content types,
 * broken bodies), a request with a time limit, and the check that a form shown again keeps what was
 * typed in it.
 */
import type { FastifyInstance } from 'fastify';
import type { Agent, Response } from './app.js';
import { shownValues, type FormField, type PostForm } from './form-reader.js';
import { tinyPdf } from '../notes-fixtures.js';

// ---- what is posted ----

/** One post: its body as sent, and what the server will read in each text field. */
export interface Variant {
  label: string;
  contentType?: string;
  payload: string | Buffer;
  headers?: Record<string, string>;
  /** Text fields → the value(s) the person typed; checked when the form comes back. */
  typed: Map<string, string[]>;
}

const TYPED = 'Skrevet tekst';
const LONG = `${'Lang tekst med æøå. '.repeat(520)}slutt`; // longer than any text field allows
const HOSTILE_TEXT: [string, string][] = [
  ['long text', LONG],
  ['NUL', 'før\u0000etter'],
  ['control characters', 'a\u0007b\u001bc\u009fd'],
  ['lone surrogate', 'halv \ud800 surrogat'],
  ['markup', '<script>alert("x")</script>&amp;\'</textarea><b>'],
  ['bidi override', '\u202eevil\u202c tekst'],
];
const HOSTILE_NUMBER: [string, string][] = [
  ['huge number', '99999999999999999999'],
  ['1e308', '1e308'],
  ['int overflow', '2147483648'],
  ['negative', '-1'],
  ['not a number', 'abc'],
  ['markup', '<b>1</b>'],
];
const HOSTILE_DATE: [string, string][] = [
  ['huge number', '99999999999999999999'],
  ['negative', '-1'],
  ['zero', '0'],
  ['letters', 'tolv<b>'],
  ['long', '1'.repeat(40)],
  ['spaced', ' 1 2 '],
];
const HOSTILE_CHOICE: [string, string][] = [
  ['huge number', '99999999999999999999'],
  ['negative', '-1'],
  ['unknown', '<x>'],
  ['__proto__', '__proto__'],
];

const numeric = (f: FormField) => /(^|[-_])(id|version)$|Id$|^id$/i.test(f.name) || /^\d+$/.test(f.value);
const isText = (f: FormField) => f.kind === 'text' || f.kind === 'textarea';

/** Typed text that the form can take, so that one hostile field at a time reaches the code behind it. */
function typedFor(name: string): string {
  if (/time$/i.test(name)) return '10:00';
  if (/email/i.test(name)) return `skrevet.${name.toLowerCase()}@stafett.example`;
  if (/nationalid/i.test(name)) return '15076500565';
  return `${TYPED} ${name}`;
}

/** A date two weeks ahead, in the three boxes of an empty date group. */
function typedDate(name: string): string {
  const d = new Date(Date.now() + 14 * 86_400_000);
  const part = /day$/.test(name) ? d.getDate() : /month$/.test(name) ? d.getMonth() + 1 : d.getFullYear();
  return String(part);
}

/**
 * What a form's fields hold before anything hostile is put in: typed text in every empty text box, a
 * date in every empty date group, the first box of each checkbox group ticked, a choice in each group.
 */
function baseline(form: PostForm, csrf: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const f of form.fields) {
    if (f.name === '_csrf') pairs.push([f.name, csrf]);
    else if (f.kind === 'file') continue;
    else if (f.kind === 'checkbox') pairs.push([f.name, f.checked ? f.value : (f.options[0] ?? 'on')]);
    else if (f.kind === 'choice') pairs.push([f.name, f.value || f.options.find((o) => o !== '') || '']);
    else if (isText(f) && f.datePart) pairs.push([f.name, f.value || typedDate(f.name)]);
    else if (isText(f) && f.value === '') pairs.push([f.name, typedFor(f.name)]);
    else pairs.push([f.name, f.value]);
  }
  return pairs;
}

/** What a UTF-8 encoder sends for a string: lone surrogates become U+FFFD. */
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** The text fields of a post and what was typed in them (lone surrogates arrive as U+FFFD). */
function typedIn(form: PostForm, pairs: [string, string][]): Map<string, string[]> {
  const typed = new Map<string, string[]>();
  for (const f of form.fields.filter(isText)) {
    const values = pairs.filter(([n]) => n === f.name).map(([, v]) => wellFormed(v));
    if (values.length) typed.set(f.name, values);
  }
  return typed;
}

function urlencoded(pairs: [string, string][]): string {
  return new URLSearchParams(pairs).toString();
}

function multipartBody(
  pairs: [string, string][],
  file?: { name: string; data: Buffer },
): { payload: Buffer; contentType: string } {
  const boundary = `----hostile${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of pairs)
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function variants(form: PostForm, csrf: string): Variant[] {
  const base = baseline(form, csrf);
  const out: Variant[] = [];
  const encode = (label: string, pairs: [string, string][], extra: Partial<Variant> = {}) => {
    const typed = typedIn(form, pairs);
    if (form.multipart) {
      const { payload, contentType } = multipartBody(pairs);
      out.push({ label, payload, contentType, typed, ...extra });
    } else
      out.push({
        label,
        payload: urlencoded(pairs),
        contentType: 'application/x-www-form-urlencoded',
        typed,
        ...extra,
      });
  };
  const replace = (name: string, value: string | null): [string, string][] => {
    const pairs = base.filter(([n]) => n !== name);
    if (value === null) return pairs;
    const at = base.findIndex(([n]) => n === name);
    pairs.splice(at === -1 ? pairs.length : at, 0, [name, value]);
    return pairs;
  };

  encode('as the page gives it', base);
  encode(
    'no fields but the token',
    base.filter(([n]) => n === '_csrf'),
  );
  encode(
    'every field twice',
    base.flatMap(([n, v]): [string, string][] =>
      n === '_csrf'
        ? [[n, v]]
        : [
            [n, v],
            [n, `${v}<dup>`],
          ],
    ),
  );
  encode(
    'htmx, markup everywhere',
    base.map(([n, v]) => [n, form.fields.find((f) => f.name === n && isText(f)) ? `<i>${v}</i>` : v]),
    {
      headers: { 'hx-request': 'true' },
    },
  );
  for (const f of form.fields) {
    if (f.name === '_csrf' || f.kind === 'file') continue;
    encode(`${f.name} missing`, replace(f.name, null));
    const values = f.datePart
      ? HOSTILE_DATE
      : isText(f) && !numeric(f)
        ? HOSTILE_TEXT
        : f.kind === 'choice' || f.kind === 'checkbox'
          ? HOSTILE_CHOICE
          : f.kind === 'password'
            ? HOSTILE_TEXT.slice(0, 2)
            : HOSTILE_NUMBER;
    for (const [label, value] of values) encode(`${f.name}: ${label}`, replace(f.name, value));
  }
  // Impossible dates: 31 February and 30 February, as typed, in each date group.
  const groups = [
    ...new Set(form.fields.filter((f) => f.datePart).map((f) => f.name.replace(/[-_](day|month|year)$/, ''))),
  ];
  for (const group of groups) {
    const sep = form.fields.some((f) => f.name === `${group}_day`) ? '_' : '-';
    let pairs = replace(`${group}${sep}day`, '31');
    pairs = pairs.map(([n, v]) =>
      n === `${group}${sep}month` ? [n, '2'] : n === `${group}${sep}year` ? [n, '2027'] : [n, v],
    );
    encode(`${group}: 31 February`, pairs);
    pairs = pairs.map(([n, v]) =>
      n === `${group}${sep}day` ? [n, '30'] : n === `${group}${sep}year` ? [n, '99999'] : [n, v],
    );
    encode(`${group}: 30 February 99999`, pairs);
    // A good date with leading zeros, while every text box is refused: the boxes keep the zeros.
    pairs = pairs.map(([n, v]): [string, string] => {
      if (n === `${group}${sep}day`) return [n, '07'];
      if (n === `${group}${sep}year`) return [n, String(new Date().getFullYear() + 1)];
      if (n === `${group}${sep}month`) return [n, '03'];
      const field = form.fields.find((f) => f.name === n);
      return field && isText(field) && !field.datePart ? [n, 'nul\u0000'] : [n, v];
    });
    encode(`${group}: leading zeros, text refused`, pairs);
  }

  // The body itself: wrong content types, JSON with arrays, objects and numbers, broken encoding.
  const json = (label: string, value: (name: string, v: string) => unknown) =>
    out.push({
      label,
      contentType: 'application/json',
      payload: JSON.stringify(Object.fromEntries(base.map(([n, v]) => [n, n === '_csrf' ? v : value(n, v)]))),
      typed: new Map(),
    });
  json('JSON, arrays for every field', (_n, v) => [v, v]);
  json('JSON, objects for every field', (_n, v) => ({ value: v }));
  json('JSON, numbers for every field', () => 1e308);
  json('JSON, null for every field', () => null);
  out.push({ label: 'JSON null', contentType: 'application/json', payload: 'null', typed: new Map() });
  out.push({
    label: 'JSON array',
    contentType: 'application/json',
    payload: `[${JSON.stringify(csrf)}]`,
    typed: new Map(),
  });
  out.push({ label: 'text/plain', contentType: 'text/plain', payload: urlencoded(base), typed: new Map() });
  out.push({ label: 'no content type', payload: urlencoded(base), typed: new Map() });
  out.push({
    label: 'unknown content type',
    contentType: 'application/x-evil',
    payload: urlencoded(base),
    typed: new Map(),
  });
  out.push({
    label: 'broken percent-encoding',
    contentType: 'application/x-www-form-urlencoded',
    payload: `${urlencoded(base)}&${form.fields
      .filter(isText)
      .map((f) => `${encodeURIComponent(f.name)}=%E0%A4%A%ED%A0%80%`)
      .join('&')}`,
    typed: new Map(),
  });
  out.push({
    label: 'urlencoded with a charset',
    contentType: 'application/x-www-form-urlencoded; charset=iso-8859-1',
    payload: urlencoded(base),
    typed: new Map(),
  });
  if (form.multipart) {
    out.push({
      label: 'urlencoded to a multipart form',
      contentType: 'application/x-www-form-urlencoded',
      payload: urlencoded(base),
      typed: new Map(),
    });
    const whole = multipartBody(base);
    out.push({
      label: 'multipart cut short',
      contentType: whole.contentType,
      payload: whole.payload.subarray(0, Math.floor(whole.payload.length / 2)),
      typed: new Map(),
    });
    out.push({
      label: 'multipart that is not',
      contentType: whole.contentType,
      payload: 'this is not a multipart body\r\n',
      typed: new Map(),
    });
    out.push({
      label: 'multipart without a boundary',
      contentType: 'multipart/form-data',
      payload: urlencoded(base),
      typed: new Map(),
    });
    const withFile = (label: string, file: { name: string; data: Buffer }) => {
      const { payload, contentType } = multipartBody(base, file);
      out.push({ label, payload, contentType, typed: typedIn(form, base) });
    };
    withFile('a PDF', { name: 'rapport.pdf', data: tinyPdf() });
    withFile('not a PDF', { name: 'rapport.pdf', data: Buffer.from('<html>nope</html>') });
    withFile('a file name with line breaks', { name: '../../a\r\nb<x>.pdf', data: tinyPdf() });
    withFile('a file over the limit', { name: 'stor.pdf', data: Buffer.alloc(6 * 1024 * 1024, 0x41) });
  } else {
    const { payload, contentType } = multipartBody(base);
    out.push({ label: 'multipart to a urlencoded form', payload, contentType, typed: new Map() });
  }
  return out;
}

// ---- sending and judging ----

/** Posts one variant with the agent's cookies; 'hang' when no answer comes within `timeoutMs`. */
export async function send(
  app: FastifyInstance,
  agent: Agent,
  url: string,
  variant: Variant,
  timeoutMs: number,
): Promise<Response | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), timeoutMs);
  });
  const request = app.inject({
    method: 'POST',
    url,
    headers: {
      cookie: agent.cookieHeader(),
      ...(variant.contentType ? { 'content-type': variant.contentType } : {}),
      ...variant.headers,
    },
    payload: variant.payload,
  });
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Text boxes may drop the spaces around what was typed; a date box shows exactly what was typed. */
const shownAs = (name: string, s: string) => {
  const text = s.replace(/\r\n?/g, '\n');
  return /[-_](day|month|year)$/.test(name) ? text : text.trim();
};

/** Text fields whose typed value is not shown again in the form of a 4xx answer. */
export function notHandedBack(
  response: Response,
  action: string,
  typed: Map<string, string[]>,
): { checked: string[]; missing: string[] } {
  const missing: string[] = [];
  if (response.statusCode < 400 || response.statusCode >= 500) return { checked: [], missing };
  const shown = shownValues(response.body, action);
  if (!shown) return { checked: [], missing };
  for (const [name, values] of typed) {
    const there = (shown.get(name) ?? []).map((v) => shownAs(name, v));
    if (!values.some((v) => there.includes(shownAs(name, v)))) missing.push(name);
  }
  return { checked: [...typed.keys()], missing };
}
