/**
 * Index calculus, the linear algebra: the relations form a sparse linear system modulo the prime q
 * (the large factor of p - 1), one unknown per factor-base prime (and per sieve column H + c).
 *
 * Structured Gaussian elimination (LaMacchia & Odlyzko, "Solving large sparse linear systems over
 * finite fields", CRYPTO 1990): first prune (drop every column that appears in one relation only,
 * with that relation, until none is left; then drop the heaviest surplus relations), then eliminate
 * over the integers with Markowitz-style pivoting (the column with the fewest rows first, in it the
 * shortest row with a ±1 coefficient), so the rows stay short, and back-substitute. Surplus relations
 * are dropped during the elimination, heaviest first, each time the sparsest column has doubled in
 * weight: a spare row only adds fill-in.
 *
 * The dense rest has small integer entries. When the system is homogeneous but for a few pinned rows
 * (the sieve's relations), its kernel is found by ℓ-adic lifting over Q (ic-lift.ts), with no
 * arithmetic modulo q at all, and scaled by the pins; otherwise (or when lifting cannot decide) it is
 * eliminated modulo q with packed bigint rows. Columns the relations do not fix come back as null.
 */
import { mod, modInv } from "../math/modular";
import { liftKernel, type LiftInfo } from "./ic-lift";
import { startLiftHelper } from "./ic-lift-helper";
import type { Relation } from "./ic-relations";
import { ColumnQueue, SparseRow, subtractMultiple } from "./ic-sparse";

/** Integer coefficients stay below this in the first phase, so doubles hold them exactly. */
const EXACT = 2 ** 50;
/** With ℓ-adic lifting after the integer phase the dense rest must keep small entries (ic-lift.ts). */
const LIFT_EXACT = 2 ** 26;
/** The first phase stops at columns used by more rows than this (the dense part is left to bigints). */
const LIGHT_COLUMN = 400;
/** With ℓ-adic lifting the dense rest is cheap: the integer phase stops at lighter columns (less fill-in in Maps). */
const LIFT_LIGHT_COLUMN = 80;
/** Surplus rows are first dropped when the sparsest column reaches this many rows (then at twice that, …). */
const FIRST_DROP = 10;
/** At most this many rows with k ≠ 0 among homogeneous ones for the ℓ-adic route (the sieve's pins). */
const MAX_PINS = 8;
/** Rows kept beyond the active columns when surplus rows are dropped during the elimination. */
const DROP_MARGIN = 40;

interface Pivot {
  col: number;
  row: number;
  /** The pivot coefficient: ±1 in the integer phase, 1 (normalised) in the modular phase. */
  sign: number;
}

/** The rows of the system while it is eliminated: integer phase (doubles) and modular phase (bigints). */
interface System {
  small: SparseRow[];
  big: Array<Map<number, bigint> | null>;
  rhs: bigint[];
  colRows: Array<Set<number>>;
  used: Uint8Array;
  pivots: Pivot[];
  /** Rows with a nonzero right-hand side are never integer pivots (set when only a few pins exist). */
  pinned?: boolean;
  /** Told when a column loses a row (the integer phase's Markowitz queue listens). */
  lost?: (col: number) => void;
  /** Scratch: the last modular pivot row, negated and packed. */
  negPacked?: bigint;
}

/**
 * Sparse Gaussian elimination modulo the prime q, in two phases. First, over the integers in
 * doubles: columns taken rarest first (Markowitz), pivoting only on a ±1 coefficient, so each step is
 * a row minus a small multiple of another and the coefficients stay small — no modular arithmetic
 * at all while the system is sparse. Then the rest (the dense columns of the small primes): by
 * ℓ-adic lifting when only a few rows are pinned (k ≠ 0) and `opts.lift` is not false, else modulo q
 * with bigints; then back substitution. Columns the relations do not fix come back as null.
 */
export function solveSparse(
  relations: Relation[],
  F: number,
  q: bigint,
  colHits: Int32Array,
  opts: {
    lift?: boolean;
    /** Lift on two threads (ic-lift-helper.ts): set when the sieve had workers. */
    parallel?: boolean;
    info?: { dense?: "lift" | "modq"; denseCols?: number; liftDigits?: [number, number] };
    /** Told when the dense rest starts (its size and method), for progress lines. */
    onPhase?: (note: string) => void;
  } = {},
): Array<bigint | null> {
  const sys: System = {
    small: relations.map((rel) => new SparseRow(rel.cols, rel.coefs)),
    big: relations.map(() => null),
    rhs: relations.map((rel) => mod(rel.k, q)),
    colRows: Array.from({ length: F }, () => new Set<number>()),
    used: new Uint8Array(relations.length),
    pivots: [],
  };
  relations.forEach((rel, i) => rel.cols.forEach((c) => sys.colRows[c]!.add(i)));
  const done = new Uint8Array(F);
  for (let c = 0; c < F; c++) if (colHits[c]! === 0) done[c] = 1;
  // A few pinned rows (k ≠ 0) among homogeneous ones: they stay out of the integer pivots, so the dense
  // rest is a homogeneous integer system plus the pins, and ℓ-adic lifting can solve it (ic-lift.ts).
  let pinnedRows = 0;
  for (const k of sys.rhs) if (k !== 0n) pinnedRows++;
  if (opts.lift !== false && pinnedRows > 0 && pinnedRows <= MAX_PINS) sys.pinned = true;
  integerPhase(sys, done, q);
  dropSurplusRows(sys, done, 20);
  const logs: Array<bigint | null> = new Array(F).fill(null);
  let denseCols = 0;
  for (let c = 0; c < F; c++) if (!done[c] && sys.colRows[c]!.size > 0) denseCols++;
  opts.onPhase?.(`dense rest: ${denseCols} columns, ${sys.pinned ? "ℓ-adic lifting over Q" : "elimination modulo q"}`);
  const lifted = sys.pinned ? liftDense(sys, done, q, opts) : null;
  if (lifted) for (const [c, v] of lifted) logs[c] = v;
  else modularPhase(sys, done, q);
  if (opts.info) Object.assign(opts.info, { dense: lifted ? "lift" : "modq", denseCols });
  return backSubstitute(sys, logs, q);
}

/**
 * The dense rest by ℓ-adic lifting: the kernel of its homogeneous rows (ic-lift.ts), scaled so the
 * pinned rows hold. Null (and the modular phase runs instead) when the lifting cannot decide.
 */
function liftDense(
  sys: System,
  done: Uint8Array,
  q: bigint,
  opts: { parallel?: boolean; info?: { liftDigits?: [number, number] } },
): Map<number, bigint> | null {
  const { small, rhs, colRows, used } = sys;
  const cols: number[] = [];
  for (let c = 0; c < done.length; c++) if (!done[c] && colRows[c]!.size > 0) cols.push(c);
  if (cols.length < 2) return null;
  const slotOf = new Map(cols.map((c, i) => [c, i]));
  const rows: Float64Array[] = [];
  const pins: number[] = [];
  for (let r = 0; r < small.length; r++) {
    if (used[r] || small[r]!.size === 0) continue;
    if (rhs[r] !== 0n) {
      pins.push(r);
      continue;
    }
    const row = new Float64Array(cols.length);
    for (const [j, v] of small[r]!) row[slotOf.get(j)!] = v;
    rows.push(row);
  }
  if (pins.length === 0) return null;
  const lift: LiftInfo = {};
  const v = liftKernel({ rows, n: cols.length }, 0, q, {
    helper: opts.parallel ? startLiftHelper : undefined,
    info: lift,
  });
  if (opts.info) opts.info.liftDigits = [lift.digits ?? 0, lift.helperDigits ?? 0];
  if (!v) return null;
  let lambda: bigint | null = null;
  for (const r of pins) {
    let s = 0n;
    for (const [j, e] of small[r]!) s += BigInt(e) * v[slotOf.get(j)!]!;
    s = mod(s, q);
    if (lambda === null) {
      if (s === 0n) continue;
      lambda = mod(rhs[r]! * modInv(s, q), q);
    } else if (mod(s * lambda, q) !== mod(rhs[r]!, q)) return null; // the pins disagree: decide modulo q
  }
  if (lambda === null) return null;
  const scale = lambda;
  for (const c of cols) done[c] = 1;
  return new Map(cols.map((c, i) => [c, mod(v[i]! * scale, q)]));
}

/** Phase 1: Markowitz elimination over the integers with ±1 pivots while coefficients stay exact. */
function integerPhase(sys: System, done: Uint8Array, q: bigint): void {
  const queue = new ColumnQueue((j) => sys.colRows[j]!.size, sys.colRows.length);
  sys.lost = (j) => queue.decreased(j);
  try {
    eliminate(sys, done, q, queue);
  } finally {
    sys.lost = undefined;
  }
}

/** Removes row r from column j's rows, and tells whoever tracks column weights. */
function unlink(sys: System, r: number, j: number): void {
  sys.colRows[j]!.delete(r);
  sys.lost?.(j);
}

/** The pivoting loop of the integer phase. */
function eliminate(sys: System, done: Uint8Array, q: bigint, queue: ColumnQueue): void {
  const { small, rhs, colRows, used } = sys;
  const deferred = new Uint8Array(done.length);
  let nextDrop = FIRST_DROP;
  for (;;) {
    let c = queue.sparsest(done, deferred);
    if (c >= 0 && colRows[c]!.size >= nextDrop) {
      dropSurplusRows(sys, done, DROP_MARGIN);
      nextDrop = 2 * colRows[c]!.size;
      c = queue.sparsest(done, deferred);
    }
    if (c < 0 || colRows[c]!.size > (sys.pinned ? LIFT_LIGHT_COLUMN : LIGHT_COLUMN)) return;
    let best = -1;
    let bestSize = Infinity;
    let fMax = 0;
    for (const r of colRows[c]!) {
      const v = small[r]!.get(c)!;
      fMax = Math.max(fMax, Math.abs(v));
      if (sys.pinned && rhs[r] !== 0n) continue;
      if ((v === 1 || v === -1) && small[r]!.size < bestSize) {
        bestSize = small[r]!.size;
        best = r;
      }
    }
    const prow = best < 0 ? undefined : small[best]!;
    const pMax = prow ? prow.maxAbs() : 0;
    const exact = sys.pinned ? LIFT_EXACT : EXACT;
    if (!prow || fMax * pMax >= exact) {
      deferred[c] = 1; // no ±1 pivot, or the update could leave the exact range: left to phase 2
      continue;
    }
    done[c] = 1;
    used[best] = 1;
    for (let i = 0; i < prow.size; i++) unlink(sys, best, prow.cols[i]!);
    const sign = prow.get(c)!;
    sys.pivots.push({ col: c, row: best, sign });
    let overflow = false;
    for (const r of [...colRows[c]!]) {
      const row = small[r]!;
      const f = row.get(c)! * sign; // row ← row - f·prow clears column c (sign² = 1)
      const big = subtractMultiple(
        row,
        f,
        prow,
        (j) => colRows[j]!.add(r),
        (j) => unlink(sys, r, j),
      );
      if (big >= exact / 1024) overflow = true;
      if (rhs[best] !== 0n) rhs[r] = mod(rhs[r]! - BigInt(f) * rhs[best]!, q);
    }
    if (overflow) return;
  }
}

/**
 * Phase 2: the dense rest, modulo q. Each row is packed into one bigint, one slot of S bits per
 * column (the right-hand side in the last slot), so "row - f·pivot row" is a single bigint
 * multiply-add over the whole row: we add f·(q - v) slot by slot, which is ≡ -f·v (mod q) and never
 * negative, so no borrow crosses a slot; slots are reduced modulo q only when a row becomes a pivot.
 * S leaves room for 2^16 updates of at most q² each.
 */
function modularPhase(sys: System, done: Uint8Array, q: bigint): void {
  const { small, rhs, colRows, used } = sys;
  const cols: number[] = [];
  for (let c = 0; c < done.length; c++) if (!done[c] && colRows[c]!.size > 0) cols.push(c);
  cols.sort((a, b) => colRows[a]!.size - colRows[b]!.size || a - b); // sparse columns first: fewer updates
  const rowsLeft: number[] = [];
  for (let r = 0; r < small.length; r++) if (!used[r] && small[r]!.size > 0) rowsLeft.push(r);
  if (cols.length === 0) return;
  const slotOf = new Map(cols.map((c, i) => [c, i]));
  const n = cols.length;
  const S = BigInt(2 * q.toString(2).length + 16);
  const at = (k: number) => S * BigInt(k);
  const pack = (r: number): bigint => {
    let acc = mod(rhs[r]!, q) << at(n);
    for (const [j, v] of small[r]!) acc += mod(BigInt(v), q) << at(slotOf.get(j)!);
    return acc;
  };
  const packed = new Map(rowsLeft.map((r) => [r, pack(r)]));
  // Rows hold the slots from `base` on; every SHIFT steps the eliminated low slots (≡ 0 mod q) are dropped.
  const SHIFT = 32;
  let base = 0;
  const slot = (x: bigint, k: number): bigint => (BigInt.asUintN(Number(at(k + 1)), x) >> at(k)) % q;
  for (let ci = 0; ci < n; ci++) {
    if (ci - base === SHIFT) {
      for (const [r, y] of packed) packed.set(r, y >> at(SHIFT));
      base += SHIFT;
    }
    const off = ci - base;
    const c = cols[ci]!;
    done[c] = 1;
    let best = -1;
    let f0 = 0n;
    for (const [r, x] of packed) {
      f0 = slot(x, off);
      if (f0 !== 0n) {
        best = r;
        break;
      }
    }
    if (best < 0) continue; // not fixed by these relations
    pivotRow(sys, packed, best, f0, { cols, ci, base, n, q, slot, at });
    // One bigint multiply-add per row: f·neg in a single product (fewer temporaries than splitting f into digits).
    const neg = sys.negPacked!;
    for (const [r, y] of packed) {
      const f = slot(y, off);
      if (f !== 0n) packed.set(r, y + f * neg);
    }
  }
}

/** Removes the pivot row from `packed`, stores it reduced and normalised (1 at its column), and its negation packed. */
function pivotRow(
  sys: System,
  packed: Map<number, bigint>,
  best: number,
  f0: bigint,
  k: {
    cols: number[];
    ci: number;
    base: number;
    n: number;
    q: bigint;
    slot: (x: bigint, k: number) => bigint;
    at: (k: number) => bigint;
  },
): void {
  const { cols, ci, base, n, q, slot, at } = k;
  const x = packed.get(best)!;
  packed.delete(best);
  sys.used[best] = 1;
  const inv = modInv(f0, q);
  const prow = new Map<number, bigint>();
  let neg = 0n;
  for (let j = ci; j < n; j++) {
    const v = (slot(x, j - base) * inv) % q;
    if (v === 0n) continue;
    prow.set(cols[j]!, v);
    neg += (q - v) << at(j - base);
  }
  const prhs = (slot(x, n - base) * inv) % q;
  neg += mod(-prhs, q) << at(n - base);
  sys.big[best] = prow;
  sys.rhs[best] = prhs;
  sys.pivots.push({ col: cols[ci]!, row: best, sign: 1 });
  sys.negPacked = neg;
}

/**
 * Keeps only `margin` more rows than active columns (drops the longest rows). Rows with a nonzero
 * right-hand side stay: they tie the homogeneous relations to g (without them every log is 0).
 */
function dropSurplusRows(sys: System, done: Uint8Array, margin: number): void {
  const { small, colRows, used, rhs } = sys;
  let cols = 0;
  for (let c = 0; c < done.length; c++) if (!done[c] && colRows[c]!.size > 0) cols++;
  const active: number[] = [];
  for (let r = 0; r < small.length; r++) if (!used[r] && small[r]!.size > 0) active.push(r);
  if (active.length <= cols + margin) return;
  active.sort((a, b) => Number(rhs[b] !== 0n) - Number(rhs[a] !== 0n) || small[a]!.size - small[b]!.size || a - b);
  for (const r of active.slice(cols + margin)) {
    used[r] = 1;
    for (const j of small[r]!.keys()) unlink(sys, r, j);
  }
}

/**
 * Back substitution, last pivot first (`logs` holds the columns already solved); a pivot whose row
 * holds an unfixed column stays null.
 */
function backSubstitute(sys: System, logs: Array<bigint | null>, q: bigint): Array<bigint | null> {
  for (let i = sys.pivots.length - 1; i >= 0; i--) {
    const { col, row, sign } = sys.pivots[i]!;
    const entries: Iterable<[number, bigint | number]> = sys.big[row] ?? sys.small[row]!;
    let acc = sys.rhs[row]!;
    let ok = true;
    for (const [j, v] of entries) {
      if (j === col) continue;
      const L = logs[j];
      if (L === null || L === undefined) {
        ok = false;
        break;
      }
      acc -= BigInt(v) * L;
    }
    logs[col] = ok ? mod(sign === 1 ? acc : -acc, q) : null;
  }
  return logs;
}

/**
 * The pruning stage of structured Gaussian elimination: repeatedly drops every relation that holds a
 * column seen in no other relation (that column's unknown cannot be fixed, and the relation fixes
 * nothing else), then, when more than `maxExcess` relations are left beyond the columns in use,
 * drops the heaviest surplus ones. Returns the kept relations (in their original order), the
 * number of columns still in use, and the excess (relations minus columns).
 */
export function pruneRelations(
  relations: readonly Relation[],
  ncols: number,
  maxExcess = Infinity,
): { kept: Relation[]; cols: number; excess: number } {
  const weight = new Int32Array(ncols);
  const alive = new Uint8Array(relations.length).fill(1);
  const colRows: number[][] = Array.from({ length: ncols }, () => []);
  relations.forEach((rel, i) => {
    for (const c of rel.cols) {
      weight[c]!++;
      colRows[c]!.push(i);
    }
  });
  const queue: number[] = [];
  for (let c = 0; c < ncols; c++) if (weight[c] === 1) queue.push(c);
  while (queue.length > 0) {
    const c = queue.pop()!;
    if (weight[c] !== 1) continue;
    const r = colRows[c]!.find((i) => alive[i]);
    if (r === undefined) continue;
    alive[r] = 0;
    for (const j of relations[r]!.cols) {
      weight[j]!--;
      if (weight[j] === 1) queue.push(j);
    }
  }
  let cols = 0;
  for (let c = 0; c < ncols; c++) if (weight[c]! > 0) cols++;
  let rows = 0;
  for (let i = 0; i < relations.length; i++) rows += alive[i]!;
  if (rows - cols > maxExcess) {
    // Surplus: drop the heaviest rows whose columns all stay covered twice (pinned rows, k ≠ 0, stay).
    const order = relations.map((_, i) => i).filter((i) => alive[i] && relations[i]!.k === 0n);
    order.sort((a, b) => relations[b]!.cols.length - relations[a]!.cols.length || b - a);
    for (const i of order) {
      if (rows - cols <= maxExcess) break;
      if (relations[i]!.cols.some((c) => weight[c]! <= 2)) continue;
      alive[i] = 0;
      rows--;
      for (const c of relations[i]!.cols) weight[c]!--;
    }
  }
  const kept = relations.filter((_, i) => alive[i]);
  return { kept, cols, excess: kept.length - cols };
}

/** Column weights of a relation set (how many relations use each column). */
export function columnHits(relations: readonly Relation[], ncols: number): Int32Array {
  const hits = new Int32Array(ncols);
  for (const rel of relations) for (const c of rel.cols) hits[c]!++;
  return hits;
}
