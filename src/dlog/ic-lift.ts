/**
 * Index calculus, the dense rest of the linear algebra without one multiplication modulo q: the kernel
 * of a small-integer matrix modulo the large prime q by ℓ-adic lifting (J. D. Dixon, "Exact solution
 * of linear equations using p-adic expansions", Numer. Math. 40, 1982) and rational reconstruction
 * (P. S. Wang, "A p-adic algorithm for univariate partial fractions", SYMSAC 1981).
 *
 * The integer phase of the elimination (ic-algebra.ts) leaves a dense m × n matrix D of small integers
 * whose rows are homogeneous relations, D·L ≡ 0 (mod q), for the virtual logs L. Fix one anchor column
 * a, pick n - 1 rows whose matrix A (column a left out) is invertible modulo a word-size prime ℓ, and
 * solve A·y = -D_a over the rationals: one LU factorisation modulo ℓ, then one triangular solve per
 * ℓ-adic digit of y, every step in doubles that stay exact (no bigint until the end). The digits give
 * y modulo ℓ^s; rational reconstruction turns that into y = N/d, and (N, d) spans the kernel of those
 * rows over Q. Reduced modulo q it spans their kernel modulo q (which holds L) whenever d ≢ 0 (mod q).
 * The cost, O(n³) operations on doubles, does not depend on the size of q.
 */
import { isqrt, mod, modInv, modInvSmall } from "../math/modular";
import { isProbablePrime } from "../math/primes";

/** Largest ℓ: products of two residues stay below 2^40, so 2^12 of them add up exactly in a double. */
const MAX_ELL = 2 ** 20;
/** Largest magnitude a double holds exactly (with room for one more term). */
const EXACT = 2 ** 52;

/** The largest prime below `below` (at most 2^20 here). */
export function primeBelow(below: number): number {
  let n = Math.floor(below) - 1;
  while (n > 2 && !isProbablePrime(BigInt(n))) n--;
  return n;
}

/** x mod ℓ in [0, ℓ) for an exact double x (|x| < 2^53). */
function red(x: number, ell: number): number {
  const r = x - Math.floor(x / ell) * ell;
  return r < 0 ? r + ell : r >= ell ? r - ell : r;
}

/** An LU factorisation of a square matrix modulo ℓ: rows `order` of the input, multipliers below the diagonal. */
export interface Lu {
  ell: number;
  size: number;
  /** Row k of the factorisation is input row order[k]. */
  order: Int32Array;
  /** size × size residues (exact in single precision): U on and above the diagonal, L's multipliers below. */
  lu: Float32Array[];
  /** Inverses of U's diagonal modulo ℓ. */
  pivInv: Float64Array;
}

/**
 * The chosen rows of the system in compressed sparse form (row k's nonzeros are start[k] to
 * start[k+1]): the dense rest is typically 15 % full, and the lifting visits it once per digit.
 */
export interface SparseRows {
  start: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

function compress(rows: Float64Array[]): SparseRows {
  let nz = 0;
  for (const row of rows) for (const v of row) if (v !== 0) nz++;
  const start = new Int32Array(rows.length + 1);
  const col = new Int32Array(nz);
  const val = new Float64Array(nz);
  let i = 0;
  rows.forEach((row, k) => {
    for (let j = 0; j < row.length; j++) {
      if (row[j] === 0) continue;
      col[i] = j;
      val[i++] = row[j]!;
    }
    start[k + 1] = i;
  });
  return { start, col, val };
}

/** Σ row k · y over row k's nonzeros, with two running sums (the sums are exact integers). */
function sparseDot(S: SparseRows, k: number, y: Float64Array): number {
  const { col, val } = S;
  const end = S.start[k + 1]!;
  let s0 = 0;
  let s1 = 0;
  let i = S.start[k]!;
  for (; i + 1 < end; i += 2) {
    s0 += val[i]! * y[col[i]!]!;
    s1 += val[i + 1]! * y[col[i + 1]!]!;
  }
  if (i < end) s0 += val[i]! * y[col[i]!]!;
  return s0 + s1;
}

/** Pivot columns handled together: the trailing rows then stream through the cache once per panel, not per pivot. */
const PANEL = 32;

/**
 * LU modulo ℓ with row pivoting over `rows` (each a Float64Array of `size` residues in [0, ℓ); more rows
 * than `size` are allowed, the first independent ones are chosen), blocked by panels of PANEL
 * columns (right-looking, delayed update, as in LAPACK's getrf): factor the panel's columns, bring the
 * panel's pivot rows up to date, then update every row below with all the panel's pivots at once.
 * Entries are reduced lazily: when read as a pivot or a multiplier, when a pivot row is final, or when
 * the update count would leave the exact range. Returns null when the rows have rank below `size`
 * modulo ℓ.
 */
function luModEll(rows: Float64Array[], size: number, ell: number): Lu | null {
  const m = rows.length;
  const st: LuState = {
    a: rows.slice(),
    order: Int32Array.from({ length: m }, (_, i) => i),
    pivInv: new Float64Array(size),
    ell,
    size,
    pending: 0,
    maxUpdates: Math.floor(EXACT / (ell * ell)) - 1,
  };
  for (let k0 = 0; k0 < size; k0 += PANEL) {
    const k1 = Math.min(size, k0 + PANEL);
    if (!factorPanel(st, k0, k1)) return null;
    finishPivotRows(st, k0, k1);
    updateTrailing(st, k0, k1);
  }
  const lu = st.a.slice(0, size).map((row) => Float32Array.from(row));
  return { ell, size, order: st.order.slice(0, size), lu, pivInv: st.pivInv };
}

interface LuState {
  a: Float64Array[];
  order: Int32Array;
  pivInv: Float64Array;
  ell: number;
  size: number;
  /** Updates since every entry was last reduced, and the most the exact range allows. */
  pending: number;
  maxUpdates: number;
}

/** Pivots for columns [k0, k1): row swaps, multipliers, updates inside the panel's columns only. */
function factorPanel(st: LuState, k0: number, k1: number): boolean {
  const { a, order, pivInv, ell } = st;
  const m = a.length;
  if (st.pending + (k1 - k0) >= st.maxUpdates) {
    for (let r = k0; r < m; r++) for (let j = k0; j < st.size; j++) a[r]![j] = red(a[r]![j]!, ell);
    st.pending = 0;
  }
  st.pending += k1 - k0;
  for (let k = k0; k < k1; k++) {
    let piv = -1;
    for (let r = k; r < m; r++) {
      const v = red(a[r]![k]!, ell);
      a[r]![k] = v;
      if (v !== 0) {
        piv = r;
        break;
      }
    }
    if (piv < 0) return false;
    [a[k], a[piv]] = [a[piv]!, a[k]!];
    [order[k], order[piv]] = [order[piv]!, order[k]!];
    const prow = a[k]!;
    for (let j = k + 1; j < k1; j++) prow[j] = red(prow[j]!, ell);
    const inv = modInvSmall(prow[k]!, ell);
    pivInv[k] = inv;
    for (let r = k + 1; r < m; r++) {
      const row = a[r]!;
      const f = red(red(row[k]!, ell) * inv, ell);
      row[k] = f; // the multiplier, kept in L's place
      if (f === 0) continue;
      for (let j = k + 1; j < k1; j++) row[j] = row[j]! - f * prow[j]!;
    }
  }
  return true;
}

/** The panel's pivot rows, right of the panel: updated by the panel's earlier pivots, then reduced (final U). */
function finishPivotRows(st: LuState, k0: number, k1: number): void {
  const { a, ell, size } = st;
  for (let p = k0; p < k1; p++) {
    const row = a[p]!;
    for (let k = k0; k < p; k++) {
      const f = row[k]!;
      if (f === 0) continue;
      const prow = a[k]!;
      for (let j = k1; j < size; j++) row[j] = row[j]! - f * prow[j]!;
    }
    for (let j = k1; j < size; j++) row[j] = red(row[j]!, ell);
  }
}

/**
 * Every row below the panel, right of it: minus its multipliers times the panel's pivot rows, eight
 * pivot rows per pass over the row (an eighth of the loads and stores of the row), one by one at the end.
 */
function updateTrailing(st: LuState, k0: number, k1: number): void {
  const { a, size } = st;
  for (let r = k1; r < a.length; r++) {
    const row = a[r]!;
    let k = k0;
    for (; k + 7 < k1; k += 8) {
      const [f0, f1, f2, f3, f4, f5, f6, f7] = [
        row[k]!,
        row[k + 1]!,
        row[k + 2]!,
        row[k + 3]!,
        row[k + 4]!,
        row[k + 5]!,
        row[k + 6]!,
        row[k + 7]!,
      ];
      if (f0 === 0 && f1 === 0 && f2 === 0 && f3 === 0 && f4 === 0 && f5 === 0 && f6 === 0 && f7 === 0) continue;
      const [p0, p1, p2, p3, p4, p5, p6, p7] = [
        a[k]!,
        a[k + 1]!,
        a[k + 2]!,
        a[k + 3]!,
        a[k + 4]!,
        a[k + 5]!,
        a[k + 6]!,
        a[k + 7]!,
      ];
      for (let j = k1; j < size; j++)
        row[j] =
          row[j]! -
          (f0 * p0[j]! + f1 * p1[j]! + f2 * p2[j]! + f3 * p3[j]!) -
          (f4 * p4[j]! + f5 * p5[j]! + f6 * p6[j]! + f7 * p7[j]!);
    }
    for (; k < k1; k++) {
      const f = row[k]!;
      if (f === 0) continue;
      const prow = a[k]!;
      for (let j = k1; j < size; j++) row[j] = row[j]! - f * prow[j]!;
    }
  }
}

/**
 * Σ row[i]·y[i] for i in [from, to), with four running sums so the additions do not wait on each
 * other (the sums are exact integers, so their order does not matter).
 */
function dot(row: Float32Array | Float64Array, y: Float64Array, from: number, to: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = from;
  for (; i + 3 < to; i += 4) {
    s0 += row[i]! * y[i]!;
    s1 += row[i + 1]! * y[i + 1]!;
    s2 += row[i + 2]! * y[i + 2]!;
    s3 += row[i + 3]! * y[i + 3]!;
  }
  for (; i < to; i++) s0 += row[i]! * y[i]!;
  return s0 + s1 + (s2 + s3);
}

/** Solves LU·y ≡ rhs (mod ℓ) (rhs in the factorisation's row order); y in [0, ℓ). */
function luSolve(f: Lu, rhs: Float64Array, y: Float64Array): void {
  const { ell, size, lu, pivInv } = f;
  const chunk = Math.floor(EXACT / (ell * ell)) - 1;
  for (let k = 0; k < size; k++) {
    const row = lu[k]!;
    let acc = rhs[k]!;
    for (let j = 0; j < k; j += chunk) {
      const end = Math.min(k, j + chunk);
      acc -= dot(row, y, j, end);
      acc = red(acc, ell);
    }
    y[k] = red(acc, ell);
  }
  for (let k = size - 1; k >= 0; k--) {
    const row = lu[k]!;
    let acc = y[k]!;
    for (let j = k + 1; j < size; j += chunk) {
      const end = Math.min(size, j + chunk);
      acc -= dot(row, y, j, end);
      acc = red(acc, ell);
    }
    y[k] = red(red(acc, ell) * pivInv[k]!, ell);
  }
}

/** Σ digits[t]·ℓ^t as a bigint, by halves (the digits are in [0, ℓ), ℓ < 2^20). */
function fromDigits(digits: Float64Array, ell: number, powers: bigint[]): bigint {
  let level: bigint[] = [];
  for (let t = 0; t < digits.length; t += 2) level.push(BigInt(digits[t]! + (digits[t + 1] ?? 0) * ell));
  for (let i = 0; level.length > 1; i++) {
    const P = powers[i]!; // ℓ^(2^(i+1))
    const next: bigint[] = [];
    for (let t = 0; t < level.length; t += 2) next.push(level[t]! + (t + 1 < level.length ? level[t + 1]! * P : 0n));
    level = next;
  }
  return level[0] ?? 0n;
}

/** N/d ≡ x (mod M) with |N| and d at most sqrt(M/2) (Wang's half extended Euclid), or null. */
export function rationalReconstruct(x: bigint, M: bigint): { N: bigint; d: bigint } | null {
  let r0 = M;
  let r1 = mod(x, M);
  let t0 = 0n;
  let t1 = 1n;
  const T = isqrt(M / 2n);
  while (r1 > T) {
    const k = r0 / r1;
    [r0, r1] = [r1, r0 - k * r1];
    [t0, t1] = [t1, t0 - k * t1];
  }
  if (t1 === 0n) return null;
  const N = t1 < 0n ? -r1 : r1;
  const d = t1 < 0n ? -t1 : t1;
  return d <= T ? { N, d } : null;
}

/** What `liftKernel` needs: dense rows over n columns with small integer entries (doubles). */
export interface DenseRows {
  rows: Float64Array[];
  n: number;
}

/**
 * A kernel vector modulo q of the homogeneous system `sys` (rows·v ≡ 0), scaled so that v[anchor] = 1,
 * found over Q by ℓ-adic lifting. Returns null when n - 1 of the rows do not determine the other columns
 * (rank too low modulo ℓ), when d ≡ 0 (mod q) (then L(anchor) ≡ 0 or the rows are singular modulo q),
 * or when the entries are too large for exact doubles; the caller then eliminates modulo q instead.
 */
export function liftKernel(
  sys: DenseRows,
  anchor: number,
  q: bigint,
  opts: { helper?: StartHelper; info?: LiftInfo } = {},
): bigint[] | null {
  const { rows, n } = sys;
  const size = n - 1;
  if (size <= 0 || rows.length < size) return null;
  const colIdx = Array.from({ length: n }, (_, j) => j).filter((j) => j !== anchor);
  let maxA = 1;
  for (const row of rows) for (let j = 0; j < n; j++) maxA = Math.max(maxA, Math.abs(row[j]!));
  // Exactness of A·y + r in doubles: n·maxA·ℓ (and the residual) below 2^51.
  const ellBound = Math.min(MAX_ELL, 2 ** 51 / (n * maxA * 4));
  if (ellBound < 2 ** 12) return null;
  const ell = primeBelow(ellBound);
  const A = rows.map((row) => Float64Array.from(colIdx, (j) => row[j]!));
  // The helper factors its own copy modulo another prime meanwhile; it is told the digits it may
  // lift at most (the Hadamard bound over all rows, above that of any n - 1 of them).
  const anchorColumn = Float64Array.from(rows, (row) => row[anchor]!);
  const all = Int32Array.from(rows, (_, i) => i);
  const helper = opts.helper?.(A, anchorColumn, size, ell, liftSteps(A, all, ell, anchorColumn) + 2) ?? null;
  let y: bigint[] | null;
  try {
    y = liftWith(A, anchorColumn, size, ell, q, helper, opts.info ?? {});
  } finally {
    helper?.close();
  }
  if (!y) return null;
  const sol = y;
  const out: bigint[] = new Array(n);
  out[anchor] = 1n;
  colIdx.forEach((j, k) => (out[j] = sol[k]!));
  return out;
}

/** What liftKernel did: digits lifted here and by the helper (0 without one). */
export interface LiftInfo {
  digits?: number;
  helperDigits?: number;
}

/** liftKernel after the choice of ℓ: the LU here, the lifting (with the helper's digits), y modulo q. */
function liftWith(
  A: Float64Array[],
  anchorColumn: Float64Array,
  size: number,
  ell: number,
  q: bigint,
  helper: LiftHelper | null,
  info: LiftInfo,
): bigint[] | null {
  const f = factorRows(A, anchorColumn, size, ell);
  if (!f) return null;
  const sol = liftAndReconstruct(f.rows, f.b, f.lu, liftSteps(A, f.lu.order, ell, anchorColumn), helper, info);
  if (!sol) return null;
  const dq = mod(sol.d, q);
  if (dq === 0n) return null;
  const inv = modInv(dq, q);
  return sol.N.map((N) => mod(N * inv, q));
}

/**
 * What one lifting thread needs: the LU modulo ℓ (which picks n - 1 of the rows), those rows
 * compressed for A·y (the loop streams them once per digit), and b = minus their anchor entries.
 * Null when the rows have rank below n - 1 modulo ℓ.
 */
export function factorRows(
  A: Float64Array[],
  anchorColumn: Float64Array,
  size: number,
  ell: number,
): { lu: Lu; rows: SparseRows; b: Float64Array } | null {
  const lu = luModEll(
    A.map((row) => row.map((v) => red(v, ell))),
    size,
    ell,
  );
  if (!lu) return null;
  return {
    lu,
    rows: compress(Array.from(lu.order, (r) => A[r]!)),
    b: Float64Array.from(lu.order, (r) => -anchorColumn[r]!),
  };
}

/** ℓ-adic digits needed: ℓ^s > 2·H² for H the Hadamard bound of the chosen rows (with the anchor column). */
export function liftSteps(A: Float64Array[], order: Int32Array, ell: number, anchorColumn: Float64Array): number {
  let log2H = 0;
  for (const r of order) {
    let s = anchorColumn[r]! ** 2;
    for (const v of A[r]!) s += v * v;
    log2H += 0.5 * Math.log2(Math.max(1, s));
  }
  return Math.ceil((2 * log2H + 2) / Math.log2(ell)) + 1;
}

/** One ℓ-adic digit: y = A⁻¹·r mod ℓ, then r ← (r − A·y)/ℓ (exact: r − A·y ≡ 0 mod ℓ). */
export function liftStep(A: SparseRows, lu: Lu, r: Float64Array, rm: Float64Array, y: Float64Array): void {
  const { size, ell } = lu;
  for (let k = 0; k < size; k++) rm[k] = red(r[k]!, ell);
  luSolve(lu, rm, y);
  for (let k = 0; k < size; k++) r[k] = (r[k]! - sparseDot(A, k, y)) / ell;
}

/** The first t ℓ-adic digits of every unknown (digits[k][i] is digit i of unknown k). */
export interface Stream {
  digits: Float64Array[];
  t: number;
  ell: number;
}

/**
 * A second lifting of the same system modulo another prime, on another thread (ic-lift-helper.ts).
 * Its digits multiply the modulus the reconstruction sees, so each thread lifts about half of them.
 */
export interface LiftHelper {
  /** Its digits so far, when it solves the same rows as this thread (`order`), else null. */
  stream(order: Int32Array): Stream | null;
  /** Stops it; its digits are not read again. */
  close(): void;
}

/** Starts a helper on the rows A (anchor column apart) modulo a prime other than `ell`, or null. */
export type StartHelper = (
  A: Float64Array[],
  anchorColumn: Float64Array,
  size: number,
  ell: number,
  stride: number,
) => LiftHelper | null;

/** What the streams give: every unknown modulo M = Π ℓᵢ^tᵢ (Chinese remainders), and √(M/2). */
interface Residues {
  M: bigint;
  T: bigint;
  value(k: number): bigint;
}

/** ℓ², ℓ⁴, ℓ⁸, … for fromDigits, cached per ℓ. */
function powersOf(ell: number, t: number, cache: Map<number, bigint[]>): bigint[] {
  const powers = cache.get(ell) ?? [BigInt(ell) * BigInt(ell)];
  while (2 ** powers.length < t) powers.push(powers[powers.length - 1]! ** 2n);
  cache.set(ell, powers);
  return powers;
}

function residues(streams: Stream[], cache: Map<number, bigint[]>): Residues {
  const parts = streams.map((s) => ({ s, m: BigInt(s.ell) ** BigInt(s.t), powers: powersOf(s.ell, s.t, cache) }));
  const M = parts.reduce((acc, x) => acc * x.m, 1n);
  // x ≡ Σ vᵢ·eᵢ (mod M) with eᵢ ≡ 1 (mod mᵢ) and ≡ 0 modulo the other moduli.
  const e = parts.map(({ m }) => (M / m) * modInv(mod(M / m, m), m));
  return {
    M,
    T: isqrt(M / 2n),
    value: (k) =>
      mod(
        parts.reduce(
          (acc, { s, powers }, i) => acc + fromDigits(s.digits[k]!.subarray(0, s.t), s.ell, powers) * e[i]!,
          0n,
        ),
        M,
      ),
  };
}

/**
 * Dixon's iteration: y_t = A^-1·r_t mod ℓ, r_{t+1} = (r_t - A·y_t)/ℓ, exact in doubles, one digit of every
 * unknown per step. The Hadamard bound `maxSteps` is far above what real systems need, so the lifting is
 * output-sensitive: at growing checkpoints one unknown is reconstructed as a fraction, and when two more
 * unknowns agree with its denominator the whole solution is reconstructed and checked modulo two primes.
 * With a helper, its digits modulo its own prime join the reconstruction at each checkpoint.
 */
function liftAndReconstruct(
  A: SparseRows,
  b: Float64Array,
  lu: Lu,
  maxSteps: number,
  helper: LiftHelper | null,
  info: LiftInfo,
): { N: bigint[]; d: bigint } | null {
  const { size, ell } = lu;
  const mine: Stream = { digits: Array.from({ length: size }, () => new Float64Array(maxSteps)), t: 0, ell };
  const r = b.slice();
  const rm = new Float64Array(size);
  const y = new Float64Array(size);
  const cache = new Map<number, bigint[]>();
  for (let next = Math.min(maxSteps, 24); ; next = Math.min(maxSteps, Math.ceil(mine.t * 1.12) + 4)) {
    for (; mine.t < next; mine.t++) {
      liftStep(A, lu, r, rm, y);
      for (let k = 0; k < size; k++) mine.digits[k]![mine.t] = y[k]!;
    }
    const other = helper?.stream(lu.order) ?? null;
    const view = residues(other && other.t > 0 ? [mine, other] : [mine], cache);
    const d0 = probe(view, size);
    const got = d0 !== null && reconstruct(view, size, A, b, d0);
    if (got) {
      Object.assign(info, { digits: mine.t, helperDigits: other?.t ?? 0 });
      return got;
    }
    if (mine.t >= maxSteps) return null;
  }
}

/**
 * Cheap test at a checkpoint: a common denominator d from unknowns 0, 1, 2 and the last (each one
 * reconstructed as a fraction, d the product of the new parts), or null when one does not reconstruct.
 */
function probe(view: Residues, size: number): bigint | null {
  const { M, T } = view;
  let d = 1n;
  for (const k of new Set([0, 1, 2, size - 1])) {
    if (k < 0 || k >= size) continue;
    let v = mod(d * view.value(k), M);
    if (v > M / 2n) v -= M;
    if (v <= T && -v <= T) continue;
    const rr = rationalReconstruct(v, M);
    if (!rr) return null;
    d *= rr.d;
  }
  return d;
}

/** From every unknown modulo M to y = N/d over Q (checked modulo two primes), or null. */
function reconstruct(
  view: Residues,
  size: number,
  A: SparseRows,
  b: Float64Array,
  d0: bigint,
): { N: bigint[]; d: bigint } | null {
  const X = Array.from({ length: size }, (_, k) => view.value(k));
  const { M, T } = view;
  let d = d0;
  const N: bigint[] = new Array(X.length);
  for (let restarts = 0, k = 0; k < X.length; k++) {
    let v = mod(d * X[k]!, M);
    if (v > M / 2n) v -= M;
    if (v > T || -v > T) {
      const rr = rationalReconstruct(v, M);
      if (!rr || restarts++ > 8) return null;
      d *= rr.d;
      k = -1; // every earlier numerator changes with d
      continue;
    }
    N[k] = v;
  }
  return checkModPrime(A, b, N, d, 1_000_003) && checkModPrime(A, b, N, d, 999_983) ? { N, d } : null;
}

/** A·N = d·b checked modulo the prime P (a guard against a reconstruction from too few digits). */
function checkModPrime(A: SparseRows, b: Float64Array, N: bigint[], d: bigint, P: number): boolean {
  const Pn = BigInt(P);
  const Nm = N.map((v) => Number(mod(v, Pn)));
  const dm = Number(mod(d, Pn));
  for (let k = 0; k < b.length; k++) {
    let acc = red(-red(b[k]!, P) * dm, P);
    for (let i = A.start[k]!; i < A.start[k + 1]!; i++) acc = red(acc + red(A.val[i]!, P) * Nm[A.col[i]!]!, P);
    if (acc !== 0) return false;
  }
  return true;
}
