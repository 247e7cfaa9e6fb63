/**
 * Demo plans from the guides: Ida (low mood and absence, held by the health nurse), Ella (learning
 * strategies), Noah (a first-grader's five-step staircase), Per and Lise (goals owned by the child
 * versus a parent). Dates are relative to today so the demo always has current deadlines.
 */
import type { Knex } from 'knex';
import { day, lookups, planBuilders } from './lib/plan-builders.js';

export async function seed(knex: Knex): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('Demo data is never seeded in production (NODE_ENV=production).');
  }
  const { userId, unitId, category } = lookups(knex);

  const holder = await userId('stafettholder@stafett.example');
  const actor = await userId('aktor@stafett.example');
  const teacher2 = await userId('laerer@stafett.example');
  const superuser = await userId('superbruker@stafett.example');
  const health = await unitId('Nordbyen helsestasjon');
  const school = await unitId('Solbakken skole');

  const { log, concern, goal, measure } = planBuilders(knex, { holder, planType: 'stafettlogg' });

  // Ida, 13: low mood and rising absence. Held by the school health nurse.
  const ida = await log({
    child: 'Ida',
    holder,
    unit: health,
    level: 2,
    note: 'Ida har økende fravær og forteller helsesykepleier at hun er lei seg og har vondt i magen. Mor er enig i at skole og helsestasjon samarbeider.',
    consentBy: 'Anne Hagen og Jon Hagen',
    createdDaysAgo: 40,
  });
  const absence = await concern(ida, 1, {
    title: 'Ida er borte fra skolen to til tre dager i måneden og sier hun har vondt i magen om morgenen.',
    category_id: await category('Fravær'),
    success_indicator: 'Ida er på skolen alle dager i fire uker på rad.',
    mf_world_view: 'Ida tror at de andre i klassen ikke liker henne.',
    mf_coping: 'Ida blir hjemme når hun gruer seg.',
    mf_service: 'Skolen har ikke fulgt opp fraværet systematisk.',
    mf_home: 'Mor går tidlig på jobb og er ikke hjemme om morgenen.',
  });
  const mood = await concern(ida, 2, {
    title: 'Ida er ofte lei seg og trekker seg unna venner i friminuttene.',
    category_id: await category('Psykisk helse'),
    success_indicator: 'Ida sier selv at hun har det bedre, og hun er sammen med venner i friminuttene.',
    mf_world_view: 'Ida sier at ingen bryr seg om henne.',
    mf_preconditions: 'Ida sover dårlig og er sliten.',
  });
  const atSchool = await goal(ida, absence, 1, {
    text: 'Ida er på skolen alle dager.',
    owner: 'professional',
    arena: 'school',
    target_date: day(50),
  });
  const better = await goal(ida, mood, 1, {
    text: 'Ida har det bedre.',
    owner: 'child',
    owner_words: 'Jeg vil være mindre lei meg.',
    arena: 'school',
    target_date: day(60),
  });
  await measure(ida, absence, atSchool, 1, {
    text: 'Kontaktlæreren kartlegger fraværet til Ida hver fredag og sender oversikten til helsesykepleier.',
    responsible: 'actor',
    responsible_user_id: actor,
    start_date: day(-20),
    deadline: day(10),
    status: 'ongoing',
  });
  await measure(ida, absence, atSchool, 2, {
    text: 'Mor tar Ida med til fastlegen for å undersøke magesmertene.',
    responsible: 'guardians',
    start_date: day(-20),
    deadline: day(-3),
    status: 'ongoing',
  });
  await measure(ida, mood, better, 1, {
    text: 'Helsesykepleier har faste samtaler med Ida hver tirsdag i storefriminuttet.',
    responsible: 'actor',
    responsible_user_id: holder,
    start_date: day(-20),
    deadline: day(20),
    status: 'ongoing',
  });
  await measure(ida, mood, better, 2, {
    text: 'Ida skriver ned én ting som var fin hver dag.',
    responsible: 'child',
    start_date: day(-20),
    deadline: day(20),
    status: 'planned',
  });

  // Lise, 14: eating. A goal owned by a parent. Also held by the health nurse.
  const lise = await log({
    child: 'Lise',
    holder,
    unit: health,
    level: 1,
    note: 'Mor har sett at Lise spiser lite og hopper over lunsj på skolen.',
    consentBy: 'Mona Moen',
    createdDaysAgo: 12,
  });
  const eating = await concern(lise, 1, {
    title: 'Lise spiser ikke lunsj på skolen og er sliten om ettermiddagen.',
    category_id: await category('Fysisk helse'),
    success_indicator: 'Lise spiser lunsj på skolen minst fire dager i uka.',
  });
  const lunch = await goal(lise, eating, 1, {
    text: 'Lise spiser lunsj sammen med venner i kantina fire dager i uka.',
    owner: 'guardian',
    arena: 'school',
    target_date: day(45),
  });
  await measure(lise, eating, lunch, 1, {
    text: 'Helsesykepleier snakker med Lise om mat og energi annenhver uke.',
    responsible: 'actor',
    responsible_user_id: holder,
    start_date: day(-5),
    deadline: day(25),
  });

  // Ella: learning strategies. Held by her class teacher.
  const ella = await log({
    child: 'Ella',
    holder: teacher2,
    unit: school,
    level: 1,
    note: 'Ella strever med å komme i gang med lekser og blir frustrert hjemme.',
    consentBy: 'Geir Berg',
    createdDaysAgo: 30,
  });
  const homework = await concern(ella, 1, {
    title: 'Ella kommer ikke i gang med leksene og gir opp når hun står fast.',
    category_id: await category('Læring'),
    success_indicator: 'Ella gjør leksene fire dager i uka uten krangel.',
  });
  const ellaGoal = await goal(ella, homework, 1, {
    text: 'Ella arbeider med lekser man–tors kl. 17–18 og ber foresatte om hjelp når hun står fast.',
    owner: 'child',
    arena: 'home',
    target_date: day(40),
  });
  await measure(ella, homework, ellaGoal, 1, {
    text: 'Kontaktlæreren lærer Ella å lage en plan for leksene hver mandag.',
    responsible: 'actor',
    responsible_user_id: teacher2,
    start_date: day(-10),
    deadline: day(20),
    status: 'ongoing',
  });
  await measure(ella, homework, ellaGoal, 2, {
    text: 'Far setter av tid kl. 17–18 og sitter i nærheten.',
    responsible: 'guardians',
    start_date: day(-10),
    deadline: day(20),
  });
  await measure(ella, homework, ellaGoal, 3, {
    text: 'Ella rekker opp hånda hjemme: hun sier fra når hun står fast.',
    responsible: 'child',
    start_date: day(-10),
    deadline: day(20),
  });

  // Noah, first grade: afraid to go to school alone. A five-step staircase.
  const noah = await log({
    child: 'Noah',
    holder: superuser,
    unit: school,
    level: 1,
    note: 'Noah er redd for å gå alene til skolen, og mor følger ham hver dag.',
    consentBy: 'Sara Lie',
    createdDaysAgo: 25,
  });
  const walk = await concern(noah, 1, {
    title: 'Noah blir redd og gråter når han skal gå til skolen uten mor.',
    success_indicator: 'Noah går alene til skolen og er glad når han kommer.',
  });
  const noahGoal = await goal(noah, walk, 1, {
    text: 'Noah går alene fra porten hjemme til skoleporten hver morgen.',
    owner: 'child',
    arena: 'home',
    target_date: day(35),
  });
  await measure(
    noah,
    walk,
    noahGoal,
    1,
    {
      text: 'Mor trapper ned følget til skolen steg for steg.',
      responsible: 'guardians',
      start_date: day(-14),
      deadline: day(21),
      status: 'ongoing',
    },
    [
      'Mor følger Noah helt inn i klasserommet.',
      'Mor følger Noah til skoleporten.',
      'Mor følger Noah til butikken, Noah går resten alene.',
      'Mor vinker fra vinduet, en voksen møter Noah ved skoleporten.',
      'Noah går alene hele veien.',
    ],
  );

  // Per, 16: social skills and gaming. A goal in his own words; he has his own access.
  const per = await log({
    child: 'Per',
    holder: superuser,
    unit: school,
    level: 1,
    note: 'Per sitter mye med spill om natta og har lite kontakt med andre i klassen.',
    consentBy: 'Per Olsen',
    consentRole: 'youth',
    createdDaysAgo: 15,
  });
  const social = await concern(per, 1, {
    title: 'Per spiller til langt på natt og er for trøtt til å være med de andre på skolen.',
    category_id: await category('Sosiale ferdigheter'),
    success_indicator: 'Per legger seg før midnatt på skoledager og er med i en gruppe i timene.',
  });
  const perGoal = await goal(per, social, 1, {
    text: 'Per legger bort spillet kl. 23 på skoledager.',
    owner: 'child',
    owner_words: 'Jeg vil orke skolen.',
    arena: 'home',
    target_date: day(30),
  });
  await measure(per, social, perGoal, 1, {
    text: 'Per setter en alarm kl. 22.45 som minner ham på å avslutte spillet.',
    responsible: 'child',
    start_date: day(-7),
    deadline: day(14),
  });
}
