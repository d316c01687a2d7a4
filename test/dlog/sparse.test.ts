/**
 * The integer phase's data structures (src/dlog/ic-sparse.ts) against naive references on random
 * input: sorted sparse rows and row - f·pivot by merging, against Maps; the Markowitz column queue,
 * against a scan of every column, through random gains and losses of rows.
 */
import { it, expect } from "vitest";
import { Rng } from "../../src/util/rng";
import { ColumnQueue, SparseRow, subtractMultiple } from "../../src/dlog/ic-sparse";

const T = { timeout: 20_000 };

function randomRow(rng: Rng, cols: number, len: number): { cols: number[]; coefs: number[] } {
  const c = Array.from({ length: len }, () => rng.int(0, cols - 1));
  return { cols: c, coefs: c.map(() => rng.int(-3, 3)) };
}

function asMap(cols: number[], coefs: number[]): Map<number, number> {
  const m = new Map<number, number>();
  cols.forEach((c, i) => m.set(c, (m.get(c) ?? 0) + coefs[i]!));
  for (const [c, v] of m) if (v === 0) m.delete(c);
  return m;
}

const sorted = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]);

it("SparseRow: sorted, duplicates summed, zeros dropped; get/keys/iteration read like a Map", T, () => {
  const rng = new Rng(41);
  for (let t = 0; t < 300; t++) {
    const { cols, coefs } = randomRow(rng, 40, rng.int(0, 30));
    const row = new SparseRow(cols, coefs);
    const ref = asMap(cols, coefs);
    expect([...row]).toStrictEqual(sorted(ref));
    expect(row.size).toBe(ref.size);
    expect([...row.keys()]).toStrictEqual(sorted(ref).map(([c]) => c));
    for (let c = -1; c <= 40; c++) expect(row.get(c)).toBe(ref.get(c));
    expect(row.maxAbs()).toBe(Math.max(0, ...[...ref.values()].map(Math.abs)));
  }
  expect(() => new SparseRow([1, 2], [1])).toThrow(/one coefficient per column \(got 2 and 1\)/);
});

it("subtractMultiple: row - f·pivot as with Maps, columns gained and cancelled reported", T, () => {
  const rng = new Rng(42);
  for (let t = 0; t < 2000; t++) {
    const a = randomRow(rng, 60, rng.int(0, 40));
    const b = randomRow(rng, 60, rng.int(0, 40));
    const row = new SparseRow(a.cols, a.coefs);
    const pivot = new SparseRow(b.cols, b.coefs);
    const f = rng.int(-4, 4);
    const ref = asMap(a.cols, a.coefs);
    const before = new Set(ref.keys());
    for (const [c, v] of pivot) ref.set(c, (ref.get(c) ?? 0) - f * v);
    for (const [c, v] of ref) if (v === 0) ref.delete(c);
    const added: number[] = [];
    const dropped: number[] = [];
    const big = subtractMultiple(
      row,
      f,
      pivot,
      (c) => added.push(c),
      (c) => dropped.push(c),
    );
    expect([...row]).toStrictEqual(sorted(ref));
    expect(added).toStrictEqual([...ref.keys()].filter((c) => !before.has(c)).sort((x, y) => x - y));
    expect(dropped).toStrictEqual([...before].filter((c) => !ref.has(c)).sort((x, y) => x - y));
    const touched = [...pivot.keys()].map((c) => Math.abs(ref.get(c) ?? 0));
    expect(big).toBe(Math.max(0, ...touched));
  }
});

it("ColumnQueue: always the column a full scan picks (fewest rows, ties to the higher index)", T, () => {
  const rng = new Rng(43);
  for (let t = 0; t < 40; t++) {
    const n = rng.int(1, 300);
    const sizes = Array.from({ length: n }, () => rng.int(0, 12));
    const done = new Uint8Array(n);
    const skip = new Uint8Array(n);
    const queue = new ColumnQueue((c) => sizes[c]!, n);
    const scan = (): number => {
      let best = -1;
      for (let c = n - 1; c >= 0; c--) {
        if (done[c] || skip[c] || sizes[c] === 0) continue;
        if (best < 0 || sizes[c]! < sizes[best]!) best = c;
      }
      return best;
    };
    for (let step = 0; step < 400; step++) {
      const want = scan();
      expect(queue.sparsest(done, skip), `case ${t}, step ${step}`).toBe(want);
      if (want < 0) break;
      const action = rng.int(0, 3);
      if (action === 0) done[want] = 1;
      else if (action === 1) skip[want] = 1;
      // Other columns gain or lose rows, as fill-in and cancellation do.
      for (let k = 0; k < 5; k++) {
        const c = rng.int(0, n - 1);
        if (rng.int(0, 1) === 0) sizes[c]!++;
        else if (sizes[c]! > 0) {
          sizes[c]!--;
          queue.decreased(c);
        }
      }
    }
  }
});
