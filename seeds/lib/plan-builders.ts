/**
 * What the demo plan seeds of every country share: today-relative dates, the lookups by e-mail, unit name,
 * child's first name and category label, and builders that write a log (with its guardians and consent),
 * a concern, a goal and a measure (with its staircase). Not a seed itself (the seed runner reads only the
 * country's own folder, not this one).
 */
import type { Knex } from 'knex';

/** An ISO date `offset` days from today (noon UTC, so no time zone moves it). */
export function day(offset: number): string {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

/** The lookups and builders, for plans whose concerns, goals and measures `holder` writes. */
export function planBuilders(knex: Knex, options: { holder: number; planType: string }) {
  const { holder } = options;
  const { childId } = lookups(knex);

  async function log(input: {
    child: string;
    holder: number;
    unit: number;
    planType?: string;
    services?: string[];
    level: number;
    note: string;
    consentBy: string;
    consentRole?: string;
    createdDaysAgo: number;
  }) {
    const child = await childId(input.child);
    const [row] = await knex('logs')
      .insert({
        child_id: child,
        plan_type: input.planType ?? options.planType,
        level: input.level,
        holder_id: input.holder,
        unit_id: input.unit,
        startup_note: input.note,
        created_by: input.holder,
        created_at: day(-input.createdDaysAgo),
      })
      .returning('id');
    const guardians = await knex('child_guardians').where({ child_id: child }).select('user_id');
    if (guardians.length) {
      await knex('log_guardians').insert(guardians.map((g) => ({ log_id: row.id, user_id: g.user_id })));
    }
    await knex('consents').insert({
      log_id: row.id,
      given_by: input.consentBy,
      given_by_role: input.consentRole ?? 'guardians',
      given_on: day(-input.createdDaysAgo),
      valid_until: day(365 - input.createdDaysAgo),
      services: input.services ?? ['school', 'health_station', 'ppt'],
      recorded_by: input.holder,
    });
    return row.id as number;
  }

  async function concern(logId: number, position: number, data: Record<string, unknown>) {
    const [row] = await knex('concerns')
      .insert({ log_id: logId, position, created_by: holder, ...data })
      .returning('id');
    return row.id as number;
  }
  async function goal(logId: number, concernId: number, position: number, data: Record<string, unknown>) {
    const [row] = await knex('goals')
      .insert({ log_id: logId, concern_id: concernId, position, created_by: holder, ...data })
      .returning('id');
    return row.id as number;
  }
  async function measure(
    logId: number,
    concernId: number,
    goalId: number,
    position: number,
    data: Record<string, unknown>,
    steps: string[] = [],
  ) {
    const [row] = await knex('measures')
      .insert({
        log_id: logId,
        concern_id: concernId,
        goal_id: goalId,
        position,
        created_by: holder,
        text_written_at: day(-20),
        ...data,
      })
      .returning('id');
    if (steps.length) {
      await knex('measure_steps').insert(
        steps.map((text, i) => ({
          measure_id: row.id,
          position: i + 1,
          text,
          done: i < 2,
          // The first two steps were taken a week apart.
          done_on: i < 2 ? day(-14 + 7 * i) : null,
        })),
      );
    }
    return row.id as number;
  }

  return { log, concern, goal, measure };
}

/** Ids by e-mail, unit name, a child's first name and the start of a category's label. */
export function lookups(knex: Knex) {
  return {
    userId: async (email: string) => (await knex('users').where({ email }).first('id')).id as number,
    unitId: async (name: string) => (await knex('units').where({ name }).first('id')).id as number,
    childId: async (first: string) =>
      (await knex('children').where({ first_name: first }).first('id')).id as number,
    category: async (label: string) =>
      (await knex('concern_categories').whereILike('label', `${label}%`).first('id')).id as number,
  };
}
