/**
 * Runs a command (the test runner) with one PostgreSQL prepared for the whole run:
 *
 *   tsx scripts/with-test-db.ts tap
 *
 * Uses the server in TEST_DATABASE_URL when set, otherwise starts an embedded PostgreSQL in a fresh
 * temporary folder. Migrates and seeds a template database once, as the server's user (the owner; the
 * application role the apps connect as gets its grants), and passes TEST_DATABASE_URL and
 * TEST_DATABASE_TEMPLATE to the command, so every test file copies its own database from the template
 * (see test/helpers/db.ts). Afterwards the template is dropped, the embedded server stopped and its
 * folder removed, and this process exits with the command's exit code.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { prepareTemplate, startTestServer, type TestServer } from '../test/helpers/db.js';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: tsx scripts/with-test-db.ts <command> [args...]');
  process.exit(2);
}

function run(env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command!, args, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      console.error(`could not run ${command}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0));
    });
  });
}

let server: TestServer | null = null;
let exitCode = 1;
try {
  const started = Date.now();
  let serverUrl = process.env.TEST_DATABASE_URL?.trim() ?? '';
  if (!serverUrl) {
    server = await startTestServer();
    serverUrl = server.url;
  }
  const template = await prepareTemplate(serverUrl);
  console.log(`# test database ready in ${Date.now() - started} ms (template ${template.name})`);
  try {
    exitCode = await run({
      ...process.env,
      TEST_DATABASE_URL: serverUrl,
      TEST_DATABASE_TEMPLATE: template.name,
    });
  } finally {
    await template
      .drop()
      .catch((error: Error) => console.error(`could not drop the template database: ${error.message}`));
  }
} catch (error) {
  console.error('test database setup failed:', error);
  exitCode = 1;
} finally {
  await server
    ?.stop()
    .catch((error: Error) => console.error(`could not stop the test database: ${error.message}`));
}
process.exit(exitCode);
