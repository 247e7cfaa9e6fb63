/**
 * Reads the POST forms of a page the way a browser would submit them: each form's action and
 * encoding, and its fields (inputs, textareas, selects) with their current values, decoded from HTML.
 * The app's markup is regular (double-quoted attributes, no nested forms), so a small reader does.
 *
 *   const forms = postForms(html);
 *   const form = forms.find((f) => f.action === '/logs/1/concerns');
 */

export type FieldKind = 'text' | 'textarea' | 'hidden' | 'password' | 'choice' | 'checkbox' | 'file';

export interface FormField {
  name: string;
  kind: FieldKind;
  /** The value a browser would send as the page stands ('' when none). */
  value: string;
  /** For radios, checkboxes and selects: every value offered. */
  options: string[];
  /** Radios and checkboxes: whether this one is ticked (the first value of a group when several). */
  checked: boolean;
  /** For date boxes (name ends in day/month/year): typed like text, listed apart for the report. */
  datePart: boolean;
}

export interface PostForm {
  action: string;
  multipart: boolean;
  fields: FormField[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references Eta and the templates write. */
export function decodeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** The attributes of one start tag: name → decoded value ('' for bare attributes). */
export function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const body = tag.replace(/^<\w+/, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    out[m[1]!.toLowerCase()] = decodeHtml(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

const isDatePart = (name: string) => /[-_](day|month|year)$/.test(name);

function fieldsOf(inner: string): FormField[] {
  const fields: FormField[] = [];
  const byName = new Map<string, FormField>();
  const add = (field: FormField) => {
    const existing = byName.get(field.name);
    if (existing && (field.kind === 'choice' || field.kind === 'checkbox') && existing.kind === field.kind) {
      existing.options.push(...field.options);
      if (field.checked && !existing.checked) {
        existing.checked = true;
        existing.value = field.value;
      }
      return;
    }
    if (existing) return; // a repeated text field (rows of the same name): the first stands for all
    byName.set(field.name, field);
    fields.push(field);
  };
  const pattern =
    /<input\b[^>]*>|<textarea\b[^>]*>([\s\S]*?)<\/textarea>|<select\b[^>]*>([\s\S]*?)<\/select>/gi;
  for (const m of inner.matchAll(pattern)) {
    const tag = m[0].slice(0, m[0].indexOf('>') + 1);
    const attrs = attributes(tag);
    const name = attrs.name;
    if (!name || 'disabled' in attrs) continue;
    const base = { name, options: [] as string[], checked: false, datePart: isDatePart(name) };
    if (/^<button/i.test(tag)) {
      // A named submit button sends its value: the first one stands for pressing it.
      if ((attrs.type ?? 'submit').toLowerCase() === 'submit')
        add({ ...base, kind: 'choice', value: attrs.value ?? '', options: [attrs.value ?? ''] });
    } else if (/^<textarea/i.test(tag)) {
      // A browser drops one newline right after <textarea>.
      add({ ...base, kind: 'textarea', value: decodeHtml((m[1] ?? '').replace(/^\r?\n/, '')) });
    } else if (/^<select/i.test(tag)) {
      const options = [...(m[2] ?? '').matchAll(/<option\b[^>]*>([\s\S]*?)<\/option>/gi)].map((o) => {
        const a = attributes(o[0].slice(0, o[0].indexOf('>') + 1));
        return { value: 'value' in a ? a.value! : decodeHtml(o[1]!.trim()), selected: 'selected' in a };
      });
      const chosen = options.find((o) => o.selected) ?? options[0];
      add({ ...base, kind: 'choice', value: chosen?.value ?? '', options: options.map((o) => o.value) });
    } else {
      const type = (attrs.type ?? 'text').toLowerCase();
      const value = attrs.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : '');
      if (type === 'submit' || type === 'button' || type === 'image' || type === 'reset') continue;
      if (type === 'radio' || type === 'checkbox') {
        add({
          ...base,
          kind: type === 'radio' ? 'choice' : 'checkbox',
          value: 'checked' in attrs ? value : '',
          options: [value],
          checked: 'checked' in attrs,
        });
      } else if (type === 'hidden') add({ ...base, kind: 'hidden', value });
      else if (type === 'password') add({ ...base, kind: 'password', value });
      else if (type === 'file') add({ ...base, kind: 'file', value: '' });
      else add({ ...base, kind: 'text', value });
    }
  }
  return fields;
}

/** Every `<form method="post">` in a page, with its fields. */
export function postForms(html: string): PostForm[] {
  const forms: PostForm[] = [];
  for (const m of html.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(m[1]!);
    if ((attrs.method ?? 'get').toLowerCase() !== 'post') continue;
    forms.push({
      action: (attrs.action ?? '').split('#')[0]!,
      multipart: (attrs.enctype ?? '').toLowerCase() === 'multipart/form-data',
      fields: fieldsOf(m[2]!),
    });
  }
  return forms;
}

/** The values a page shows in the fields of the form posting to `action`: name → every value shown. */
export function shownValues(html: string, action: string): Map<string, string[]> | null {
  const form = postForms(html).find((f) => f.action === action);
  if (!form) return null;
  const shown = new Map<string, string[]>();
  for (const m of html.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(m[1]!);
    if ((attrs.action ?? '').split('#')[0] !== action) continue;
    const inner = m[2]!;
    for (const f of inner.matchAll(/<input\b[^>]*>|<textarea\b[^>]*>([\s\S]*?)<\/textarea>/gi)) {
      const tag = f[0].slice(0, f[0].indexOf('>') + 1);
      const a = attributes(tag);
      if (!a.name) continue;
      const value = /^<textarea/i.test(tag)
        ? decodeHtml((f[1] ?? '').replace(/^\r?\n/, ''))
        : (a.value ?? '');
      shown.set(a.name, [...(shown.get(a.name) ?? []), value]);
    }
  }
  return shown;
}
