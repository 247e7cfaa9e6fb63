/**
 * A local SMTP server that keeps what it receives in memory: the development mail catcher, and the
 * real SMTP server of the notification tests. It uses smtp-server, a development dependency, so it is
 * only ever imported in development and tests.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { readMessage, type ReadMessage } from './mime.js';

export interface CaughtMessage extends ReadMessage {
  envelopeTo: string[];
  raw: string;
  receivedAt: Date;
}

export interface Catcher {
  readonly port: number;
  readonly url: string;
  readonly messages: CaughtMessage[];
  /** Resolves when at least `count` messages have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<CaughtMessage[]>;
  close(): Promise<void>;
}

/** Starts on 127.0.0.1; port 0 picks a free one. Keeps the newest `keep` messages. */
export async function startCatcher(
  options: { port?: number; keep?: number; messages?: CaughtMessage[] } = {},
): Promise<Catcher> {
  const messages = options.messages ?? [];
  const keep = options.keep ?? 200;
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'Stafett mail catcher',
    size: 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        messages.push({
          ...readMessage(raw),
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          raw: raw.toString('latin1'),
          receivedAt: new Date(),
        });
        if (messages.length > keep) messages.splice(0, messages.length - keep);
        for (const wake of waiters) wake();
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(count, timeoutMs = 10_000) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`waited ${timeoutMs} ms for ${count} e-mails, got ${messages.length}`));
        }, timeoutMs);
        const check = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages);
        };
        waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
