import t from 'tap';
import { writeFileSync } from 'node:fs';
import { Agent, signIn, testApp } from './helpers/app.js';

t.test('smoke', async (t) => {
  const { app, db } = await testApp(t);
  const unit = await db('units').where({ name: 'Solbakken skole' }).first('id');
  const agent = new Agent(app);
  await signIn(agent, 'leder@stafett.example');
  const r = await agent.get(`/units/${unit.id}/statistics`);
  writeFileSync('/tmp/fst/unit.html', r.body);
  t.equal(r.statusCode, 200, r.body.slice(0, 3000));
  const c = await agent.get(`/units/${unit.id}/statistics/csv?table=logs-by-level`);
  writeFileSync('/tmp/fst/a.csv', c.body);
  t.equal(c.statusCode, 200);
  const admin = new Agent(app);
  await signIn(admin, 'admin@stafett.example');
  const a = await admin.get(`/statistics`);
  writeFileSync('/tmp/fst/area.html', a.body);
  t.equal(a.statusCode, 200, a.body.slice(0, 3000));
  const bad = await admin.get(`/statistics?period=custom&from-day=40&from-month=1&from-year=2026`);
  writeFileSync('/tmp/fst/bad.html', bad.body);
  t.equal(bad.statusCode, 400);
  const ch = await agent.get(`/units/${unit.id}/statistics/children`);
  t.equal(ch.statusCode, 200);
  const post = await agent.post(`/units/${unit.id}/statistics/children`, { schoolYear: ch.body.match(/option value="(\d+)" selected/)![1]!, children: '420' });
  t.equal(post.statusCode, 303, post.body.slice(0, 2000));
});
