/** The Nu HTML checker helper itself: it finds errors (an hx-* attribute, a missing alt) and says where. */
import t from 'tap';
import { checkHtml } from './helpers/html-check.js';

const page = (body: string) =>
  `<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>Prøve</title></head><body><main>${body}</main></body></html>`;

t.test('valid documents pass and invalid ones are reported with their label and line', async (t) => {
  const { checked, errors } = await checkHtml([
    {
      label: 'valid',
      html: page('<form method="post" action="/x" data-hx-post="/x"><button>Lagre</button></form>'),
    },
    {
      label: 'htmx attribute',
      html: page('<form method="post" action="/x" hx-post="/x"><button>Lagre</button></form>'),
    },
    { label: 'image', html: page('<img src="/a.png">') },
  ]);
  t.equal(checked, 3);
  t.same(
    errors.map((e) => e.label),
    ['htmx attribute', 'image'],
  );
  t.match(errors[0]!.message, /hx-post/);
  t.match(errors[1]!.message, /alt/);
  t.equal(errors[0]!.line, 1);
});
