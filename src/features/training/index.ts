/**
 * A practice installation (TRAINING=true, `npm run start:training`): only demo data, loaded again at
 * every start (server.ts) and every night at 03:00 Oslo time by the job declared here, so whatever was
 * practised is gone the next morning. The banner on every page comes from the layout.
 */
import type { FastifyInstance } from 'fastify';

export const TRAINING_RESET_QUEUE = 'training.reset';
export const TRAINING_RESET_CRON = '0 3 * * *';

export interface TrainingOptions {
  /** Empties the product's tables and loads the demo data again, as the database owner. */
  reset?: () => Promise<void>;
}

export default async function training(app: FastifyInstance, options: TrainingOptions) {
  const { reset } = options;
  if (!reset) throw new Error('TRAINING=true needs the owner to reset the demo data (resetDemo)');
  app.jobs.queue<object>({
    name: TRAINING_RESET_QUEUE,
    cron: TRAINING_RESET_CRON,
    retryLimit: 2,
    work: async () => {
      await reset();
      app.log.info('training: the demo data was loaded again');
    },
  });
}
