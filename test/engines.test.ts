/** Every installed package supports the Node.js we run on, and the check that guards it catches one that does not. */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { engineMismatches } from '../scripts/check-engines.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

function fakePackage(dir: string, name: string, engines?: Record<string, string>) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', engines }));
}

t.test('every installed package accepts the running Node.js', async (t) => {
  t.same(
    engineMismatches(path.join(root, 'node_modules')),
    [],
    `no package needs more than ${process.version}`,
  );
});

t.test('npm refuses to install a package for another Node.js', async (t) => {
  const { stdout } = await run('npm', ['config', 'get', 'engine-strict'], { cwd: root });
  t.equal(stdout.trim(), 'true', '.npmrc sets engine-strict');
});

t.test('the check lists packages that need a newer Node.js, nested and scoped ones too', async (t) => {
  const modules = path.join(t.testdir(), 'node_modules');
  fakePackage(path.join(modules, 'fine'), 'fine', { node: '>=18' });
  fakePackage(path.join(modules, 'no-engines'), 'no-engines');
  fakePackage(path.join(modules, 'too-new'), 'too-new', { node: '>=22.12.0' });
  fakePackage(path.join(modules, '@scope/also-too-new'), '@scope/also-too-new', { node: '>=22' });
  fakePackage(path.join(modules, 'fine/node_modules/deep'), 'deep', { node: '^22 || ^24' });

  const found = engineMismatches(modules, 'v20.20.2');
  t.same(
    found.map((m) => `${m.name} ${m.requires}`),
    ['@scope/also-too-new >=22', 'deep ^22 || ^24', 'too-new >=22.12.0'],
  );
  t.same(engineMismatches(modules, 'v24.1.0'), [], 'all of them fit a newer Node.js');

  const next = `>=${Number(process.versions.node.split('.')[0]) + 1}`;
  fakePackage(path.join(modules, 'next-node'), 'next-node', { node: next });
  const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/check-engines.ts', modules], {
    cwd: root,
  }).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
  t.ok(failed, 'the script fails');
  t.equal(failed?.code, 1, 'exit code 1');
  t.ok(failed?.stderr.includes(`next-node@1.0.0 requires node ${next}`), 'and names the package');
});
