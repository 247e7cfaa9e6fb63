// Passes tap's output through unchanged and adds one plain line at the end: "N passed, N failed".
// tap's own last count line looks like "# { total: 12, pass: 11, fail: 1 }".
import { createInterface } from 'node:readline';

let counts = null;
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  process.stdout.write(`${line}\n`);
  const found = /^# \{ total: (\d+)(.*)\}\s*$/.exec(line);
  if (found) {
    const count = (name) => Number(new RegExp(`\\b${name}: (\\d+)`).exec(found[2])?.[1] ?? 0);
    counts = { pass: count('pass'), fail: count('fail') };
  }
}
if (counts) {
  console.log(`${counts.pass} passed, ${counts.fail} failed`);
} else {
  console.log('tap printed no count line: the test run did not complete.');
  process.exitCode = 1;
}
