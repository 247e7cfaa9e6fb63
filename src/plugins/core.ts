/** The app's configuration, database and clock, available to every plugin and feature. */
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import type { Clock } from '../types.js';

export interface CoreOptions {
  config: Config;
  db: Db;
  ownerDb?: Db | null;
  now: Clock;
}

export default fp<CoreOptions>(
  async (app, options) => {
    app.decorate('config', options.config);
    app.decorate('db', options.db);
    app.decorate('ownerDb', options.ownerDb ?? null);
    app.decorate('now', options.now);
    app.decorateRequest('user', null);
    app.decorateRequest('sessionExpired', false);
  },
  { name: 'config' },
);
