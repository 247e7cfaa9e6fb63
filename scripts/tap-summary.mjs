// Passes tap's output through unchanged and adds at the end: each failed test again (its file and subtests,
// and the first lines of its diagnostics), so that a failure is visible in the last screen of a long run,
// then one plain line "N passed, N failed".
// tap's own last count line looks like "# { total: 12, pass: 11, fail: 1 }".
import { createInterface } from 'node:readline';

const DIAGNOSTIC_LINES = 20;
let counts = null;
const subtests = [];
const failures = [];
let diagnostic = null;

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  process.stdout.write(`${line}\n`);
  const found = /^# \{ total: (\d+)(.*)\}\s*$/.exec(line);
  if (found) {
    const count = (name) => Number(new RegExp(`\\b${name}: (\\d+)`).exec(found[2])?.[1] ?? 0);
    counts = { pass: count('pass'), fail: count('fail') };
    continue;
  }
  if (diagnostic?.open === false) {
    // The diagnostics of a failed test follow it at once, between "---" and "...".
    if (line.trim() === '---') {
      diagnostic.open = true;
      continue;
    }
    diagnostic = null;
  }
  if (diagnostic?.open) {
    if (line.trim() === '...') diagnostic = null;
    else if (diagnostic.lines.length < DIAGNOSTIC_LINES) diagnostic.lines.push(line.slice(diagnostic.indent));
    continue;
  }
  const subtest = /^( *)# Subtest: (.*)$/.exec(line);
  if (subtest) {
    const level = Math.floor(subtest[1].length / 4);
    subtests.length = level;
    subtests[level] = subtest[2];
    continue;
  }
  const failed = /^( *)not ok \d+ - (.*?)(?: # time=[\d.]+m?s)?$/.exec(line);
  if (failed) {
    const level = Math.floor(failed[1].length / 4);
    const failure = { path: [...subtests.slice(0, level), failed[2]], lines: [] };
    failures.push(failure);
    diagnostic = { open: false, indent: failed[1].length + 2, lines: failure.lines };
  }
}

// A subtest fails when one of its tests fails: show only the failures that are not the parent of another.
const isParent = (a, b) => a.path.length < b.path.length && a.path.every((name, i) => name === b.path[i]);
const leaves = failures.filter((a) => !failures.some((b) => isParent(a, b)));
if (leaves.length > 0) {
  console.log(`\nFailed (${leaves.length}):`);
  for (const failure of leaves) {
    console.log(`- ${failure.path.join(' › ')}`);
    for (const line of failure.lines) console.log(`    ${line}`);
  }
  console.log('');
}
if (counts) {
  console.log(`${counts.pass} passed, ${counts.fail} failed`);
} else {
  console.log('tap printed no count line: the test run did not complete.');
  process.exitCode = 1;
}
