/**
 * Steady load on a real server the way browsers with JavaScript off make it: page GETs and form posts
 * (URL-encoded, with the CSRF token and the session cookie), each simulated person on one keep-alive
 * connection of their own. A page answered 503 with Retry-After (a stopping server) makes them wait that
 * long before they go on, as a person reading "try again in a moment" would. Every request is recorded
 * with the moment its bytes were handed to the network (null when it never got that far, e.g. a refused
 * connection) and how it ended.
 *
 *   const load = startLoad(base, { people: 6, email: 'stafettholder@stafett.example' });
 *   ...; const outcomes = await load.stop();
 */
import http from 'node:http';
import { DEMO_PASSWORD } from '../../seeds/01_organisation.js';

export interface Outcome {
  what: string;
  /** When the request was written to the socket (ms, Date.now()), or null if it never was. */
  sentAt: number | null;
  status: number | null;
  /** The error code when no answer came: ECONNREFUSED, ECONNRESET, timeout, … */
  error: string | null;
  /** When the answer (or the error) came. */
  endedAt: number;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

class RequestFailed extends Error {}

/** One person: a cookie jar and a keep-alive connection. */
class Browser {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly cookies = new Map<string, string>();

  constructor(
    private readonly base: URL,
    private readonly record: (outcome: Outcome) => void,
    private readonly timeoutMs: number,
  ) {}

  request(
    what: string,
    method: 'GET' | 'POST',
    path: string,
    form?: Record<string, string>,
  ): Promise<Answer> {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    return new Promise((resolve, reject) => {
      const outcome: Outcome = { what, sentAt: null, status: null, error: null, endedAt: 0 };
      let settled = false;
      const settle = (error: string | null, answer?: Answer) => {
        if (settled) return;
        settled = true;
        outcome.endedAt = Date.now();
        outcome.error = error;
        outcome.status = answer?.status ?? null;
        this.record(outcome);
        if (answer) {
          // Told to try again in a moment (503 with Retry-After, a stopping server), a person waits first.
          const wait = answer.status === 503 ? Number(answer.headers['retry-after'] ?? 0) * 1000 : 0;
          if (wait > 0) setTimeout(() => resolve(answer), Math.min(wait, 5000));
          else resolve(answer);
        } else reject(new RequestFailed(error ?? 'failed'));
      };
      const req = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          agent: this.agent,
          headers: {
            cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            accept: 'text/html',
            ...(body
              ? {
                  'content-type': 'application/x-www-form-urlencoded',
                  'content-length': Buffer.byteLength(body),
                }
              : {}),
          },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error: NodeJS.ErrnoException) => settle(error.code ?? error.message));
          res.on('end', () => {
            for (const cookie of res.headers['set-cookie'] ?? []) {
              const [pair] = cookie.split(';');
              const at = pair!.indexOf('=');
              this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
            }
            settle(null, {
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      req.on('finish', () => (outcome.sentAt = Date.now()));
      req.on('timeout', () => {
        settle('timeout');
        req.destroy();
      });
      req.on('error', (error: NodeJS.ErrnoException) => settle(error.code ?? error.message));
      req.end(body);
    });
  }

  /** Forgets the session, as a new browser window would. */
  clearCookies() {
    this.cookies.clear();
  }

  close() {
    this.agent.destroy();
  }
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';
const formTokenOf = (html: string) => /name="formToken" value="([^"]*)"/.exec(html)?.[1] ?? '';

/**
 * What one person does, over and over: the login page, signing in (argon2: a slow post), their logs,
 * a glimmer (form page + post), a PDF of the plan (slow: Chromium), the home page.
 */
async function session(browser: Browser, email: string, round: number, logId: () => Promise<string>) {
  browser.clearCookies();
  const login = await browser.request('GET /login', 'GET', '/login');
  await browser.request('POST /login', 'POST', '/login', {
    _csrf: csrfOf(login.body),
    email,
    password: DEMO_PASSWORD,
  });
  const id = await logId();
  const form = await browser.request('GET glimmer form', 'GET', `/logs/${id}/glimmers/new`);
  await browser.request('POST glimmer', 'POST', `/logs/${id}/glimmers`, {
    _csrf: csrfOf(form.body),
    formToken: formTokenOf(form.body),
    text: `Fin dag på skolen (runde ${round}).`,
  });
  if (round % 3 === 0) {
    const prints = await browser.request('GET prints', 'GET', `/logs/${id}/prints`);
    await browser.request('POST print (PDF)', 'POST', `/logs/${id}/prints`, {
      _csrf: csrfOf(prints.body),
      reason: 'meeting',
    });
  }
  await browser.request('GET /', 'GET', '/');
}

export interface Load {
  /** Outcomes so far. */
  readonly outcomes: readonly Outcome[];
  /** Resolves once at least `count` requests have been answered. */
  answered(count: number): Promise<void>;
  /** Stops sending and resolves with every outcome once the requests in progress have ended. */
  stop(): Promise<Outcome[]>;
}

export function startLoad(
  base: string,
  options: { people: number; email: string; timeoutMs?: number },
): Load {
  const outcomes: Outcome[] = [];
  let stopped = false;
  const waiters: { count: number; resolve: () => void }[] = [];
  const record = (outcome: Outcome) => {
    outcomes.push(outcome);
    const answered = outcomes.filter((o) => o.status !== null).length;
    for (const waiter of waiters.filter((w) => answered >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const url = new URL(base);
  let logIdPromise: Promise<string> | undefined;
  const people = Array.from({ length: options.people }, async (_, person) => {
    const browser = new Browser(url, record, options.timeoutMs ?? 30_000);
    const logId = () =>
      (logIdPromise ??= browser.request('GET /logs', 'GET', '/logs').then((page) => {
        const id = /href="\/logs\/(\d+)"/.exec(page.body)?.[1];
        if (!id) throw new Error(`no log on /logs (status ${page.status})`);
        return id;
      }));
    try {
      // A person stops at the first request that gets no answer (the server has stopped listening).
      for (let round = person; !stopped; round += 1) await session(browser, options.email, round, logId);
    } catch (error) {
      if (!(error instanceof RequestFailed)) throw error;
    } finally {
      browser.close();
    }
  });
  const all = Promise.all(people);
  return {
    outcomes,
    answered: (count) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ count, resolve });
        all.then(() => reject(new Error(`the load ended before ${count} answers`)), reject);
      }),
    stop: async () => {
      stopped = true;
      await all;
      return outcomes;
    },
  };
}
