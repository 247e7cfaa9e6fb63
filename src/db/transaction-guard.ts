/**
 * A guard against the pool deadlock: code that holds a connection in a transaction and then asks for
 * another one (a repository called with the plain db, an audit row written outside the transaction, a
 * job sent through pg-boss's own pool) waits for the others under a burst larger than the pool, and
 * every request ends in a timeout. With the guard installed on a pool (the tests do it), such a call
 * fails at once with SecondConnectionError, wherever it is, even when only one request runs.
 *
 * The transaction's callback runs in an AsyncLocalStorage context that marks the connection as held;
 * anything started from it (awaited or not) sees the mark until the callback has finished.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Knex } from 'knex';

interface Held {
  open: boolean;
}

const held = new AsyncLocalStorage<Held[]>();
const guarded = new WeakSet<object>();

export class SecondConnectionError extends Error {
  constructor(what: string) {
    super(`${what} while this request holds a connection in a transaction: pass the transaction (trx) down`);
    this.name = 'SecondConnectionError';
  }
}

/**
 * Every violation seen in this process, for tests to report even where the error was caught. Read
 * `.stack` late: knex replaces it with the stack of the code that built the query.
 */
export const violations: Error[] = [];

/** True while the current async context runs inside a guarded transaction's callback. */
export function insideTransaction(): boolean {
  return held.getStore()?.some((h) => h.open) ?? false;
}

/** Throws SecondConnectionError (and records it) inside a guarded transaction. */
export function assertOutsideTransaction(what: string): void {
  if (!insideTransaction()) return;
  const error = new SecondConnectionError(what);
  violations.push(error);
  throw error;
}

type Container = (trx: Knex.Transaction) => unknown;
interface PoolClient {
  transaction(container: unknown, config: unknown, outerTx: unknown): unknown;
  acquireConnection(): Promise<unknown>;
}

/** Installs the guard on a knex instance (once); returns the same instance. */
export function guardTransactions<T extends Knex>(db: T): T {
  const client = db.client as unknown as PoolClient;
  if (guarded.has(client)) return db;
  guarded.add(client);
  // Errors of a query carry the stack of the code that built it, so a violation names its caller.
  (db.client as { config: Knex.Config }).config.asyncStackTraces = true;

  const transaction = client.transaction.bind(client);
  client.transaction = (container, config, outerTx) => {
    if (typeof container !== 'function') return transaction(container, config, outerTx);
    const wrapped: Container = (trx) => {
      const mark: Held = { open: true };
      const close = () => {
        mark.open = false;
      };
      const result = held.run([...(held.getStore() ?? []), mark], () => (container as Container)(trx));
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(close, close);
      } else close();
      return result;
    };
    return transaction(wrapped, config, outerTx);
  };

  const acquire = client.acquireConnection.bind(client);
  client.acquireConnection = async () => {
    assertOutsideTransaction('a second pool connection was asked for');
    return acquire();
  };
  return db;
}
