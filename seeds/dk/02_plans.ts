/**
 * Danish demo plans (COUNTRY=DK), every one a barnets plan, in Danish, built as recommendation 13 asks:
 * few, clear goals from the child's own wishes, with who does what. Ida (low mood and absence, held by
 * the health visitor), Ella (homework), Noah (a first-grader's five-step staircase), Lise (eating, a goal
 * owned by a parent) and Mikkel, 16, whose plan is an ungeplan held by the child and youth adviser.
 * Dates are relative to today so the demo always has current deadlines.
 */
import type { Knex } from 'knex';
import { day, lookups, planBuilders } from '../lib/plan-builders.js';

export async function seed(knex: Knex): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('Demo data is never seeded in production (NODE_ENV=production).');
  }
  const { userId, unitId, category } = lookups(knex);

  const holder = await userId('stafettholder@stafett.example');
  const actor = await userId('aktor@stafett.example');
  const teacher2 = await userId('laerer@stafett.example');
  const superuser = await userId('superbruker@stafett.example');
  const adviser = await userId('raadgiver@stafett.example');
  const health = await unitId('Sundhedsplejen Skovby');
  const school = await unitId('Skovby Skole');
  const welfare = await unitId('Børne- og Familieafdelingen');

  const { log, concern, goal, measure } = planBuilders(knex, { holder, planType: 'barnets_plan' });

  // Ida, 13: low mood and rising absence. Held by the health visitor.
  const ida = await log({
    child: 'Ida',
    holder,
    unit: health,
    level: 2,
    note: 'Ida har stigende fravær og fortæller sundhedsplejersken, at hun er ked af det og har ondt i maven. Mor er enig i, at skolen og sundhedsplejen arbejder sammen.',
    consentBy: 'Louise Madsen og Peter Madsen',
    createdDaysAgo: 40,
  });
  const absence = await concern(ida, 1, {
    title: 'Ida er væk fra skolen to til tre dage om måneden og siger, at hun har ondt i maven om morgenen.',
    category_id: await category('Fravær'),
    success_indicator: 'Ida er i skole alle dage i fire uger i træk.',
    mf_world_view: 'Ida tror, at de andre i klassen ikke kan lide hende.',
    mf_coping: 'Ida bliver hjemme, når hun er nervøs.',
    mf_service: 'Skolen har ikke fulgt systematisk op på fraværet.',
    mf_home: 'Mor går tidligt på arbejde og er ikke hjemme om morgenen.',
  });
  const mood = await concern(ida, 2, {
    title: 'Ida er tit ked af det og trækker sig fra vennerne i frikvartererne.',
    category_id: await category('Trivsel'),
    success_indicator: 'Ida siger selv, at hun har det bedre, og hun er sammen med venner i frikvartererne.',
    mf_world_view: 'Ida siger, at ingen lægger mærke til hende.',
    mf_preconditions: 'Ida sover dårligt og er træt.',
  });
  const atSchool = await goal(ida, absence, 1, {
    text: 'Ida er i skole alle dage.',
    owner: 'professional',
    arena: 'school',
    target_date: day(50),
  });
  const better = await goal(ida, mood, 1, {
    text: 'Ida har det bedre.',
    owner: 'child',
    owner_words: 'Jeg vil være mindre ked af det.',
    arena: 'school',
    target_date: day(60),
  });
  await measure(ida, absence, atSchool, 1, {
    text: 'Klasselæreren registrerer Idas fravær hver fredag og sender oversigten til sundhedsplejersken.',
    responsible: 'actor',
    responsible_user_id: actor,
    start_date: day(-20),
    deadline: day(10),
    status: 'ongoing',
  });
  await measure(ida, absence, atSchool, 2, {
    text: 'Mor tager Ida med til egen læge for at få undersøgt mavesmerterne.',
    responsible: 'guardians',
    start_date: day(-20),
    deadline: day(-3),
    status: 'ongoing',
  });
  await measure(ida, mood, better, 1, {
    text: 'Sundhedsplejersken har faste samtaler med Ida hver tirsdag i det store frikvarter.',
    responsible: 'actor',
    responsible_user_id: holder,
    start_date: day(-20),
    deadline: day(20),
    status: 'ongoing',
  });
  await measure(ida, mood, better, 2, {
    text: 'Ida skriver hver dag én ting ned, som var god.',
    responsible: 'child',
    start_date: day(-20),
    deadline: day(20),
    status: 'planned',
  });

  // Lise, 14: eating. A goal owned by a parent. Also held by the health visitor.
  const lise = await log({
    child: 'Lise',
    holder,
    unit: health,
    level: 1,
    note: 'Mor har set, at Lise spiser lidt og springer frokosten over i skolen.',
    consentBy: 'Mona Møller',
    createdDaysAgo: 12,
  });
  const eating = await concern(lise, 1, {
    title: 'Lise spiser ikke frokost i skolen og er træt om eftermiddagen.',
    category_id: await category('Fysisk sundhed'),
    success_indicator: 'Lise spiser frokost i skolen mindst fire dage om ugen.',
  });
  const lunch = await goal(lise, eating, 1, {
    text: 'Lise spiser frokost sammen med venner i kantinen fire dage om ugen.',
    owner: 'guardian',
    arena: 'school',
    target_date: day(45),
  });
  await measure(lise, eating, lunch, 1, {
    text: 'Sundhedsplejersken taler med Lise om mad og energi hver anden uge.',
    responsible: 'actor',
    responsible_user_id: holder,
    start_date: day(-5),
    deadline: day(25),
  });

  // Ella: homework. Held by her class teacher.
  const ella = await log({
    child: 'Ella',
    holder: teacher2,
    unit: school,
    level: 1,
    note: 'Ella har svært ved at komme i gang med lektierne og bliver frustreret derhjemme.',
    consentBy: 'Henrik Kristensen',
    createdDaysAgo: 30,
  });
  const homework = await concern(ella, 1, {
    title: 'Ella kommer ikke i gang med lektierne og giver op, når hun går i stå.',
    category_id: await category('Læring'),
    success_indicator: 'Ella laver lektier fire dage om ugen uden skænderier.',
  });
  const ellaGoal = await goal(ella, homework, 1, {
    text: 'Ella laver lektier mandag til torsdag kl. 17–18 og beder sin far om hjælp, når hun går i stå.',
    owner: 'child',
    arena: 'home',
    target_date: day(40),
  });
  await measure(ella, homework, ellaGoal, 1, {
    text: 'Klasselæreren lærer Ella at lave en plan for lektierne hver mandag.',
    responsible: 'actor',
    responsible_user_id: teacher2,
    start_date: day(-10),
    deadline: day(20),
    status: 'ongoing',
  });
  await measure(ella, homework, ellaGoal, 2, {
    text: 'Far sætter tid af kl. 17–18 og sidder i nærheden.',
    responsible: 'guardians',
    start_date: day(-10),
    deadline: day(20),
  });
  await measure(ella, homework, ellaGoal, 3, {
    text: 'Ella siger til derhjemme, når hun går i stå.',
    responsible: 'child',
    start_date: day(-10),
    deadline: day(20),
  });

  // Noah, 0. klasse: afraid to walk to school alone. A five-step staircase.
  const noah = await log({
    child: 'Noah',
    holder: superuser,
    unit: school,
    level: 1,
    note: 'Noah er bange for at gå alene i skole, og mor følger ham hver dag.',
    consentBy: 'Sara Lund',
    createdDaysAgo: 25,
  });
  const walk = await concern(noah, 1, {
    title: 'Noah bliver bange og græder, når han skal gå i skole uden mor.',
    success_indicator: 'Noah går alene i skole og er glad, når han kommer frem.',
  });
  const noahGoal = await goal(noah, walk, 1, {
    text: 'Noah går alene fra lågen derhjemme til skolens port hver morgen.',
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
      text: 'Mor følger Noah et kortere stykke trin for trin.',
      responsible: 'guardians',
      start_date: day(-14),
      deadline: day(21),
      status: 'ongoing',
    },
    [
      'Mor følger Noah helt ind i klassen.',
      'Mor følger Noah til skolens port.',
      'Mor følger Noah til købmanden, og Noah går resten alene.',
      'Mor vinker fra vinduet, og en voksen møder Noah ved skolens port.',
      'Noah går alene hele vejen.',
    ],
  );

  // Mikkel, 16: gaming at night and few friends at school. An ungeplan (barnets plan from 16), held by
  // the child and youth adviser; the goal is in his own words, and he has his own login.
  const mikkel = await log({
    child: 'Mikkel',
    holder: adviser,
    unit: welfare,
    level: 3,
    note: 'Mikkel sidder meget med spil om natten og har kun lidt kontakt med de andre i klassen. Mikkel har selv bedt om en plan.',
    consentBy: 'Mikkel Olsen',
    consentRole: 'youth',
    createdDaysAgo: 15,
    services: ['school', 'child_welfare'],
  });
  const social = await concern(mikkel, 1, {
    title: 'Mikkel spiller til langt ud på natten og er for træt til at være sammen med de andre i skolen.',
    category_id: await category('Sociale kompetencer'),
    success_indicator: 'Mikkel går i seng før midnat på skoledage og er med i en gruppe i timerne.',
  });
  const mikkelGoal = await goal(mikkel, social, 1, {
    text: 'Mikkel lægger spillet væk kl. 23 på skoledage.',
    owner: 'child',
    owner_words: 'Jeg vil kunne overskue skolen.',
    arena: 'home',
    target_date: day(30),
  });
  await measure(mikkel, social, mikkelGoal, 1, {
    text: 'Mikkel sætter en alarm kl. 22.45, der minder ham om at slutte spillet.',
    responsible: 'child',
    start_date: day(-7),
    deadline: day(14),
  });
}
