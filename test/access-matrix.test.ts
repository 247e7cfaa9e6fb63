/**
 * The access matrix: every role against every route with an id in it, GET and POST, through the real
 * app. A role the route allows gets an answer (200, a redirect that is not to sign-in, or for a POST
 * with an empty form a 4xx about the form); everyone else gets 404; a signed-out visitor is sent to
 * sign in. The routes are read from the app itself: a route with a ":param" and no row here fails the
 * test (add a row with what the policy says), and so does a row whose route is gone.
 *
 * Allowed POSTs run against a freshly built log ("world"), so what one changes cannot change what the
 * next one sees. Cookies are put back after every request (meeting mode is session state).
 */
import t from 'tap';
import { Agent, signIn, testApp, type Response } from './helpers/app.js';
import {
  accessPeople,
  buildWorld,
  EMAIL,
  type AccessPeople,
  type RoleName,
  type World,
} from './helpers/access-world.js';

const READ_ALL: RoleName[] = ['holder', 'guardian', 'youth', 'grantWhole', 'leader', 'superuser'];
const READ: RoleName[] = [...READ_ALL, 'actorIn', 'actorOut', 'grantPartial'];
const CONCERN_A: RoleName[] = [...READ_ALL, 'actorIn', 'grantPartial'];
const HOLDER: RoleName[] = ['holder'];
const GLIMMER: RoleName[] = ['holder', 'guardian', 'youth', 'actorIn', 'actorOut'];
const AUDIT: RoleName[] = ['holder', 'leader', 'guardian', 'youth'];
const TRANSFER: RoleName[] = ['holder', 'leader'];
const FAMILY: RoleName[] = ['guardian', 'youth'];
const RENEW: RoleName[] = ['holder', 'leader'];
const WITHDRAW_CONSENT: RoleName[] = ['holder', 'guardian', 'youth'];
const PROGRESS: RoleName[] = ['holder', 'actorIn'];
const STEP: RoleName[] = ['holder', 'actorIn', 'guardian', 'youth'];
const UNIT: RoleName[] = ['leader', 'superuser'];
const NONE: RoleName[] = [];

/** Params that mean something else on some routes: a passive log, a deleted log's print, the unit's leader. */
type Override = Partial<
  Record<'logId' | 'printId' | 'userId' | 'noteId' | 'stepId', keyof World | 'leader' | 'guardian'>
>;

interface Row {
  route: string; // "METHOD /url/:param"
  allowed: RoleName[];
  use?: Override;
}

const rows: Row[] = [
  // logs and concerns (features/logs)
  { route: 'GET /logs/:logId', allowed: READ },
  { route: 'GET /logs/:logId/life-areas', allowed: HOLDER },
  { route: 'POST /logs/:logId/life-areas', allowed: HOLDER },
  { route: 'GET /logs/:logId/concerns/new', allowed: HOLDER },
  { route: 'POST /logs/:logId/concerns', allowed: HOLDER },
  { route: 'GET /logs/:logId/concerns/:concernId/edit', allowed: HOLDER },
  { route: 'POST /logs/:logId/concerns/:concernId', allowed: HOLDER },
  // goals, measures, evaluations
  { route: 'GET /logs/:logId/concerns/:concernId/goals/new', allowed: HOLDER },
  { route: 'POST /logs/:logId/concerns/:concernId/goals', allowed: HOLDER },
  { route: 'GET /logs/:logId/goals/:goalId', allowed: CONCERN_A },
  { route: 'GET /logs/:logId/goals/:goalId/edit', allowed: HOLDER },
  { route: 'POST /logs/:logId/goals/:goalId', allowed: HOLDER },
  { route: 'POST /logs/:logId/goals/:goalId/move', allowed: HOLDER },
  { route: 'GET /logs/:logId/goals/:goalId/decision', allowed: HOLDER },
  { route: 'POST /logs/:logId/goals/:goalId/decision', allowed: HOLDER },
  { route: 'GET /logs/:logId/goals/:goalId/measures/new', allowed: HOLDER },
  { route: 'POST /logs/:logId/goals/:goalId/measures', allowed: HOLDER },
  { route: 'GET /logs/:logId/measures/:measureId', allowed: CONCERN_A },
  { route: 'GET /logs/:logId/measures/:measureId/edit', allowed: HOLDER },
  { route: 'POST /logs/:logId/measures/:measureId', allowed: HOLDER },
  { route: 'GET /logs/:logId/measures/:measureId/evaluate', allowed: HOLDER },
  { route: 'POST /logs/:logId/measures/:measureId/evaluate', allowed: HOLDER },
  { route: 'GET /logs/:logId/measures/:measureId/misregistered', allowed: HOLDER },
  { route: 'POST /logs/:logId/measures/:measureId/misregistered', allowed: HOLDER },
  // access: the actor's follow-up, the family's view, read grants, the audit trail
  { route: 'GET /logs/:logId/measures/:measureId/follow-up', allowed: CONCERN_A },
  { route: 'POST /logs/:logId/measures/:measureId/progress', allowed: PROGRESS },
  { route: 'POST /logs/:logId/measures/:measureId/comments', allowed: PROGRESS },
  { route: 'POST /logs/:logId/measures/:measureId/steps/:stepId/done', allowed: STEP },
  {
    route: 'POST /logs/:logId/measures/:measureId/steps/:stepId/undo',
    allowed: STEP,
    use: { stepId: 'stepDone' },
  },
  { route: 'GET /logs/:logId/measures/:measureId/family-view', allowed: FAMILY },
  { route: 'POST /logs/:logId/measures/:measureId/family-view', allowed: FAMILY },
  { route: 'GET /logs/:logId/grants', allowed: HOLDER },
  { route: 'POST /logs/:logId/grants', allowed: HOLDER },
  { route: 'GET /logs/:logId/grants/:grantId/withdraw', allowed: HOLDER },
  { route: 'POST /logs/:logId/grants/:grantId/withdraw', allowed: HOLDER },
  { route: 'GET /logs/:logId/audit', allowed: AUDIT },
  // the log's guardians (features/guardians): the holder registers, invites again and removes them
  { route: 'GET /logs/:logId/guardians', allowed: HOLDER },
  { route: 'POST /logs/:logId/guardians', allowed: HOLDER },
  { route: 'POST /logs/:logId/guardians/:userId/invitation', allowed: HOLDER, use: { userId: 'guardian' } },
  { route: 'GET /logs/:logId/guardians/:userId/remove', allowed: HOLDER, use: { userId: 'guardian' } },
  { route: 'POST /logs/:logId/guardians/:userId/remove', allowed: HOLDER, use: { userId: 'guardian' } },
  // glimmers and notes
  { route: 'GET /logs/:logId/glimmers', allowed: READ },
  { route: 'GET /logs/:logId/glimmers/new', allowed: GLIMMER },
  { route: 'POST /logs/:logId/glimmers', allowed: GLIMMER },
  { route: 'GET /logs/:logId/glimmers/:glimmerId', allowed: CONCERN_A },
  { route: 'GET /logs/:logId/glimmers/:glimmerId/edit', allowed: HOLDER },
  { route: 'POST /logs/:logId/glimmers/:glimmerId', allowed: HOLDER },
  { route: 'GET /logs/:logId/notes/new', allowed: HOLDER },
  { route: 'POST /logs/:logId/notes', allowed: HOLDER },
  { route: 'GET /logs/:logId/notes/:noteId/edit', allowed: HOLDER, use: { noteId: 'logNoteId' } },
  { route: 'POST /logs/:logId/notes/:noteId', allowed: HOLDER, use: { noteId: 'logNoteId' } },
  { route: 'GET /logs/:logId/notes/:noteId/history', allowed: CONCERN_A, use: { noteId: 'logNoteId' } },
  { route: 'GET /logs/:logId/notes/:noteId/attachments/new', allowed: HOLDER, use: { noteId: 'logNoteId' } },
  { route: 'POST /logs/:logId/notes/:noteId/attachments', allowed: HOLDER, use: { noteId: 'logNoteId' } },
  {
    route: 'GET /logs/:logId/notes/:noteId/attachments/:attachmentId',
    allowed: CONCERN_A,
    use: { noteId: 'logNoteId' },
  },
  { route: 'GET /notes/:noteId/edit', allowed: HOLDER, use: { noteId: 'privateNoteId' } },
  { route: 'POST /notes/:noteId', allowed: HOLDER, use: { noteId: 'privateNoteId' } },
  { route: 'GET /notes/:noteId/history', allowed: HOLDER, use: { noteId: 'privateNoteId' } },
  // meetings and prints
  { route: 'GET /logs/:logId/meetings', allowed: READ_ALL },
  { route: 'GET /logs/:logId/meetings/new', allowed: HOLDER },
  { route: 'POST /logs/:logId/meetings', allowed: HOLDER },
  { route: 'GET /logs/:logId/meetings/:meetingId', allowed: READ_ALL },
  { route: 'GET /logs/:logId/meetings/:meetingId/edit', allowed: HOLDER },
  { route: 'POST /logs/:logId/meetings/:meetingId', allowed: HOLDER },
  { route: 'GET /logs/:logId/meetings/:meetingId/invitation', allowed: READ_ALL },
  { route: 'GET /logs/:logId/meetings/:meetingId/cancel', allowed: HOLDER },
  { route: 'POST /logs/:logId/meetings/:meetingId/cancel', allowed: HOLDER },
  { route: 'POST /logs/:logId/meetings/:meetingId/start', allowed: HOLDER },
  // Meeting mode is the holder's; other readers are sent on to the meeting page, and may "leave" it harmlessly.
  { route: 'GET /logs/:logId/meetings/:meetingId/mode', allowed: READ_ALL },
  { route: 'POST /logs/:logId/meetings/:meetingId/phase', allowed: HOLDER },
  { route: 'POST /logs/:logId/meetings/:meetingId/agreements', allowed: HOLDER },
  { route: 'GET /logs/:logId/meetings/:meetingId/evaluation', allowed: HOLDER },
  { route: 'POST /logs/:logId/meetings/:meetingId/evaluation', allowed: HOLDER },
  { route: 'GET /logs/:logId/meetings/:meetingId/close', allowed: HOLDER },
  { route: 'POST /logs/:logId/meetings/:meetingId/close', allowed: HOLDER },
  { route: 'POST /logs/:logId/meetings/:meetingId/print', allowed: HOLDER },
  { route: 'GET /logs/:logId/meetings/:meetingId/closed', allowed: READ_ALL },
  { route: 'GET /logs/:logId/meetings/:meetingId/mode/leave', allowed: READ_ALL },
  { route: 'POST /logs/:logId/meetings/:meetingId/mode/leave', allowed: READ_ALL },
  { route: 'GET /logs/:logId/print', allowed: READ_ALL },
  { route: 'GET /logs/:logId/prints', allowed: READ_ALL },
  { route: 'POST /logs/:logId/prints', allowed: HOLDER },
  { route: 'GET /logs/:logId/prints/:printId/download', allowed: READ_ALL },
  // consent paperwork: the holder prints and uploads; whoever sees the whole log (every concern) sees the
  // signed forms (the guardians' signatures, every service in the consent) and downloads them
  { route: 'GET /logs/:logId/consent-papers', allowed: READ_ALL },
  { route: 'GET /logs/:logId/consent-papers/print', allowed: HOLDER },
  { route: 'POST /logs/:logId/consent-papers/signed', allowed: HOLDER },
  { route: 'GET /logs/:logId/consent-papers/signed/:signedId', allowed: READ_ALL },
  // the relay: consent, transfer, close, reopen, delete, export, import, archive
  { route: 'GET /logs/:logId/consents/new', allowed: RENEW },
  { route: 'POST /logs/:logId/consents', allowed: RENEW },
  { route: 'GET /logs/:logId/consents/withdraw', allowed: WITHDRAW_CONSENT },
  { route: 'POST /logs/:logId/consents/withdraw', allowed: WITHDRAW_CONSENT },
  { route: 'GET /logs/:logId/transfer', allowed: TRANSFER },
  { route: 'GET /logs/:logId/transfer/to', allowed: TRANSFER },
  { route: 'POST /logs/:logId/transfers', allowed: TRANSFER },
  { route: 'GET /transfers/:transferId', allowed: TRANSFER },
  { route: 'POST /transfers/:transferId/accept', allowed: NONE },
  { route: 'POST /transfers/:transferId/assign', allowed: NONE },
  { route: 'GET /transfers/:transferId/decline', allowed: NONE },
  { route: 'POST /transfers/:transferId/decline', allowed: NONE },
  { route: 'GET /transfers/:transferId/withdraw', allowed: TRANSFER },
  { route: 'POST /transfers/:transferId/withdraw', allowed: TRANSFER },
  { route: 'GET /logs/:logId/close', allowed: HOLDER },
  { route: 'POST /logs/:logId/close', allowed: HOLDER },
  { route: 'GET /logs/:logId/reopen', allowed: ['leader'], use: { logId: 'passiveLogId' } },
  { route: 'POST /logs/:logId/reopen', allowed: ['leader'], use: { logId: 'passiveLogId' } },
  { route: 'GET /logs/:logId/delete', allowed: ['leader'], use: { logId: 'passiveLogId' } },
  { route: 'POST /logs/:logId/delete', allowed: ['leader'], use: { logId: 'passiveLogId' } },
  { route: 'GET /logs/:logId/export', allowed: TRANSFER },
  { route: 'POST /logs/:logId/export', allowed: TRANSFER },
  { route: 'GET /logs/import/:importId', allowed: HOLDER },
  { route: 'POST /logs/import/:importId', allowed: HOLDER },
  { route: 'GET /archive/prints/:printId', allowed: ['leader'], use: { printId: 'archivePrintId' } },
  // the unit's leader and the municipal administrator
  { route: 'GET /units/:unitId', allowed: UNIT },
  { route: 'GET /units/:unitId/staff', allowed: UNIT },
  { route: 'POST /units/:unitId/staff', allowed: UNIT },
  { route: 'GET /units/:unitId/staff/:userId', allowed: UNIT },
  { route: 'POST /units/:unitId/staff/:userId', allowed: UNIT },
  { route: 'GET /units/:unitId/staff/:userId/remove', allowed: UNIT },
  { route: 'POST /units/:unitId/staff/:userId/remove', allowed: UNIT },
  { route: 'POST /units/:unitId/staff/:userId/invitation', allowed: UNIT },
  { route: 'GET /units/:unitId/staff/:userId/deactivate', allowed: UNIT },
  { route: 'POST /units/:unitId/staff/:userId/deactivate', allowed: UNIT },
  // statistics: the unit's leader and superuser (the administrator has /statistics, without an id)
  { route: 'GET /units/:unitId/statistics', allowed: UNIT },
  { route: 'GET /units/:unitId/statistics/csv', allowed: UNIT },
  { route: 'GET /units/:unitId/statistics/children', allowed: UNIT },
  { route: 'POST /units/:unitId/statistics/children', allowed: UNIT },
  { route: 'GET /admin/units/:unitId', allowed: ['admin'] },
  { route: 'POST /admin/units/:unitId/leaders', allowed: ['admin'] },
  {
    route: 'GET /admin/units/:unitId/leaders/:userId/remove',
    allowed: ['admin'],
    use: { userId: 'leader' },
  },
  {
    route: 'POST /admin/units/:unitId/leaders/:userId/remove',
    allowed: ['admin'],
    use: { userId: 'leader' },
  },
];

const ROLES: RoleName[] = [
  'holder',
  'actorIn',
  'actorOut',
  'guardian',
  'guardianOther',
  'youth',
  'grantWhole',
  'grantPartial',
  'grantExpired',
  'leader',
  'superuser',
  'leaderOther',
  'admin',
  'otherMunicipality',
  'otherAdmin',
  'anon',
];

type Verdict = 'ok' | 'hidden' | 'login' | 'forbidden' | 'error';

function verdict(response: Response): Verdict {
  const location = String(response.headers.location ?? '');
  if (response.statusCode === 404) return 'hidden';
  if (response.statusCode === 403) return 'forbidden';
  if (response.statusCode >= 300 && response.statusCode < 400 && location.startsWith('/login'))
    return 'login';
  if (response.statusCode >= 500) return 'error';
  return 'ok';
}

/** The URL of a route for one world: each :param filled from the world (or the overrides). */
function fill(row: Row, world: World, people: AccessPeople): string {
  const [, url] = row.route.split(' ') as [string, string];
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const override = row.use?.[name as keyof Override];
    if (override === 'leader') return String(people.ids.leader);
    if (override === 'guardian') return String(people.ids.guardian);
    if (override) return String(world[override]);
    const value: Record<string, string | number> = {
      logId: world.logId,
      concernId: world.concernA,
      goalId: world.goalA,
      measureId: world.measureA,
      stepId: world.stepOpen,
      grantId: world.grantId,
      glimmerId: world.glimmerId,
      noteId: world.logNoteId,
      attachmentId: world.attachmentId,
      signedId: world.signedFormId,
      meetingId: world.meetingId,
      printId: world.printId,
      transferId: world.transferId,
      importId: world.importId,
      unitId: world.unitId,
      userId: people.ids.staff!,
    };
    if (!(name in value)) throw new Error(`no fixture for :${name} in ${row.route}`);
    return String(value[name]);
  });
}

/** The same route with the other municipality's ids wherever it has one. */
function fillOther(row: Row, world: World, people: AccessPeople): string {
  const o = people.other;
  const mine = fill(row, world, people);
  const ids: Record<string, number> = {
    logId: o.logId,
    concernId: o.concernId,
    goalId: o.goalId,
    measureId: o.measureId,
    unitId: o.unitId,
    userId: o.leaderId,
  };
  let i = 0;
  const names = [...row.route.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const parts = mine.split('/');
  const pattern = row.route.split(' ')[1]!.split('/');
  return pattern
    .map((segment, index) => {
      if (!segment.startsWith(':')) return parts[index];
      const name = names[i++]!;
      return name in ids ? String(ids[name]) : parts[index];
    })
    .join('/');
}

t.test('every role against every route with an id', async (t) => {
  const { app, db } = await testApp(t);
  const people = await accessPeople(db);
  const base = await buildWorld(db, people);

  // ---- every route with a :param has a row, and every row a route ----
  const routes = [
    ...new Set(
      app.routeTable
        .filter((r) => r.method !== 'HEAD' && r.url.includes(':'))
        .map((r) => `${r.method} ${r.url}`),
    ),
  ].sort();
  const known = new Set(rows.map((r) => r.route));
  t.same(
    routes.filter((r) => !known.has(r)),
    [],
    'every route with an id has a row in the matrix (add one for a new route)',
  );
  t.same(
    [...known].filter((r) => !routes.includes(r)),
    [],
    'every row of the matrix is a route of the app',
  );
  t.equal(known.size, rows.length, 'one row per route');

  // ---- one signed-in agent per role ----
  const agents = new Map<RoleName, Agent>();
  for (const role of ROLES) {
    const agent = new Agent(app);
    if (role === 'anon') await agent.get('/login');
    else await signIn(agent, EMAIL[role]);
    agents.set(role, agent);
  }
  const send = async (role: RoleName, method: string, url: string) => {
    const agent = agents.get(role)!;
    const cookies = new Map(agent.cookies);
    const token = agent.csrfToken;
    const response = method === 'GET' ? await agent.get(url) : await agent.post(url, {});
    agent.cookies.clear();
    for (const [name, value] of cookies) agent.cookies.set(name, value);
    agent.csrfToken = token;
    return response;
  };

  const failures: string[] = [];
  let checks = 0;
  for (const row of rows.filter((r) => routes.includes(r.route))) {
    const [method] = row.route.split(' ') as [string];
    const check = async (role: RoleName, world: World) => {
      const allowed = row.allowed.includes(role);
      const response = await send(role, method, fill(row, world, people));
      const got = verdict(response);
      const want: Verdict = role === 'anon' ? 'login' : allowed ? 'ok' : 'hidden';
      checks++;
      if (got !== want)
        failures.push(
          `${row.route} as ${role}: wanted ${want}, got ${response.statusCode} ${response.headers.location ?? ''}`.trim(),
        );
    };
    // Refused roles first, on the shared log (a refusal changes nothing), side by side.
    await Promise.all(ROLES.filter((r) => !row.allowed.includes(r)).map((role) => check(role, base)));
    for (const role of row.allowed)
      await check(role, method === 'POST' ? await buildWorld(db, people) : base);
  }
  t.same(
    failures,
    [],
    `the matrix: ${rows.length} routes × ${ROLES.length} roles = ${checks} answers as the policy says`,
  );

  // ---- ids of another municipality: 404 for everyone here ----
  const crossFailures: string[] = [];
  const crossRoles: RoleName[] = [
    'holder',
    'leader',
    'superuser',
    'guardian',
    'youth',
    'grantWhole',
    'admin',
    'leaderOther',
  ];
  for (const row of rows.filter(
    (r) => routes.includes(r.route) && /:(logId|unitId|concernId|goalId|measureId)/.test(r.route),
  )) {
    const [method] = row.route.split(' ') as [string];
    const url = fillOther(row, base, people);
    await Promise.all(
      crossRoles.map(async (role) => {
        const response = await send(role, method, url);
        checks++;
        if (response.statusCode !== 404)
          crossFailures.push(`${method} ${url} (${row.route}) as ${role}: ${response.statusCode}`);
      }),
    );
  }
  t.same(crossFailures, [], 'ids that belong to another municipality answer 404');
  t.comment(`matrix size: ${rows.length} routes, ${ROLES.length} roles, ${checks} requests checked`);
});
