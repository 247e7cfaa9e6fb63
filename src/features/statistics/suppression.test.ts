/**
 * The small-number rule, checked against a reader who knows it: for every "under 5", every value the
 * published figures still allow is listed by brute force. No "under 5" may be pinned to one value, and
 * where one "skjult" cell was enough, all of 1–4 must remain possible.
 */
import t from 'tap';
import { Protector, type Ref } from './suppression.js';

interface Table {
  p: Protector;
  cells: Ref[];
  total: Ref;
}

function table(values: number[]): Table {
  const p = new Protector();
  const cells = values.map((v) => p.count(v));
  const total = p.count(values.reduce((a, b) => a + b, 0));
  p.line(cells, total);
  p.run();
  return { p, cells, total };
}

const shown = (tb: Table) => tb.cells.map((c) => tb.p.get(c).value);
const states = (tb: Table) => tb.cells.map((c) => tb.p.get(c).state);

/**
 * What a reader can conclude about cell `index` of a one-line table: every value consistent with the
 * shown total and cells, "under 5" = 1–4, "skjult" = at least 5 (0 or more when the whole line is
 * "skjult": withheld), plus the rule's own order (cells hidden beyond the first "skjult" are taken in
 * order, so the reader also knows which earlier choices were not enough).
 */
function possible(tb: Table, index: number): number[] {
  const total = tb.p.get(tb.total).value;
  if (total === null) return [1, 2, 3, 4];
  const st = states(tb);
  const withheld = st.every((s) => s === 'hidden');
  const known = shown(tb).reduce<number>((s, v) => s + (v ?? 0), 0);
  const rest = total - known;
  const hiddenIdx = st.map((s, i) => (s === 'shown' ? -1 : i)).filter((i) => i >= 0);
  const domain = (i: number) => {
    const s = st[i];
    if (s === 'small') return [1, 2, 3, 4];
    const low = withheld ? 0 : 5;
    return Array.from({ length: Math.max(0, rest - low + 1) }, (_, k) => low + k);
  };
  const found = new Set<number>();
  const walk = (k: number, sum: number, assignment: number[]) => {
    if (sum > rest) return;
    if (k === hiddenIdx.length) {
      if (sum === rest && consistent(tb.cells.length, st, hiddenIdx, assignment, shown(tb), total))
        found.add(assignment[hiddenIdx.indexOf(index)]!);
      return;
    }
    for (const v of domain(hiddenIdx[k]!)) walk(k + 1, sum + v, [...assignment, v]);
  };
  walk(0, 0, []);
  return [...found].sort((a, b) => a - b);
}

/** Would the rule, run on these values, publish exactly what was published? */
function consistent(
  n: number,
  st: string[],
  hiddenIdx: number[],
  assignment: number[],
  values: (number | null)[],
  total: number,
): boolean {
  const full = values.map((v, i) => (v === null ? assignment[hiddenIdx.indexOf(i)]! : v));
  const again = table(full);
  return full.length === n && again.p.get(again.total).value === total && states(again).join() === st.join();
}

t.test('a count from 1 to 4 is "under 5"; 0 and 5 are shown', async (t) => {
  const p = new Protector();
  const [zero, three, five] = [p.count(0), p.count(3), p.count(5)];
  p.run();
  t.same(p.get(zero), { value: 0, state: 'shown' });
  t.same(p.get(three), { value: null, state: 'small' });
  t.same(p.get(five), { value: 5, state: 'shown' });
});

t.test('one small cell: another cell is hidden, and the small one could still be 1, 2, 3 or 4', async (t) => {
  const tb = table([12, 3, 20, 9]);
  t.same(states(tb), ['shown', 'small', 'hidden', 'shown'], 'the next cell after it is hidden');
  t.equal(tb.p.get(tb.total).value, 44, 'the total stays');
  t.same(possible(tb, 1), [1, 2, 3, 4]);
});

t.test('a small next cell is not enough: the hidden cells must leave room for 1–4', async (t) => {
  // 3 + 5 = 8 < 3 + 1 + 5: with 5 alone a reader would know the small one is at most 3.
  const tb = table([3, 5, 40]);
  t.same(states(tb), ['small', 'hidden', 'hidden']);
  const values = possible(tb, 0);
  t.ok(values.length >= 2, `not pinned: ${values.join(', ')}`);
});

t.test('the case that used to give itself away: 1 and 5 make 6', async (t) => {
  // Hiding both would leave "under 5" + "skjult (≥5)" = 6, so the small one is 1: the line is withheld.
  const tb = table([1, 5]);
  t.same(states(tb), ['hidden', 'hidden'], 'every cell "skjult", the small one too');
  t.equal(tb.p.get(tb.total).value, 6);
  t.ok(possible(tb, 0).length > 1);
});

t.test('two small cells with no large one: withheld or protected, never pinned', async (t) => {
  for (const values of [
    [1, 1, 0],
    [4, 4, 30],
    [4, 4],
    [2, 3, 7, 0, 11],
    [1, 1, 5, 5],
    [4, 9, 9],
    [3, 6, 7],
  ]) {
    const tb = table(values);
    tb.cells.forEach((c, i) => {
      if (tb.p.get(c).state === 'shown') {
        t.ok(values[i] === 0 || values[i]! >= 5, `${values}: cell ${i} shown is 0 or ≥ 5`);
        return;
      }
      if (values[i]! >= 1 && values[i]! <= 4) {
        const allowed = possible(tb, i);
        t.ok(allowed.length >= 2 && allowed.includes(values[i]!), `${values}: cell ${i} could be ${allowed}`);
      }
    });
  }
});

t.test('a total from 1 to 4 hides its cells and needs no other hiding', async (t) => {
  const tb = table([0, 3, 0]);
  t.same(states(tb), ['shown', 'small', 'shown']);
  t.equal(tb.p.get(tb.total).state, 'small');
});

t.test('no small cell: everything is shown', async (t) => {
  const tb = table([10, 0, 7]);
  t.same(shown(tb), [10, 0, 7]);
});

t.test('a share is hidden when its part or its rest is from 1 to 4', async (t) => {
  const p = new Protector();
  const few = p.share(p.count(3), p.count(40));
  const almostAll = p.share(p.count(37), p.count(40));
  const fine = p.share(p.count(10), p.count(40));
  const none = p.share(p.count(0), p.count(0));
  p.run();
  t.equal(p.shareOf(few), null);
  t.equal(p.get(few.numerator).state, 'small');
  t.equal(p.shareOf(almostAll), null, '37 of 40 would tell that 3 did not');
  t.equal(p.get(almostAll.numerator).state, 'hidden', 'so 37 is hidden too');
  t.equal(p.shareOf(fine), 0.25);
  t.equal(p.shareOf(none), undefined, 'nothing to share');
});

t.test('a hidden total keeps a hidden cell, so it cannot be added up', async (t) => {
  // Missed deadlines: a cell of the on-time share and the total of the months.
  const p = new Protector();
  const onTime = p.count(2);
  const missed = p.count(9);
  const due = p.count(11);
  p.line([onTime, missed], due);
  const months = [p.count(6), p.count(3)];
  p.line(months, missed);
  p.run();
  t.equal(p.get(onTime).state, 'small');
  t.equal(p.get(missed).state, 'hidden', 'the rest of a line with a small cell');
  t.ok(
    months.some((m) => p.get(m).state !== 'shown'),
    'the months do not all show, so the hidden total cannot be added up',
  );
});

t.test('an average or median is hidden when made from 1 to 4 values', async (t) => {
  const p = new Protector();
  const three = p.count(3);
  const six = p.count(6);
  const zero = p.count(0);
  p.run();
  t.equal(p.statistic(three, 4.2), null);
  t.equal(p.statistic(six, 4.2), 4.2);
  t.equal(p.statistic(zero, null), null);
});

t.test('a line must add up', async (t) => {
  const p = new Protector();
  t.throws(() => p.line([p.count(1), p.count(2)], p.count(4)));
});
