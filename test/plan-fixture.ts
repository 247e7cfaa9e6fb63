/**
 * Shared setup for the plan tests (goals, measures, evaluations): the real app, the holder signed in,
 * and Ida's demo log (seeds/02_plans.ts). Not a test file itself.
 */
import { Agent, signIn, testApp, type Teardown } from './helpers/app.js';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import type { Db } from '../src/db/knex.js';

export const HOLDER = 'stafettholder@stafett.example';

export interface PlanFixture {
  app: Awaited<ReturnType<typeof testApp>>['app'];
  db: Db;
  clock: Awaited<ReturnType<typeof testApp>>['clock'];
  agent: Agent;
  logId: number;
  /** Ida's two concerns (absence, mood). */
  concernIds: number[];
  today: string;
}

export async function idaLogId(db: Db): Promise<number> {
  const row = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ida')
    .first('l.id');
  return row.id as number;
}

export async function userId(db: Db, email: string): Promise<number> {
  return (await db('users').where({ email }).first('id')).id as number;
}

/** The app, the holder of Ida's log signed in, and the log's ids. */
export async function planFixture(t: Teardown, email = HOLDER): Promise<PlanFixture> {
  const { app, db, clock } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, email);
  const logId = await idaLogId(db);
  const concerns = await db('concerns')
    .where({ log_id: logId })
    .orderBy([{ column: 'position' }, { column: 'id' }])
    .select('id');
  return {
    app,
    db,
    clock,
    agent,
    logId,
    concernIds: concerns.map((c) => c.id as number),
    today: osloDate(clock.now()),
  };
}

/** A three-field date as posted form fields. */
export function dateFields(name: string, iso: string): Record<string, string> {
  const p = isoToParts(iso);
  return { [`${name}_day`]: p.day, [`${name}_month`]: p.month, [`${name}_year`]: p.year };
}

/** The hidden one-time token in a create form. */
export function tokenIn(html: string): string {
  return /name="token" value="([^"]*)"/.exec(html)?.[1] ?? '';
}

export function versionIn(html: string): string {
  return /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';
}

export const HX = { 'hx-request': 'true' };

export { addDays };
