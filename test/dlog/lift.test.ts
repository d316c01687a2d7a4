/**
 * The dense rest of the index calculus's linear algebra by ℓ-adic lifting (src/dlog/ic-lift.ts): a
 * kernel vector modulo q of small-integer systems, refusals when the rows do not decide, rational
 * reconstruction, and the same logs as elimination modulo q on planted homogeneous systems.
 */
import { describe, it, expect } from "vitest";
import { Rng } from "../../src/util/rng";
import { liftKernel, rationalReconstruct, type LiftInfo, type StartHelper } from "../../src/dlog/ic-lift";
import { startLiftHelper } from "../../src/dlog/ic-lift-helper";
import { columnHits, solveSparse, type Relation } from "../../src/dlog";

const q = (1n << 127n) - 1n; // a Mersenne prime, larger than any q the sieve meets
const modq = (x: bigint) => ((x % q) + q) % q;

/** Rows over n columns with small entries and the integer kernel vector x (x[n-1] = 1 closes each row). */
function plantedRows(rng: Rng, n: number, m: number, x: number[]): Float64Array[] {
  return Array.from({ length: m }, () => {
    const row = new Float64Array(n);
    let s = 0;
    for (let k = 0; k < 15; k++) {
      const j = rng.int(0, n - 2);
      const c = rng.int(-3, 3);
      row[j] += c;
      s += c * x[j]!;
    }
    row[n - 1] = -s; // x[n-1] = 1
    return row;
  });
}

describe("liftKernel", () => {
  it("finds v with rows·v ≡ 0 (mod q) and v[anchor] = 1 on random small-integer systems", { timeout: 30000 }, () => {
    const rng = new Rng("lift");
    for (const n of [2, 5, 40, 150]) {
      const x = Array.from({ length: n }, (_, j) => (j === n - 1 ? 1 : rng.int(-40, 40) || 1));
      const rows = plantedRows(rng, n, n + 5, x);
      const anchor = n - 1;
      const v = liftKernel({ rows, n }, anchor, q);
      expect(v, `n = ${n}`).not.toBeNull();
      expect(v![anchor]).toBe(1n);
      for (const [i, row] of rows.entries()) {
        const s = row.reduce((acc, e, j) => acc + BigInt(e) * v![j]!, 0n);
        expect(modq(s), `n = ${n}, row ${i}`).toBe(0n);
      }
      // The planted kernel is the only one: v is x scaled to x[anchor] = 1.
      x.forEach((xj, j) => expect(v![j], `n = ${n}, column ${j}`).toBe(modq(BigInt(xj))));
    }
  });

  it("refuses rows that do not decide the other columns, and an anchor whose entry of the kernel is 0", () => {
    const rng = new Rng("lift-refuse");
    const n = 12;
    const x = Array.from({ length: n }, (_, j) => (j === n - 1 ? 1 : rng.int(1, 9)));
    const rows = plantedRows(rng, n, n - 3, x); // too few rows: a kernel of dimension ≥ 2
    expect(liftKernel({ rows, n }, n - 1, q)).toBeNull();
    // Kernel (1, 1, 0): the anchor column 2 has kernel entry 0, so no solution with v[2] = 1 exists.
    const rows2 = [Float64Array.from([1, -1, 0]), Float64Array.from([2, -2, 1])];
    expect(liftKernel({ rows: rows2, n: 3 }, 2, q)).toBeNull();
    expect(liftKernel({ rows: rows2, n: 3 }, 0, q)).toEqual([1n, 1n, 0n]);
  });

  it("a second prime on a worker thread lifts part of the digits; the kernel is the same", { timeout: 60000 }, () => {
    const rng = new Rng("lift-helper");
    const n = 420;
    const x = Array.from({ length: n }, (_, j) => (j === n - 1 ? 1 : rng.int(-40, 40) || 1));
    const rows = plantedRows(rng, n, n + 5, x);
    const alone: LiftInfo = {};
    const v1 = liftKernel({ rows, n }, n - 1, q, { info: alone });
    const helped: LiftInfo = {};
    const v2 = liftKernel({ rows, n }, n - 1, q, { helper: patientHelper, info: helped });
    expect(v1).not.toBeNull();
    expect(v2).toStrictEqual(v1);
    x.forEach((xj, j) => expect(v2![j], `column ${j}`).toBe(modq(BigInt(xj))));
    expect(alone.helperDigits).toBe(0);
    expect(helped.helperDigits, "the helper's digits were used").toBeGreaterThan(0);
    expect(helped.digits!).toBeLessThanOrEqual(alone.digits!);
  });

  it("a helper whose digits are wrong cannot make the lifting return a wrong kernel", () => {
    const rng = new Rng("lift-helper-bad");
    const n = 60;
    const x = Array.from({ length: n }, (_, j) => (j === n - 1 ? 1 : rng.int(-40, 40) || 1));
    const rows = plantedRows(rng, n, n + 5, x);
    const want = liftKernel({ rows, n }, n - 1, q);
    for (const digit of [0, 7]) {
      const wrong: StartHelper = (_A, _b, size) => ({
        stream: () => ({
          digits: Array.from({ length: size }, () => new Float64Array(400).fill(digit)),
          t: 20,
          ell: 1048571,
        }),
        close: () => {},
      });
      const got = liftKernel({ rows, n }, n - 1, q, { helper: wrong });
      if (got !== null) expect(got).toStrictEqual(want);
    }
  });

  it("rational reconstruction recovers N/d from N·d^-1 mod M, and not a fraction too large for M", () => {
    const M = 10n ** 30n + 57n;
    for (const [N, d] of [
      [123456791n, 987654323n],
      [-5n, 7n],
      [0n, 1n],
    ] as const) {
      const x = (((N % M) + M) % M) * modInverse(d, M);
      expect(rationalReconstruct(x % M, M)).toEqual({ N, d });
    }
    // A fraction beyond sqrt(M/2) is not unique modulo M: never returned as itself.
    const big = { N: 3n, d: 10n ** 20n + 39n };
    expect(rationalReconstruct((big.N * modInverse(big.d, M)) % M, M)).not.toEqual(big);
  });
});

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, t0, t1] = [m, ((a % m) + m) % m, 0n, 1n];
  while (r1 !== 0n) {
    const k = r0 / r1;
    [r0, r1] = [r1, r0 - k * r1];
    [t0, t1] = [t1, t0 - k * t1];
  }
  return ((t0 % m) + m) % m;
}

it(
  "solveSparse: lifted dense rest and elimination modulo q give the planted logs on a pinned homogeneous system",
  { timeout: 30000 },
  () => {
    const rng = new Rng("lift-sparse");
    const n = 300;
    // Planted virtual logs x·λ: x small integers, λ fixed by the pin L(column 0) = k.
    const x = Array.from({ length: n }, (_, j) => (j === 0 ? 7 : j % 50 === 1 ? 1 : rng.int(-20, 20)));
    const ones = x.map((v, j) => (v === 1 ? j : -1)).filter((j) => j >= 0);
    const rels: Relation[] = [];
    for (let i = 0; i < n + 40; i++) {
      const m = new Map<number, number>();
      // Heavy first columns (like the small primes) and a couple of light ones (like the H + c columns).
      for (let k = 0; k < 5; k++) m.set(rng.int(0, 19), rng.int(-3, 3));
      m.set(rng.int(20, n - 1), 1);
      m.set(rng.int(20, n - 1), 1);
      const s = [...m].reduce((acc, [c, e]) => acc + e * x[c]!, 0);
      const close = rng.pick(ones);
      m.set(close, (m.get(close) ?? 0) - s);
      const cols = [...m].filter(([, e]) => e !== 0).map(([c]) => c);
      rels.push({ cols, coefs: cols.map((c) => m.get(c)!), k: 0n });
    }
    const k = 123456789012345678901234567n;
    rels.push({ cols: [0], coefs: [1], k });
    const lambda = modq(k * modInverse(7n, q));
    const hits = columnHits(rels, n);
    for (const lift of [true, false]) {
      const info: { dense?: string; denseCols?: number } = {};
      const logs = solveSparse(rels, n, q, hits, { lift, info });
      expect(info.dense).toBe(lift ? "lift" : "modq");
      expect(info.denseCols, "no dense rest: the test would not reach the lifting").toBeGreaterThan(10);
      let fixed = 0;
      logs.forEach((L, c) => {
        if (L === null) return;
        fixed++;
        expect(L, `lift ${lift}, column ${c}`).toBe(modq(BigInt(x[c]!) * lambda));
      });
      expect(fixed >= 0.8 * n, `lift ${lift}: only ${fixed}/${n} columns fixed`).toBeTruthy();
    }
  },
);

/**
 * startLiftHelper, but the lifting's first checkpoint waits (up to 30 s) until the worker has lifted
 * a digit: without the wait, a worker still loading would leave a small test nothing to check.
 */
const patientHelper: StartHelper = (...args) => {
  const inner = startLiftHelper(...args);
  if (!inner) return null;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  return {
    stream(order) {
      for (let i = 0; i < 3000; i++) {
        const s = inner.stream(order);
        if (s && s.t > 0) return s;
        Atomics.wait(sleeper, 0, 0, 10);
      }
      return inner.stream(order);
    },
    close: () => inner.close(),
  };
};
