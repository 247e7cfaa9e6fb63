/**
 * The module graph of src/ (dpdm, type imports included): no import cycles between modules, none between
 * features, and no feature reaching past another feature's index.ts. Prints the figures and exits 1 when
 * one of them is above 0. `--list` (`npm run graph`) prints every cycle and every import past an
 * index.ts; so does a failing run.
 * Run by `npm run lint`; unit tests (*.test.ts) may read internals and are left out.
 */
import { globFiles, parseCircular, parseDependencyTree, shortenTree } from 'dpdm';

const root = process.cwd();
const entries = (await globFiles('src/**/*.ts', root)).filter((file) => !file.endsWith('.test.ts'));
const tree = shortenTree(
  root,
  await parseDependencyTree(entries, {
    context: root,
    transform: false,
    exclude: /node_modules|\.test\.ts$/,
  }),
);
const featureOf = (file: string) => /^src\/features\/([^/]+)\//.exec(file)?.[1] ?? null;

/** Feature → the features it imports; and every import statement from one feature into another. */
const edges = new Map<string, Set<string>>();
const crossFeature: { from: string; to: string }[] = [];
for (const [from, dependencies] of Object.entries(tree)) {
  for (const dependency of dependencies ?? []) {
    const a = featureOf(from);
    const b = dependency.id ? featureOf(dependency.id) : null;
    if (!a || !b || a === b) continue;
    crossFeature.push({ from, to: dependency.id! });
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)!.add(b);
  }
}
const pastIndex = crossFeature.filter((edge) => !edge.to.endsWith('/index.ts'));

/** Elementary cycles between features: a depth-first walk from each feature (the graph is small). */
const featureCycles: string[][] = [];
const walk = (start: string, at: string, path: string[]) => {
  for (const next of [...(edges.get(at) ?? [])].sort()) {
    if (next === start) featureCycles.push([...path, start]);
    else if (next > start && !path.includes(next)) walk(start, next, [...path, next]);
  }
};
for (const feature of [...edges.keys()].sort()) walk(feature, feature, [feature]);
const moduleCycles = parseCircular(tree);

const figures = {
  moduleCycles: moduleCycles.length,
  featureCycles: featureCycles.length,
  pastIndex: pastIndex.length,
};
console.log(
  `module cycles ${figures.moduleCycles}, feature cycles ${figures.featureCycles}, ` +
    `cross-feature imports ${crossFeature.length} (${figures.pastIndex} past an index.ts)`,
);
const keys = Object.keys(figures) as (keyof typeof figures)[];
const over = keys.filter((key) => figures[key] > 0);
for (const key of over) console.error(`check-graph: ${key} is ${figures[key]}, allowed 0`);
if (over.length || process.argv.includes('--list')) {
  for (const cycle of moduleCycles) console.log(`  module cycle: ${[...cycle, cycle[0]].join(' → ')}`);
  for (const cycle of featureCycles) console.log(`  feature cycle: ${cycle.join(' → ')}`);
  for (const edge of pastIndex) console.log(`  past an index.ts: ${edge.from} → ${edge.to}`);
}
process.exitCode = over.length ? 1 : 0;
