/**
 * In real Chromium: the first visit to a log page fetches its stylesheets and scripts once; loading
 * it again asks the server for no static file at all (fingerprinted, cached for a year). Counted on
 * both sides: the requests that reach the server, and the browser's requests not served from its
 * cache. Also: nothing the page loads is refused by the CSP or fails.
 */
import type { IncomingMessage } from 'node:http';
import t from 'tap';
import type { HTTPResponse } from 'puppeteer';
import { browserApp, goto, pageProblems, signInBrowser } from './helpers/browser.js';
import { idaLogId } from './plan-fixture.js';

t.test('a repeat visit to a log page makes no static requests', async (t) => {
  const site = await browserApp(t);
  const atServer: string[] = [];
  const onRequest = (request: IncomingMessage) => {
    if (request.url?.startsWith('/public/')) atServer.push(request.url);
  };
  site.app.server.on('request', onRequest);
  t.teardown(() => site.app.server.off('request', onRequest));

  const page = await site.newPage({ javascript: true });
  const fromNetwork: string[] = [];
  page.on('response', (response: HTTPResponse) => {
    if (new URL(response.url()).pathname.startsWith('/public/') && !response.fromCache())
      fromNetwork.push(response.url());
  });
  await signInBrowser(page, 'stafettholder@stafett.example');
  const url = `/logs/${await idaLogId(site.db)}`;

  // First visit: an empty cache, as a browser that has never been here.
  const cdp = await page.createCDPSession();
  await cdp.send('Network.clearBrowserCache');
  atServer.length = 0;
  fromNetwork.length = 0;
  const first = await goto(page, url);
  t.equal(first?.status(), 200);
  // print.css is imported by app.css for print only; Chromium may fetch it later or not at all.
  const expected = ['css/app', 'vendor/htmx.min', 'js/app', 'js/session'];
  for (const name of expected) {
    t.ok(
      atServer.some((u) => new RegExp(`^/public/${name}\\.[0-9a-f]{10}\\.`).test(u)),
      `first visit: ${name} is fetched by its fingerprinted address`,
    );
  }
  t.comment(`first visit: ${atServer.length} static requests (${atServer.join(', ')})`);

  // The same page again, as by following a link to it: nothing static leaves the browser.
  atServer.length = 0;
  fromNetwork.length = 0;
  const repeat = await goto(page, url);
  t.equal(repeat?.status(), 200);
  t.ok(await page.$('link[rel="stylesheet"]'), 'the page still has its stylesheet');
  t.equal(
    await page.evaluate(() => getComputedStyle(document.querySelector('.skip-link')!).position),
    'absolute',
    'and it is applied',
  );
  t.same(atServer, [], 'repeat visit: no static request reaches the server');
  t.same(fromNetwork, [], 'repeat visit: every static file comes from the browser cache');
  t.same(pageProblems(page), [], 'no script error, CSP refusal or failed request');
});
