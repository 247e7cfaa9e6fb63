/**
 * Background jobs on PostgreSQL with pg-boss, in its own schema ("pgboss") of the app's database.
 *
 * Features declare their queues, workers and schedules with app.jobs.queue() when they register.
 * Sending is possible at any time: the first send starts pg-boss lazily without workers, so a request
 * only ever pays for one INSERT. Workers, schedules and maintenance run only after app.jobs.start()
 * (server.ts after migrations; tests that want them). pg-boss is stopped when the app closes.
 */
import fp from 'fastify-plugin';
import PgBoss from 'pg-boss';
import type { FastifyInstance } from 'fastify';
import { safeMessage } from '../lib/safe-error.js';
import type { Knex } from 'knex';
import { assertOutsideTransaction } from '../db/transaction-guard.js';

export interface QueueDefinition<T extends object> {
  name: string;
  /** Retry policy of the queue: tries after the first, first delay in seconds (doubling), and where failures end. */
  retryLimit?: number;
  retryDelay?: number;
  deadLetter?: string;
  /** Days a job may wait (queued or retrying) before pg-boss archives it. */
  retentionDays?: number;
  /** Runs one job; throwing makes pg-boss retry it later. Omit for a queue that is only written to. */
  work?: (data: T, job: PgBoss.Job<T>) => Promise<void>;
  /** Cron schedule (Europe/Oslo) that sends an empty job to this queue. */
  cron?: string;
  /** When false, the worker is not started even by start() (e.g. no mail server configured). */
  enabled?: () => boolean;
}

export interface Jobs {
  /** Declares a queue (and its worker and schedule). Call while the app registers. */
  queue<T extends object>(definition: QueueDefinition<T>): void;
  /**
   * Queues a job. Inside a transaction pass it as `trx`: the job is then inserted on the transaction's
   * connection and exists only if the transaction commits (pg-boss's own pool is not touched).
   */
  send<T extends object>(
    name: string,
    data: T,
    options?: PgBoss.SendOptions & { trx?: Knex.Transaction },
  ): Promise<string | null>;
  /** Starts pg-boss with maintenance, schedules and every declared worker. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The running pg-boss, for tests and tools; null before the first use. */
  readonly boss: PgBoss | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs;
  }
}

export const JOBS_SCHEMA = 'pgboss';

/** The connection string of the app's knex pool: pg-boss gets its own small pool to the same database. */
function connectionStringOf(app: FastifyInstance): string {
  const connection = (app.db.client as { config?: { connection?: unknown } }).config?.connection;
  const value =
    typeof connection === 'string'
      ? connection
      : connection && typeof connection === 'object'
        ? (connection as { connectionString?: string }).connectionString
        : undefined;
  if (!value) throw new Error('jobs: the database connection has no connection string');
  return value;
}

/** pg-boss's query interface on the connection a knex transaction holds. */
function onTransaction(trx: Knex.Transaction): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      const connection = (await trx.client.acquireConnection()) as {
        query(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
      };
      return connection.query(text, values);
    },
  };
}

export default fp(
  async (app) => {
    const definitions = new Map<string, QueueDefinition<object>>();
    let boss: PgBoss | null = null;
    let starting: Promise<PgBoss> | null = null;
    let full = false;

    const create = (withWorkers: boolean) => {
      const options: PgBoss.ConstructorOptions & { connectionTimeoutMillis: number } = {
        connectionString: connectionStringOf(app),
        schema: JOBS_SCHEMA,
        application_name: 'stafett-jobs',
        max: withWorkers ? 4 : 2,
        // Passed on to pg's pool: a database that does not answer fails a send within seconds, never hangs a page.
        connectionTimeoutMillis: 3000,
        supervise: withWorkers,
        schedule: withWorkers,
        migrate: true,
      };
      const instance = new PgBoss(options);
      // A database outage must never crash the process: pg-boss reports and tries again by itself.
      instance.on('error', (error) => app.log.warn({ err: error }, 'jobs: error'));
      return instance;
    };

    const ensureQueues = async (instance: PgBoss) => {
      // Dead-letter queues first: a queue's dead letter must exist before it.
      const ordered = [...definitions.values()].sort(
        (a, b) => (a.deadLetter ? 1 : 0) - (b.deadLetter ? 1 : 0),
      );
      for (const d of ordered) {
        const options: PgBoss.Queue = {
          name: d.name,
          retryLimit: d.retryLimit ?? 2,
          retryDelay: d.retryDelay ?? 30,
          retryBackoff: true,
          retentionMinutes: (d.retentionDays ?? 30) * 24 * 60,
          ...(d.deadLetter ? { deadLetter: d.deadLetter } : {}),
        } as PgBoss.Queue;
        await instance.createQueue(d.name, options);
        await instance.updateQueue(d.name, options);
      }
    };

    /** Starts pg-boss once; a failed start is forgotten so the next call tries again. */
    const ready = (withWorkers: boolean): Promise<PgBoss> => {
      if (starting) return starting;
      const instance = create(withWorkers);
      starting = (async () => {
        await instance.start();
        await ensureQueues(instance);
        boss = instance;
        return instance;
      })();
      starting.catch(() => {
        starting = null;
        instance.stop({ graceful: false }).catch(() => {});
      });
      return starting;
    };

    const stop = async () => {
      const current = starting ? await starting.catch(() => null) : null;
      starting = null;
      boss = null;
      full = false;
      if (current) await current.stop({ graceful: true, timeout: 10_000, wait: true, close: true });
    };

    const jobs: Jobs = {
      queue(definition) {
        definitions.set(definition.name, definition as QueueDefinition<object>);
      },
      async send(name, data, options = {}) {
        const { trx, ...sendOptions } = options;
        if (!trx) assertOutsideTransaction("a job was sent through pg-boss's own pool");
        const instance = await ready(false);
        return instance.send(name, data, trx ? { ...sendOptions, db: onTransaction(trx) } : sendOptions);
      },
      async start() {
        if (full) return;
        // A sender started earlier has no workers or maintenance: replace it with a full one.
        if (starting) await stop();
        full = true;
        const instance = await ready(true);
        for (const d of definitions.values()) {
          if (d.enabled && !d.enabled()) {
            app.log.warn(
              { queue: d.name },
              'jobs: worker not started (not configured); its jobs wait in the queue',
            );
            continue;
          }
          const work = d.work;
          if (work) {
            await instance.work<object>(
              d.name,
              { pollingIntervalSeconds: app.config.jobsPollSeconds, batchSize: 1 },
              async ([job]) => {
                if (!job) return;
                try {
                  await work(job.data, job);
                } catch (error) {
                  // pg-boss keeps a failed job's error in its table: keep it without values, as in the log.
                  app.log.warn({ err: error, queue: d.name }, 'jobs: a job failed; it is tried again');
                  throw Object.assign(new Error(safeMessage(error)), {
                    code: (error as { code?: unknown }).code,
                  });
                }
              },
            );
          }
          if (d.cron) await instance.schedule(d.name, d.cron, {}, { tz: 'Europe/Oslo' });
        }
      },
      stop,
      get boss() {
        return boss;
      },
    };
    app.decorate('jobs', jobs);
    app.addHook('onClose', async () => {
      await stop();
    });
  },
  { name: 'jobs', dependencies: ['config'] },
);
