import t from 'tap';
import { MAX_AGE_MS, pageCache } from './page-cache.js';

const page = (text: string) => ({ segments: [text], slots: [], length: text.length });
const MB = 1024 * 1024;

t.test('keeps pages up to its size, least recently used out first', async (t) => {
  // 1 MB holds two pages of 200,000 characters (400,000 bytes each), not three.
  const cache = pageCache(1);
  const big = (c: string) => page(c.repeat(200_000));
  cache.set('a', big('a'), Infinity, 0);
  cache.set('b', big('b'), Infinity, 0);
  t.ok(cache.get('a', 0), 'a is kept');
  cache.set('c', big('c'), Infinity, 0);
  t.ok(cache.get('a', 0), 'a, used last, is kept');
  t.notOk(cache.get('b', 0), 'b, used least recently, went out');
  t.ok(cache.get('c', 0), 'c is kept');
  t.same(cache.size, { pages: 2, bytes: 800_000 });
  t.ok(cache.size.bytes <= MB);
});

t.test('a page is not served after the time its content changes', async (t) => {
  const cache = pageCache(1);
  cache.set('k', page('<p>møte</p>'), 1000, 0);
  t.ok(cache.get('k', 999), 'served before');
  t.notOk(cache.get('k', 1000), 'not served at that time');
  t.same(cache.size, { pages: 0, bytes: 0 }, 'and dropped');
});

t.test('a page larger than the whole cache is not kept; 0 MB keeps nothing', async (t) => {
  const small = pageCache(1);
  small.set('huge', page('x'.repeat(MB)), Infinity, 0);
  t.notOk(small.get('huge', 0));
  const none = pageCache(0);
  t.notOk(none.enabled);
  none.set('k', page('x'), Infinity, 0);
  t.notOk(none.get('k', 0));
});

t.test('setting a key again replaces its page and its size', async (t) => {
  const cache = pageCache(1);
  cache.set('k', page('one'), Infinity, 0);
  cache.set('k', page('three'), Infinity, 0);
  t.equal(cache.get('k', 0)?.segments[0], 'three');
  t.same(cache.size, { pages: 1, bytes: 10 });
});

t.test('no page is kept longer than MAX_AGE_MS; sweep drops what has passed', async (t) => {
  const cache = pageCache(1);
  cache.set('old', page('old'), Infinity, 0);
  cache.set('new', page('new'), Infinity, MAX_AGE_MS);
  t.notOk(cache.get('old', MAX_AGE_MS), 'not served at its maximum age');
  cache.set('meeting', page('meeting'), 100, 0);
  cache.sweep(MAX_AGE_MS);
  t.same(cache.size, { pages: 1, bytes: 6 }, 'only the page still in time is left');
  t.ok(cache.get('new', MAX_AGE_MS));
});
