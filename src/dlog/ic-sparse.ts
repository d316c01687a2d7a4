/**
 * Index calculus, the rows of the integer phase of structured Gaussian elimination (ic-algebra.ts):
 * sparse rows of small integers, kept sorted by column in typed arrays, so that the elimination step
 * "row ← row − f·pivot" is one linear merge over both rows rather than a hash lookup per entry
 * (the first version used Maps: at 128 bits the integer phase then took a quarter of the run).
 *
 * A SparseRow reads like the Map it replaced (`size`, `get`, `keys`, iteration over [column, value]),
 * so the later phases, which visit each row once, need not know the difference.
 */

/** A sparse row: `size` entries, columns strictly increasing, values nonzero. */
export class SparseRow {
  cols: Int32Array;
  vals: Float64Array;
  size: number;

  /** The row Σ coefs[i]·x[cols[i]]; a column given twice gets the sum of its coefficients. */
  constructor(cols: readonly number[], coefs: readonly number[]) {
    if (cols.length !== coefs.length)
      throw new RangeError(`a row needs one coefficient per column (got ${cols.length} and ${coefs.length})`);
    const order = cols.map((_, i) => i).sort((a, b) => cols[a]! - cols[b]!);
    this.cols = new Int32Array(cols.length);
    this.vals = new Float64Array(cols.length);
    let n = 0;
    for (const i of order) {
      if (n > 0 && this.cols[n - 1] === cols[i]) this.vals[n - 1]! += coefs[i]!;
      else {
        this.cols[n] = cols[i]!;
        this.vals[n++] = coefs[i]!;
      }
    }
    this.size = n;
    this.dropZeros();
  }

  private dropZeros(): void {
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.vals[i] === 0) continue;
      this.cols[n] = this.cols[i]!;
      this.vals[n++] = this.vals[i]!;
    }
    this.size = n;
  }

  /** The coefficient of column `c`, or undefined when it is zero (binary search). */
  get(c: number): number | undefined {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.cols[mid]!;
      if (m === c) return this.vals[mid];
      if (m < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  *keys(): IterableIterator<number> {
    for (let i = 0; i < this.size; i++) yield this.cols[i]!;
  }

  *[Symbol.iterator](): IterableIterator<[number, number]> {
    for (let i = 0; i < this.size; i++) yield [this.cols[i]!, this.vals[i]!];
  }

  /** The largest |coefficient|. */
  maxAbs(): number {
    let m = 0;
    for (let i = 0; i < this.size; i++) m = Math.max(m, Math.abs(this.vals[i]!));
    return m;
  }
}

/** Scratch for the merge, grown as needed (one elimination runs at a time: everything is synchronous). */
let scratchCols = new Int32Array(1024);
let scratchVals = new Float64Array(1024);

/**
 * row ← row − f·pivot, by one merge over both (sorted) rows. `onAdd(j)` and `onDrop(j)` are told of
 * each column that appears in the row and each that cancels out. Returns the largest |coefficient|
 * the update wrote (the caller watches it against the exact range of doubles).
 */
export function subtractMultiple(
  row: SparseRow,
  f: number,
  pivot: SparseRow,
  onAdd: (col: number) => void,
  onDrop: (col: number) => void,
): number {
  const need = row.size + pivot.size;
  if (scratchCols.length < need) {
    scratchCols = new Int32Array(2 * need);
    scratchVals = new Float64Array(2 * need);
  }
  const { cols: rc, vals: rv, size: rn } = row;
  const { cols: pc, vals: pv, size: pn } = pivot;
  let i = 0;
  let k = 0;
  let n = 0;
  let big = 0;
  while (k < pn) {
    const j = pc[k]!;
    while (i < rn && rc[i]! < j) {
      scratchCols[n] = rc[i]!;
      scratchVals[n++] = rv[i++]!;
    }
    const old = i < rn && rc[i] === j ? rv[i++]! : 0;
    const nv = old - f * pv[k++]!;
    if (nv === 0) {
      if (old !== 0) onDrop(j);
      continue;
    }
    if (old === 0) onAdd(j);
    scratchCols[n] = j;
    scratchVals[n++] = nv;
    big = Math.max(big, Math.abs(nv));
  }
  while (i < rn) {
    scratchCols[n] = rc[i]!;
    scratchVals[n++] = rv[i++]!;
  }
  if (row.cols.length < n) {
    row.cols = new Int32Array(2 * n);
    row.vals = new Float64Array(2 * n);
  }
  row.cols.set(scratchCols.subarray(0, n));
  row.vals.set(scratchVals.subarray(0, n));
  row.size = n;
  return big;
}

/** Column indices stay below this in a ColumnQueue key (size·2^26 + the reversed column). */
const COL_SPACE = 2 ** 26;

/**
 * The Markowitz order of the integer phase: the active column with the fewest rows, ties to the
 * higher index, found in O(log n) instead of a scan of every column per pivot (at 128 bits the scan
 * was most of the integer phase). A lazy binary heap: `decreased(c)` is called whenever a column
 * loses a row; a column that gains rows keeps its older, smaller key, which `sparsest` files again
 * at its true size when it reaches the top. Every active column therefore always has a key no larger
 * than its size, and the first key found current is the true minimum.
 */
export class ColumnQueue {
  private heap = new Float64Array(1024);
  private n = 0;

  constructor(
    private readonly sizeOf: (c: number) => number,
    columns: number,
  ) {
    if (columns > COL_SPACE) throw new RangeError(`too many columns for the elimination: ${columns}`);
    for (let c = 0; c < columns; c++) this.push(sizeOf(c), c);
  }

  /** Column c lost rows: file it at its new size. */
  decreased(c: number): void {
    this.push(this.sizeOf(c), c);
  }

  /**
   * The active column with the fewest rows (ties: the higher index), or -1. Columns marked in `done`
   * or `skip` are dropped; an empty column is marked done, as it needs no pivot.
   */
  sparsest(done: Uint8Array, skip: Uint8Array): number {
    while (this.n > 0) {
      const key = this.heap[0]!;
      const size = Math.floor(key / COL_SPACE);
      const c = COL_SPACE - 1 - (key - size * COL_SPACE);
      if (done[c] || skip[c]) {
        this.pop();
        continue;
      }
      const now = this.sizeOf(c);
      if (now === 0) {
        done[c] = 1;
        this.pop();
        continue;
      }
      if (now === size) return c;
      this.pop(); // stale: the column grew or lost rows since; filed again at its size
      this.push(now, c);
    }
    return -1;
  }

  private push(size: number, c: number): void {
    if (this.n === this.heap.length) {
      const bigger = new Float64Array(2 * this.n);
      bigger.set(this.heap);
      this.heap = bigger;
    }
    const h = this.heap;
    const key = size * COL_SPACE + (COL_SPACE - 1 - c);
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]! <= key) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = key;
  }

  private pop(): void {
    const h = this.heap;
    const last = h[--this.n]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.n) break;
      const m = l + 1 < this.n && h[l + 1]! < h[l]! ? l + 1 : l;
      if (h[m]! >= last) break;
      h[i] = h[m]!;
      i = m;
    }
    if (this.n > 0) h[i] = last;
  }
}
