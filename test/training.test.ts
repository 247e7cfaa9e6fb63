/**
 * The practice installation (TRAINING=true, `npm run start:training`): a banner on every page (real
 * Chromium, JavaScript off and on, axe), a nightly job that empties what was practised and loads the
 * demo data again while the audit trail stays, and the real npm script, which starts from the demo data
 * alone every time.
 */
import pg from 'pg';
import t from 'tap';
import { Agent, sharedDatabase, signIn, testApp, type Teardown } from './helpers/app.js';
import { browserApp, expectAxeClean, goto, pageProblems, signInBrowser } from './helpers/browser.js';
import { resetDemoData } from '../src/db/demo.js';
import { freePort } from '../src/db/embedded.js';
import { JOBS_SCHEMA } from '../src/plugins/jobs.js';
import { TRAINING_RESET_QUEUE } from '../src/features/training/index.js';
import { dataFolder, startNpm } from './helpers/npm-process.js';

const EXPECTED = /^request failed: .*\/drafts$/;

for (const javascript of [false, true]) {
  t.test(`the practice banner is on every page, JavaScript ${javascript ? 'on' : 'off'}`, async (t) => {
    const database = await sharedDatabase();
    const site = await browserApp(t, { TRAINING: 'true' }, { resetDemo: () => resetDemoData(database.db) });
    const logId = (
      await site
        .db('logs as l')
        .join('children as c', 'c.id', 'l.child_id')
        .where('c.first_name', 'Ida')
        .first('l.id')
    ).id as number;
    const page = await site.newPage({ javascript });
    const banner = async (label: string) => {
      const text = await page.$eval('.training-banner', (el) =>
        (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      );
      t.match(text, /^Kursløsning: .*slettes hver natt/, `${label}: the banner says it is for practice`);
      t.same(
        pageProblems(page).filter((p) => !EXPECTED.test(p)),
        [],
        `${label}: no script errors`,
      );
      await expectAxeClean(t, page, label);
    };
    await goto(page, '/login');
    await banner('sign-in page');
    await signInBrowser(page, 'stafettholder@stafett.example');
    await banner('start page');
    await goto(page, `/logs/${logId}`);
    await banner('log page');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('.training-banner a')]);
    t.equal(new URL(page.url()).pathname, '/help/training', 'the banner links the help page about it');
    await banner('help about the practice installation');
    await goto(page, '/no-such-page');
    await banner('a page that is not found');
  });
}

t.test('an ordinary installation has no banner', async (t) => {
  const { app } = await testApp(t);
  const page = await new Agent(app).get('/login');
  t.equal(page.statusCode, 200);
  t.notMatch(page.body, /training-banner/);
});

t.test('the nightly job loads the demo data again; the audit trail stays', async (t) => {
  const database = await sharedDatabase();
  const { app, db } = await testApp(
    t,
    { TRAINING: 'true', JOBS_POLL_SECONDS: '1' },
    {
      resetDemo: () => resetDemoData(database.db),
    },
  );
  // Something practised: a child renamed, a person signed in (a session and an audit row).
  const ida = await db('children').where({ first_name: 'Ida' }).first('id');
  await db('children').where({ id: ida.id }).update({ first_name: 'Øvelse' });
  const agent = new Agent(app);
  await signIn(agent, 'stafettholder@stafett.example');
  t.equal((await agent.get('/')).statusCode, 200, 'signed in before the reset');
  const audit = Number((await db('audit_events').count('* as n').first())!.n);
  const users = Number((await db('users').count('* as n').first())!.n);

  await app.jobs.start();
  const schedule = await db.raw(
    `SELECT cron, options->>'tz' AS tz FROM ${JOBS_SCHEMA}.schedule WHERE name = ?`,
    [TRAINING_RESET_QUEUE],
  );
  t.same(schedule.rows, [{ cron: '0 3 * * *', tz: 'Europe/Oslo' }], 'every night at 03:00 Oslo time');

  await app.jobs.send(TRAINING_RESET_QUEUE, {});
  let back = false;
  for (let i = 0; i < 120 && !back; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    back = Boolean(await db('children').where({ first_name: 'Ida' }).first('id'));
  }
  t.ok(back, 'Ida is back');
  t.notOk(await db('children').where({ first_name: 'Øvelse' }).first('id'), 'what was practised is gone');
  t.equal(Number((await db('users').count('* as n').first())!.n), users, 'the demo people once each');
  t.ok(
    Number((await db('audit_events').count('* as n').first())!.n) >= audit,
    'the audit trail keeps its rows',
  );
  const after = await agent.get('/');
  t.equal(after.statusCode, 303, 'the sessions from before are gone');
  await signIn(new Agent(app), 'stafettholder@stafett.example');
  t.pass('the demo accounts sign in again');
});

/** `npm run start:training`; `stop` is Ctrl-C to its process group and answers the exit code. */
function startTraining(t: Teardown, env: NodeJS.ProcessEnv) {
  const server = startNpm(t, ['run', 'start:training'], env);
  const stop = async () => {
    process.kill(-server.pid, 'SIGINT');
    return (await server.exited).code;
  };
  return { address: server.address, stop, output: server.output };
}

t.test('npm run start:training starts from the demo data alone, every time', async (t) => {
  const dataDir = await dataFolder(t, 'stafett-training-');
  const dbPort = await freePort();
  const env = {
    EMBEDDED_DB_DIR: dataDir,
    EMBEDDED_DB_PORT: String(dbPort),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    ...(process.env.PUPPETEER_EXECUTABLE_PATH
      ? { PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH }
      : {}),
  };
  const children = async (sql: string) => {
    const client = new pg.Client({
      connectionString: `postgres://stafett:stafett-local@127.0.0.1:${dbPort}/stafett`,
    });
    await client.connect();
    try {
      return (await client.query(sql)).rows as { first_name: string }[];
    } finally {
      await client.end();
    }
  };

  const first = startTraining(t, env);
  const address = await first.address;
  const login = await fetch(`${address}/login`);
  t.match(await login.text(), /class="training-banner"/, 'the banner on the sign-in page');
  t.match(first.output(), /Kursløsning: demodataene er lastet inn på nytt/);
  // Practice: Ida is renamed.
  await children(`UPDATE children SET first_name = 'Øvelse' WHERE first_name = 'Ida'`);
  t.same(await children(`SELECT first_name FROM children WHERE first_name = 'Øvelse'`), [
    { first_name: 'Øvelse' },
  ]);
  t.equal(await first.stop(), 0, 'Ctrl-C stops it cleanly');

  const second = startTraining(t, env);
  await second.address;
  t.same(
    await children(`SELECT first_name FROM children WHERE first_name = 'Øvelse'`),
    [],
    'practice is gone',
  );
  t.same(await children(`SELECT first_name FROM children WHERE first_name = 'Ida'`), [{ first_name: 'Ida' }]);
  t.equal(await second.stop(), 0);
});
