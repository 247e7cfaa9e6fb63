/**
 * Small numbers in statistics (issue 13, QUALITY.md "Safe with children's data"): no count from 1 to 4
 * is shown, and none can be worked out from the figures that are shown.
 *
 * The rule, applied to every page, table and CSV file the same way:
 *
 * 1. Primary: a count from 1 to 4 is shown as "under 5" (state `small`). 0 is shown as 0.
 * 2. Lines: a table publishes equations. Each column of counts and its total is a "line": the cells add
 *    up to the total. A share publishes one too: the part with and the part without add up to the whole.
 *    When a line with a shown total has a hidden cell, more non-zero cells of that line are hidden
 *    (state `hidden`, shown as "skjult"), taken in the table's own order after the first hidden cell
 *    (an order that does not depend on the numbers: names, months, categories), until
 *      (a) at least one cell of the line is "skjult", and
 *      (b) the hidden cells add up to at least 3 + U + 5·S (U cells "under 5", S cells "skjult").
 *    A reader knows the total, the shown cells, that "under 5" is 1–4 and that "skjult" is at least 5.
 *    With (a) nothing bounds the hidden cells from above, and with (b) each "under 5" can still be 4 with
 *    the others at their least; so every "under 5" could still be any number from 1 to 4.
 * 3. If every non-zero cell of a line is hidden and (b) still fails, the line is withheld: all its cells
 *    show "skjult", zeros and "under 5" too, so neither which cells are small nor which are empty shows.
 * 4. A line whose total is not shown (a total from 1 to 4, or one hidden by another line) keeps at least
 *    one hidden cell, so the total cannot be added up from the cells.
 * 5. A share is hidden when its part or its rest is hidden; an average or a median is hidden when it is
 *    computed from 1 to 4 values.
 *
 * Cells shared by several lines (a total that is also a cell elsewhere) are one variable, and the rule
 * runs until no line needs more. What a reader learns: when a line needed two or more "skjult" cells,
 * that its "under 5" cells are 1–3 rather than 1–4; never an exact number. Not covered: differences
 * between two selections (two periods, filters, the municipality and one district), which a reader
 * could combine; the statistics are for leaders and the municipal administrator, and each view is
 * recorded in the audit trail.
 */

export type CellState = 'shown' | 'small' | 'hidden';

export interface Protected {
  /** The number when it may be shown, else null. */
  value: number | null;
  state: CellState;
}

/** A figure registered with a Protector. */
export interface Ref {
  readonly id: number;
}

export interface ShareRef {
  readonly numerator: Ref;
  readonly rest: Ref;
  readonly denominator: Ref;
}

interface Line {
  cells: number[];
  total: number;
  withheld: boolean;
}

export const SMALL_MAX = 4;

export class Protector {
  private readonly values: number[] = [];
  private readonly sensitive: boolean[] = [];
  private readonly states: CellState[] = [];
  private readonly lines: Line[] = [];
  private ran = false;

  /** A count of children, logs, measures …: protected. */
  count(value: number): Ref {
    return this.add(value, true);
  }

  /** A number that says nothing about any child (such as the number of children a leader entered). */
  known(value: number): Ref {
    return this.add(value, false);
  }

  /** The cells add up to the total (a table column and its sum). */
  line(cells: readonly Ref[], total: Ref): void {
    this.mustNotHaveRun();
    const sum = cells.reduce((s, c) => s + this.values[c.id]!, 0);
    if (sum !== this.values[total.id]) throw new Error(`line cells add up to ${sum}, not to its total`);
    this.lines.push({ cells: cells.map((c) => c.id), total: total.id, withheld: false });
  }

  /** numerator of denominator: the part without is a cell too, so a share cannot reveal it. */
  share(numerator: Ref, denominator: Ref): ShareRef {
    const rest = this.add(this.values[denominator.id]! - this.values[numerator.id]!, true);
    this.line([numerator, rest], denominator);
    return { numerator, rest, denominator };
  }

  /** Applies the rule; after this the figures can be read. */
  run(): this {
    if (this.ran) return this;
    this.ran = true;
    this.values.forEach((value, id) => {
      if (this.sensitive[id] && value >= 1 && value <= SMALL_MAX) this.states[id] = 'small';
    });
    let changed = true;
    while (changed) {
      changed = false;
      for (const line of this.lines) {
        if (!line.withheld && this.protect(line)) changed = true;
      }
    }
    return this;
  }

  get(ref: Ref): Protected {
    this.mustHaveRun();
    const state = this.states[ref.id]!;
    return { value: state === 'shown' ? this.values[ref.id]! : null, state };
  }

  /** The share (0–1), null when hidden; undefined when there is nothing to share (a denominator of 0). */
  shareOf(share: ShareRef): number | null | undefined {
    this.mustHaveRun();
    const whole = this.values[share.denominator.id]!;
    if (this.states[share.denominator.id] === 'shown' && whole === 0) return undefined;
    if (this.states[share.numerator.id] !== 'shown' || this.states[share.denominator.id] !== 'shown')
      return null;
    return this.values[share.numerator.id]! / whole;
  }

  /** A mean or median of `n` values: hidden unless `n` is shown. */
  statistic(n: Ref, value: number | null): number | null {
    this.mustHaveRun();
    return this.states[n.id] === 'shown' && this.values[n.id]! > 0 ? value : null;
  }

  private add(value: number, sensitive: boolean): Ref {
    this.mustNotHaveRun();
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a count: ${value}`);
    this.values.push(value);
    this.sensitive.push(sensitive);
    this.states.push('shown');
    return { id: this.values.length - 1 };
  }

  /** Whether a line with a shown total gives nothing away: rule 2 (a) and (b). */
  private enough(line: Line): boolean {
    let small = 0;
    let hidden = 0;
    let sum = 0;
    for (const c of line.cells) {
      const state = this.states[c];
      if (state === 'shown') continue;
      if (state === 'small') small += 1;
      else hidden += 1;
      sum += this.values[c]!;
    }
    if (small + hidden === 0) return true;
    return hidden >= 1 && sum >= 3 + small + 5 * hidden;
  }

  /** Hides what the line needs; true if anything changed. */
  private protect(line: Line): boolean {
    const { cells } = line;
    const first = cells.findIndex((c) => this.states[c] !== 'shown');
    const totalShown = this.states[line.total] === 'shown';
    if (totalShown ? this.enough(line) : first >= 0) return false;
    const start = first >= 0 ? first : cells.length - 1;
    for (let k = 1; k <= cells.length; k++) {
      const c = cells[(start + k) % cells.length]!;
      if (this.states[c] !== 'shown' || !this.sensitive[c] || this.values[c] === 0) continue;
      this.states[c] = 'hidden';
      if (!totalShown || this.enough(line)) return true;
    }
    line.withheld = true;
    for (const c of cells) if (this.sensitive[c]) this.states[c] = 'hidden';
    return true;
  }

  private mustNotHaveRun() {
    if (this.ran) throw new Error('figures are added before run()');
  }

  private mustHaveRun() {
    if (!this.ran) throw new Error('run() first');
  }
}
