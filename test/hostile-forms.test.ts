/**
 * Hostile input over every POST form the route table has. For each POST route a person who may use
 * the form opens the page it is on (a fresh log "world" per route), the form is read from the HTML
 * (fields, hidden values, the CSRF token), and it is posted again and again with one thing wrong at a
 * time: long text, NUL and other control characters, lone surrogates, markup, huge, negative and
 * non-numeric numbers, impossible dates, repeated fields (arrays for scalars), missing fields, JSON
 * arrays and objects, broken percent-encoding, and the wrong content type.
 *
 * Every answer must arrive (a post that takes longer than the timeout counts as a hang), none may be
 * a 5xx, and a 4xx answer that shows the form again must show in each text field (and each day, month
 * and year box) exactly what was typed there. A POST route with no row here fails the test, and so
 * does a row whose form is not on its page.
 */
import { createHash, randomBytes } from 'node:crypto';
import t from 'tap';
import { Agent, signIn, testApp } from './helpers/app.js';
import {
  accessPeople,
  buildWorld,
  EMAIL,
  type AccessPeople,
  type RoleName,
  type World,
} from './helpers/access-world.js';
import { postForms, type PostForm } from './helpers/form-reader.js';
import { notHandedBack, send, variants } from './helpers/hostile.js';
import type { Db } from '../src/db/knex.js';

const TIMEOUT_MS = 10_000;
const PARALLEL_FORMS = 3;

interface Context {
  agent: Agent;
  world: World;
  db: Db;
  people: AccessPeople;
  fill: (pattern: string) => string;
}

interface Row {
  route: string; // "POST /url/:param"
  role: RoleName;
  /** The page (GET, with :params) that shows the form; none for forms only JavaScript sends. */
  page?: string;
  /** Fields of a form that has no page (sent by JavaScript), or that only shows in a rare state. */
  fields?: Record<string, string>;
  /** Which world object a :param means when it is not the default. */
  use?: Partial<Record<string, keyof World | 'leader' | 'guardian' | 'invitee' | 'staff' | 'school'>>;
  /** Brings the world into the state in which the form is shown. */
  setup?: (c: Context) => Promise<void>;
  /**
   * Runs before every post: puts back what a taken post changed outside the fresh world (the people are
   * shared by every world), so that each post meets the form as its page first showed it.
   */
  restore?: (c: Context) => Promise<void>;
}

const meeting = '/logs/:logId/meetings/:meetingId';
const start = async (c: Context) => {
  let page = await c.agent.get(c.fill(meeting));
  if (page.statusCode === 303 && /\/mode$/.test(String(page.headers.location))) {
    // Still in meeting mode from the world before (meeting mode keeps to its log): a fresh session.
    c.agent.cookies.clear();
    await signIn(c.agent, EMAIL.holder);
    page = await c.agent.get(c.fill(meeting));
  }
  if (page.statusCode !== 200) throw new Error(`meeting page: ${page.statusCode}`);
  const started = await c.agent.post(c.fill(`${meeting}/start`));
  if (started.statusCode !== 303) throw new Error(`start meeting: ${started.statusCode}`);
};
const noTransfer = async (c: Context) => {
  await c.db('transfers').where({ id: c.world.transferId }).delete();
};
const unitOf = async (db: Db, kind: string) => (await db('units').where({ kind }).first('id')).id as number;
/** Guardians registered on a world's log who have not taken their account into use (see `invitee`). */
const invitees = new WeakMap<World, number>();
/** A guardian registered on the log who has not signed in yet: the page offers to send the invitation again. */
const newGuardian = async (c: Context) => {
  const log = await c.db('logs').where({ id: c.world.logId }).first('child_id');
  const [user] = await c
    .db('users')
    .insert({
      municipality_id: c.people.municipalityId,
      email: `invitert.${randomBytes(6).toString('hex')}@example.no`,
      name: 'Ivar Invitert',
      kind: 'guardian',
    })
    .returning('id');
  await c.db('log_guardians').insert({ log_id: c.world.logId, user_id: user.id });
  await c.db('child_guardians').insert({ child_id: log.child_id, user_id: user.id });
  invitees.set(c.world, user.id as number);
};
/** An invitation or reset link for a new person, opened in the agent's session (its form then shows). */
const openLink = (kind: 'invitation' | 'password_reset') => async (c: Context) => {
  const secret = randomBytes(32).toString('base64url');
  const [user] = await c
    .db('users')
    .insert({
      municipality_id: c.people.municipalityId,
      email: `lenke.${randomBytes(6).toString('hex')}@example.no`,
      name: 'Lena Lenke',
      kind: 'staff',
    })
    .returning('id');
  await c.db('account_tokens').insert({
    user_id: user.id,
    kind,
    token_hash: createHash('sha256').update(secret).digest('hex'),
    created_at: new Date(),
    sent_at: new Date(),
    expires_at: new Date(Date.now() + 3_600_000),
  });
  const path = kind === 'invitation' ? '/invitation' : '/password/reset';
  const opened = await c.agent.get(`${path}?token=${secret}`);
  if (opened.statusCode !== 303) throw new Error(`${path}: ${opened.statusCode}`);
};

const rows: Row[] = [
  // signing in and out, language, the session
  { route: 'POST /login', role: 'anon', page: '/login' },
  { route: 'POST /logout', role: 'holder', page: '/' },
  { route: 'POST /language', role: 'holder', page: '/' },
  { route: 'POST /session/extend', role: 'holder', page: '/' },
  {
    route: 'POST /drafts',
    role: 'holder',
    fields: { path: '/logs/1/concerns', field: 'title', text: 'Utkast' },
  },
  {
    route: 'POST /form-restore/discard',
    role: 'holder',
    fields: { id: '4b7cbb2e-3c1c-4d7e-9a53-0b0f7b1e2f10' },
  },
  { route: 'POST /notifications', role: 'holder', page: '/notifications' },
  {
    route: 'POST /account/language',
    role: 'holder',
    page: '/account',
    // A language taken would be the holder's pages' language for every later post.
    restore: async (c) => {
      await c.db('users').where({ id: c.people.ids.holder }).update({ locale: null });
    },
  },
  // invitations and password resets (a link opened first), "Glemt passord"
  { route: 'POST /invitation', role: 'anon', page: '/invitation', setup: openLink('invitation') },
  { route: 'POST /password/forgot', role: 'anon', page: '/password/forgot' },
  { route: 'POST /password/reset', role: 'anon', page: '/password/reset', setup: openLink('password_reset') },
  // logs and concerns
  { route: 'POST /logs', role: 'holder', page: '/logs/new' },
  {
    route: 'POST /logs/:logId/life-areas',
    role: 'holder',
    page: '/logs/:logId/life-areas',
    setup: async (c) => {
      await c.db('logs').where({ id: c.world.logId }).update({ plan_type: 'individuell_plan' });
    },
  },
  { route: 'POST /logs/:logId/concerns', role: 'holder', page: '/logs/:logId/concerns/new' },
  {
    route: 'POST /logs/:logId/concerns/:concernId',
    role: 'holder',
    page: '/logs/:logId/concerns/:concernId/edit',
  },
  // goals, measures, evaluations
  {
    route: 'POST /logs/:logId/concerns/:concernId/goals',
    role: 'holder',
    page: '/logs/:logId/concerns/:concernId/goals/new',
  },
  { route: 'POST /logs/:logId/goals/:goalId', role: 'holder', page: '/logs/:logId/goals/:goalId/edit' },
  {
    route: 'POST /logs/:logId/goals/:goalId/move',
    role: 'holder',
    page: '/logs/:logId',
    setup: async (c) => {
      const goal = await c.db('goals').where({ id: c.world.goalA }).first();
      await c.db('goals').insert({ ...goal, id: undefined, text: 'Mia har en venn i klassen.' });
    },
  },
  {
    route: 'POST /logs/:logId/goals/:goalId/decision',
    role: 'holder',
    page: '/logs/:logId/goals/:goalId/decision',
    setup: async (c) => {
      await c.db('measures').where({ goal_id: c.world.goalA }).update({ status: 'evaluated' });
    },
  },
  {
    route: 'POST /logs/:logId/goals/:goalId/measures',
    role: 'holder',
    page: '/logs/:logId/goals/:goalId/measures/new',
  },
  {
    route: 'POST /logs/:logId/measures/:measureId',
    role: 'holder',
    page: '/logs/:logId/measures/:measureId/edit',
    setup: async (c) => {
      await c.db('measures').where({ id: c.world.measureA }).update({ text_written_at: new Date() });
    },
  },
  {
    route: 'POST /logs/:logId/measures/:measureId/evaluate',
    role: 'holder',
    page: '/logs/:logId/measures/:measureId/evaluate',
  },
  {
    route: 'POST /logs/:logId/measures/:measureId/misregistered',
    role: 'holder',
    page: '/logs/:logId/measures/:measureId/misregistered',
  },
  // the actor's follow-up, the family's view, read grants
  {
    route: 'POST /logs/:logId/measures/:measureId/progress',
    role: 'actorIn',
    page: '/logs/:logId/measures/:measureId/follow-up',
  },
  {
    route: 'POST /logs/:logId/measures/:measureId/comments',
    role: 'actorIn',
    page: '/logs/:logId/measures/:measureId/follow-up',
  },
  // the staircase: the current step's "done" and the last done step's "undo" on the log page
  { route: 'POST /logs/:logId/measures/:measureId/steps/:stepId/done', role: 'holder', page: '/logs/:logId' },
  {
    route: 'POST /logs/:logId/measures/:measureId/steps/:stepId/undo',
    role: 'holder',
    page: '/logs/:logId',
    use: { stepId: 'stepDone' },
  },
  {
    route: 'POST /logs/:logId/measures/:measureId/family-view',
    role: 'guardian',
    page: '/logs/:logId/measures/:measureId/family-view',
  },
  { route: 'POST /logs/:logId/grants', role: 'holder', page: '/logs/:logId/grants' },
  {
    route: 'POST /logs/:logId/grants/:grantId/withdraw',
    role: 'holder',
    page: '/logs/:logId/grants/:grantId/withdraw',
  },
  // the log's guardians
  { route: 'POST /logs/:logId/guardians', role: 'holder', page: '/logs/:logId/guardians' },
  {
    route: 'POST /logs/:logId/guardians/:userId/invitation',
    role: 'holder',
    page: '/logs/:logId/guardians',
    use: { userId: 'invitee' },
    setup: newGuardian,
  },
  {
    route: 'POST /logs/:logId/guardians/:userId/remove',
    role: 'holder',
    page: '/logs/:logId/guardians/:userId/remove',
    use: { userId: 'guardian' },
  },
  // the unit and the municipality
  { route: 'POST /units/:unitId/staff', role: 'leader', page: '/units/:unitId/staff' },
  {
    route: 'POST /units/:unitId/staff/:userId',
    role: 'leader',
    page: '/units/:unitId/staff/:userId',
    // A number saved by one post is shown masked only, and the number box goes (it is set once): the
    // member has none again before each post, so every post meets the box, and a 4xx hands it back.
    restore: async (c) => {
      await c
        .db('users')
        .where({ id: c.people.ids.staff })
        .update({ national_id_hash: null, national_id_masked: null });
    },
  },
  {
    route: 'POST /units/:unitId/staff/:userId/remove',
    role: 'leader',
    page: '/units/:unitId/staff/:userId/remove',
  },
  {
    route: 'POST /units/:unitId/statistics/children',
    role: 'leader',
    page: '/units/:unitId/statistics/children',
  },
  { route: 'POST /units/:unitId/staff/:userId/invitation', role: 'leader', page: '/units/:unitId/staff' },
  {
    route: 'POST /units/:unitId/staff/:userId/deactivate',
    role: 'leader',
    page: '/units/:unitId/staff/:userId/deactivate',
  },
  { route: 'POST /admin/units', role: 'admin', page: '/admin' },
  { route: 'POST /admin/units/:unitId/leaders', role: 'admin', page: '/admin/units/:unitId' },
  {
    route: 'POST /admin/units/:unitId/leaders/:userId/remove',
    role: 'admin',
    page: '/admin/units/:unitId/leaders/:userId/remove',
    use: { userId: 'leader' },
  },
  // glimmers and notes
  { route: 'POST /logs/:logId/glimmers', role: 'holder', page: '/logs/:logId/glimmers/new' },
  {
    route: 'POST /logs/:logId/glimmers/:glimmerId',
    role: 'holder',
    page: '/logs/:logId/glimmers/:glimmerId/edit',
  },
  { route: 'POST /notes', role: 'holder', page: '/notes' },
  {
    route: 'POST /notes/:noteId',
    role: 'holder',
    page: '/notes/:noteId/edit',
    use: { noteId: 'privateNoteId' },
  },
  { route: 'POST /logs/:logId/notes', role: 'holder', page: '/logs/:logId/notes/new' },
  {
    route: 'POST /logs/:logId/notes/:noteId',
    role: 'holder',
    page: '/logs/:logId/notes/:noteId/edit',
    use: { noteId: 'logNoteId' },
  },
  {
    route: 'POST /logs/:logId/notes/:noteId/attachments',
    role: 'holder',
    page: '/logs/:logId/notes/:noteId/attachments/new',
    use: { noteId: 'logNoteId' },
  },
  {
    route: 'POST /logs/:logId/consent-papers/signed',
    role: 'holder',
    page: '/logs/:logId/consent-papers',
  },
  // meetings and prints
  { route: 'POST /logs/:logId/meetings', role: 'holder', page: '/logs/:logId/meetings/new' },
  { route: `POST ${meeting}`, role: 'holder', page: `${meeting}/edit` },
  { route: `POST ${meeting}/start`, role: 'holder', page: meeting },
  { route: `POST ${meeting}/cancel`, role: 'holder', page: `${meeting}/cancel` },
  { route: `POST ${meeting}/phase`, role: 'holder', page: `${meeting}/mode`, setup: start },
  {
    route: `POST ${meeting}/agreements`,
    role: 'holder',
    page: `${meeting}/mode`,
    setup: async (c) => {
      await start(c);
      await c.agent.post(c.fill(`${meeting}/phase`), { phase: 'summary' });
    },
  },
  { route: `POST ${meeting}/evaluation`, role: 'holder', page: `${meeting}/evaluation`, setup: start },
  { route: `POST ${meeting}/close`, role: 'holder', page: `${meeting}/close`, setup: start },
  {
    route: `POST ${meeting}/print`,
    role: 'holder',
    page: meeting,
    setup: async (c) => {
      await c
        .db('meetings')
        .where({ id: c.world.meetingId })
        .update({ status: 'closed', closed_at: new Date(), closed_by: c.people.ids.holder });
    },
  },
  { route: `POST ${meeting}/mode/leave`, role: 'holder', page: `${meeting}/mode/leave`, setup: start },
  { route: 'POST /logs/:logId/prints', role: 'holder', page: '/logs/:logId/prints' },
  // the relay
  { route: 'POST /logs/:logId/consents', role: 'holder', page: '/logs/:logId/consents/new' },
  { route: 'POST /logs/:logId/consents/withdraw', role: 'holder', page: '/logs/:logId/consents/withdraw' },
  {
    route: 'POST /logs/:logId/transfers',
    role: 'holder',
    page: '/logs/:logId/transfer/to?kind=unit&unitId=:kindergarten',
    setup: noTransfer,
  },
  {
    route: 'POST /transfers/:transferId/accept',
    role: 'grantPartial',
    page: '/transfers/:transferId',
    setup: async (c) => {
      await c
        .db('transfers')
        .where({ id: c.world.transferId })
        .update({ to_user_id: c.people.ids.grantPartial });
    },
  },
  {
    route: 'POST /transfers/:transferId/decline',
    role: 'grantPartial',
    page: '/transfers/:transferId/decline',
    setup: async (c) => {
      await c
        .db('transfers')
        .where({ id: c.world.transferId })
        .update({ to_user_id: c.people.ids.grantPartial });
    },
  },
  {
    route: 'POST /transfers/:transferId/assign',
    role: 'leaderOther',
    page: '/transfers/:transferId',
    setup: async (c) => {
      await c
        .db('transfers')
        .where({ id: c.world.transferId })
        .update({ to_unit_id: await unitOf(c.db, 'school') });
    },
  },
  { route: 'POST /transfers/:transferId/withdraw', role: 'holder', page: '/transfers/:transferId/withdraw' },
  { route: 'POST /logs/:logId/close', role: 'holder', page: '/logs/:logId/close', setup: noTransfer },
  {
    route: 'POST /logs/:logId/reopen',
    role: 'leader',
    page: '/logs/:logId/reopen',
    use: { logId: 'passiveLogId' },
  },
  {
    route: 'POST /logs/:logId/delete',
    role: 'leader',
    page: '/logs/:logId/delete',
    use: { logId: 'passiveLogId' },
  },
  { route: 'POST /logs/:logId/export', role: 'holder', page: '/logs/:logId/export' },
  { route: 'POST /logs/import', role: 'holder', page: '/logs/import' },
  {
    route: 'POST /logs/import/:importId',
    role: 'holder',
    page: '/logs/import/:importId',
    setup: async (c) => {
      // A real export of this world's log, as if uploaded.
      await noTransfer(c);
      const page = await c.agent.get(c.fill('/logs/:logId/export'));
      const body = new URLSearchParams({
        _csrf: c.agent.csrfToken,
        reason: 'Flytter.',
        consentConfirmed: 'yes',
      });
      body.append('concernIds', String(c.world.concernA));
      const exported = await c.agent.app.inject({
        method: 'POST',
        url: c.fill('/logs/:logId/export'),
        headers: { cookie: c.agent.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      });
      if (page.statusCode !== 200 || exported.statusCode !== 200)
        throw new Error(`export: ${exported.statusCode}`);
      await c
        .db('log_imports')
        .where({ id: c.world.importId })
        .update({ document: exported.body, log_id: null });
    },
  },
];

t.test('hostile input over every POST form', async (t) => {
  const { app, db } = await testApp(t, { LOGIN_MAX_FAILURES: '1000' });
  const people = await accessPeople(db);
  const kindergarten = await unitOf(db, 'kindergarten');

  const routes = [
    ...new Set(app.routeTable.filter((r) => r.method === 'POST').map((r) => `POST ${r.url}`)),
  ].sort();
  const known = new Set(rows.map((r) => r.route));
  t.same(
    routes.filter((r) => !known.has(r)),
    [],
    'every POST route has a row (add one for a new form)',
  );
  t.same(
    [...known].filter((r) => !routes.includes(r)),
    [],
    'every row is a POST route of the app',
  );

  let posts = 0;
  const errors: string[] = [];
  const hangs: string[] = [];
  const lost: string[] = [];
  const setupFailures: string[] = [];
  let fieldsChecked = 0;
  let worldsRebuilt = 0;
  let dateBoxesChecked = 0;
  const dateGroups = new Set<string>();

  // Each form on its own world, a few forms at a time; the posts to one form one after another.
  const fillFor =
    (row: Row, world: World) =>
    (pattern: string): string =>
      pattern.replace(/:(\w+)/g, (_, name: string) => {
        const override = row.use?.[name];
        if (override === 'leader') return String(people.ids.leader);
        if (override === 'guardian') return String(people.ids.guardian);
        if (override === 'invitee') return String(invitees.get(world));
        if (override) return String(world[override as keyof World]);
        const value: Record<string, string | number> = {
          logId: world.logId,
          concernId: world.concernA,
          goalId: world.goalA,
          measureId: world.measureA,
          stepId: world.stepOpen,
          grantId: world.grantId,
          glimmerId: world.glimmerId,
          noteId: world.logNoteId,
          meetingId: world.meetingId,
          transferId: world.transferId,
          importId: world.importId,
          unitId: world.unitId,
          userId: people.ids.staff!,
          kindergarten,
        };
        if (!(name in value)) throw new Error(`no fixture for :${name} in ${row.route}`);
        return String(value[name]);
      });

  /** A fresh world in the state the form needs, and the form as its page shows it (null: not found). */
  const prepare = async (row: Row, agent: Agent) => {
    const world = await buildWorld(db, people);
    const fill = fillFor(row, world);
    await row.setup?.({ agent, world, db, people, fill });
    const action = fill(row.route.slice('POST '.length));
    const page = row.page ? fill(row.page) : '/';
    let answer = await agent.get(page);
    if (row.role !== 'anon' && String(answer.headers.location ?? '').startsWith('/login')) {
      await signIn(agent, EMAIL[row.role]); // the last post signed out
      answer = await agent.get(page);
    }
    const html = answer.body;
    const form: PostForm | undefined = row.page
      ? postForms(html).find((f) => f.action === action)
      : {
          action,
          multipart: false,
          fields: ['_csrf', ...Object.keys(row.fields ?? {})].map((name) => ({
            name,
            kind: 'hidden' as const,
            value: row.fields?.[name] ?? '',
            options: [],
            checked: false,
            datePart: false,
          })),
        };
    if (!form) setupFailures.push(`${row.route}: no form posting to ${action} on ${page}`);
    return form
      ? {
          action,
          page,
          form,
          csrf: agent.csrfToken,
          cookies: new Map(agent.cookies),
          context: { agent, world, db, people, fill },
        }
      : null;
  };

  const walk = async (row: Row) => {
    const agent = new Agent(app);
    if (row.role === 'anon') await agent.get('/login');
    else await signIn(agent, EMAIL[row.role]);
    let state = await prepare(row, agent);
    if (!state) return;
    let list = variants(state.form, state.csrf);
    for (let i = 0; i < list.length; i++) {
      const variant = list[i]!;
      await row.restore?.(state.context);
      const response = await send(app, agent, state.action, variant, TIMEOUT_MS);
      posts++;
      const where = `${row.route} [${variant.label}]`;
      if (response === 'hang') hangs.push(where);
      else if (response.statusCode >= 500) errors.push(`${where}: ${response.statusCode}`);
      else {
        const { checked, missing } = notHandedBack(response, state.action, variant.typed);
        fieldsChecked += checked.length;
        for (const name of checked.filter((n) => /[-_](day|month|year)$/.test(n))) {
          dateBoxesChecked++;
          dateGroups.add(`${row.route} ${name.replace(/[-_](day|month|year)$/, '')}`);
        }
        for (const name of missing) lost.push(`${where}: ${name} (${response.statusCode})`);
      }
      // Put the session back as it was (sign-out, language, meeting mode are session state).
      agent.cookies.clear();
      for (const [name, value] of state.cookies) agent.cookies.set(name, value);
      // A post that was taken may have used the form up (a log closed, a transfer accepted): then the
      // rest go to a fresh world, so that every hostile value meets the form's checks.
      if (row.page && response !== 'hang' && response.statusCode < 400) {
        const { page, action } = state;
        const html = (await agent.get(page)).body;
        if (!postForms(html).some((f) => f.action === action)) {
          state = await prepare(row, agent);
          if (!state) return;
          list = variants(state.form, state.csrf);
          worldsRebuilt++;
        }
      }
    }
  };
  const queue = rows.filter((r) => routes.includes(r.route));
  await Promise.all(
    Array.from({ length: PARALLEL_FORMS }, async () => {
      for (let row = queue.shift(); row; row = queue.shift()) await walk(row);
    }),
  );

  for (const line of [...setupFailures, ...errors, ...hangs, ...lost]) t.comment(line);
  t.same(setupFailures, [], 'every form was found on its page');
  t.same(errors, [], 'no hostile post answers 5xx');
  t.same(hangs, [], `every answer arrives within ${TIMEOUT_MS / 1000} s`);
  t.same(lost, [], 'a form shown again with errors shows what was typed in every text field');
  t.comment(
    `hostile posts: ${posts} sent over ${rows.length} forms; 5xx: ${errors.length}; hangs: ${hangs.length}; ` +
      `fields not handed back: ${lost.length} (of ${fieldsChecked} typed fields in answers, ` +
      `${dateBoxesChecked} of them date boxes in ${dateGroups.size} date groups); ` +
      `${worldsRebuilt} fresh worlds for forms a post had used up`,
  );
});
