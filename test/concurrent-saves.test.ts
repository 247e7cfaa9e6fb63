/**
 * Simultaneous posts that meet at a unique constraint (one e-mail per person, one membership per unit,
 * one running meeting per log): each answers with a clear message or the saved result, never a 500,
 * and the database holds one row.
 */
import t from 'tap';
import { syntheticNationalId } from '../seeds/01_organisation.js';
import { addDays, isoToParts, osloDate } from '../src/lib/dates.js';
import { Agent, signIn, testApp, type Response } from './helpers/app.js';

const statuses = (responses: Response[]) => responses.map((r) => r.statusCode).join(' ');

t.test(
  'eight leaders add the same new person to the unit at once: one account, one membership',
  async (t) => {
    const { app, db } = await testApp(t);
    const agent = new Agent(app);
    await signIn(agent, 'leder@stafett.example');
    const unit = await db('units').where({ name: 'Solbakken skole' }).first('id');
    await agent.get(`/units/${unit.id}/staff`);
    const form = {
      email: 'Ny.Laerer@Example.com',
      name: 'Ny Lærer',
      title: 'Lærer',
      flags: 'mayBeActor',
    };
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        agent.post(`/units/${unit.id}/staff`, {
          ...form,
          email: i % 2 ? form.email : form.email.toLowerCase(),
        }),
      ),
    );
    t.notOk(
      answers.some((a) => a.statusCode >= 500),
      `no 5xx (${statuses(answers)})`,
    );
    t.equal(answers.filter((a) => a.statusCode === 303).length, 1, 'one was added');
    for (const refused of answers.filter((a) => a.statusCode !== 303)) {
      t.equal(refused.statusCode, 422);
      t.match(refused.body, 'Personen er allerede ansatt i enheten', 'the others: already staff of the unit');
      t.match(refused.body, 'value="Ny Lærer"', 'with the typed name back');
    }
    const users = await db('users').whereRaw('lower(email) = ?', ['ny.laerer@example.com']).select('id');
    t.equal(users.length, 1, 'one account');
    const memberships = await db('unit_memberships').where({ unit_id: unit.id, user_id: users[0]!.id });
    t.equal(memberships.length, 1, 'one membership');
  },
);

t.test(
  'siblings registered at the same moment with the same new guardian: one guardian account',
  async (t) => {
    const { app, db } = await testApp(t);
    const agent = new Agent(app);
    await signIn(agent, 'stafettholder@stafett.example');
    const today = osloDate(new Date());
    const given = isoToParts(today);
    const until = isoToParts(addDays(today, 365));
    const tokens: string[] = [];
    for (let i = 0; i < 6; i++)
      tokens.push(/name="formToken" value="([^"]+)"/.exec((await agent.get('/logs/new')).body)![1]!);
    const answers = await Promise.all(
      tokens.map((formToken, i) =>
        agent.post('/logs', {
          formToken,
          childNationalId: syntheticNationalId(`201${i}-03-0${i + 1}`, 40),
          childFirstName: `Søsken${i}`,
          childLastName: 'Felles',
          guardian1Name: 'Kari Felles',
          guardian1Email: 'kari.felles@example.com',
          planType: 'stafettlogg',
          level: '1',
          consentBy: 'guardians',
          consentName: 'Kari Felles',
          'consentGivenOn-day': given.day,
          'consentGivenOn-month': given.month,
          'consentGivenOn-year': given.year,
          'consentValidUntil-day': until.day,
          'consentValidUntil-month': until.month,
          'consentValidUntil-year': until.year,
          consentServices: 'school',
          consentConfirmed: 'yes',
          startupNote: 'Søsken som trenger en plan.',
        }),
      ),
    );
    t.same(
      answers.map((a) => a.statusCode),
      Array(6).fill(303),
      `every sibling gets a log (${statuses(answers)})`,
    );
    const guardians = await db('users').where({ email: 'kari.felles@example.com' }).select('id');
    t.equal(guardians.length, 1, 'one guardian account');
    const children = await db('child_guardians')
      .where({ user_id: guardians[0]!.id })
      .count<{ n: number }[]>('* as n');
    t.equal(Number(children[0]!.n), 6, 'guardian of all six');
  },
);

t.test('two meetings of one log started at the same moment: one runs, the other is told so', async (t) => {
  const { app, db } = await testApp(t);
  const agent = new Agent(app);
  await signIn(agent, 'stafettholder@stafett.example');
  const log = await db('logs as l')
    .join('children as c', 'c.id', 'l.child_id')
    .where('c.first_name', 'Ida')
    .first('l.id', 'l.holder_id');
  await db('meetings').where({ log_id: log.id, status: 'running' }).update({ status: 'closed' });
  const ids: number[] = [];
  for (const hour of [9, 11]) {
    const [row] = await db('meetings')
      .insert({
        log_id: log.id,
        starts_at: new Date(Date.now() + hour * 3_600_000),
        purpose: `Møte ${hour}`,
        created_by: log.holder_id,
      })
      .returning('id');
    ids.push(row.id);
  }
  await agent.get(`/logs/${log.id}/meetings/${ids[0]}`);
  const answers = await Promise.all(
    [...ids, ...ids].map((id) => agent.post(`/logs/${log.id}/meetings/${id}/start`)),
  );
  t.notOk(
    answers.some((a) => a.statusCode >= 500),
    `no 5xx (${statuses(answers)})`,
  );
  t.ok(
    answers.every((a) => a.statusCode === 303 || a.statusCode === 409),
    'each either starts its meeting or is told another one runs',
  );
  const running = await db('meetings').where({ log_id: log.id, status: 'running' }).select('id');
  t.equal(running.length, 1, 'one meeting runs');
});
