/** The page rule that gives a PDF its margins, running header and footer (src/plugins/pdf.ts). */
import t from 'tap';
import type { Page } from 'puppeteer';
import { cssString, LOADS_DATA_URL, PdfError, pageCss, renderOn, withPageCss } from './pdf.js';

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

t.test('a document waits for its load event only when it loads a data: URL', async (t) => {
  for (const html of [
    '<img alt="" src="data:image/png;base64,iVBORw0KGgo=">',
    "<img alt='' SRC = 'data:image/jpeg;base64,/9j/'>",
    '<style>.logo { background: url( "data:image/svg+xml,%3Csvg%3E" ) }</style>',
  ])
    t.match(html, LOADS_DATA_URL, html);
  for (const html of [
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:">',
    '<p>Se data: fraværet i oktober.</p>',
    '<p>src = data</p>',
  ])
    t.notMatch(html, LOADS_DATA_URL, html);
});

t.test('a print that the browser never answers ends at its time limit', async (t) => {
  const silent = {
    setContent: async () => {},
    createCDPSession: async () => ({ send: () => new Promise(() => {}) }),
  } as unknown as Page;
  await t.rejects(renderOn(silent, { html: '<p>x</p>' }, {}, 50), new PdfError('timeout', ''));
});
