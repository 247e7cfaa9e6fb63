/**
 * The consent paperwork's texts: every document language has every key of bokmål (the source), with the
 * same placeholders, in valid ICU MessageFormat; and nothing in one file is left in bokmål by mistake.
 */
import t from 'tap';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { DOCUMENT_LANGUAGES } from '../../domain/document-languages.js';
import { allDocumentTexts, documentTranslator } from './texts.js';

/** The placeholders of a message, sorted. */
function placeholders(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const e of elements) {
      if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date) names.add(e.value);
      if (e.type === TYPE.plural || e.type === TYPE.select) {
        names.add(e.value);
        for (const option of Object.values(e.options)) walk(option.value);
      }
    }
  };
  walk(parse(message));
  return [...names].sort();
}

const all = allDocumentTexts();
const source = all.nb;

for (const language of DOCUMENT_LANGUAGES) {
  t.test(`${language}: the same keys and placeholders as bokmål, valid ICU`, async (t) => {
    const texts = all[language];
    t.same(Object.keys(texts).sort(), Object.keys(source).sort(), 'the same keys');
    for (const [key, message] of Object.entries(texts)) {
      t.doesNotThrow(() => parse(message), `${key} parses`);
      t.same(placeholders(message), placeholders(source[key] ?? ''), `${key}: the same placeholders`);
      t.ok(message.trim().length > 0, `${key} is not empty`);
    }
  });
}

t.test('texts of other languages are not bokmål left untranslated', async (t) => {
  for (const language of ['en', 'pl', 'uk', 'ar', 'so'] as const) {
    const same = Object.keys(source).filter(
      (key) => all[language][key] === source[key] && !/^\{?\w*\}?:? ?\{\w+\}$/.test(source[key]!),
    );
    t.same(same, [], `${language}: no message identical to bokmål`);
  }
});

t.test('a message is formatted in its language with its values', async (t) => {
  t.equal(
    documentTranslator('nb')('period.text', { from: '1. mars 2026', to: '1. mars 2027' }),
    'Samtykket gjelder fra 1. mars 2026 til og med 1. mars 2027.',
  );
  t.throws(() => documentTranslator('so')('no.such.key'), /missing/);
});
