/**
 * Accounts over time, through the real app, a real SMTP server (smtp-server) and the local identity
 * provider: invitations (staff added by a leader, guardians registered by a holder) that arrive once, in
 * the person's language, without child data, work once and expire; binding an ID-porten identity through
 * an invitation; "Glemt passord" without revealing whether an address exists; deactivating someone who
 * left; removing a guardian.
 */
import { createHash } from 'node:crypto';
import t, { type Test } from 'tap';
import { startCatcher, type Catcher, type CaughtMessage } from '../src/features/notifications/catcher.js';
import { HttpClient, providerSignIn, signinApp, type SigninApp } from './helpers/signin.js';
import { DEMO_PASSWORD, syntheticNationalId } from '../seeds/01_organisation.js';
import { identityNumbers } from '../src/lib/national-id.js';

const nationalIdDigest = identityNumbers('NO').digest;
import { JOBS_SCHEMA } from '../src/plugins/jobs.js';
import { identityNumbersIn } from './helpers/identity.js';

interface Site extends SigninApp {
  catcher: Catcher;
}

async function site(t: Test, overrides: Record<string, string> = {}): Promise<Site> {
  const catcher = await startCatcher();
  t.teardown(() => catcher.close());
  const app = await signinApp(t, {
    SMTP_URL: catcher.url,
    JOBS_POLL_SECONDS: '1',
    NOTIFY_RETRY_DELAY_SECONDS: '1',
    ...overrides,
  });
  await app.app.jobs.start();
  return { ...app, catcher };
}

/** The next e-mail to this address (waits for it). */
async function mailTo(catcher: Catcher, address: string, after = 0): Promise<CaughtMessage> {
  for (let i = 0; i < 120; i++) {
    const found = catcher.messages.slice(after).find((m) => m.envelopeTo.includes(address));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no e-mail to ${address}`);
}

const linkIn = (mail: CaughtMessage, path: string) =>
  new RegExp(`(https?://[^\\s]+${path.replace('/', '\\/')}\\?token=[A-Za-z0-9_-]+)`).exec(mail.text)?.[1] ??
  '';

async function passwordSignIn(client: HttpClient, base: string, email: string, password = DEMO_PASSWORD) {
  await client.get(`${base}/login`);
  return client.post(`${base}/login`, { email, password });
}

function noPersonalNumbers(t: Test, text: string) {
  t.same(identityNumbersIn(text), [], 'no identity number, not even spaced');
}

t.test(
  'a leader adds a staff member: invited by e-mail, a password chosen, the link works once',
  async (t) => {
    const s = await site(t);
    const leader = new HttpClient();
    t.equal((await passwordSignIn(leader, s.baseUrl, 'leder@stafett.example')).status, 303);
    const school = await s.db('units').where({ name: 'Solbakken skole' }).first('id');
    const staffPage = `${s.baseUrl}/units/${school.id}/staff`;
    await leader.get(staffPage);

    const missing = await leader.post(staffPage, {
      email: 'ny.laerer@example.no',
      name: 'Nora Ny',
      title: 'Lærer',
      flags: 'mayBeActor',
    });
    t.equal(missing.status, 422, 'with ID-porten in use, the identity number is needed');
    t.match(missing.body, /href="#nationalId">Skriv fødselsnummeret til personen/);

    const number = syntheticNationalId('1991-02-03');
    const wrong = await leader.post(staffPage, {
      email: 'ny.laerer@example.no',
      name: 'Nora Ny',
      title: 'Lærer',
      flags: 'mayBeActor',
      nationalId: `${number.slice(0, 10)}${(Number(number[10]) + 1) % 10}`,
    });
    t.equal(wrong.status, 422, 'a wrong check digit is refused');
    t.match(wrong.body, /Fødselsnummeret er ikke gyldig/);

    const added = await leader.post(staffPage, {
      email: 'ny.laerer@example.no',
      name: 'Nora Ny',
      title: 'Lærer',
      flags: 'mayBeActor',
      nationalId: number,
    });
    t.equal(added.status, 303);
    const nora = await s.db('users').where({ email: 'ny.laerer@example.no' }).first();
    t.equal(
      nora.national_id_hash,
      nationalIdDigest(number, s.config.identityKey),
      'the number kept as its keyed hash',
    );
    t.equal(nora.national_id_masked, `${number.slice(0, 6)} *****`);
    t.notOk(JSON.stringify(nora).includes(number), 'and nowhere in full');

    const list = await leader.get(staffPage);
    t.match(list.body, /Nora Ny/);
    t.match(list.body, /ikke tatt i bruk/i, 'the leader sees the invitation is not accepted yet');
    t.notOk(list.body.includes(number), 'the number is not shown back');
    const member = await leader.get(`${staffPage}/${nora.id}`);
    t.ok(member.body.includes(`${number.slice(0, 6)} *****`), 'only masked on the member page');
    // The member's form never shows a number in full: the one on file is masked, and with one on file
    // there is no box, so another number posted (an old tab) is refused without being shown back.
    const other = syntheticNationalId('1990-01-01');
    const memberForm = { roles_form: '1', flags: 'mayBeActor', nationalId: other };
    for (const [what, title, message] of [
      ['a title too long', 'x'.repeat(201), /høyst 200 tegn/],
      ['another number', 'Lærer', /registrert med et annet fødselsnummer/],
    ] as const) {
      const refused = await leader.post(`${staffPage}/${nora.id}`, { ...memberForm, title });
      t.equal(refused.status, 422, `${what}: refused`);
      t.match(refused.body, message, `${what}: the message`);
      t.ok(refused.body.includes(`${number.slice(0, 6)} *****`), `${what}: the number on file masked`);
      t.notOk(refused.body.includes(number), `${what}: not the number on file in full`);
      t.notOk(refused.body.includes(other), `${what}: nor the number posted`);
      t.notMatch(refused.body, /name="nationalId"/, `${what}: no number box`);
      t.match(refused.body, /id="nationalId"/, `${what}: the error links to the masked number`);
    }
    t.equal(
      (await s.db('users').where({ id: nora.id }).first('national_id_hash')).national_id_hash,
      nationalIdDigest(number, s.config.identityKey),
      'the number on file is unchanged',
    );

    const mail = await mailTo(s.catcher, 'ny.laerer@example.no');
    t.equal(mail.subject, 'Invitasjon til Stafett');
    t.match(mail.text, /Hei, Nora Ny!/);
    noPersonalNumbers(t, mail.raw);
    const link = linkIn(mail, '/invitation');
    t.ok(link.startsWith(`${s.baseUrl}/invitation?token=`), 'a single-use link');
    const secret = new URL(link).searchParams.get('token')!;
    const stored = await s.db('account_tokens').where({ user_id: nora.id }).first();
    t.equal(stored.token_hash, createHash('sha256').update(secret).digest('hex'), 'stored as its hash only');
    t.notOk(JSON.stringify(stored).includes(secret));

    const nurse = new HttpClient();
    const opened = await nurse.get(link);
    t.equal(opened.location, `${s.baseUrl}/invitation`, 'the secret leaves the address at once');
    const page = await nurse.get(opened.location);
    t.match(page.body, /Ta i bruk kontoen din/);
    t.match(page.body, /Logg inn med ID-porten/);
    t.match(page.body, /Eller velg et passord/);
    const short = await nurse.post(`${s.baseUrl}/invitation`, { password: 'kort', passwordRepeat: 'kort' });
    t.equal(short.status, 422);
    t.match(short.body, /minst 10 tegn/);
    const chosen = await nurse.post(`${s.baseUrl}/invitation`, {
      password: 'blå hest i snøen',
      passwordRepeat: 'blå hest i snøen',
    });
    t.equal(chosen.status, 303, 'saved');
    t.match((await nurse.follow(chosen)).body, /Nora Ny/, 'and signed in');
    const hash = (await s.db('users').where({ id: nora.id }).first('password_hash')).password_hash;
    t.match(hash, /^\$argon2id\$/, 'argon2id');

    const again = await new HttpClient().get(link);
    t.equal(again.status, 410, 'the link works once');
    t.match(again.body, /Lenken er allerede brukt/);
    const refusal = await s
      .db('audit_events')
      .where({ action: 'invitation_refused', object_type: 'used' })
      .first();
    t.ok(refusal, 'and the refusal is in the audit trail');
    t.equal(
      (await passwordSignIn(new HttpClient(), s.baseUrl, 'ny.laerer@example.no', 'blå hest i snøen')).status,
      303,
    );
    t.match((await leader.get(staffPage)).body, /Nora Ny[\s\S]*?I bruk/, 'the leader sees it in use');

    // The same person signs in with ID-porten by the number the leader registered.
    const idporten = await providerSignIn(new HttpClient(), s, 'idporten', { typed: number });
    t.match(idporten.body, /Nora Ny/, 'and with ID-porten');
  },
);

t.test('an invitation binds the ID-porten identity, expires, and can be sent again', async (t) => {
  const s = await site(t);
  const holder = new HttpClient();
  await passwordSignIn(holder, s.baseUrl, 'stafettholder@stafett.example');
  const ida = await s
    .db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ida')
    .first('l.id');
  const guardians = `${s.baseUrl}/logs/${ida.id}/guardians`;
  const list = await holder.get(guardians);
  t.equal(list.status, 200);
  t.match(list.body, /Anne Hagen/);

  // A stepmother, no number known: an invitation by e-mail only.
  t.equal((await holder.post(guardians, { name: 'Stine Steg', email: 'stine@example.no' })).status, 303);
  const stine = await s
    .db('users')
    .where({ email: 'stine@example.no' })
    .first('id', 'kind', 'national_id_hash');
  t.same([stine.kind, stine.national_id_hash], ['guardian', null]);
  const mail = await mailTo(s.catcher, 'stine@example.no');
  noPersonalNumbers(t, mail.raw);
  t.notMatch(mail.text, /Ida|Hagen/, 'nothing about the child');

  // Following it and signing in with ID-porten binds her number to the account.
  const number = syntheticNationalId('1988-11-11', 3);
  const client = new HttpClient();
  await client.get(linkIn(mail, '/invitation'));
  const bound = await providerSignIn(client, s, 'idporten', { typed: number });
  t.equal(bound.url, `${s.baseUrl}/`);
  t.match(bound.body, /Stine Steg/);
  const after = await s.db('users').where({ id: stine.id }).first('national_id_hash', 'activated_at');
  t.equal(after.national_id_hash, nationalIdDigest(number, s.config.identityKey), 'the identity is bound');
  t.ok(after.activated_at);
  const nextTime = await providerSignIn(new HttpClient(), s, 'idporten', { typed: number });
  t.match(nextTime.body, /Stine Steg/, 'next time ID-porten alone is enough');
  const family = await new HttpClient().get(`${s.baseUrl}/`);
  t.equal(family.status, 303);

  // A guardian registered with a number: an invitation signed in by someone else is refused.
  const kariNumber = syntheticNationalId('1979-05-05', 4);
  await holder.get(guardians);
  t.equal(
    (
      await holder.post(guardians, {
        name: 'Kari Kusine',
        email: 'kari.k@example.no',
        nationalId: kariNumber,
      })
    ).status,
    303,
  );
  const kariMail = await mailTo(s.catcher, 'kari.k@example.no');
  const intruder = new HttpClient();
  await intruder.get(linkIn(kariMail, '/invitation'));
  const since = Number((await s.db('audit_events').max('id as id').first())?.id ?? 0);
  const refused = await providerSignIn(intruder, s, 'idporten', {
    typed: syntheticNationalId('1979-05-05', 9),
  });
  t.equal(refused.status, 403);
  t.match(refused.body, /Invitasjonen gjelder en annen person/);
  t.ok(
    await s
      .db('audit_events')
      .where('id', '>', since)
      .where({ action: 'login_failed', object_type: 'idporten.invitation_other' })
      .first(),
    'audited',
  );

  // It expires after seven days; sent again, the old link stops working and the new one works.
  s.clock.advance(8 * 86_400_000);
  t.teardown(() => s.clock.advance(-8 * 86_400_000));
  const late = await new HttpClient().get(linkIn(kariMail, '/invitation'));
  t.equal(late.status, 410);
  t.match(late.body, /Lenken er utløpt/);
  await passwordSignIn(holder, s.baseUrl, 'stafettholder@stafett.example');
  const page = await holder.get(guardians);
  t.match(page.body, /Invitasjonen er utløpt/);
  const kari = await s.db('users').where({ email: 'kari.k@example.no' }).first('id');
  const count = s.catcher.messages.length;
  t.equal((await holder.post(`${guardians}/${kari.id}/invitation`, {})).status, 303, 'sent again');
  const fresh = await mailTo(s.catcher, 'kari.k@example.no', count);
  const kariClient = new HttpClient();
  await kariClient.get(linkIn(fresh, '/invitation'));
  t.match((await providerSignIn(kariClient, s, 'idporten', { typed: kariNumber })).body, /Kari Kusine/);
});

t.test(
  'a guardian on a new log: an invitation (not a notice) until in use, in their own language',
  async (t) => {
    const s = await site(t);
    const holder = new HttpClient();
    await passwordSignIn(holder, s.baseUrl, 'stafettholder@stafett.example');
    const form = await holder.get(`${s.baseUrl}/logs/new`);
    const token = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
    const today = new Date();
    const child = syntheticNationalId('2016-06-06', 31);
    const guardianNumber = syntheticNationalId('1987-07-07', 5);
    const created = await holder.post(`${s.baseUrl}/logs`, {
      formToken: token,
      childNationalId: child,
      childFirstName: 'Sunniva',
      childLastName: 'Solberg',
      guardian1Name: 'Anne Hagen',
      guardian1Email: 'foresatt@stafett.example',
      guardian2Name: 'Siv Solberg',
      guardian2Email: 'siv.solberg@example.no',
      guardian2NationalId: guardianNumber,
      planType: 'stafettlogg',
      level: '1',
      consentBy: 'guardians',
      consentName: 'Siv Solberg',
      'consentGivenOn-day': String(today.getDate()),
      'consentGivenOn-month': String(today.getMonth() + 1),
      'consentGivenOn-year': String(today.getFullYear()),
      'consentValidUntil-day': String(today.getDate()),
      'consentValidUntil-month': String(today.getMonth() + 1),
      'consentValidUntil-year': String(today.getFullYear() + 1),
      consentServices: 'health_station',
      consentConfirmed: 'yes',
      startupNote: 'Lite søvn.',
    });
    t.equal(created.status, 303, 'the log is made');
    const siv = await s.db('users').where({ email: 'siv.solberg@example.no' }).first('national_id_hash');
    t.equal(
      siv.national_id_hash,
      nationalIdDigest(guardianNumber, s.config.identityKey),
      'registered with her number',
    );
    const invitation = await mailTo(s.catcher, 'siv.solberg@example.no');
    t.equal(invitation.subject, 'Invitasjon til Stafett', 'the new guardian is invited');
    const notice = await mailTo(s.catcher, 'foresatt@stafett.example');
    t.equal(notice.subject, 'Ny logg i Stafett', 'the guardian already in Stafett gets the notice');
    for (const mail of [invitation, notice]) {
      t.notMatch(mail.raw, /Sunniva/, "not the child's name");
      noPersonalNumbers(t, mail.raw);
    }
    t.notOk(
      s.catcher.messages.some(
        (m) => m.envelopeTo.includes('siv.solberg@example.no') && m.subject === 'Ny logg i Stafett',
      ),
      'no notice she could not use',
    );
    const viaIdporten = await providerSignIn(new HttpClient(), s, 'idporten', { typed: guardianNumber });
    t.match(viaIdporten.body, /Siv Solberg/, 'she signs in with ID-porten by the number the holder typed');

    // Per's mother has never signed in and reads English: the invitation goes in English.
    const guardian = await s.db('users').where({ email: 'per.mor@stafett.example' }).first('id');
    await s.db('users').where({ id: guardian.id }).update({ locale: 'en' });
    const per = await s
      .db('logs as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('c.first_name', 'Per')
      .first('l.id');
    const superuser = new HttpClient();
    await passwordSignIn(superuser, s.baseUrl, 'superbruker@stafett.example');
    await superuser.get(`${s.baseUrl}/logs/${per.id}/guardians`);
    t.equal(
      (await superuser.post(`${s.baseUrl}/logs/${per.id}/guardians/${guardian.id}/invitation`, {})).status,
      303,
    );
    const english = await mailTo(s.catcher, 'per.mor@stafett.example');
    t.equal(english.subject, 'Invitation to Stafett', "in the person's language");
    t.match(english.text, /Hello, Kari Olsen!/);

    // Choosing English while signed in is also the language of one's e-mails.
    await holder.get(`${s.baseUrl}/`);
    await holder.post(`${s.baseUrl}/language`, { lang: 'en', returnTo: '/' });
    const nurse = await s.db('users').where({ email: 'stafettholder@stafett.example' }).first('locale');
    t.equal(nurse.locale, 'en');
    // It is also the language of her pages, in any browser: the other tests in this file read bokmål.
    await s.db('users').where({ email: 'stafettholder@stafett.example' }).update({ locale: null });
  },
);

t.test(
  '"Glemt passord": the same answer for every address; the link works once and not for long',
  async (t) => {
    const s = await site(t);
    const known = new HttpClient();
    await known.get(`${s.baseUrl}/password/forgot`);
    const forKnown = await known.post(`${s.baseUrl}/password/forgot`, { email: 'aktor@stafett.example' });
    const unknown = new HttpClient();
    await unknown.get(`${s.baseUrl}/password/forgot`);
    const forUnknown = await unknown.post(`${s.baseUrl}/password/forgot`, { email: 'ingen.her@example.no' });
    const strip = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '');
    t.equal(forKnown.status, 200);
    t.equal(forUnknown.status, forKnown.status);
    t.equal(strip(forUnknown.body), strip(forKnown.body), 'the very same page either way');
    t.match(forKnown.body, /Hvis adressen hører til en konto/);

    const mail = await mailTo(s.catcher, 'aktor@stafett.example');
    t.equal(mail.subject, 'Nytt passord i Stafett');
    const jobs = async () =>
      (await s.db.raw(`SELECT state FROM ${JOBS_SCHEMA}.job WHERE name = 'account.password_reset'`)).rows as {
        state: string;
      }[];
    for (let i = 0; i < 60 && (await jobs()).some((j) => j.state !== 'completed'); i++)
      await new Promise((resolve) => setTimeout(resolve, 250));
    t.same(
      (await jobs()).map((j) => j.state),
      ['completed', 'completed'],
      'both requests were handled',
    );
    t.notOk(
      s.catcher.messages.some((m) => m.envelopeTo.includes('ingen.her@example.no')),
      'nothing to an unknown address',
    );

    // A session signed in before the reset ends with it.
    const before = new HttpClient();
    await passwordSignIn(before, s.baseUrl, 'aktor@stafett.example');
    const link = linkIn(mail, '/password/reset');
    const client = new HttpClient();
    const opened = await client.get(link);
    t.equal(opened.location, `${s.baseUrl}/password/reset`);
    await client.get(opened.location);
    const differ = await client.post(`${s.baseUrl}/password/reset`, {
      password: 'nytt langt passord',
      passwordRepeat: 'nytt langt passord!',
    });
    t.equal(differ.status, 422);
    const saved = await client.post(`${s.baseUrl}/password/reset`, {
      password: 'nytt langt passord',
      passwordRepeat: 'nytt langt passord',
    });
    t.equal(saved.status, 303);
    t.match((await client.follow(saved)).body, /Tor Hansen/, 'signed in with the new password');
    t.equal((await before.get(`${s.baseUrl}/`)).status, 303, 'the older session is gone');
    t.equal(
      (await passwordSignIn(new HttpClient(), s.baseUrl, 'aktor@stafett.example')).status,
      401,
      'the old password no longer works',
    );
    t.equal(
      (await passwordSignIn(new HttpClient(), s.baseUrl, 'aktor@stafett.example', 'nytt langt passord'))
        .status,
      303,
    );
    t.equal((await new HttpClient().get(link)).status, 410, 'the link works once');

    // A new link, an hour and a bit later: expired.
    const count = s.catcher.messages.length;
    s.clock.advance(5 * 60_000);
    await new HttpClient().request(`${s.baseUrl}/password/forgot`, { method: 'GET' });
    const asker = new HttpClient();
    await asker.get(`${s.baseUrl}/password/forgot`);
    await asker.post(`${s.baseUrl}/password/forgot`, { email: 'aktor@stafett.example' });
    const second = await mailTo(s.catcher, 'aktor@stafett.example', count);
    s.clock.advance(61 * 60_000);
    const expired = await new HttpClient().get(linkIn(second, '/password/reset'));
    t.equal(expired.status, 410);
    t.match(expired.body, /Lenken er utløpt/);
    t.match(expired.body, /Be om en ny lenke/);
  },
);

t.test('a deactivated staff member cannot sign in, and their sessions are gone', async (t) => {
  const s = await site(t);
  const school = await s.db('units').where({ name: 'Solbakken skole' }).first('id');
  const siri = await s.db('users').where({ email: 'superbruker@stafett.example' }).first('id');
  const byPassword = new HttpClient();
  await passwordSignIn(byPassword, s.baseUrl, 'superbruker@stafett.example');
  const byIdporten = new HttpClient();
  await providerSignIn(byIdporten, s, 'idporten', { person: 'superbruker@stafett.example' });
  t.equal((await byIdporten.get(`${s.baseUrl}/logs`)).status, 200, 'signed in twice');

  const leader = new HttpClient();
  await passwordSignIn(leader, s.baseUrl, 'leder@stafett.example');
  const member = `${s.baseUrl}/units/${school.id}/staff/${siri.id}`;
  const confirm = await leader.get(`${member}/deactivate`);
  t.equal(confirm.status, 200);
  t.match(confirm.body, /Deaktivere kontoen til Siri Dahl\?/);
  t.equal((await leader.post(`${member}/deactivate`, {})).status, 400, 'only the confirmation deactivates');
  const done = await leader.post(`${member}/deactivate`, { confirm: 'yes' });
  t.equal(done.location, `${member}?saved=deactivated`);
  const page = await leader.follow(done);
  t.match(page.body, /Siri Dahl er deaktivert/);
  const held = await s.db('logs').where({ holder_id: siri.id }).select('id');
  t.ok(held.length >= 2, 'she holds logs');
  for (const log of held)
    t.match(page.body, new RegExp(`href="/logs/${log.id}/transfer"`), `log ${log.id} can be handed on`);

  t.equal(
    (await byPassword.get(`${s.baseUrl}/logs`)).location,
    `${s.baseUrl}/login`,
    'her password session is gone',
  );
  t.equal(
    (await byIdporten.get(`${s.baseUrl}/logs`)).location,
    `${s.baseUrl}/login`,
    'and her ID-porten session',
  );
  const ended = await s
    .db('sessions')
    .where({ user_id: siri.id })
    .whereNull('ended_at')
    .count('* as n')
    .first();
  t.equal(Number(ended?.n), 0, 'no session of hers is alive');
  t.equal((await passwordSignIn(new HttpClient(), s.baseUrl, 'superbruker@stafett.example')).status, 401);
  t.equal(
    (await providerSignIn(new HttpClient(), s, 'idporten', { person: 'superbruker@stafett.example' })).status,
    403,
  );
  t.ok(
    await s.db('audit_events').where({ action: 'user.deactivate', object_id: siri.id }).first(),
    'audited',
  );

  const self = await s.db('users').where({ email: 'leder@stafett.example' }).first('id');
  t.equal(
    (await leader.post(`${s.baseUrl}/units/${school.id}/staff/${self.id}/deactivate`, { confirm: 'yes' }))
      .status,
    422,
    'not oneself',
  );
});

t.test('a guardian removed from a log loses access at once', async (t) => {
  const s = await site(t);
  const ida = await s
    .db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ida')
    .first('l.id');
  const father = await s.db('users').where({ email: 'far@stafett.example' }).first('id');
  const client = new HttpClient();
  await providerSignIn(client, s, 'idporten', { person: 'far@stafett.example' });
  t.equal((await client.get(`${s.baseUrl}/logs/${ida.id}`)).status, 200, "Ida's father reads her log");

  const holder = new HttpClient();
  await passwordSignIn(holder, s.baseUrl, 'stafettholder@stafett.example');
  const remove = `${s.baseUrl}/logs/${ida.id}/guardians/${father.id}/remove`;
  t.match((await holder.get(remove)).body, /Fjerne Jon Hagen som foresatt\?/);
  t.equal((await holder.post(remove, { confirm: 'yes' })).status, 303);
  t.equal((await client.get(`${s.baseUrl}/logs/${ida.id}`)).status, 404, 'at once, in the session he has');
  t.ok(
    await s
      .db('audit_events')
      .where({ action: 'guardian.remove', object_id: father.id, log_id: ida.id })
      .first(),
  );
  const mother = new HttpClient();
  await passwordSignIn(mother, s.baseUrl, 'foresatt@stafett.example');
  t.equal((await mother.get(`${s.baseUrl}/logs/${ida.id}`)).status, 200, 'the mother still reads it');
});
