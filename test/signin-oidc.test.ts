/**
 * Signing in through OpenID Connect against the local identity provider (a real oidc-provider, in
 * process): ID-porten by identity number (staff, guardians, a young person by the child's number), the
 * municipality's login by e-mail, the choice between two accounts of one person, sign-out that ends the
 * provider's session too — and every bad case, each refused with a clear page (never a 500) and an
 * audit row: the provider away, a sign-in that is not this browser's or is too old, a replayed or
 * expired code, an ID token with the wrong issuer, audience, signature or nonce or below the level, a
 * number that matches nobody, and someone deactivated.
 */
import t, { type Test } from 'tap';
import { HttpClient, providerSignIn, signinApp, type Tamper } from './helpers/signin.js';
import { demoNationalId, syntheticNationalId } from '../seeds/01_organisation.js';
import { freePort } from '../src/db/embedded.js';
import type { Db } from '../src/db/knex.js';
import { identityNumbers } from '../src/lib/national-id.js';

const maskNationalId = identityNumbers('NO').mask;
import { mailerFor } from '../src/features/notifications/index.js';
import { identityNumbersIn } from './helpers/identity.js';

/** The newest audit rows of failed sign-ins since `since` (the id of the newest row before). */
async function failures(db: Db, since: number) {
  return db('audit_events')
    .where('id', '>', since)
    .where({ action: 'login_failed' })
    .orderBy('id')
    .select('object_type', 'outcome', 'user_id', 'role');
}

async function lastAuditId(db: Db): Promise<number> {
  const row = await db('audit_events').max('id as id').first();
  return Number(row?.id ?? 0);
}

/** A refusal: its status, its page, one audit row with this reason, and no number of anyone in it. */
async function refused(
  t: Test,
  db: Db,
  since: number,
  page: { status: number; body: string },
  expected: { status: number; reason: string; text: RegExp },
) {
  t.equal(page.status, expected.status, `answered ${expected.status}`);
  t.match(page.body, expected.text, 'the page says what happened');
  t.match(page.body, /<h1[^>]*>/, 'a page with a heading, not an error dump');
  t.same(identityNumbersIn(page.body), [], 'no identity number on the page');
  const rows = await failures(db, since);
  t.same(
    rows.map((r) => r.object_type),
    [expected.reason],
    `one audit row: ${expected.reason}`,
  );
}

t.test("ID-porten for staff, guardians and a young person; the municipality's login for staff", async (t) => {
  const site = await signinApp(t);
  const guardian = new HttpClient();
  const landed = await providerSignIn(guardian, site, 'idporten', { person: 'foresatt@stafett.example' });
  t.equal(landed.url, `${site.baseUrl}/`, 'lands on the front page');
  t.match(landed.body, /Anne Hagen/, "signed in as Ida's mother");

  const nurse = new HttpClient();
  t.match(
    (await providerSignIn(nurse, site, 'idporten', { person: 'stafettholder@stafett.example' })).body,
    /Helga Nilsen/,
  );

  const youth = new HttpClient();
  const per = await providerSignIn(youth, site, 'idporten', { person: 'ungdom@stafett.example' });
  t.match(per.body, /Per Olsen/, "Per signs in with his own (the child's) number");

  const staff = new HttpClient();
  const page = await providerSignIn(staff, site, 'municipal', { person: 'leder@stafett.example' });
  t.match(page.body, /Lars Bakke/, "the leader with the municipality's login");

  const rows = await site
    .db('sign_ins as s')
    .join('users as u', 'u.id', 's.user_id')
    .whereIn('u.email', ['foresatt@stafett.example', 'leder@stafett.example'])
    .select('u.email', 's.method', 's.level');
  t.same(
    rows.map((r) => [r.email, r.method, r.level]).sort(),
    [
      ['foresatt@stafett.example', 'idporten', 'idporten-loa-high'],
      ['leder@stafett.example', 'municipal', null],
    ],
    'each sign-in recorded with its way in and level',
  );
  const audit = await site
    .db('audit_events')
    .where({ action: 'login' })
    .whereIn('object_type', ['idporten', 'municipal'])
    .count('* as n')
    .first();
  t.ok(Number(audit?.n) >= 4, 'and audited');

  const account = await guardian.get(`${site.baseUrl}/account`);
  t.equal(account.status, 200);
  t.match(account.body, /ID-porten/, 'the own page lists the sign-in');
  t.match(account.body, /Høyt/, 'with its level');
  t.ok(
    account.body.includes(maskNationalId(demoNationalId('foresatt@stafett.example'))),
    'her number, masked',
  );
  t.same(identityNumbersIn(account.body), [], 'the own number only masked');
});

t.test(
  'a young person without an account gets one at the first sign-in, from the age limit only',
  async (t) => {
    const site = await signinApp(t);
    const ida = await site.db('children').where({ first_name: 'Ida' }).first('national_id', 'user_id');
    const since = await lastAuditId(site.db);
    const client = new HttpClient();
    const page = await providerSignIn(client, site, 'idporten', { typed: ida.national_id });
    await refused(t, site.db, since, page, {
      status: 403,
      reason: 'idporten.no_match',
      text: /Du har ikke tilgang ennå — spør stafettholderen eller lederen din/,
    });
    t.notMatch(page.body, /Ida|Hagen/, 'nothing about the child');

    // Lise is fourteen: a limit lowered to twelve lets her in, with an account made for her.
    const lowered = await signinApp(t, { YOUTH_ACCESS_AGE: '12' });
    await lowered.db('children').where({ first_name: 'Lise' }).update({ user_id: null });
    const lise = await lowered.db('children').where({ first_name: 'Lise' }).first('id', 'national_id');
    const first = await providerSignIn(new HttpClient(), lowered, 'idporten', { typed: lise.national_id });
    t.equal(first.status, 200, 'Lise, 14, signs in');
    t.match(first.body, /Lise Moen/);
    const made = await lowered.db('children').where({ id: lise.id }).first('user_id');
    const user = await lowered.db('users').where({ id: made.user_id }).first('kind', 'email');
    t.same(user, { kind: 'youth', email: null }, 'her own account, linked to her, with no e-mail address');
    const notices = lowered.app.services.notifications;
    t.equal(
      await notices.send(mailerFor(lowered.app), {
        kind: 'deadline_soon',
        userId: made.user_id,
        logId: null,
      }),
      'skipped',
      'notices to someone without an address are skipped, not retried for a week',
    );
    const again = await providerSignIn(new HttpClient(), lowered, 'idporten', { typed: lise.national_id });
    t.match(again.body, /Lise Moen/, 'the same account the next time');
    t.equal(
      Number(
        (await lowered.db('users').where({ kind: 'youth', name: 'Lise Moen' }).count('* as n').first())?.n,
      ),
      1,
    );
  },
);

t.test('one person with two accounts chooses which to use', async (t) => {
  const site = await signinApp(t);
  // The health nurse is also registered as a guardian (her own child).
  const nurse = await site
    .db('users')
    .where({ email: 'stafettholder@stafett.example' })
    .first('national_id_hash', 'national_id_masked', 'municipality_id');
  await site.db('users').insert({
    municipality_id: nurse.municipality_id,
    email: 'helga.privat@example.no',
    name: 'Helga Nilsen',
    kind: 'guardian',
    national_id_hash: nurse.national_id_hash,
    national_id_masked: nurse.national_id_masked,
  });
  const client = new HttpClient();
  const choose = await providerSignIn(client, site, 'idporten', { person: 'stafettholder@stafett.example' });
  t.equal(choose.url, `${site.baseUrl}/login/choose`);
  t.match(choose.body, /Foresatt/);
  t.match(choose.body, /ansatt/);
  const none = await client.post(`${site.baseUrl}/login/choose`, {});
  t.equal(none.status, 422, 'nothing chosen: asked again');
  t.match(none.body, /Velg hvordan du vil logge inn/);
  const guardianId = /value="(\d+)"[^>]*>\s*<label[^>]*>Helga Nilsen – Foresatt/.exec(none.body)?.[1];
  t.ok(guardianId, 'the guardian account is offered');
  const chosen = await client.follow(
    await client.post(`${site.baseUrl}/login/choose`, { account: guardianId! }),
  );
  t.equal(chosen.status, 200);
  t.match(chosen.body, /Barn du er foresatt for/, 'signed in as the guardian');
  const other = await client.post(`${site.baseUrl}/login/choose`, { account: guardianId! });
  t.equal(other.location, `${site.baseUrl}/login`, 'the choice is made once');
});

t.test('sign-out ends the provider session too (RP-initiated logout, posted)', async (t) => {
  const site = await signinApp(t);
  const client = new HttpClient();
  await providerSignIn(client, site, 'idporten', { person: 'foresatt@stafett.example' });
  const out = await client.post(`${site.baseUrl}/logout`, {});
  t.equal(out.status, 200, 'a page that sends the browser to the provider');
  const href = /<a class="button" href="([^"]+)" id="provider-logout"/
    .exec(out.body)?.[1]
    ?.replace(/&amp;/g, '&');
  t.ok(href, 'a link to the provider');
  const target = new URL(href!);
  t.equal(
    `${target.origin}${target.pathname}`,
    `${site.idp.issuer}/session/end`,
    "the provider's end_session_endpoint",
  );
  t.match(target.searchParams.get('id_token_hint') ?? '', /^ey/, 'with the ID token as hint');
  t.equal(target.searchParams.get('post_logout_redirect_uri'), `${site.baseUrl}/logged-out`);
  t.match(out.body, /data-auto-follow/, 'followed at once where JavaScript runs');

  const confirm = await client.get(href!);
  t.equal(confirm.status, 200, 'the provider asks');
  const action =
    /<form id="op.logoutForm" method="post" action="([^"]+)"><input type="hidden" name="xsrf" value="([^"]+)"/.exec(
      confirm.body,
    );
  t.ok(action, 'its sign-out form');
  const done = await client.request(new URL(action![1]!, href).toString(), {
    form: { xsrf: action![2]!, logout: 'yes' },
  });
  t.equal(done.location, `${site.baseUrl}/logged-out`, 'and sends the browser back');
  const login = await client.follow(done);
  t.match(login.body, /Du er logget ut/);

  // The provider's session is gone: signing in again asks who you are.
  const again = await client.follow(await client.get(`${site.baseUrl}/login/idporten`));
  t.match(again.url, /\/interaction\//, 'the provider asks for the person again');
  t.match(again.body, /Testperson/);
});

t.test(
  "after Stafett's session timed out, the provider's own session signs the person in again",
  async (t) => {
    const site = await signinApp(t);
    const client = new HttpClient();
    await providerSignIn(client, site, 'idporten', { person: 'foresatt@stafett.example' });
    site.clock.advance(31 * 60_000);
    const expired = await client.get(`${site.baseUrl}/`);
    t.match(expired.location, /\/login\?expired=1$/, "Stafett's session ended after 30 idle minutes");
    const page = await client.follow(await client.get(`${site.baseUrl}/login/idporten`));
    t.equal(
      page.url,
      `${site.baseUrl}/`,
      "no question at the provider: it still knows the person (like ID-porten's)",
    );
    t.match(page.body, /Anne Hagen/);
  },
);

t.test('bad cases: each refused with a clear page and an audit row', async (t) => {
  const tamper: { current: Tamper | null } = { current: null };
  const site = await signinApp(t, {}, { tamper });
  const db = site.db;

  await t.test('a number that matches nobody', async (t) => {
    const since = await lastAuditId(db);
    const page = await providerSignIn(new HttpClient(), site, 'idporten', {
      typed: syntheticNationalId('1990-12-24', 7),
    });
    await refused(t, db, since, page, {
      status: 403,
      reason: 'idporten.no_match',
      text: /Du har ikke tilgang ennå — spør stafettholderen eller lederen din/,
    });
  });

  await t.test('a level below the minimum', async (t) => {
    const since = await lastAuditId(db);
    const page = await providerSignIn(new HttpClient(), site, 'idporten', {
      person: 'foresatt@stafett.example',
      level: 'idporten-loa-substantial',
    });
    await refused(t, db, since, page, {
      status: 403,
      reason: 'idporten.level',
      text: /høyere sikkerhetsnivå/,
    });
  });

  await t.test('a callback this browser did not start, and one started elsewhere', async (t) => {
    const attacker = new HttpClient();
    const callback = await providerSignIn(attacker, site, 'idporten', {
      person: 'stafettholder@stafett.example',
      stopAtCallback: true,
    });
    const victim = new HttpClient();
    let since = await lastAuditId(db);
    const stranger = await victim.get(callback.location);
    await refused(t, db, since, stranger, {
      status: 400,
      reason: 'idporten.state',
      text: /ikke startet i dette vinduet/,
    });

    // The victim has a sign-in of their own on the way: the attacker's answer still does not fit it.
    await victim.get(`${site.baseUrl}/login/idporten`);
    since = await lastAuditId(db);
    const mixed = await victim.get(callback.location);
    await refused(t, db, since, mixed, {
      status: 400,
      reason: 'idporten.state',
      text: /ikke startet i dette vinduet/,
    });
    const me = await victim.get(`${site.baseUrl}/`);
    t.equal(me.location, `${site.baseUrl}/login`, 'nobody is signed in');
  });

  await t.test('the same answer used twice', async (t) => {
    const client = new HttpClient();
    const callback = await providerSignIn(client, site, 'idporten', {
      person: 'foresatt@stafett.example',
      stopAtCallback: true,
    });
    const first = await client.get(callback.location);
    t.equal(first.status, 303, 'the first time signs in');
    const since = await lastAuditId(db);
    const second = await client.get(callback.location);
    await refused(t, db, since, second, { status: 400, reason: 'idporten.state', text: /allerede fullført/ });
  });

  await t.test('a replayed code: the provider refuses it, and so does Stafett', async (t) => {
    tamper.current = () => 'exchange-twice';
    t.teardown(() => (tamper.current = null));
    const since = await lastAuditId(db);
    const page = await providerSignIn(new HttpClient(), site, 'idporten', {
      person: 'foresatt@stafett.example',
    });
    await refused(t, db, since, page, {
      status: 400,
      reason: 'idporten.code',
      text: /allerede brukt eller utløpt/,
    });
  });

  const forged: [string, Tamper, RegExp][] = [
    [
      'issuer',
      ({ claims }) => ({ claims: { ...claims, iss: 'https://idporten.evil.example' } }),
      /innloggingstjenesten/,
    ],
    ['audience', ({ claims }) => ({ claims: { ...claims, aud: 'another-service' } }), /annen tjeneste/],
    ['nonce', ({ claims }) => ({ claims: { ...claims, nonce: 'another-sign-in' } }), /annen innlogging/],
    ['signature', ({ claims }) => ({ claims, key: 'foreign' }), /ikke riktig signert/],
    [
      'signature',
      ({ claims }) => ({
        claims: { ...claims, pid: demoNationalId('leder@stafett.example') },
        key: 'foreign',
        header: { kid: 'unknown-key' },
      }),
      /ikke riktig signert/,
    ],
    [
      'token_expired',
      ({ claims }) => ({ claims: { ...claims, exp: Math.floor(Date.now() / 1000) - 3600 } }),
      /for gammelt/,
    ],
    [
      'level',
      ({ claims }) => ({ claims: { ...claims, acr: 'idporten-loa-substantial' } }),
      /høyere sikkerhetsnivå/,
    ],
  ];
  for (const [reason, change, text] of forged) {
    await t.test(`an ID token with the wrong ${reason}`, async (t) => {
      tamper.current = change;
      t.teardown(() => (tamper.current = null));
      const since = await lastAuditId(db);
      const client = new HttpClient();
      const page = await providerSignIn(client, site, 'idporten', { person: 'foresatt@stafett.example' });
      await refused(t, db, since, page, {
        status: reason === 'level' ? 403 : 400,
        reason: `idporten.${reason}`,
        text,
      });
      t.equal((await client.get(`${site.baseUrl}/`)).location, `${site.baseUrl}/login`, 'not signed in');
    });
  }

  await t.test('the person cancels at the provider', async (t) => {
    const client = new HttpClient();
    const atProvider = await client.follow(await client.get(`${site.baseUrl}/login/idporten`));
    const abort = /href="([^"]+\/abort)"/.exec(atProvider.body)![1]!;
    const since = await lastAuditId(db);
    const page = await client.follow(await client.get(new URL(abort, atProvider.url).toString()));
    await refused(t, db, since, page, {
      status: 400,
      reason: 'idporten.cancelled',
      text: /avbrøt innloggingen/,
    });
  });

  await t.test('too long at the provider', async (t) => {
    const client = new HttpClient();
    const callback = await providerSignIn(client, site, 'idporten', {
      person: 'foresatt@stafett.example',
      stopAtCallback: true,
    });
    site.clock.advance(11 * 60_000);
    t.teardown(() => site.clock.advance(-11 * 60_000));
    const since = await lastAuditId(db);
    const page = await client.get(callback.location);
    await refused(t, db, since, page, { status: 400, reason: 'idporten.expired', text: /10 minutter/ });
  });

  await t.test('a deactivated staff member matches nobody', async (t) => {
    const leader = await db('users').where({ email: 'laerer@stafett.example' }).first('id');
    await db('users').where({ id: leader.id }).update({ disabled_at: new Date() });
    t.teardown(() => db('users').where({ id: leader.id }).update({ disabled_at: null }));
    const since = await lastAuditId(db);
    const page = await providerSignIn(new HttpClient(), site, 'idporten', {
      person: 'laerer@stafett.example',
    });
    await refused(t, db, since, page, {
      status: 403,
      reason: 'idporten.no_match',
      text: /Du har ikke tilgang ennå/,
    });
    const [row] = await failures(db, since);
    t.equal(row!.user_id, leader.id, 'the trail says whose account it was');
    const staff = await providerSignIn(new HttpClient(), site, 'municipal', {
      person: 'laerer@stafett.example',
    });
    t.equal(staff.status, 403, "nor with the municipality's login");
  });

  await t.test("the municipality's login for someone who is not staff", async (t) => {
    const since = await lastAuditId(db);
    const page = await providerSignIn(new HttpClient(), site, 'municipal', {
      person: 'foresatt@stafett.example',
    });
    await refused(t, db, since, page, {
      status: 403,
      reason: 'municipal.no_match',
      text: /Du har ikke tilgang ennå/,
    });
  });
});

t.test('an expired code: the provider refuses it', async (t) => {
  const site = await signinApp(t, {}, { idp: { codeTtlSeconds: 1 } });
  const client = new HttpClient();
  const callback = await providerSignIn(client, site, 'idporten', {
    person: 'foresatt@stafett.example',
    stopAtCallback: true,
  });
  await new Promise((resolve) => setTimeout(resolve, 2100)); // the code's one second runs out
  const since = await lastAuditId(site.db);
  const page = await client.get(callback.location);
  await refused(t, site.db, since, page, {
    status: 400,
    reason: 'idporten.code',
    text: /allerede brukt eller utløpt/,
  });
});

t.test('the provider unreachable: a page that says so, and trying again works once it is back', async (t) => {
  const port = await freePort();
  const site = await signinApp(t, {
    IDPORTEN_ISSUER: `http://127.0.0.1:${port}`,
  });
  const since = await lastAuditId(site.db);
  const client = new HttpClient();
  const page = await client.get(`${site.baseUrl}/login/idporten`);
  await refused(t, site.db, since, page, {
    status: 503,
    reason: 'idporten.unreachable',
    text: /svarer ikke akkurat nå/,
  });
  t.match(page.body, /href="\/login\/idporten"/, 'with a way to try again');
  t.match(page.body, /Prøv igjen/);
  const login = await client.get(`${site.baseUrl}/login`);
  t.equal(login.status, 200, 'the sign-in page itself still works');
});
