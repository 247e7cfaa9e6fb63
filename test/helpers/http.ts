/**
 * For tests against a real server process: start `src/server.ts` with a given environment and keep
 * everything it writes (stdout and stderr, where its log goes), and a small browser-like client over
 * fetch that keeps cookies and the last page's CSRF token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { csrfTokenIn } from './app.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  child: ChildProcess;
  /** The address it listens on, once it does. */
  listening: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process has written so far. */
  output: () => string;
  /** SIGTERM, and wait until it has exited. */
  stop: () => Promise<void>;
}

export function startServerProcess(env: NodeJS.ProcessEnv): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /Stafett kjører på (http:\/\/\S+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    });
  });
  listening.catch(() => {});
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return { child, listening, exited, output: () => output, stop };
}

export interface HttpResponse {
  status: number;
  location: string;
  body: string;
}

/** Keeps cookies like a browser and posts forms with the CSRF token of the last page it saw. */
export class HttpAgent {
  readonly cookies = new Map<string, string>();
  csrfToken = '';

  constructor(readonly base: string) {}

  private async send(url: string, init: RequestInit): Promise<HttpResponse> {
    const response = await fetch(`${this.base}${url}`, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1).trim();
      if (value) this.cookies.set(pair.slice(0, eq).trim(), value);
      else this.cookies.delete(pair.slice(0, eq).trim());
    }
    const body = await response.text();
    const token = csrfTokenIn(body);
    if (token) this.csrfToken = token;
    return { status: response.status, location: response.headers.get('location') ?? '', body };
  }

  get(url: string): Promise<HttpResponse> {
    return this.send(url, { method: 'GET' });
  }

  /** A form post; the CSRF token is the one given, or the last page's. */
  post(url: string, form: Record<string, string | string[]>, csrf = this.csrfToken): Promise<HttpResponse> {
    const body = new URLSearchParams();
    body.append('_csrf', csrf);
    for (const [name, value] of Object.entries(form))
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }
}
