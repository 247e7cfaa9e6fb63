import t from 'tap';
import { pageCache } from './page-cache.js';

const page = (text: string) => ({ segments: [text], slots: [], length: text.length });
const MB = 1024 * 1024;

t.test('keeps pages up to its size, least recently used out first', async (t) => {
  // 1 MB holds two pages of 200,000 characters (400,000 bytes each), not three.
  const cache = pageCache(1);
  const big = (c: string) => page(c.repeat(200_000));
  cache.set('a', big('a'), Infinity);
  cache.set('b', big('b'), Infinity);
  t.ok(cache.get('a', 0), 'a is kept');
  cache.set('c', big('c'), Infinity);
  t.ok(cache.get('a', 0), 'a, used last, is kept');
  t.notOk(cache.get('b', 0), 'b, used least recently, went out');
  t.ok(cache.get('c', 0), 'c is kept');
  t.same(cache.size, { pages: 2, bytes: 800_000 });
  t.ok(cache.size.bytes <= MB);
});

t.test('a page is not served after the time its content changes', async (t) => {
  const cache = pageCache(1);
  cache.set('k', page('<p>møte</p>'), 1000);
  t.ok(cache.get('k', 999), 'served before');
  t.notOk(cache.get('k', 1000), 'not served at that time');
  t.same(cache.size, { pages: 0, bytes: 0 }, 'and dropped');
});

t.test('a page larger than the whole cache is not kept; 0 MB keeps nothing', async (t) => {
  const small = pageCache(1);
  small.set('huge', page('x'.repeat(MB)), Infinity);
  t.notOk(small.get('huge', 0));
  const none = pageCache(0);
  t.notOk(none.enabled);
  none.set('k', page('x'), Infinity);
  t.notOk(none.get('k', 0));
});

t.test('setting a key again replaces its page and its size', async (t) => {
  const cache = pageCache(1);
  cache.set('k', page('one'), Infinity);
  cache.set('k', page('three'), Infinity);
  t.equal(cache.get('k', 0)?.segments[0], 'three');
  t.same(cache.size, { pages: 1, bytes: 10 });
});
