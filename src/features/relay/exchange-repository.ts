/**
 * SQL for export and import: reads the chosen concerns of a log with everything under them, and
 * writes an imported plan into a new log. Reading and writing sit together so a round trip can be
 * checked in one place (test/relay-exchange.test.ts).
 */
import type { Knex } from 'knex';
import type { Db } from '../../db/knex.js';
import type { ExportDocument, PlanRows } from './export-format.js';

export function exchangeRepository(db: Db) {
  return {
    /** The log, child, holder, unit and municipality, for the file's head. */
    head(logId: number) {
      return db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .join('users as h', 'h.id', 'l.holder_id')
        .join('units as u', 'u.id', 'l.unit_id')
        .join('districts as d', 'd.id', 'u.district_id')
        .join('municipalities as k', 'k.id', 'd.municipality_id')
        .where('l.id', logId)
        .first(
          'l.plan_type',
          'l.level',
          'l.startup_note',
          'l.created_at',
          'c.first_name',
          'c.last_name',
          'c.birth_date',
          'h.name as holder_name',
          'u.name as unit_name',
          'k.name as municipality_name',
        );
    },

    async readPlan(logId: number, concernIds: number[]): Promise<PlanRows> {
      const concerns = await db('concerns as c')
        .leftJoin('concern_categories as k', 'k.id', 'c.category_id')
        .where('c.log_id', logId)
        .whereIn('c.id', concernIds)
        .orderBy([{ column: 'c.position' }, { column: 'c.id' }])
        .select('c.*', 'k.label as category_label');
      const ids = concerns.map((c) => c.id as number);
      const [goals, measures] = await Promise.all([
        db('goals')
          .whereIn('concern_id', ids)
          .orderBy([{ column: 'position' }, { column: 'id' }]),
        db('measures as m')
          .leftJoin('users as u', 'u.id', 'm.responsible_user_id')
          .whereIn('m.concern_id', ids)
          .orderBy([{ column: 'm.position' }, { column: 'm.id' }])
          .select('m.*', 'u.name as responsible_name'),
      ]);
      const measureIds = measures.map((m) => m.id as number);
      const [steps, evaluations] = await Promise.all([
        db('measure_steps')
          .whereIn('measure_id', measureIds)
          .orderBy([{ column: 'measure_id' }, { column: 'position' }]),
        db('evaluations').whereIn('measure_id', measureIds),
      ]);
      // Goals in the order the file lists them: by concern, then position.
      const goalOrder = new Map(ids.map((id, i) => [id, i]));
      goals.sort(
        (a, b) =>
          goalOrder.get(a.concern_id)! - goalOrder.get(b.concern_id)! ||
          a.position - b.position ||
          a.id - b.id,
      );
      const goalIndex = new Map(goals.map((g, i) => [g.id as number, i]));
      measures.sort(
        (a, b) =>
          goalIndex.get(a.goal_id)! - goalIndex.get(b.goal_id)! || a.position - b.position || a.id - b.id,
      );
      return { concerns, goals, measures, steps, evaluations };
    },

    /** Staff of the municipality who can be responsible for measures, for mapping the file's names. */
    staffOfMunicipality(municipalityId: number): Promise<{ id: number; name: string; unit_name: string }[]> {
      return db('users as u')
        .join('unit_memberships as m', 'm.user_id', 'u.id')
        .join('units as n', 'n.id', 'm.unit_id')
        .where({ 'u.municipality_id': municipalityId, 'u.kind': 'staff' })
        .whereNull('u.disabled_at')
        .where((w) => w.where('m.may_be_actor', true).orWhere('m.may_hold', true))
        .distinctOn('u.id')
        .orderBy([{ column: 'u.id' }, { column: 'n.name' }])
        .select('u.id', 'u.name', 'n.name as unit_name');
    },

    categoryIds(municipalityId: number): Promise<{ id: number; label: string }[]> {
      return db('concern_categories').where({ municipality_id: municipalityId }).select('id', 'label');
    },

    /** Writes the document's concerns into the log, in order. Names become the given users and categories. */
    async writePlan(
      trx: Knex.Transaction,
      logId: number,
      userId: number,
      document: ExportDocument,
      actorIds: Map<string, number>,
      categoryIds: Map<string, number>,
    ): Promise<void> {
      const goalIds = new Map<string, number>();
      const measureIds = new Map<string, number>();
      const replacements: [string, string][] = [];
      const corrections: [string, string][] = [];
      for (const [ci, c] of document.concerns.entries()) {
        const [concern] = await trx('concerns')
          .insert({
            log_id: logId,
            title: c.title,
            category_id: c.category ? (categoryIds.get(c.category) ?? null) : null,
            success_indicator: c.successIndicator,
            mf_world_view: c.maintainingFactors.worldView,
            mf_coping: c.maintainingFactors.coping,
            mf_preconditions: c.maintainingFactors.preconditions,
            mf_service: c.maintainingFactors.service,
            mf_home: c.maintainingFactors.home,
            status: c.status,
            closing_reason: c.closingReason,
            position: ci + 1,
            created_by: userId,
          })
          .returning('id');
        for (const [gi, g] of c.goals.entries()) {
          const [goal] = await trx('goals')
            .insert({
              log_id: logId,
              concern_id: concern.id,
              text: g.text,
              owner: g.owner,
              owner_words: g.ownerWords,
              arena: g.arena,
              target_date: g.targetDate,
              status: g.status,
              decision: g.decision,
              position: gi + 1,
              created_by: userId,
            })
            .returning('id');
          goalIds.set(g.ref, goal.id);
          if (g.replacedBy) replacements.push([g.ref, g.replacedBy]);
          for (const [mi, m] of g.measures.entries()) {
            const [measure] = await trx('measures')
              .insert({
                log_id: logId,
                concern_id: concern.id,
                goal_id: goal.id,
                text: m.text,
                responsible: m.responsible,
                responsible_user_id: m.responsible === 'actor' ? actorIds.get(m.responsibleName!) : null,
                start_date: m.startDate,
                deadline: m.deadline,
                status: m.status,
                position: mi + 1,
                created_by: userId,
                text_written_at: m.writtenAt,
              })
              .returning('id');
            measureIds.set(m.ref, measure.id);
            if (m.corrects) corrections.push([m.ref, m.corrects]);
            if (m.steps.length) {
              await trx('measure_steps').insert(
                m.steps.map((s, si) => ({
                  measure_id: measure.id,
                  position: si + 1,
                  text: s.text,
                  done: s.done,
                })),
              );
            }
            if (m.evaluation) {
              const e = m.evaluation;
              await trx('evaluations').insert({
                measure_id: measure.id,
                log_id: logId,
                misregistered: e.misregistered,
                happened: e.happened,
                effect: e.effect,
                family_effect: e.familyEffect,
                family_view: e.familyView,
                comment: e.comment,
                next_step: e.nextStep,
                evaluated_by: userId,
                evaluated_at: e.evaluatedAt,
              });
            }
          }
        }
      }
      for (const [ref, by] of replacements)
        await trx('goals')
          .where({ id: goalIds.get(ref) })
          .update({ replaced_by: goalIds.get(by) });
      for (const [ref, of] of corrections)
        await trx('measures')
          .where({ id: measureIds.get(ref) })
          .update({ corrects_measure_id: measureIds.get(of) });
    },

    /** An uploaded export file, kept until it is imported or the daily work removes it. */
    async insertImport(row: { id: string; user_id: number; document: string; created_at: Date }) {
      await db('log_imports').insert(row);
    },

    /** The uploaded file, if this person uploaded it. */
    findImport(id: string, userId: number) {
      return db('log_imports').where({ id, user_id: userId }).first();
    },

    /** Records which log the uploaded file became. */
    async markImported(trx: Knex.Transaction, id: string, logId: number) {
      await trx('log_imports').where({ id }).update({ log_id: logId });
    },

    /** Deletes a log again (an import that failed after its log was made). */
    async deleteLog(logId: number) {
      await db('logs').where({ id: logId }).delete();
    },
  };
}

export type ExchangeRepository = ReturnType<typeof exchangeRepository>;
