/**
 * The forms of the app as a person meets them: crawl the pages a signed-in agent can reach by links,
 * read every POST form (action, enctype, fields), fill each form's fields with recognisable text, and
 * post it (urlencoded or multipart). Also: which route of the app's route table a URL belongs to.
 */
import type { FastifyInstance } from 'fastify';
import type { Agent, Response } from './app.js';

export interface FormField {
  name: string;
  kind: 'text' | 'textarea' | 'password' | 'hidden' | 'checkbox' | 'radio' | 'select' | 'file' | 'button';
  value: string;
  /** select: the options' values; multiple: several may be chosen. */
  options?: string[];
  multiple?: boolean;
}

export interface PostForm {
  /** The page the form was found on. */
  page: string;
  action: string;
  multipart: boolean;
  fields: FormField[];
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)(?:="([^"]*)")?/g)) out[m[1]!.toLowerCase()] = decode(m[2] ?? '');
  return out;
}

/** The POST forms of a page, with their fields in document order. */
export function postForms(html: string, page: string): PostForm[] {
  const forms: PostForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = attributes(m[1]!);
    if ((attrs.method ?? 'get').toLowerCase() !== 'post') continue;
    const body = m[2]!;
    const fields: { at: number; field: FormField }[] = [];
    for (const i of body.matchAll(/<input\b([^>]*)>/g)) {
      const a = attributes(i[1]!);
      if (!a.name) continue;
      const type = (a.type ?? 'text').toLowerCase();
      const kind: FormField['kind'] = ['hidden', 'checkbox', 'radio', 'password', 'file'].includes(type)
        ? (type as FormField['kind'])
        : type === 'submit'
          ? 'button'
          : 'text';
      fields.push({ at: i.index!, field: { name: a.name, kind, value: a.value ?? '' } });
    }
    for (const x of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const a = attributes(x[1]!);
      if (a.name)
        fields.push({ at: x.index!, field: { name: a.name, kind: 'textarea', value: decode(x[2]!) } });
    }
    for (const s of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const a = attributes(s[1]!);
      const options = [...s[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attributes(o[1]!).value ?? '');
      if (a.name)
        fields.push({
          at: s.index!,
          field: { name: a.name, kind: 'select', value: '', options, multiple: 'multiple' in a },
        });
    }
    for (const b of body.matchAll(/<button\b([^>]*)>/g)) {
      const a = attributes(b[1]!);
      if (a.name)
        fields.push({ at: b.index!, field: { name: a.name, kind: 'button', value: a.value ?? '' } });
    }
    forms.push({
      page,
      action: attrs.action || page,
      multipart: (attrs.enctype ?? '').toLowerCase() === 'multipart/form-data',
      fields: fields.sort((x, y) => x.at - y.at).map((f) => f.field),
    });
  }
  return forms;
}

/** Same-site links of a page (no sign-out, no downloads, no meeting mode, which is session state). */
function links(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*href="([^"#]+)[^"]*"/g)]
    .map((m) => decode(m[1]!))
    .filter((href) => href.startsWith('/') && !href.startsWith('//'))
    .filter((href) => !/^\/(public\/|logout|dev\/)|\/mode(\/|$)|\/download$|\/attachments\/\d+$/.test(href));
}

/** Every POST form reachable by links from the start pages, as this agent; and every page seen. */
export async function crawl(
  agent: Agent,
  start: string[],
  limit = 400,
): Promise<{ forms: PostForm[]; pages: string[] }> {
  const queue = [...start];
  const seen = new Set<string>(queue);
  const forms: PostForm[] = [];
  const pages: string[] = [];
  while (queue.length && pages.length < limit) {
    const url = queue.shift()!;
    const response = await agent.get(url);
    if (response.statusCode !== 200 || !/text\/html/.test(String(response.headers['content-type']))) continue;
    pages.push(url);
    forms.push(...postForms(response.body, url));
    for (const href of links(response.body)) {
      if (seen.has(href)) continue;
      seen.add(href);
      queue.push(href);
    }
  }
  return { forms, pages };
}

export interface Filled {
  entries: [string, string][];
  /** Text a person typed, each of which must come back. */
  typed: string[];
  /** Must never come back. */
  secrets: string[];
  file: boolean;
}

/** The form filled in as a person would: recognisable text in every text field, all checkboxes ticked. */
export function fill(form: PostForm, tag: string): Filled {
  const entries: [string, string][] = [];
  const typed: string[] = [];
  const secrets: string[] = [];
  const checked = new Map<string, string[]>();
  const radios = new Set<string>();
  let file = false;
  form.fields.forEach((f, i) => {
    const mark = `${tag}f${i}`;
    switch (f.kind) {
      case 'text': {
        const value = `Skrevet ${mark} æøå`;
        entries.push([f.name, value]);
        typed.push(value);
        break;
      }
      case 'textarea': {
        const value = `Tekst ${mark} første linje\nandre linje ${mark}`;
        entries.push([f.name, value]);
        typed.push(value);
        break;
      }
      case 'password':
        entries.push([f.name, `Hemmelig-${mark}`]);
        secrets.push(`Hemmelig-${mark}`);
        break;
      case 'hidden':
        if (f.name !== '_csrf') entries.push([f.name, f.value]);
        break;
      case 'checkbox':
        checked.set(f.name, [...(checked.get(f.name) ?? []), f.value || 'on']);
        entries.push([f.name, f.value || 'on']);
        break;
      case 'radio':
        if (!radios.has(f.name)) entries.push([f.name, f.value]);
        radios.add(f.name);
        break;
      case 'select': {
        const chosen = (f.options ?? []).filter((o) => o !== '');
        for (const o of f.multiple ? chosen : chosen.slice(0, 1)) entries.push([f.name, o]);
        break;
      }
      case 'file':
        file = true;
        break;
      case 'button':
        if (!entries.some(([name]) => name === f.name)) entries.push([f.name, f.value]);
        break;
    }
  });
  // Several values under one name come back together.
  for (const values of checked.values()) if (values.length > 1) typed.push(values.join('\n'));
  return { entries, typed, secrets, file };
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** Posts the filled form as the browser would (multipart when the form says so), with the agent's cookies. */
export async function postFilled(
  agent: Agent,
  form: PostForm,
  filled: Filled,
  csrf = agent.csrfToken,
): Promise<Response> {
  const entries: [string, string][] = [['_csrf', csrf], ...filled.entries];
  const headers: Record<string, string> = { cookie: agent.cookieHeader() };
  let payload: string | Buffer;
  if (form.multipart) {
    const boundary = `----stafett${Date.now()}`;
    const parts: Buffer[] = entries.map(([name, value]) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
    if (filled.file) {
      const fileField = form.fields.find((f) => f.kind === 'file')!.name;
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="vedlegg.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        PDF,
        Buffer.from('\r\n'),
      );
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    payload = Buffer.concat(parts);
    headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
  } else {
    const body = new URLSearchParams();
    for (const [name, value] of entries) body.append(name, value);
    payload = body.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  return agent.app.inject({ method: 'POST', url: form.action, headers, payload });
}

/** The route pattern (of the app's route table) a URL belongs to; static segments win over params. */
export function routeOf(app: FastifyInstance, method: string, url: string): string | null {
  const path = url.split('?')[0]!;
  const candidates = app.routeTable
    .filter((r) => r.method === method)
    .filter((r) => new RegExp(`^${r.url.replace(/:\w+/g, '[^/]+')}$`).test(path))
    .sort((a, b) => (a.url.match(/:/g)?.length ?? 0) - (b.url.match(/:/g)?.length ?? 0));
  return candidates[0]?.url ?? null;
}
