/**
 * The views by role: the actor's list and follow-up, the family's plain-words log page and their view
 * on measures due for evaluation, the young person's own page (by the age setting), read grants, the
 * unit leader's supervision and staff, the municipal administrator's units and leaders — and extra
 * form fields (holder id, log id, role) that are ignored.
 */
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { accessPeople, buildWorld, EMAIL, type RoleName } from './helpers/access-world.js';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import { identityNumbersIn } from './helpers/identity.js';

async function setup(t: Parameters<typeof testApp>[0]) {
  const site = await testApp(t);
  const people = await accessPeople(site.db);
  const world = await buildWorld(site.db, people);
  const as = async (role: Exclude<RoleName, 'anon'>) => {
    const agent = new Agent(site.app);
    await signIn(agent, EMAIL[role]);
    return agent;
  };
  return { ...site, people, world, as };
}

t.test(
  'actor: the logs with their measures, only their concerns, progress and comments, not the plan',
  async (t) => {
    const { db, world, as } = await setup(t);
    const actor = await as('actorIn');
    const list = await actor.get('/actor');
    t.equal(list.statusCode, 200);
    t.match(list.body, /Mia Matrise/, 'the log where they have a measure');
    t.match(list.body, /Kontaktlæreren ringer hjem når Mia er borte\./, 'their measure');
    t.match(
      list.body,
      new RegExp(`/logs/${world.logId}/measures/${world.measureA}/follow-up`),
      'with a link to follow it up',
    );
    t.notMatch(list.body, /rolig start på dagen/, "not someone else's measure");

    const page = await actor.get(`/logs/${world.logId}`);
    t.match(page.body, /Mia er borte fra skolen/, 'the concern they take part in');
    t.notMatch(page.body, /Mia sover dårlig/, 'not the concern they are not in');
    t.match(page.body, /Dine tiltak i denne loggen/, 'their measures are at hand on the log page');
    t.notMatch(page.body, /concerns\/new|\/edit"/, 'no way to change the plan');

    const followUp = await actor.get(`/logs/${world.logId}/measures/${world.measureA}/follow-up`);
    t.match(followUp.body, /name="status"/, 'they can mark progress');
    const before = await db('measures').where({ id: world.measureA }).first('version');
    const planned = await actor.post(`/logs/${world.logId}/measures/${world.measureA}/progress`, {
      status: 'planned',
      responsible_user_id: '1',
      text: 'Endret',
    });
    t.equal(planned.statusCode, 303);
    const after = await db('measures')
      .where({ id: world.measureA })
      .first('status', 'version', 'text', 'responsible_user_id');
    t.equal(after.status, 'planned', 'progress saved');
    t.equal(after.version, before.version + 1, 'the version moves on, so an open edit form sees the change');
    t.equal(after.text, 'Kontaktlæreren ringer hjem når Mia er borte.', 'the text is not theirs to change');
    t.not(after.responsible_user_id, 1, 'nor who is responsible');
    const invalid = await actor.post(`/logs/${world.logId}/measures/${world.measureA}/progress`, {
      status: 'evaluated',
    });
    t.equal(invalid.statusCode, 422, 'evaluating is not progress');
    t.match(invalid.body, /href="#status"/);
    const comment = await actor.post(`/logs/${world.logId}/measures/${world.measureA}/comments`, {
      comment: 'Ringte mor tirsdag.',
    });
    t.equal(comment.statusCode, 303);
    const shown = await actor.follow(comment);
    t.match(shown.body, /Ringte mor tirsdag\./, 'the comment is shown');
    t.match(shown.body, /Kommentaren er lagret\./, 'and confirmed');
    const empty = await actor.post(`/logs/${world.logId}/measures/${world.measureA}/comments`, {
      comment: '   ',
    });
    t.equal(empty.statusCode, 422);
    t.match(empty.body, /<title>Feil: /);

    const guardian = await as('guardian');
    const readOnly = await guardian.get(`/logs/${world.logId}/measures/${world.measureA}/follow-up`);
    t.equal(readOnly.statusCode, 200, 'the family can read the follow-up');
    t.match(readOnly.body, /Ringte mor tirsdag\./);
    t.notMatch(readOnly.body, /name="status"|name="comment"/, 'but not write in it');
  },
);

t.test(
  "guardian: the children's logs in plain words, without others' private notes, and the family's view",
  async (t) => {
    const { db, world, as } = await setup(t);
    const guardian = await as('guardian');
    const list = await guardian.get('/family');
    t.equal(list.statusCode, 200);
    t.match(list.body, /Planen for Mia Matrise/);
    const page = await guardian.get(`/logs/${world.logId}`);
    t.equal(page.statusCode, 200);
    t.match(page.body, /<h1[^>]*>Planen for Mia Matrise \d+<\/h1>/, 'written for a parent');
    t.match(page.body, /Dette jobber vi med/);
    t.match(page.body, /Mia er borte fra skolen/, 'every concern');
    t.match(page.body, /Mia sover dårlig/);
    t.match(page.body, /<strong>Dere:<\/strong> Mor vekker Mia kl\. 7\./, 'a home measure is theirs');
    t.match(page.body, /Med Mias egne ord: «Jeg vil orke skolen\.»/, "the child's own words");
    t.notMatch(
      page.body,
      /Nivå|nivå 2|Stafettholder<|Kjennetegn på måloppnåelse|Opprettholdende/,
      'no internal codes or professional terms',
    );
    t.notMatch(page.body, /Husk å ringe PPT\./, "no one else's private note");
    t.same(identityNumbersIn(page.body), [], 'no identity number');
    t.match(page.body, new RegExp(`/logs/${world.logId}/audit`), 'they can see who has looked at the plan');
    t.match(page.body, /Hva mener dere om tiltakene\?/, 'measures due for evaluation ask for their view');

    const formUrl = `/logs/${world.logId}/measures/${world.measureA}/family-view`;
    const form = await guardian.get(formUrl);
    t.equal(form.statusCode, 200);
    t.match(form.body, /Har tiltaket hjulpet\?/);
    const missing = await guardian.post(formUrl, { view: 'Vet ikke helt.' });
    t.equal(missing.statusCode, 422);
    t.match(missing.body, /Vet ikke helt\./, 'what they wrote comes back');
    const saved = await guardian.post(formUrl, {
      effect: 'partly',
      view: 'Mia liker at læreren ringer.',
      user_id: '1',
      log_id: '1',
    });
    t.equal(saved.statusCode, 303);
    const row = await db('family_views').where({ measure_id: world.measureA }).first();
    t.equal(row.effect, 'partly');
    t.equal(row.log_id, world.logId, 'the log is the one in the address, not the posted field');
    t.equal(
      row.user_id,
      (await db('users').where({ email: EMAIL.guardian }).first('id')).id,
      'and the person is the one signed in',
    );
    const again = await guardian.follow(saved);
    t.match(
      again.body,
      /Du har sagt: Det har hjulpet litt: «Mia liker at læreren ringer\.»/,
      'shown on the plan',
    );
    const changed = await guardian.post(formUrl, { effect: 'worked', view: '' });
    t.equal(changed.statusCode, 303, 'they can change it');
    t.equal(
      (await db('family_views').where({ measure_id: world.measureA }).select('id')).length,
      1,
      'one view per person',
    );
  },
);

t.test('youth: their own log in words written to them, from the age setting', async (t) => {
  const { db, world, as } = await setup(t);
  const youth = await as('youth');
  const list = await youth.get('/family');
  t.match(list.body, /Planen din/);
  t.match(list.body, new RegExp(`href="/logs/${world.logId}"`));
  const page = await youth.get(`/logs/${world.logId}`);
  t.equal(page.statusCode, 200);
  t.match(page.body, /<h1[^>]*>Planen din, Mia<\/h1>/);
  t.match(page.body, /Dette jobber vi med sammen med deg/);
  t.match(page.body, /Med dine egne ord: «Jeg vil orke skolen\.»/);
  t.match(page.body, /<strong>Foreldrene dine:<\/strong> Mor vekker Mia/);
  t.notMatch(page.body, /Nivå/);
  await db('children')
    .where({ id: world.childId })
    .update({ birth_date: `${new Date().getFullYear() - 14}-01-01` });
  t.equal(
    (await youth.get(`/logs/${world.logId}`)).statusCode,
    404,
    'under the age for own access: not found',
  );
  t.notMatch((await youth.get('/family')).body, new RegExp(`href="/logs/${world.logId}"`), 'and not listed');
});

t.test(
  'read grants: whole or chosen concerns, an end date inside the consent, withdrawn at will',
  async (t) => {
    const { db, world, people, as } = await setup(t);
    const holder = await as('holder');
    const page = await holder.get(`/logs/${world.logId}/grants`);
    t.equal(page.statusCode, 200);
    t.match(page.body, /Per Person|Eva Holm/, 'the grants given are listed');
    const today = osloDate(new Date());
    const consent = await db('consents').where({ log_id: world.logId }).first('id', 'valid_until');
    const until = isoToParts(addDays(today, 20));
    const form = (extra: Record<string, string> = {}) => ({
      email: 'Matrise.Ansatt@stafett.example',
      scope: 'chosen',
      concernIds: String(world.concernB),
      'endsOn-day': until.day,
      'endsOn-month': until.month,
      'endsOn-year': until.year,
      consentId: String(consent.id),
      ...extra,
    });
    await db('read_grants').where({ user_id: people.ids.staff }).update({ withdrawn_at: new Date() });
    const staff = await as('staff');
    t.equal((await staff.get(`/logs/${world.logId}`)).statusCode, 404, 'no grant, no access');

    const late = isoToParts(addDays(consent.valid_until, 1));
    const tooLate = await holder.post(
      `/logs/${world.logId}/grants`,
      form({ 'endsOn-day': late.day, 'endsOn-month': late.month, 'endsOn-year': late.year }),
    );
    t.equal(tooLate.statusCode, 422, 'not past the consent');
    t.match(tooLate.body, /href="#endsOn-day"/);
    const unknown = await holder.post(
      `/logs/${world.logId}/grants`,
      form({ email: 'ingen@stafett.example' }),
    );
    t.equal(unknown.statusCode, 422, 'only staff of the municipality');
    const otherMunicipality = await holder.post(
      `/logs/${world.logId}/grants`,
      form({ email: EMAIL.otherMunicipality }),
    );
    t.equal(otherMunicipality.statusCode, 422, 'not staff of another municipality');
    const noConcern = await holder.post(
      `/logs/${world.logId}/grants`,
      form({ concernIds: String(people.other.concernId) }),
    );
    t.equal(noConcern.statusCode, 422, "not another log's concern");

    const given = await holder.post(
      `/logs/${world.logId}/grants`,
      form({
        log_id: String(people.other.logId),
        granted_by: '1',
        holder_id: '1',
        role: 'holder',
        user_id: String(people.ids.leaderOther),
      }),
    );
    t.equal(given.statusCode, 303);
    const grant = await db('read_grants')
      .where({ user_id: people.ids.staff })
      .whereNull('withdrawn_at')
      .first();
    t.equal(grant.log_id, world.logId, 'extra fields are ignored: the log is the one in the address');
    t.equal(grant.granted_by, people.ids.holder, 'the grant is given by the person signed in');
    t.same(grant.concern_ids, [world.concernB]);
    t.equal(grant.consent_id, consent.id, 'resting on the consent');
    const read = await staff.get(`/logs/${world.logId}`);
    t.equal(read.statusCode, 200, 'the grant opens the log');
    t.match(read.body, /Mia sover dårlig/, 'the chosen concern');
    t.notMatch(read.body, /Mia er borte fra skolen/, 'and nothing else');
    t.equal(
      (await staff.post(`/logs/${world.logId}/glimmers`, { text: 'Hei' })).statusCode,
      404,
      'reading only',
    );

    const withdrawn = await holder.post(`/logs/${world.logId}/grants/${grant.id}/withdraw`, {
      confirm: 'yes',
    });
    t.equal(withdrawn.statusCode, 303);
    t.equal((await staff.get(`/logs/${world.logId}`)).statusCode, 404, 'withdrawn: gone');
    await db('read_grants').insert({
      log_id: world.logId,
      user_id: people.ids.staff,
      all_concerns: true,
      ends_on: addDays(today, -1),
      granted_by: people.ids.holder,
    });
    t.equal((await staff.get(`/logs/${world.logId}`)).statusCode, 404, 'past its end date: gone');
  },
);

t.test(
  'leader: every log of the unit read-only, pending transfers, expiring consents, and the staff',
  async (t) => {
    const { db, world, people, as } = await setup(t);
    const leader = await as('leader');
    const start = await leader.get('/unit');
    t.equal(start.statusCode, 303);
    const overview = await leader.follow(start);
    t.equal(overview.statusCode, 200);
    t.match(overview.body, /Mia Matrise/, 'the logs held in the unit');
    t.match(overview.body, /Overføringer som venter/);
    t.match(overview.body, /Lillevik barnehage/, 'the pending transfer, with where it goes');
    await db('consents')
      .where({ log_id: world.logId })
      .update({ valid_until: addDays(osloDate(new Date()), 10) });
    t.match((await leader.get(`/units/${world.unitId}`)).body, /Utløper/, 'a consent about to expire');
    const log = await leader.get(`/logs/${world.logId}`);
    t.equal(log.statusCode, 200, 'reads the log');
    t.notMatch(log.body, /concerns\/new/, 'but cannot write in it');

    const staffPage = await leader.get(`/units/${world.unitId}/staff`);
    t.match(staffPage.body, /Anders Ansatt/);
    const added = await leader.post(`/units/${world.unitId}/staff`, {
      email: 'ny.ansatt@stafett.example',
      name: 'Nora Ny',
      title: 'Lærer',
      flags: 'mayBeActor',
      is_leader: 'true',
      unit_id: String(people.other.unitId),
    });
    t.equal(added.statusCode, 303);
    const newUser = await db('users')
      .where({ email: 'ny.ansatt@stafett.example' })
      .first('id', 'kind', 'municipality_id', 'password_hash');
    t.equal(newUser.kind, 'staff');
    t.equal(newUser.municipality_id, people.municipalityId);
    t.equal(newUser.password_hash, null, 'no password until they set one');
    const membership = await db('unit_memberships').where({ user_id: newUser.id }).select('*');
    t.equal(membership.length, 1, 'one membership, in this unit only');
    t.equal(membership[0].unit_id, world.unitId);
    t.equal(membership[0].is_leader, false, 'a posted is_leader is ignored');
    t.equal(membership[0].may_be_actor, true);
    t.equal(
      (
        await leader.post(`/units/${world.unitId}/staff`, {
          email: 'ny.ansatt@stafett.example',
          name: 'Nora Ny',
        })
      ).statusCode,
      422,
      'not twice',
    );
    t.equal(
      (await leader.post(`/units/${world.unitId}/staff`, { email: EMAIL.guardian, name: 'X' })).statusCode,
      422,
      'a guardian is not staff',
    );

    const flags = await leader.post(`/units/${world.unitId}/staff/${newUser.id}`, {
      roles_form: '1',
      title: 'Kontaktlærer',
      flags: 'mayHold',
    });
    t.equal(flags.statusCode, 303);
    const changed = await db('unit_memberships')
      .where({ user_id: newUser.id })
      .first('may_hold', 'may_be_actor', 'title');
    t.same(
      changed,
      { may_hold: true, may_be_actor: false, title: 'Kontaktlærer' },
      'the flags are set as chosen',
    );
    const holderOff = await leader.post(`/units/${world.unitId}/staff/${people.ids.holder}`, {
      roles_form: '1',
      title: 'Helsesykepleier',
      flags: 'mayBeActor',
    });
    t.equal(holderOff.statusCode, 422, 'someone who holds logs keeps may-hold until they are transferred');
    t.equal(
      (await leader.post(`/units/${world.unitId}/staff/${people.ids.holder}/remove`, { confirm: 'yes' }))
        .statusCode,
      422,
      'and is not removed',
    );
    const confirm = await leader.get(`/units/${world.unitId}/staff/${newUser.id}/remove`);
    t.match(confirm.body, /Fjerne Nora Ny fra enheten\?/, 'removing asks first');
    t.equal(
      (await leader.post(`/units/${world.unitId}/staff/${newUser.id}/remove`, {})).statusCode,
      400,
      'a post that does not say yes asks again',
    );
    t.ok(await db('unit_memberships').where({ user_id: newUser.id }).first(), 'and removes nothing');
    t.equal(
      (await leader.post(`/units/${world.unitId}/staff/${newUser.id}/remove`, { confirm: 'yes' })).statusCode,
      303,
    );
    t.equal((await db('unit_memberships').where({ user_id: newUser.id }).first()) ?? null, null, 'removed');
    t.equal(
      (await leader.post(`/units/${world.unitId}/staff/${people.ids.leader}/remove`, { confirm: 'yes' }))
        .statusCode,
      422,
      'not themself',
    );

    const superuser = await as('superuser');
    t.equal(
      (await superuser.get(`/units/${world.unitId}/staff`)).statusCode,
      200,
      'a superuser manages staff too',
    );
    t.equal(
      (await superuser.get(`/units/${world.unitId}/staff/${people.ids.leader}`)).statusCode,
      404,
      'but not the leader',
    );
  },
);

t.test('municipal administrator: units and leaders, and no children', async (t) => {
  const { db, world, people, as } = await setup(t);
  const admin = await as('admin');
  const page = await admin.get('/admin');
  t.equal(page.statusCode, 200);
  t.match(page.body, /Solbakken skole/);
  t.match(page.body, /Lars Bakke/, 'with their leaders');
  t.notMatch(page.body, /Annen skole/, "not another municipality's units");
  t.notMatch(page.body, /Mia|Ida|Per Olsen/, 'no children');
  const missing = await admin.post('/admin/units', { name: '', kind: 'nope' });
  t.equal(missing.statusCode, 422);
  t.match(missing.body, /href="#name"[\s\S]*href="#kind"[\s\S]*href="#districtId"/, 'errors in field order');
  const district = (await db('districts').where({ municipality_id: people.municipalityId }).first('id')).id;
  const created = await admin.post('/admin/units', {
    name: 'Nordlys barnehage',
    kind: 'kindergarten',
    districtId: String(district),
  });
  t.equal(created.statusCode, 303);
  const unitId = Number(/\/admin\/units\/(\d+)/.exec(String(created.headers.location))![1]);
  const appointed = await admin.post(`/admin/units/${unitId}/leaders`, {
    email: 'styrer@stafett.example',
    name: 'Siv Styrer',
  });
  t.equal(appointed.statusCode, 303);
  const styrer = await db('users').where({ email: 'styrer@stafett.example' }).first('id');
  t.equal(
    (await db('unit_memberships').where({ unit_id: unitId, user_id: styrer.id }).first('is_leader'))
      .is_leader,
    true,
    'the leader is appointed',
  );
  t.match((await admin.get(`/admin/units/${unitId}`)).body, /Siv Styrer/);
  t.equal(
    (await admin.post(`/admin/units/${unitId}/leaders/${styrer.id}/remove`, { confirm: 'yes' })).statusCode,
    303,
  );
  t.equal(
    (await db('unit_memberships').where({ unit_id: unitId, user_id: styrer.id }).first('is_leader'))
      .is_leader,
    false,
    'and removed',
  );
  t.equal((await admin.get(`/logs/${world.logId}`)).statusCode, 404, "no access to children's logs");
  t.equal(
    (await admin.get(`/admin/units/${people.other.unitId}`)).statusCode,
    404,
    "another municipality's unit is not found",
  );
});
