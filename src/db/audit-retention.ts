/**
 * Removing audit rows older than the retention limit: only as the owner role, whose DELETE the trail's
 * trigger lets through inside a transaction that names the date (migration 20261126001000_retention).
 * The application role has no DELETE on audit_events at all. In batches, so a large backlog never holds
 * one long transaction.
 */
import type { Db } from './knex.js';

const BATCH = 5000;

export async function purgeAuditRowsBefore(owner: Db, before: Date): Promise<number> {
  let removed = 0;
  for (;;) {
    const count = await owner.transaction(async (trx): Promise<number> => {
      await trx.raw("SELECT set_config('stafett.audit_retention_before', ?, true)", [before.toISOString()]);
      const deleted = await trx('audit_events')
        .whereIn('id', trx('audit_events').where('at', '<', before).orderBy('id').limit(BATCH).select('id'))
        .delete();
      return Number(deleted);
    });
    removed += count;
    if (count < BATCH) return removed;
  }
}
