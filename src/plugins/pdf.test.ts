/** The page rule that gives a PDF its margins, running header and footer (src/plugins/pdf.ts). */
import t from 'tap';
import { cssString, pageCss, withPageCss } from './pdf.js';

t.test('any text becomes one CSS string that cannot end the string or the style element', async (t) => {
  t.equal(cssString('Plan for Ida'), '"Plan for Ida"');
  t.equal(cssString('«Ida» "Kim" \\ </style>'), '"«Ida» \\22 Kim\\22  \\5c  \\3c /style\\3e "');
  t.equal(cssString('a\nb\u0000'), '"a\\a b\\0 "', 'line breaks and control characters are escaped');
});

t.test('the page rule: margins, and the header and footer only when asked for', async (t) => {
  t.equal(pageCss({}), '@page { margin: 15mm 15mm; }', 'no bands: the narrower margins');
  const css = pageCss({
    header: 'Plan for Ida',
    footer: { left: 'Laget i dag', pages: 'Side {page} av {total}' },
  });
  t.match(css, /^@page \{ margin: 20mm 15mm; /);
  t.match(css, /@top-left \{ content: "Plan for Ida";/);
  t.match(css, /@bottom-left \{ content: "Laget i dag";/);
  t.match(css, /@bottom-right \{ content: "Side " counter\(page\) " av " counter\(pages\);/);
  t.match(
    pageCss({ footer: { left: '', pages: '{page}/{total}' } }),
    /content: counter\(page\) "\/" counter\(pages\);/,
  );
  t.notMatch(
    pageCss({ footer: { left: 'x', pages: '' } }),
    /@bottom-right/,
    'no page numbers when none are wanted',
  );
});

t.test('the rule goes first, so the document’s own @page rules win', async (t) => {
  t.equal(
    withPageCss(
      '<!DOCTYPE html><html lang="nb"><HEAD><style>a{}</style></head><header></header></html>',
      'P',
    ),
    '<!DOCTYPE html><html lang="nb"><HEAD><style>P</style><style>a{}</style></head><header></header></html>',
    'first in the head',
  );
  t.equal(
    withPageCss('<!DOCTYPE html><html lang="nb"><title>x</title>', 'P'),
    '<!DOCTYPE html><html lang="nb"><style>P</style><title>x</title>',
    'after the html tag',
  );
  t.equal(
    withPageCss('<!doctype html><p>x</p>', 'P'),
    '<!doctype html><style>P</style><p>x</p>',
    'after the doctype',
  );
  t.equal(withPageCss('<p>x</p>', 'P'), '<style>P</style><p>x</p>');
});
