/**
 * Index calculus in Z_p^*, split the way the Logjam attack splits it: a precomputation that depends
 * only on (p, g) and produces a reusable database of logs, and a cheap per-target step.
 *
 * Follows the classic method (Adleman 1979; Coppersmith, Odlyzko & Schroeppel, "Discrete logarithms
 * in GF(p)", Algorithmica 1, 1986; Handbook of Applied Cryptography §3.6.5) with two standard
 * refinements:
 *
 * - Rational reconstruction: instead of asking g^k mod p (a number as large as p) to be smooth, we
 *   write g^k ≡ r/t (mod p) with |r|, |t| ≈ sqrt(p) (a half extended-Euclid run) and ask r and t to
 *   be smooth. Two half-size numbers are far more often smooth than one full-size number.
 * - Virtual logarithms modulo the large prime q of p - 1 = c·q (Schirokauer, "Virtual logarithms",
 *   J. Algorithms 57, 2005): L(y) is defined by (y^c) = (g^c)^L(y). It exists for every y, even for
 *   small primes outside <g> (for a safe prime, c = 2 and half the small primes are non-squares),
 *   and L(-1) = 0 because c is even. The linear algebra is then modulo the prime q only; the small
 *   part of ord(g) (the factor 2 of a safe prime) is recovered at solve time by Pohlig-Hellman.
 *
 * Stages of `precompute(p, g)`: factor base (primes ≤ B) → relations g^k ≡ ± ∏ ℓ^e (mod p) found by
 * smoothness tests (trial division with doubles, early abort after the primes ≤ sqrt(B); four
 * small combinations of the reduced lattice basis per candidate k) → sparse Gaussian elimination
 * modulo q with Markowitz-style pivoting (fewest rows first: structured Gaussian elimination,
 * LaMacchia & Odlyzko 1990) → every log checked by (ℓ^c) = (g^c)^L(ℓ). `solve(db, h)` is the
 * per-target step: find k with h·g^k ≡ r/t and r, t smooth over the primes with known logs, then
 * L(h) = Σ e·L(ℓ) - k, and the factor-2 part by Pohlig-Hellman. At these sizes one smoothing step
 * suffices; the multi-level descent of real NFS attacks (special-q) is not implemented. Logjam (Adrian et al., "Imperfect Forward Secrecy", CCS 2015) used the number
 * field sieve for both stages; the shape — expensive once per prime, cheap per target — is the same.
 *
 * @example
 *   const db = precompute(p, g);          // seconds for a 64-bit safe prime
 *   const { x } = solve(db, h);           // milliseconds, and again for every other h
 */
import { isProbablePrime } from "../math/primes";
import { assertBigint, bitLength, crt, isqrt, mod, modInv, modPow } from "../math/modular";
import { InputError, ParseError, UnsupportedError } from "../util/errors";
import { Rng } from "../util/rng";
import { pohligHellman } from "./generic";
import { checkElement, checkPrime, groupOf, type Factorization } from "./group";
import { verifyDatabase } from "./verify";

export interface IndexDb {
  kind: "wirelab-index-calculus-db";
  version: 1;
  p: bigint;
  g: bigint;
  /** ord(g). */
  order: bigint;
  /** Factorization of ord(g). */
  orderFactors: Factorization;
  /** The large prime q of p - 1 = c·q handled by the linear algebra. */
  q: bigint;
  /** c = (p - 1)/q. */
  cofactor: bigint;
  /** Smoothness bound B. */
  bound: number;
  /** Factor base: the primes ≤ B. */
  primes: number[];
  /** Virtual log of each factor-base prime modulo q, or null when the relations did not fix it. */
  logs: Array<bigint | null>;
  stats: PrecomputeStats;
  /** The first relations, when `keepRelations` was set (not serialized). */
  sample?: RelationSample[];
}

export interface PrecomputeStats {
  bits: number;
  factorBase: number;
  relations: number;
  candidates: number;
  solvedLogs: number;
  relationMs: number;
  algebraMs: number;
  totalMs: number;
  /** Bytes of the JSON database (what `save` writes). */
  dbBytes: number;
  seed: number;
}

export interface PrecomputeOptions {
  /** Smoothness bound (default: chosen from the size of p). */
  bound?: number;
  /** Seed for the exponents k (default 1). */
  seed?: number;
  /** Go ahead even when the estimate exceeds `maxSeconds`. */
  force?: boolean;
  /** Refuse above this estimated time (default 120 s). */
  maxSeconds?: number;
  /** Called now and then with (relations found, relations needed). */
  onProgress?: (found: number, needed: number) => void;
  /** Keep the first N relations in `db.sample` (for teaching; not saved by `serialize`). */
  keepRelations?: number;
}

/** One relation as the notebook shows it: g^k ≡ ± num/den (mod p) ⇒ k ≡ Σ e·L(ℓ) (mod q). */
export interface RelationSample {
  k: bigint;
  r: number;
  t: number;
  /** [prime, exponent] with negative exponents for the denominator. */
  factors: Array<[number, number]>;
}

export interface SolveResult {
  /** log_g(h) in [0, ord(g)), or null when h is not a power of g. */
  x: bigint | null;
  /** Candidates h·g^k tried before one was smooth. */
  candidates: number;
  /** The smooth decomposition that worked: h·g^k ≡ ± num/den. */
  k?: bigint;
  num?: Array<[number, number]>;
  den?: Array<[number, number]>;
  ms: number;
  note?: string;
}

/** Primes up to `bound` (sieve of Eratosthenes), the factor base. */
export function factorBase(bound: number): number[] {
  if (!Number.isInteger(bound) || bound < 2 || bound > 1 << 24) {
    throw new InputError("the smoothness bound must be an integer from 2 to 2^24", { value: bound, where: "factorBase(bound)" });
  }
  const composite = new Uint8Array(bound + 1);
  const out: number[] = [];
  for (let i = 2; i <= bound; i++) {
    if (composite[i]) continue;
    out.push(i);
    for (let j = i * i; j <= bound; j += i) composite[j] = 1;
  }
  return out;
}

/** Default smoothness bound for a prime of `bits` bits (tuned on this machine, see bench/dlog.ts). */
export function defaultBound(bits: number): number {
  if (bits <= 20) return 30;
  if (bits <= 32) return 120;
  if (bits <= 40) return 300;
  if (bits <= 48) return 700;
  if (bits <= 56) return 1400;
  if (bits <= 64) return 2500;
  if (bits <= 72) return 4500;
  if (bits <= 80) return 8000;
  if (bits <= 88) return 14000;
  return 24000;
}

/**
 * Estimated precomputation time in seconds for a `bits`-bit prime: L_p[1/2, √2] scaled from a
 * measurement of 64-bit primes on a 2-core laptop (bench/dlog.ts), rounded. It is an order of
 * magnitude, good enough to refuse a 512-bit prime ("about 10^20 years").
 */
export function estimateSeconds(bits: number): number {
  const L = (b: number) => {
    const lnp = b * Math.LN2;
    return Math.exp(Math.SQRT2 * Math.sqrt(lnp * Math.log(lnp)));
  };
  const at64 = 0.7; // seconds measured for 64-bit safe primes (bench/dlog.ts, wall time on a busy 2-core VM)
  return (at64 * L(bits)) / L(64);
}

/** "about 3 minutes", "about 2 days", "about 10^20 years". */
export function humanDuration(seconds: number): string {
  const units: Array<[string, number]> = [
    ["years", 365.25 * 86400],
    ["days", 86400],
    ["hours", 3600],
    ["minutes", 60],
    ["seconds", 1],
  ];
  for (const [name, s] of units) {
    if (seconds >= s || name === "seconds") {
      const v = seconds / s;
      if (v >= 1e6) return `about 10^${Math.round(Math.log10(v))} ${name}`;
      return `about ${v < 10 ? v.toFixed(1) : Math.round(v)} ${name}`;
    }
  }
  return `about ${seconds} seconds`;
}

/**
 * Runs extended Euclid on (p, z) until the remainder drops below sqrt(p), in bigints while the
 * values are large and in doubles once they fit (exact: all below 2^52 for p below about 2^100).
 * Returns the last two remainders and their t coefficients: [r_prev, r_last, t_prev, t_last].
 */
function halfEuclid(z: bigint, p: bigint, sqrtP: bigint): [number, number, number, number] {
  let r0 = p;
  let r1 = z;
  let t0 = 0n;
  let t1 = 1n;
  const TWO52 = 1n << 52n;
  while (r1 > sqrtP && r0 >= TWO52) {
    const qq = r0 / r1;
    const r2 = r0 - qq * r1;
    r0 = r1;
    r1 = r2;
    const t2 = t0 - qq * t1;
    t0 = t1;
    t1 = t2;
  }
  // Finish with doubles: all values are below 2^52 from here on.
  let a0 = Number(r0);
  let a1 = Number(r1);
  let b0 = Number(t0);
  let b1 = Number(t1);
  const s = Number(sqrtP);
  while (a1 > s) {
    const qq = Math.floor(a0 / a1);
    const a2 = a0 - qq * a1;
    a0 = a1;
    a1 = a2;
    const b2 = b0 - qq * b1;
    b0 = b1;
    b1 = b2;
  }
  return [a0, a1, b0, b1];
}

/**
 * The half extended-Euclid step: z ≡ r/t (mod p) with |r| < sqrt(p) and |t| about sqrt(p).
 * Returns r ≥ 0 and t as doubles (exact, both < 2^52 for p below about 2^100) and t's sign.
 */
export function reconstruct(z: bigint, p: bigint, sqrtP: bigint): { r: number; t: number; neg: boolean } {
  const [, a1, , b1] = halfEuclid(z, p, sqrtP);
  return { r: a1, t: Math.abs(b1), neg: b1 < 0 };
}

/**
 * The lattice of pairs (r, t) with r ≡ t·z (mod p) has a reduced basis of two vectors of size about
 * sqrt(p): the last two remainder pairs of the half extended-Euclid run. Every small combination
 * i·v1 + j·v2 is another r/t ≡ z, so one reduction yields many smoothness candidates (a 2-D
 * "lattice" trick, as in special-q sieving). Returns [r1, t1, r2, t2] as doubles.
 */
export function latticeBasis(z: bigint, p: bigint, sqrtP: bigint): [number, number, number, number] {
  const [a0, a1, b0, b1] = halfEuclid(z, p, sqrtP);
  return [a1, b1, a0, b0];
}

/**
 * The candidate walk shared by relation collection and per-target descent: z = start·g^k, with k
 * stepping by a large random s (so consecutive z are unrelated; stepping by 1 with a small g gives
 * near-duplicate relations). For each z, the small combinations LATTICE_PAIRS of its reduced
 * lattice basis give the candidates (r, t) with r ≡ t·z (mod p). Draws k, then s, from `rng`.
 */
class LatticeWalk {
  /** The current exponent: the candidate satisfies r/t ≡ start·g^k (mod p). */
  k: bigint;
  r = 0;
  t = 0;
  private z: bigint;
  private readonly s: bigint;
  private readonly gs: bigint;
  private basis: [number, number, number, number] = [0, 0, 0, 0];
  private pairIndex = LATTICE_PAIRS.length;

  constructor(
    private readonly p: bigint,
    g: bigint,
    start: bigint,
    q: bigint,
    private readonly sqrtP: bigint,
    rng: Rng,
  ) {
    this.k = rng.bigBetween(1n, q - 1n);
    this.z = (start * modPow(g, this.k, p)) % p;
    this.s = rng.bigBetween(q / 3n, q - 1n);
    this.gs = modPow(g, this.s, p);
  }

  /** Moves to the next candidate (r, t); false when it does not fit in doubles (skip it). */
  next(): boolean {
    if (this.pairIndex >= LATTICE_PAIRS.length) {
      this.z = (this.z * this.gs) % this.p;
      this.k += this.s;
      this.basis = latticeBasis(this.z, this.p, this.sqrtP);
      this.pairIndex = 0;
    }
    const [pi, pj] = LATTICE_PAIRS[this.pairIndex++]!;
    const b = this.basis;
    this.r = Math.abs(pi * b[0] + pj * b[2]);
    this.t = Math.abs(pi * b[1] + pj * b[3]);
    return this.r <= LIMIT52 && this.t <= LIMIT52;
  }
}

/** Small coprime combinations (i, j) of the two basis vectors, smallest first. */
const LATTICE_SPAN = 1;
export const LATTICE_PAIRS: ReadonlyArray<readonly [number, number]> = (() => {
  const out: Array<[number, number]> = [[1, 0]];
  const gcdN = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcdN(b, a % b));
  for (let j = 1; j <= LATTICE_SPAN; j++) for (let i = -LATTICE_SPAN; i <= LATTICE_SPAN; i++) if (gcdN(i, j) === 1) out.push([i, j]);
  return out.sort((x, y) => Math.abs(x[0]) + x[1] - (Math.abs(y[0]) + y[1]));
})();

const LIMIT52 = 2 ** 51;

/** Early-abort rule, tuned in bench: after the primes ≤ sqrt(B), give up if the cofactor exceeds B^2.5 (B^3 above 64 bits). */
export function earlyAbort(primes: readonly number[], bits: number): { abortAt: number; abortAbove: number } {
  const B = primes[primes.length - 1] ?? 2;
  const at = primes.findIndex((x) => x > Math.sqrt(B));
  return { abortAt: at, abortAbove: B ** (bits <= 64 ? 2.5 : 3) };
}

/**
 * Trial division of v (a double below 2^52) over the factor base. Pushes [index, exponent] pairs
 * into `out` and returns true when v is smooth. `known` (optional) limits the base to primes with
 * a known log.
 */
export function smoothOver(v: number, primes: Float64Array, out: number[], known?: Uint8Array, abortAt = -1, abortAbove = Infinity): boolean {
  if (v === 0) return false;
  const n = primes.length;
  for (let i = 0; i < n && v > 1; i++) {
    // Early abort (Pomerance): a cofactor still this large after the small primes is rarely smooth.
    if (i === abortAt && v > abortAbove) return false;
    const pr = primes[i]!;
    if (pr * pr > v) {
      // v is now 1 or a prime: in the base only if ≤ B (binary search).
      const j = indexOfPrime(primes, v);
      if (j < 0 || (known && !known[j])) return false;
      out.push(j, 1);
      return true;
    }
    let qq = Math.floor(v / pr);
    if (qq * pr !== v) continue;
    if (known && !known[i]) return false;
    let e = 0;
    do {
      v = qq;
      e++;
      qq = Math.floor(v / pr);
    } while (qq * pr === v);
    out.push(i, e);
  }
  return v === 1;
}

function indexOfPrime(primes: Float64Array, v: number): number {
  let lo = 0;
  let hi = primes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = primes[mid]!;
    if (x === v) return mid;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

interface Relation {
  cols: number[];
  coefs: number[];
  k: bigint;
}

/** Splits p - 1 = c·q with q the largest prime factor; refuses when q² | p - 1. */
export function splitOrder(p: bigint, order: bigint, factors: Factorization): { q: bigint; cofactor: bigint } {
  const [q, e] = factors[factors.length - 1]!;
  if (e !== 1 || ((p - 1n) / q) % q === 0n) {
    throw new UnsupportedError("index calculus here needs p - 1 = c·q with q prime and q ∤ c", { value: p, where: "precompute(p, …)" });
  }
  if (order % q !== 0n) throw new UnsupportedError("ord(g) must contain the large prime factor of p - 1", { value: order, where: "precompute" });
  return { q, cofactor: (p - 1n) / q };
}

/** Builds a reusable index-calculus database for (p, g). */
export function precompute(p: bigint, g: bigint, opts: PrecomputeOptions = {}): IndexDb {
  const t0 = performance.now();
  checkPrime(p, "precompute(p, …)");
  const G = groupOf(p, checkElement(g, p, "precompute(…, g)"));
  const bits = bitLength(p);
  if (bits < 16) throw new InputError("index calculus needs p of at least 16 bits; use BSGS below that", { value: p, where: "precompute(p, …)" });
  if (bits > 100) {
    throw new UnsupportedError(`p has ${bits} bits; this teaching implementation stops at 100 bits (${humanDuration(estimateSeconds(bits))} estimated)`, {
      value: bits,
      where: "precompute(p, …)",
      hint: "Logjam-scale primes (512 bits) need the number field sieve: about a week of cores in 2015",
    });
  }
  const est = estimateSeconds(bits);
  const maxSeconds = opts.maxSeconds ?? 120;
  if (est > maxSeconds && !opts.force) {
    throw new UnsupportedError(`precomputation for a ${bits}-bit prime would take ${humanDuration(est)} at this size; pass --force (or { force: true }) to run it anyway`, {
      value: bits,
      where: "precompute(p, …)",
    });
  }
  const { q, cofactor } = splitOrder(p, G.order, G.factors);
  const bound = opts.bound ?? defaultBound(bits);
  const primes = factorBase(bound);
  const fb = Float64Array.from(primes);
  const F = primes.length;
  const sqrtP = isqrt(p);
  const rng = new Rng(opts.seed ?? 1);

  // 1. Relations: g^k ≡ r/t (mod p) with r, t smooth  ⇒  k ≡ Σ e·L(ℓ) - Σ f·L(ℓ) (mod q).
  const relations: Relation[] = [];
  const colHits = new Int32Array(F);
  // Walk k → k + s with a large random step s: consecutive candidates g^k, g^(k+s) are unrelated
  // (stepping by 1 with a small g such as 2 would give near-duplicate relations).
  const walk = new LatticeWalk(p, G.g, 1n, q, sqrtP, rng);
  const { abortAt, abortAbove } = earlyAbort(primes, bits);
  let candidates = 0;
  const sample: RelationSample[] = [];
  const bufR: number[] = [];
  const bufT: number[] = [];
  const gc = modPow(G.g, cofactor, p);
  let needed = Math.ceil(1.08 * F) + 10;
  let logs: Array<bigint | null> = [];
  let solved = 0;
  let algebraMs = 0;
  // Rounds: collect, solve, and collect 10 % more while the system leaves too many logs unfixed.
  for (let round = 0; round < 12; round++) {
    while (relations.length < needed) {
      candidates++;
      if (!walk.next()) continue;
      const { r, t } = walk;
      bufR.length = 0;
      if (!smoothOver(r, fb, bufR, undefined, abortAt, abortAbove)) continue;
      bufT.length = 0;
      if (!smoothOver(t, fb, bufT, undefined, abortAt, abortAbove)) continue;
      const m = new Map<number, number>();
      for (let i = 0; i < bufR.length; i += 2) m.set(bufR[i]!, (m.get(bufR[i]!) ?? 0) + bufR[i + 1]!);
      for (let i = 0; i < bufT.length; i += 2) m.set(bufT[i]!, (m.get(bufT[i]!) ?? 0) - bufT[i + 1]!);
      const cols: number[] = [];
      const coefs: number[] = [];
      for (const [c, e] of m) {
        if (e === 0) continue;
        cols.push(c);
        coefs.push(e);
        colHits[c]!++;
      }
      if (cols.length === 0) continue;
      relations.push({ cols, coefs, k: mod(walk.k, q) });
      if (opts.keepRelations && sample.length < opts.keepRelations) {
        sample.push({ k: mod(walk.k, q), r, t, factors: cols.map((c, i) => [primes[c]!, coefs[i]!] as [number, number]).sort((a, b) => a[0] - b[0]) });
      }
      if (opts.onProgress && (relations.length & 15) === 0) opts.onProgress(relations.length, needed);
    }
    opts.onProgress?.(relations.length, needed);
    // 2. Linear algebra modulo q.
    const ta = performance.now();
    logs = solveSparse(relations, F, q, colHits);
    // 3. Check every log: (ℓ^c) = (g^c)^L(ℓ).
    solved = 0;
    for (let i = 0; i < F; i++) {
      const L = logs[i];
      if (L === null || L === undefined) continue;
      if (modPow(BigInt(primes[i]!), cofactor, p) === modPow(gc, L, p)) solved++;
      else logs[i] = null;
    }
    algebraMs += performance.now() - ta;
    if (solved >= 0.8 * F) break;
    needed = relations.length + Math.max(10, Math.ceil(F * 0.1));
  }
  const t1 = t0 + (performance.now() - t0 - algebraMs);
  const t2 = performance.now();
  const db: IndexDb = {
    kind: "wirelab-index-calculus-db",
    version: 1,
    p,
    g: G.g,
    order: G.order,
    orderFactors: G.factors,
    q,
    cofactor,
    bound,
    primes,
    logs: logs.map((x) => (x === undefined ? null : x)),
    stats: {
      bits,
      factorBase: F,
      relations: relations.length,
      candidates,
      solvedLogs: solved,
      relationMs: t1 - t0,
      algebraMs,
      totalMs: t2 - t0,
      dbBytes: 0,
      seed: opts.seed ?? 1,
    },
  };
  db.stats.dbBytes = Buffer.byteLength(serialize(db));
  if (opts.keepRelations) db.sample = sample;
  return db;
}


/**
 * Sparse Gaussian elimination modulo the prime q, columns taken rarest first (their rows stay
 * short), then back substitution. Unfixed columns come back as null.
 */
export function solveSparse(relations: Relation[], F: number, q: bigint, colHits: Int32Array): Array<bigint | null> {
  const rows: Array<Map<number, bigint>> = [];
  const rhs: bigint[] = [];
  const colRows: Array<Set<number>> = Array.from({ length: F }, () => new Set<number>());
  relations.forEach((rel, i) => {
    const m = new Map<number, bigint>();
    rel.cols.forEach((c, j) => {
      m.set(c, mod(BigInt(rel.coefs[j]!), q));
      colRows[c]!.add(i);
    });
    rows.push(m);
    rhs.push(rel.k);
  });
  // Markowitz-style ordering: at each step take the column with the fewest unused rows (ties: the
  // larger prime), and in it the shortest row. colRows holds unused rows only.
  const done = new Uint8Array(F);
  const used = new Uint8Array(rows.length);
  const pivots: Array<{ col: number; row: number }> = [];
  for (let c = 0; c < F; c++) if (colHits[c]! === 0) done[c] = 1;
  for (;;) {
    let c = -1;
    let cSize = Infinity;
    for (let j = F - 1; j >= 0; j--) {
      if (done[j]) continue;
      const n = colRows[j]!.size;
      if (n === 0) {
        done[j] = 1;
        continue;
      }
      if (n < cSize) {
        cSize = n;
        c = j;
        if (n === 1) break;
      }
    }
    if (c < 0) break;
    done[c] = 1;
    let best = -1;
    let bestSize = Infinity;
    for (const r of colRows[c]!) {
      const sz = rows[r]!.size;
      if (sz < bestSize) {
        bestSize = sz;
        best = r;
      }
    }
    used[best] = 1;
    for (const j of rows[best]!.keys()) colRows[j]!.delete(best);
    pivots.push({ col: c, row: best });
    const prow = rows[best]!;
    const inv = modInv(prow.get(c)!, q);
    // Normalise the pivot row so its pivot coefficient is 1.
    if (inv !== 1n) {
      for (const [j, v] of prow) prow.set(j, (v * inv) % q);
      rhs[best] = (rhs[best]! * inv) % q;
    }
    for (const r of [...colRows[c]!]) {
      if (used[r]) continue;
      const row = rows[r]!;
      const f = row.get(c)!;
      for (const [j, v] of prow) {
        const nv = ((row.get(j) ?? 0n) - f * v) % q;
        if (nv === 0n) {
          row.delete(j);
          colRows[j]!.delete(r);
        } else {
          if (!row.has(j)) colRows[j]!.add(r);
          row.set(j, nv);
        }
      }
      rhs[r] = (rhs[r]! - f * rhs[best]!) % q;
    }
  }
  const logs: Array<bigint | null> = new Array(F).fill(null);
  for (let i = pivots.length - 1; i >= 0; i--) {
    const { col, row } = pivots[i]!;
    let acc = rhs[row]!;
    let ok = true;
    for (const [j, v] of rows[row]!) {
      if (j === col) continue;
      const L = logs[j];
      if (L === null || L === undefined) {
        ok = false;
        break;
      }
      acc -= v * L;
    }
    logs[col] = ok ? mod(acc, q) : null;
  }
  return logs;
}

/** Checks that h is usable with this database; returns it reduced mod p. */
function checkTarget(db: IndexDb, h: unknown, where: string): bigint {
  assertBigint(h, where);
  return checkElement(h, db.p, where);
}

/**
 * The per-target stage: L(h) mod q from one smooth h·g^k, the rest of ord(g) by Pohlig-Hellman.
 * Returns x = null with a note when h is not a power of g.
 */
export function solve(db: IndexDb, h: bigint, opts: { seed?: number; maxCandidates?: number } = {}): SolveResult {
  const t0 = performance.now();
  h = checkTarget(db, h, "solve(…, h)");
  const { p, g, q, cofactor, order } = db;
  if (modPow(h, order, p) !== 1n) {
    return { x: null, candidates: 0, ms: performance.now() - t0, note: `h is not a power of g: h^ord(g) ≠ 1 (ord(g) = ${order}), so no log exists` };
  }
  const fb = Float64Array.from(db.primes);
  const known = Uint8Array.from(db.logs.map((x) => (x === null ? 0 : 1)));
  const sqrtP = isqrt(p);
  const rng = new Rng(opts.seed ?? Number(h % 1000003n));
  const walk = new LatticeWalk(p, g, h, q, sqrtP, rng);
  const bufR: number[] = [];
  const bufT: number[] = [];
  const maxCandidates = opts.maxCandidates ?? 5_000_000;
  let candidates = 0;
  let Lq: bigint | null = null;
  for (; candidates < maxCandidates; ) {
    candidates++;
    if (!walk.next()) continue;
    const { r, t } = walk;
    bufR.length = 0;
    if (!smoothOver(r, fb, bufR, known)) continue;
    bufT.length = 0;
    if (!smoothOver(t, fb, bufT, known)) continue;
    let acc = -walk.k;
    for (let i = 0; i < bufR.length; i += 2) acc += BigInt(bufR[i + 1]!) * db.logs[bufR[i]!]!;
    for (let i = 0; i < bufT.length; i += 2) acc -= BigInt(bufT[i + 1]!) * db.logs[bufT[i]!]!;
    Lq = mod(acc, q);
    break;
  }
  if (Lq === null) {
    return { x: null, candidates, ms: performance.now() - t0, note: `no smooth h·g^k in ${maxCandidates} candidates (too few known logs in the database?)` };
  }
  // x ≡ Lq (mod q); the part of ord(g) coprime to q comes from Pohlig-Hellman on g^q, h^q.
  const m = order / q;
  let x: bigint;
  if (m === 1n) x = Lq;
  else {
    const small = db.orderFactors.filter(([r]) => r !== q);
    const sub = pohligHellman(modPow(g, q, p), modPow(h, q, p), p, m, small);
    if (sub.x === null) return { x: null, candidates, ms: performance.now() - t0, note: sub.note };
    x = crt([Lq, sub.x], [q, m]).x;
  }
  const pairs = (buf: number[]) => {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < buf.length; i += 2) out.push([db.primes[buf[i]!]!, buf[i + 1]!]);
    return out;
  };
  void cofactor;
  return { x, candidates, k: mod(walk.k, q), num: pairs(bufR), den: pairs(bufT), ms: performance.now() - t0 };
}

/** The database as JSON text (bigints as decimal strings). */
export function serialize(db: IndexDb): string {
  return JSON.stringify(db, (key, v) => (key === "sample" ? undefined : typeof v === "bigint" ? v.toString() : v));
}

/** Parses a database written by `serialize`; `file` names the source in errors. */
export function deserialize(text: string, file = "<database>"): IndexDb {
  let raw: any;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(String((e as Error).message));
    throw new ParseError("the database is not valid JSON", { where: "loadDb", location: { file, offset: m ? Number(m[1]) : undefined } });
  }
  if (!raw || raw.kind !== "wirelab-index-calculus-db" || raw.version !== 1) {
    throw new ParseError("not a wirelab index-calculus database (kind/version missing)", { value: raw?.kind, location: { file } });
  }
  const big = (v: unknown, field: string): bigint => {
    if (typeof v !== "string" || !/^\d+$/.test(v)) throw new ParseError("expected a decimal integer string", { value: v, where: field, location: { file } });
    return BigInt(v);
  };
  const db: IndexDb = {
    kind: raw.kind,
    version: 1,
    p: big(raw.p, "p"),
    g: big(raw.g, "g"),
    order: big(raw.order, "order"),
    orderFactors: (raw.orderFactors as unknown[]).map((f: any, i: number) => [big(f[0], `orderFactors[${i}]`), Number(f[1])]),
    q: big(raw.q, "q"),
    cofactor: big(raw.cofactor, "cofactor"),
    bound: Number(raw.bound),
    primes: raw.primes,
    logs: (raw.logs as unknown[]).map((v, i) => (v === null ? null : big(v, `logs[${i}]`))),
    stats: raw.stats,
  };
  if (!Array.isArray(db.primes) || db.primes.length !== db.logs.length) {
    throw new ParseError("primes and logs must be arrays of the same length", { where: "primes/logs", location: { file } });
  }
  if (!isProbablePrime(db.p)) throw new ParseError("p is not prime", { value: db.p, where: "p", location: { file } });
  // Every stored log is checked (src/dlog/verify.ts): a corrupted file is refused now, naming the
  // first bad prime, rather than turning into wrong answers later.
  verifyDatabase(db, file);
  return db;
}

/** Writes the database to a file. */
export function saveDb(db: IndexDb, file: string): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  require("node:fs").writeFileSync(file, serialize(db));
}

/** Reads a database from a file. */
export function loadDb(file: string): IndexDb {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const fs = require("node:fs") as typeof import("node:fs");
  if (!fs.existsSync(file)) throw new InputError("database file not found", { value: file, where: "loadDb" });
  return deserialize(fs.readFileSync(file, "utf8"), file);
}

/** In-memory size estimate of a database (bytes): the logs and primes, as stored by V8. */
export function dbMemoryBytes(db: IndexDb): number {
  const logBytes = db.logs.reduce((s, L) => s + (L === null ? 8 : 16 + Math.ceil(bitLength(L) / 64) * 8), 0);
  return logBytes + db.primes.length * 8;
}

