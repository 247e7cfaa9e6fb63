/**
 * Writes src/i18n/message-keys.generated.ts from the bokmål messages (src/i18n/locales/nb.json): the
 * MessageKey union and, per key, the values its message takes, so `t('meeting.minutes', { n })` is
 * type-checked. `npm run i18n:types` writes the file; `--check` only says whether it is up to date
 * (npm run typecheck runs that, and test/i18n.test.ts fails when it is not).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import * as prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const sourceFile = path.join(root, 'src/i18n/locales/nb.json');
export const typesFile = path.join(root, 'src/i18n/message-keys.generated.ts');

/**
 * The kind of value an argument takes: text (or a number shown as is), a formatted number, a count
 * that chooses a plural form, a choice (select), a date.
 */
export type ArgumentKind = 'text' | 'number' | 'plural' | 'select' | 'date';
const RANK: Record<ArgumentKind, number> = { text: 0, select: 1, date: 1, number: 2, plural: 3 };

/** The arguments of a message, by name, with their kinds. */
export function messageArguments(message: string): Map<string, ArgumentKind> {
  const found = new Map<string, ArgumentKind>();
  const note = (name: string, kind: ArgumentKind) => {
    // A name used both as plain text and as a count is a count: it must be given a number.
    const before = found.get(name);
    if (!before || RANK[kind] > RANK[before]) found.set(name, kind);
  };
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (el.type === TYPE.argument) note(el.value, 'text');
      else if (el.type === TYPE.number) note(el.value, 'number');
      else if (el.type === TYPE.date || el.type === TYPE.time) note(el.value, 'date');
      else if (el.type === TYPE.plural) {
        note(el.value, 'plural');
        for (const option of Object.values(el.options)) walk(option.value);
      } else if (el.type === TYPE.select) {
        note(el.value, 'select');
        for (const option of Object.values(el.options)) walk(option.value);
      } else if (el.type === TYPE.tag) walk(el.children);
    }
  };
  walk(parse(message, { ignoreTag: true, requiresOtherClause: true }));
  return found;
}

const TS_TYPE: Record<ArgumentKind, string> = {
  text: 'string | number',
  number: 'number',
  plural: 'number',
  select: 'string',
  date: 'Date | number',
};

/** The file's text, formatted as prettier would. */
export async function generateMessageTypes(): Promise<string> {
  const messages = JSON.parse(readFileSync(sourceFile, 'utf8')) as Record<string, string>;
  const lines = Object.entries(messages).map(([key, message]) => {
    const args = [...messageArguments(message)].map(([name, kind]) => `${name}: ${TS_TYPE[kind]}`);
    return `  ${JSON.stringify(key)}: ${args.length ? `{ ${args.join('; ')} }` : 'never'};`;
  });
  const text = [
    '/**',
    ' * Generated from src/i18n/locales/nb.json by `npm run i18n:types`: do not edit by hand.',
    ' * MessageValues[key] is what t(key, values) takes; never means the message takes no values.',
    ' */',
    'export interface MessageValues {',
    ...lines,
    '}',
    '',
    'export type MessageKey = keyof MessageValues;',
    '',
  ].join('\n');
  const options = await prettier.resolveConfig(typesFile);
  return prettier.format(text, { ...options, filepath: typesFile });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const generated = await generateMessageTypes();
  const current = (() => {
    try {
      return readFileSync(typesFile, 'utf8');
    } catch {
      return '';
    }
  })();
  if (process.argv.includes('--check')) {
    if (current !== generated) {
      console.error(`${path.relative(root, typesFile)} is out of date: run npm run i18n:types`);
      process.exit(1);
    }
  } else if (current !== generated) {
    writeFileSync(typesFile, generated);
    console.log(`wrote ${path.relative(root, typesFile)}`);
  }
}
