/** Evaluations in the database (Knex only). One per measure: the UNIQUE constraint is the last guard. */
import type { Knex } from 'knex';
import type { EvaluationInput } from './evaluation-form.js';

export const ONE_EVALUATION_CONSTRAINT = 'evaluations_measure_id_unique';

export function evaluationRepository() {
  return {
    async insert(
      trx: Knex.Transaction,
      row: Partial<EvaluationInput> & {
        measure_id: number;
        log_id: number;
        misregistered: boolean;
        evaluated_by: number;
        evaluated_at: Date;
      },
    ): Promise<number> {
      const [inserted] = await trx('evaluations').insert(row).returning('id');
      return inserted.id as number;
    },
  };
}
