/** What an included template and a partial see (src/plugins/views.ts): the engine the pages use. */
import t from 'tap';
import { viewEngine } from './views.js';

function engine(templates: Record<string, string>) {
  const eta = viewEngine(true);
  for (const [name, text] of Object.entries(templates)) eta.loadTemplate(name, text);
  return eta;
}

t.test("include() merges its data over the includer's; partial() gets only its data", async (t) => {
  const eta = engine({
    '@page': "<%~ include('@box', { b: 'B' }) %>|<%~ partial('@box', { b: 'B' }) %>",
    '@box': "<%= it.a ?? '-' %><%= it.b %><%= it.c ?? '-' %>",
  });
  t.equal(eta.render('@page', { a: 'A', c: 'C' }), 'ABC|-B-');
});

t.test('data given to include() wins over the same key in the includer', async (t) => {
  const eta = engine({
    '@page': "<%~ include('@box', { a: 'inner' }) %> <%= it.a %>",
    '@box': '<%= it.a %>',
  });
  t.equal(eta.render('@page', { a: 'outer' }), 'inner outer', "the includer's own it is not changed");
});

t.test('include(name, it) hands on the same data, and nested includes still see every key', async (t) => {
  const seen: object[] = [];
  const eta = engine({
    '@page': "<%~ include('@middle', it) %>",
    '@middle': "<% it.saw(it) %><%~ include('@leaf', { b: 2 }) %>",
    '@leaf': '<%= it.a %>+<%= it.b %>',
  });
  const data = { a: 1, saw: (it: object) => seen.push(it) };
  t.equal(eta.render('@page', data), '1+2');
  t.equal(seen[0], data, 'the included template got the page data itself, not a copy');
});

t.test('a layout gets the page body, its own data and every key of the page', async (t) => {
  const eta = engine({
    '@page': "<% layout('@layout', { title: 'T' }) %>body of <%= it.name %>",
    '@layout': '<%= it.title %>: <%~ it.body %> (<%= it.name %>)',
  });
  t.equal(eta.render('@page', { name: 'Maja' }), 'T: body of Maja (Maja)');
});
