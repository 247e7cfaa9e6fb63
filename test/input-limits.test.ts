/**
 * Input at the edges, each through the real app: row versions and ids too large for PostgreSQL's
 * integer, return addresses with line breaks or pointing elsewhere, an upload refused for its size on
 * a kept-alive connection (a real socket), and date boxes that come back as they were typed.
 */
import net from 'node:net';
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { idaLogId } from './plan-fixture.js';
import { tinyPdf } from './notes-fixtures.js';
import { postForms, shownValues } from './helpers/form-reader.js';
import { accessPeople, buildWorld, EMAIL } from './helpers/access-world.js';

const HOLDER = 'stafettholder@stafett.example';

/** One raw connection: write bytes, wait for what comes back, see whether the server closed it. */
async function rawConnection(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const state = { received: '', closed: false };
  const listeners = new Set<() => void>();
  socket.on('data', (data) => {
    state.received += data.toString('latin1');
    for (const l of listeners) l();
  });
  const onClose = () => {
    state.closed = true;
    for (const l of listeners) l();
  };
  socket.on('close', onClose);
  socket.on('error', onClose);
  return {
    state,
    write: (chunk: Buffer | string) =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) resolve();
        else socket.write(chunk, () => resolve());
      }),
    /** Waits until `ready` holds (true) or the time is up (false). */
    waitFor: (ready: () => boolean, timeoutMs: number) =>
      new Promise<boolean>((resolve) => {
        const check = () => {
          if (!ready()) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          resolve(false);
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    destroy: () => socket.destroy(),
  };
}

const statusLines = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

t.test('an upload refused as too large never leaves its kept-alive connection hanging', async (t) => {
  const { app, db } = await testApp(t, { ATTACHMENT_MAX_MB: '1' });
  const agent = new Agent(app);
  await signIn(agent, HOLDER);
  const logId = await idaLogId(db);
  await agent.get(`/logs/${logId}/notes/new`);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const port = Number(new URL(address).port);

  const boundary = '----keepalive';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${agent.csrfToken}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\nNotat med stort vedlegg.\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="stor.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const next = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n';
  const headers = (length: number) =>
    `POST /logs/${logId}/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n` +
    `Cookie: ${agent.cookieHeader()}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
    `Content-Length: ${length}\r\n\r\n`;
  const upload = (size: number) => Buffer.concat([head, tinyPdf(), Buffer.alloc(size, 0x20), tail]);

  // A client that stops sending the body once the server has answered (RFC 9112 9.5), then asks again:
  // an upload far over the limit, and a plain form far over the body limit.
  const form = `_csrf=${agent.csrfToken}&text=${'a'.repeat(2 * 1024 * 1024)}`;
  for (const [label, head, body] of [
    ['an upload far over the limit', headers(upload(8 * 1024 * 1024).length), upload(8 * 1024 * 1024)],
    [
      'a form far over the body limit',
      `POST /notes HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${agent.cookieHeader()}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n`,
      Buffer.from(form),
    ],
  ] as const) {
    const connection = await rawConnection(port);
    await connection.write(head);
    await connection.write(body.subarray(0, 64 * 1024));
    const answered = await connection.waitFor(() => statusLines(connection.state.received).length >= 1, 8000);
    t.ok(answered, `${label} is answered before its body is read`);
    t.equal(statusLines(connection.state.received)[0], 413, 'with 413');
    await connection.write(next);
    const settled = await connection.waitFor(
      () => statusLines(connection.state.received).length >= 2 || connection.state.closed,
      8000,
    );
    connection.destroy();
    t.ok(settled, 'the next request on that connection is answered, or the connection is closed at once');
    t.ok(
      statusLines(connection.state.received)[1] === 200 ||
        /^connection: close/im.test(connection.state.received),
      'served, or the refusal said that the connection closes',
    );
  }

  // A client that sends the whole body and then the next request: both are answered.
  for (const [label, size] of [
    ['far over the limit', 8 * 1024 * 1024],
    ['just over the limit (read, then refused)', 1024 * 1024 + 10],
  ] as const) {
    const body = upload(size);
    const connection = await rawConnection(port);
    await connection.write(headers(body.length));
    await connection.write(body);
    await connection.write(next);
    const settled = await connection.waitFor(
      () => statusLines(connection.state.received).length >= 2 || connection.state.closed,
      8000,
    );
    connection.destroy();
    const statuses = statusLines(connection.state.received);
    t.ok(settled, `${label}: nothing hangs (${statuses.join(', ') || 'no answer'})`);
    t.ok(
      statuses[0]! >= 400 && statuses[0]! < 500,
      `${label}: the upload is refused with a 4xx (${statuses[0]})`,
    );
    t.ok(
      statuses[1] === 200 || /^connection: close/im.test(connection.state.received),
      `${label}: the next request is served, or the refusal said that the connection closes`,
    );
  }

  // An ordinary request keeps its connection.
  {
    const connection = await rawConnection(port);
    await connection.write(next);
    await connection.write(next);
    const both = await connection.waitFor(() => statusLines(connection.state.received).length >= 2, 8000);
    connection.destroy();
    t.ok(both, 'two requests on one connection are both answered');
    t.notMatch(connection.state.received, /^connection: close/im, 'and the connection is kept');
  }
});

t.test('return addresses from a form are always a path on this site', async (t) => {
  const { app } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, HOLDER);
  const hostile = [
    '/logs\r\nSet-Cookie: stafett=evil',
    '/\r\n\r\n<h1>x</h1>',
    '/logs\nx',
    '/\t/evil.example',
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    '/\\/evil.example',
    'javascript:alert(1)',
    `/${'a'.repeat(5000)}`,
    '',
  ];
  for (const url of ['/language', '/session/extend']) {
    for (const returnTo of hostile) {
      const response = await agent.post(url, { lang: 'en', returnTo });
      const location = String(response.headers.location ?? '');
      t.equal(response.statusCode, 303, `${url} with ${JSON.stringify(returnTo.slice(0, 40))}: 303`);
      t.equal(location, '/', 'to the front page');
    }
    const odd = await agent.post(url, { lang: 'nb', returnTo: '/logs?q=æ ø#top' });
    t.equal(
      odd.headers.location,
      '/logs?q=%C3%A6%20%C3%B8#top',
      `${url}: a local path, encoded for the header`,
    );
    const plain = await agent.post(url, { lang: 'nb', returnTo: '/notes' });
    t.equal(plain.headers.location, '/notes', `${url}: an ordinary local path is followed`);
  }
});

t.test('a garbled row version is a conflict that keeps the typed text, never a 500', async (t) => {
  const { app, db } = await testApp(t);
  const people = await accessPeople(db);
  const world = await buildWorld(db, people);
  const agent = new Agent(app);
  await signIn(agent, EMAIL.holder);
  const forms = [
    { page: `/logs/${world.logId}/concerns/${world.concernA}/edit`, field: 'title' },
    { page: `/notes/${world.privateNoteId}/edit`, field: 'text' },
    { page: `/logs/${world.logId}/notes/${world.logNoteId}/edit`, field: 'text' },
    { page: `/logs/${world.logId}/meetings/${world.meetingId}/edit`, field: 'purpose' },
    { page: `/logs/${world.logId}/goals/${world.goalA}/edit`, field: 'text' },
  ];
  for (const { page, field } of forms) {
    const html = (await agent.get(page)).body;
    const form = postForms(html).find((f) => f.fields.some((x) => x.name === 'version'));
    if (!form) {
      t.fail(`no form with a version on ${page}`);
      continue;
    }
    for (const version of ['99999999999999999999', '1e308', '2147483648', '-1', 'abc']) {
      const typed = `Skrevet på nytt <${version}>`;
      const fields = Object.fromEntries(form.fields.map((f) => [f.name, f.value]));
      const response = await agent.post(form.action, { ...fields, [field]: typed, version });
      t.ok(
        response.statusCode >= 400 && response.statusCode < 500,
        `${form.action} with version ${version}: ${response.statusCode}`,
      );
      const shown = shownValues(response.body, form.action);
      t.ok(shown?.get(field)?.includes(typed), 'the typed text is in the form again');
    }
  }
});

t.test('an id in the address that cannot be one is not found, on every route', async (t) => {
  const { app } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, EMAIL.holder);
  const routes = [
    ...new Set(
      app.routeTable
        .filter((r) => (r.method === 'GET' || r.method === 'POST') && r.url.includes('/:'))
        .map((r) => `${r.method} ${r.url}`),
    ),
  ];
  const failures: string[] = [];
  let sent = 0;
  for (const route of routes) {
    const [method, pattern] = route.split(' ') as [string, string];
    for (const bad of ['99999999999999999999', '2147483648', '-1', '1e308', '0x10', '%00']) {
      const url = pattern.replace(/:\w+/g, bad);
      const response = method === 'GET' ? await agent.get(url) : await agent.post(url, {});
      sent++;
      if (response.statusCode !== 404) failures.push(`${method} ${url}: ${response.statusCode}`);
    }
  }
  t.same(failures, [], `${sent} requests with impossible ids answer 404`);
});
