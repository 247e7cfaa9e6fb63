/**
 * Forms that take access away ask first, and an empty or cut-off post is never read as "nothing
 * chosen": a staff member's roles, a read grant, a leader, notice preferences and a meeting's
 * participants. A browser leaves unticked checkboxes out of a post, so each of these forms carries a
 * hidden field saying it was posted whole.
 */
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { accessPeople, buildWorld, EMAIL, type RoleName } from './helpers/access-world.js';

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

const membershipOf = (db: Awaited<ReturnType<typeof setup>>['db'], unitId: number, userId: number) =>
  db('unit_memberships')
    .where({ unit_id: unitId, user_id: userId })
    .first('title', 'may_hold', 'may_be_actor', 'is_superuser');

t.test('a staff member’s roles: an empty or partial post changes nothing', async (t) => {
  const { db, world, people, as } = await setup(t);
  const leader = await as('leader');
  const url = `/units/${world.unitId}/staff/${people.ids.superuser}`;
  const before = await membershipOf(db, world.unitId, people.ids.superuser);
  t.same(before, { title: 'Superbruker', may_hold: false, may_be_actor: true, is_superuser: true });
  const form = await leader.get(url);
  t.match(form.body, /<input type="hidden" name="roles_form" value="1">/, 'the form says it is whole');

  const empty = await leader.post(url, {});
  t.equal(empty.statusCode, 400, 'an empty post is refused');
  t.match(empty.body, /<a href="#flags">/, 'with the form back and a message by the roles');
  t.match(empty.body, /value="isSuperuser" checked/, 'showing the roles as they are');
  const partial = await leader.post(url, { title: 'Ny tittel' });
  t.equal(partial.statusCode, 400, 'a post without the checkboxes’ marker is refused too');
  t.match(partial.body, /value="Ny tittel"/, 'the typed title comes back');
  const noTitle = await leader.post(url, { roles_form: '1', flags: 'isSuperuser' });
  t.equal(noTitle.statusCode, 400, 'a post without the title field is not the whole form');
  t.same(await membershipOf(db, world.unitId, people.ids.superuser), before, 'nothing changed');
  t.equal(
    (
      await db('audit_events')
        .where({ object_id: people.ids.superuser, unit_id: world.unitId })
        .whereLike('action', 'membership.%')
    ).length,
    0,
    'and nothing is recorded as changed',
  );
});

t.test('removing every role asks first; no keeps them, yes removes them and is recorded', async (t) => {
  const { db, world, people, as } = await setup(t);
  const leader = await as('leader');
  const url = `/units/${world.unitId}/staff/${people.ids.superuser}`;
  const before = await membershipOf(db, world.unitId, people.ids.superuser);
  const ask = await leader.post(url, { roles_form: '1', title: 'Superbruker' });
  t.equal(ask.statusCode, 200, 'a confirmation page');
  t.match(ask.body, /Ta bort alle rollene til Sofie Super\?/);
  t.match(ask.body, /Kan være aktør/, 'naming the roles that go');
  t.match(ask.body, /Superbruker \(kan administrere ansatte\)/);
  t.same(await membershipOf(db, world.unitId, people.ids.superuser), before, 'nothing changed yet');
  t.match(ask.body, new RegExp(`<a class="button button--secondary" href="${url}">`), 'no: back to the page');
  t.equal((await leader.get(url)).statusCode, 200);
  t.same(await membershipOf(db, world.unitId, people.ids.superuser), before, 'no keeps everything');

  const yes = await leader.post(url, { roles_form: '1', title: 'Superbruker', confirm: 'yes' });
  t.equal(yes.statusCode, 303);
  t.same(await membershipOf(db, world.unitId, people.ids.superuser), {
    title: 'Superbruker',
    may_hold: false,
    may_be_actor: false,
    is_superuser: false,
  });
  const audit = await db('audit_events')
    .where({ object_id: people.ids.superuser, object_type: 'user', unit_id: world.unitId })
    .whereLike('action', 'membership.%')
    .orderBy('id')
    .select('action', 'role', 'user_id');
  t.same(
    audit.map((a) => a.action),
    ['membership.update', 'membership.revoke.may_be_actor', 'membership.revoke.is_superuser'],
    'the change and each role taken away',
  );
  t.ok(audit.every((a) => a.role === 'leader' && a.user_id === people.ids.leader));
});

t.test('a change that keeps a role is saved at once', async (t) => {
  const { db, world, people, as } = await setup(t);
  const leader = await as('leader');
  const url = `/units/${world.unitId}/staff/${people.ids.superuser}`;
  const saved = await leader.post(url, { roles_form: '1', title: 'Helsesekretær', flags: 'mayBeActor' });
  t.equal(saved.statusCode, 303);
  t.same(await membershipOf(db, world.unitId, people.ids.superuser), {
    title: 'Helsesekretær',
    may_hold: false,
    may_be_actor: true,
    is_superuser: false,
  });
  t.same(
    (
      await db('audit_events')
        .where({ object_id: people.ids.superuser, unit_id: world.unitId })
        .whereLike('action', 'membership.%')
        .orderBy('id')
    ).map((a) => a.action),
    ['membership.update', 'membership.revoke.is_superuser'],
  );
});

t.test('withdrawing a read grant asks first', async (t) => {
  const { db, world, as } = await setup(t);
  const holder = await as('holder');
  const url = `/logs/${world.logId}/grants/${world.grantId}/withdraw`;
  const list = await holder.get(`/logs/${world.logId}/grants`);
  t.match(list.body, new RegExp(`<a href="${url}"`), 'the list links to a confirmation page');
  const ask = await holder.get(url);
  t.equal(ask.statusCode, 200);
  t.match(ask.body, /Anders Ansatt/);
  const empty = await holder.post(url, {});
  t.equal(empty.statusCode, 400, 'a post without the confirmation answers with the question again');
  t.equal((await db('read_grants').where({ id: world.grantId }).first()).withdrawn_at, null, 'not withdrawn');
  const yes = await holder.post(url, { confirm: 'yes' });
  t.equal(yes.statusCode, 303);
  t.not((await db('read_grants').where({ id: world.grantId }).first()).withdrawn_at, null, 'withdrawn');
  t.equal((await db('audit_events').where({ action: 'grant.withdraw', object_id: world.grantId })).length, 1);
});

t.test('removing a leader asks first', async (t) => {
  const { db, world, people, as } = await setup(t);
  const admin = await as('admin');
  const url = `/admin/units/${world.unitId}/leaders/${people.ids.leader}/remove`;
  const page = await admin.get(`/admin/units/${world.unitId}`);
  t.match(page.body, new RegExp(`<a href="${url}"`), 'the unit page links to a confirmation page');
  const ask = await admin.get(url);
  t.equal(ask.statusCode, 200);
  t.match(ask.body, /Lene Leder/);
  const empty = await admin.post(url, {});
  t.equal(empty.statusCode, 400);
  const isLeader = async () =>
    (await db('unit_memberships').where({ unit_id: world.unitId, user_id: people.ids.leader }).first())
      .is_leader;
  t.equal(await isLeader(), true, 'still the leader');
  t.equal((await admin.post(url, { confirm: 'yes' })).statusCode, 303);
  t.equal(await isLeader(), false, 'removed after yes');
  t.equal(
    (await admin.get(`/admin/units/${world.unitId}/leaders/${people.ids.staff}/remove`)).statusCode,
    404,
  );
});

t.test('notice preferences: an empty post does not turn every notice off', async (t) => {
  const { db, people, as } = await setup(t);
  const holder = await as('holder');
  const page = await holder.get('/notifications');
  t.match(page.body, /<input type="hidden" name="prefs_form" value="1">/);
  const empty = await holder.post('/notifications', {});
  t.equal(empty.statusCode, 400);
  t.match(empty.body, /value="measure_assigned" checked/, 'the form back as it was');
  t.equal(
    (await db('notification_preferences').where({ user_id: people.ids.holder, enabled: false })).length,
    0,
    'nothing turned off',
  );
  const off = await holder.post('/notifications', { prefs_form: '1' });
  t.equal(off.statusCode, 303, 'unticking every box in the form still works');
  t.ok((await db('notification_preferences').where({ user_id: people.ids.holder, enabled: false })).length);
});

t.test('a meeting posted without its participant list keeps its participants', async (t) => {
  const { db, world, people, as } = await setup(t);
  const holder = await as('holder');
  await db('meeting_participants').insert({ meeting_id: world.meetingId, user_id: people.ids.holder });
  const edit = await holder.get(`/logs/${world.logId}/meetings/${world.meetingId}/edit`);
  t.match(edit.body, /<input type="hidden" name="participants_form" value="1">/);
  const field = (name: string) =>
    new RegExp(`name="${name}"[^>]*value="([^"]*)"|<textarea[^>]*name="${name}"[^>]*>([^<]*)<`).exec(
      edit.body,
    );
  const value = (name: string) => {
    const m = field(name);
    return m?.[1] ?? m?.[2] ?? '';
  };
  const before = await db('meeting_participants').where({ meeting_id: world.meetingId }).count('* as n');
  t.ok(Number(before[0]!.n) > 0, 'the meeting has participants');
  const checked = (name: string) =>
    [
      ...edit.body.matchAll(
        new RegExp(`name="${name}" type="(?:radio|checkbox)" value="([^"]*)" checked`, 'g'),
      ),
    ].map((m) => m[1]!);
  const partial = await holder.post(`/logs/${world.logId}/meetings/${world.meetingId}`, {
    date_day: value('date_day'),
    date_month: value('date_month'),
    date_year: value('date_year'),
    dateTime: value('dateTime'),
    duration: checked('duration')[0] ?? '60',
    mode: checked('mode')[0] ?? 'in_person',
    place: value('place'),
    purpose: 'Endret formål',
    version: value('version'),
  });
  t.equal(partial.statusCode, 400, 'refused, with the form back');
  t.match(partial.body, 'Endret formål', 'the typed text comes back');
  const after = await db('meeting_participants').where({ meeting_id: world.meetingId }).count('* as n');
  t.same(after, before, 'the participants are kept');
});
