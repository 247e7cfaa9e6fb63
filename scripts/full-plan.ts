/**
 * A full, realistic plan for benchmarks and print tests (QUALITY.md: 5 concerns, 12 goals, 30 measures),
 * held by the demo health nurse, for a child of its own. Inserted directly; returns the log's id.
 */
import type { Knex } from 'knex';
import { syntheticNationalId } from '../seeds/01_organisation.js';

const day = (offset: number) => {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

const CONCERNS = [
  'Maja er borte fra skolen flere dager i måneden og sier hun har vondt i hodet om morgenen.',
  'Maja blir lett sint i friminuttene og havner i konflikter med andre elever.',
  'Maja leser saktere enn klassen og gir opp når tekstene blir lange.',
  'Maja sover lite og er sliten på skolen.',
  'Maja har få venner å være sammen med etter skolen.',
];
const ARENAS = ['school', 'home', 'leisure', 'network'] as const;
const OWNERS = ['child', 'guardian', 'professional'] as const;

export async function createFullPlan(
  db: Knex,
  options: { concerns?: number; goals?: number; measures?: number } = {},
): Promise<number> {
  const concerns = options.concerns ?? 5;
  const goals = options.goals ?? 12;
  const measures = options.measures ?? 30;
  const user = async (email: string) => (await db('users').where({ email }).first('id')).id as number;
  const holder = await user('stafettholder@stafett.example');
  const actor = await user('aktor@stafett.example');
  const guardian = await user('foresatt@stafett.example');
  const unit = (await db('unit_memberships').where({ user_id: holder, may_hold: true }).first('unit_id'))
    .unit_id as number;
  const municipality = (await db('users').where({ id: holder }).first('municipality_id'))
    .municipality_id as number;
  const birth = '2014-05-17';
  const taken = await db('children').where({ municipality_id: municipality }).pluck('national_id');
  let serial = 1;
  while (taken.includes(syntheticNationalId(birth, serial))) serial += 1;
  const [child] = await db('children')
    .insert({
      municipality_id: municipality,
      first_name: 'Maja',
      last_name: 'Fullplan',
      birth_date: birth,
      national_id: syntheticNationalId(birth, serial),
    })
    .returning('id');
  await db('child_guardians').insert({ child_id: child.id, user_id: guardian });
  const [log] = await db('logs')
    .insert({
      child_id: child.id,
      plan_type: 'stafettlogg',
      level: 2,
      holder_id: holder,
      unit_id: unit,
      startup_note: 'Full plan for målinger.',
      created_by: holder,
    })
    .returning('id');
  await db('log_guardians').insert({ log_id: log.id, user_id: guardian });
  await db('consents').insert({
    log_id: log.id,
    given_by: 'Foresatte',
    given_by_role: 'guardians',
    given_on: day(-30),
    valid_until: day(335),
    services: ['school', 'health_station'],
    recorded_by: holder,
  });
  const concernIds: number[] = [];
  for (let c = 0; c < concerns; c += 1) {
    const [row] = await db('concerns')
      .insert({
        log_id: log.id,
        position: c + 1,
        created_by: holder,
        title: CONCERNS[c % CONCERNS.length]!,
        success_indicator: `Kjennetegn ${c + 1}: Maja forteller selv at det går bedre, og de voksne ser det samme i fire uker.`,
        mf_world_view: 'Maja tror at ingen forstår henne.',
      })
      .returning('id');
    concernIds.push(row.id as number);
  }
  const goalRows: { id: number; concern: number }[] = [];
  for (let g = 0; g < goals; g += 1) {
    const concern = concernIds[g % concernIds.length]!;
    const [row] = await db('goals')
      .insert({
        log_id: log.id,
        concern_id: concern,
        position: g,
        created_by: holder,
        text: `Mål ${g + 1}: Maja er med i timene hele dagen og ber om hjelp når hun står fast.`,
        owner: OWNERS[g % OWNERS.length],
        owner_words: g % 3 === 0 ? 'Jeg vil klare meg selv.' : '',
        arena: ARENAS[g % ARENAS.length],
        target_date: day(40 + g),
      })
      .returning('id');
    goalRows.push({ id: row.id as number, concern });
  }
  // One active measure per actor per concern (rule 4): the actor and the holder take turns; the rest are home and child measures.
  const actorUsed = new Set<string>();
  for (let m = 0; m < measures; m += 1) {
    const goal = goalRows[m % goalRows.length]!;
    const kind = m % 3;
    let responsible: 'actor' | 'guardians' | 'child' =
      kind === 0 ? 'actor' : kind === 1 ? 'guardians' : 'child';
    let responsibleUser: number | null = null;
    if (responsible === 'actor') {
      const who = [actor, holder].find((u) => !actorUsed.has(`${goal.concern}:${u}`));
      if (who === undefined) responsible = 'guardians';
      else {
        responsibleUser = who;
        actorUsed.add(`${goal.concern}:${who}`);
      }
    }
    const evaluated = m % 5 === 4 && responsible !== 'actor';
    const [row] = await db('measures')
      .insert({
        log_id: log.id,
        concern_id: goal.concern,
        goal_id: goal.id,
        position: m,
        created_by: holder,
        text: `Tiltak ${m + 1}: ${responsible === 'actor' ? 'Kontaktlæreren går gjennom ukeplanen med Maja hver mandag morgen.' : responsible === 'guardians' ? 'Foresatte følger Maja til skolen og snakker om dagen.' : 'Maja skriver ned én ting som gikk bra hver dag.'}`,
        responsible,
        responsible_user_id: responsibleUser,
        start_date: day(-20),
        deadline: day(m % 2 ? 10 : -2),
        status: evaluated ? 'evaluated' : m % 2 ? 'ongoing' : 'planned',
      })
      .returning('id');
    if (m % 4 === 0) {
      await db('measure_steps').insert(
        ['Første steg', 'Andre steg', 'Tredje steg'].map((text, i) => ({
          measure_id: row.id,
          position: i + 1,
          text,
          done: i === 0,
        })),
      );
    }
    if (evaluated) {
      await db('evaluations').insert({
        measure_id: row.id,
        log_id: log.id,
        happened: 'yes',
        effect: 'partly',
        family_effect: 'worked',
        family_view: 'Det hjalp å ha en fast plan.',
        comment: '',
        next_step: 'continue',
        evaluated_by: holder,
      });
    }
  }
  return log.id as number;
}
