/**
 * The log page registry (src/features/logs/registry.ts): the log page and the family's page show what
 * the features registered, each section once and in its slot's order, without logs naming
 * any of them; a section with nothing to show leaves no markup; the registry refuses a second section
 * with the same id, and any section once pages are being served.
 */
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import { createFullPlan } from '../scripts/full-plan.js';

/** Where each marker first appears in the page (-1: not there), and how often. */
const at = (html: string, marker: string) => html.indexOf(marker);
const count = (html: string, marker: string) => html.split(marker).length - 1;

t.test('the log pages are assembled from the registered sections', async (t) => {
  const { app, db } = await testApp(t);
  const logId = await createFullPlan(db);

  t.same(
    app.logPage.sections('log').map((s) => s.id),
    ['access.links', 'glimmers.section', 'relay.status', 'notes.logNotes', 'meetings.box'],
    'the staff log page: every feature that adds to it, in order',
  );
  t.same(
    app.logPage.sections('family').map((s) => s.id),
    ['access.family', 'glimmers.section', 'relay.status', 'notes.logNotes', 'meetings.box'],
    "the family's page",
  );
  t.same(
    app.logPage.sections('print').map((s) => s.id),
    [],
    'the print: the plan section, and its meeting from the meetings repository the prints service is given',
  );

  const agent = async (email: string) => {
    const a = new Agent(app);
    await signIn(a, email);
    return a;
  };

  // The holder sees the whole log: the meetings box before the plan, glimmers and notes after it.
  const holder = await (await agent('stafettholder@stafett.example')).get(`/logs/${logId}`);
  t.equal(holder.statusCode, 200);
  const markers = ['id="meetings"', 'id="concerns"', 'id="glimmers"', 'id="notes"'];
  for (const marker of markers) t.equal(count(holder.body, marker), 1, `holder: ${marker} once`);
  const positions = markers.map((m) => at(holder.body, m));
  t.same(
    positions,
    [...positions].sort((a, b) => a - b),
    'holder: meetings, the plan, glimmers, notes, in that order',
  );

  // An actor does not see the whole log: the meetings section answers null and leaves no markup.
  const actor = await (await agent('aktor@stafett.example')).get(`/logs/${logId}`);
  t.equal(actor.statusCode, 200);
  t.equal(at(actor.body, 'id="meetings"'), -1, 'actor: no meetings box');
  t.equal(count(actor.body, 'id="glimmers"'), 1, 'actor: the glimmers once');

  // The family's page: glimmers and notes after the plan, and the relay's notices before it.
  const family = await (await agent('foresatt@stafett.example')).get(`/logs/${logId}`);
  t.equal(family.statusCode, 200);
  t.ok(
    at(family.body, 'id="glimmers"') > 0 && at(family.body, 'id="glimmers"') < at(family.body, 'id="notes"'),
    'family: glimmers, then notes',
  );

  // Pages are being served: the registry is sealed.
  t.throws(
    () =>
      app.logPage.register({
        id: 'late.section',
        views: ['log'],
        order: 1,
        parts: () => ({}),
        build: () => ({}),
      }),
    /after the first page load/,
    'a section registered once pages are served is refused',
  );
});

t.test('a section id is registered once', async (t) => {
  const { app } = await testApp(t);
  t.throws(
    () =>
      app.logPage.register({
        id: 'glimmers.section',
        views: ['log'],
        order: 1,
        parts: () => ({}),
        build: () => ({}),
      }),
    /registered twice/,
  );
});
