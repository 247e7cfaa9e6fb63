/**
 * The guide's words in every text a user can meet: the message files, the templates, the demo data
 * and the code's own strings. "Bekymring" (and "bekymret", "bekymringsmelding", …) is a loaded word
 * for families — a "bekymringsmelding" is a report to the child welfare service; the guide's word is
 * "oppmerksomhet".
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { projectRoot } from '../src/lib/project-root.js';

const LOADED = /bekymr/i;

async function filesUnder(folder: string, ending: RegExp): Promise<string[]> {
  const entries = await readdir(path.join(projectRoot, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && ending.test(e.name))
    .map((e) => path.relative(projectRoot, path.join(e.parentPath, e.name)));
}

/** Each line of the given files that has the loaded word, as "file:line: text". */
async function linesWithLoadedWord(files: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    const lines = (await readFile(path.join(projectRoot, file), 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (LOADED.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

t.test('the test finds the word in any form', async (t) => {
  for (const word of ['bekymring', 'Bekymringer', 'bekymret', 'BEKYMRINGSMELDING', 'bekymre seg'])
    t.ok(LOADED.test(word), word);
  t.notOk(LOADED.test('oppmerksomhet'));
});

t.test('no user-facing text says "bekymring" in any form', async (t) => {
  const messages = await filesUnder('src/i18n/locales', /\.json$/);
  const views = await filesUnder('views', /\.eta$/);
  const seeds = await filesUnder('seeds', /\.ts$/);
  const code = (await filesUnder('src', /\.ts$/)).filter((f) => !f.endsWith('.test.ts'));
  t.ok(messages.length >= 2 && views.length > 50 && seeds.length >= 2, 'the files are found');
  t.same(await linesWithLoadedWord([...messages, ...views, ...seeds, ...code]), []);
});
