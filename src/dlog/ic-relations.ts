/**
 * Index calculus, relations by rational reconstruction: the smoothness side of the method as the
 * notebook shows it on small primes, and the per-target descent for every size.
 *
 * Instead of asking g^k mod p (a number as large as p) to be smooth, we write g^k ≡ r/t (mod p)
 * with |r|, |t| ≈ sqrt(p) (a half extended-Euclid run) and ask r and t to be smooth: two half-size
 * numbers are far more often smooth than one full-size number. Smoothness is tested by trial
 * division in doubles with Pomerance's early abort. References: Coppersmith, Odlyzko & Schroeppel,
 * "Discrete logarithms in GF(p)", Algorithmica 1 (1986); Handbook of Applied Cryptography §3.6.5.
 */
import { modPow } from "../math/modular";
import { InputError } from "../util/errors";
import { Rng } from "../util/rng";

/** One relation: Σ coefs[i]·L(column cols[i]) ≡ k (mod q). */
export interface Relation {
  cols: number[];
  coefs: number[];
  k: bigint;
}

/** Primes up to `bound` (sieve of Eratosthenes), the factor base. */
export function factorBase(bound: number): number[] {
  if (!Number.isInteger(bound) || bound < 2 || bound > 1 << 24) {
    throw new InputError("the smoothness bound must be an integer from 2 to 2^24", {
      value: bound,
      where: "factorBase(bound)",
    });
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

/** The same run all in bigints, for p above about 2^100 (r and t then need more than 52 bits). */
function halfEuclidBig(z: bigint, p: bigint, sqrtP: bigint): [bigint, bigint, bigint, bigint] {
  let r0 = p;
  let r1 = z;
  let t0 = 0n;
  let t1 = 1n;
  while (r1 > sqrtP) {
    const qq = r0 / r1;
    [r0, r1] = [r1, r0 - qq * r1];
    [t0, t1] = [t1, t0 - qq * t1];
  }
  return [r0, r1, t0, t1];
}

/** Above this sqrt(p) the walk works in bigints (the doubles of halfEuclid would round). */
const DOUBLE_SQRT_LIMIT = 1n << 50n;

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
export class LatticeWalk {
  /** The current exponent: the candidate satisfies r/t ≡ start·g^k (mod p). */
  k: bigint;
  r = 0;
  t = 0;
  /** For p above about 2^100: the candidate in bigints (r and t above are then unused). */
  readonly big: boolean;
  rBig = 0n;
  tBig = 0n;
  private z: bigint;
  private readonly s: bigint;
  private readonly gs: bigint;
  private basis: [number, number, number, number] = [0, 0, 0, 0];
  private basisBig: [bigint, bigint, bigint, bigint] = [0n, 0n, 0n, 0n];
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
    this.big = sqrtP >= DOUBLE_SQRT_LIMIT;
  }

  /**
   * Moves to the next z (k += s) and returns its reduced lattice basis in bigints, [r1, t1, r2, t2] with
   * r ≡ t·z (mod p) for both vectors (the lattice sieve of ic-descent.ts walks z by z).
   */
  nextBasis(): readonly [bigint, bigint, bigint, bigint] {
    this.z = (this.z * this.gs) % this.p;
    this.k += this.s;
    const [a0, a1, b0, b1] = halfEuclidBig(this.z, this.p, this.sqrtP);
    this.pairIndex = LATTICE_PAIRS.length;
    return [a1, b1, a0, b0];
  }

  /** Moves to the next candidate (r, t); false when it does not fit in doubles (skip it; never in big mode). */
  next(): boolean {
    if (this.pairIndex >= LATTICE_PAIRS.length) {
      this.z = (this.z * this.gs) % this.p;
      this.k += this.s;
      if (this.big) {
        const [a0, a1, b0, b1] = halfEuclidBig(this.z, this.p, this.sqrtP);
        this.basisBig = [a1, b1, a0, b0];
      } else this.basis = latticeBasis(this.z, this.p, this.sqrtP);
      this.pairIndex = 0;
    }
    const [pi, pj] = LATTICE_PAIRS[this.pairIndex++]!;
    if (this.big) {
      const b = this.basisBig;
      const r = BigInt(pi) * b[0] + BigInt(pj) * b[2];
      const t = BigInt(pi) * b[1] + BigInt(pj) * b[3];
      this.rBig = r < 0n ? -r : r;
      this.tBig = t < 0n ? -t : t;
      return true;
    }
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
  for (let j = 1; j <= LATTICE_SPAN; j++)
    for (let i = -LATTICE_SPAN; i <= LATTICE_SPAN; i++) if (gcdN(i, j) === 1) out.push([i, j]);
  return out.sort((x, y) => Math.abs(x[0]) + x[1] - (Math.abs(y[0]) + y[1]));
})();

const LIMIT52 = 2 ** 51;

/**
 * Early-abort rule, tuned in bench: after the primes ≤ sqrt(B), give up if the cofactor exceeds
 * B^2.5 (B^3 above 64 bits).
 */
export function earlyAbort(primes: readonly number[], bits: number): { abortAt: number; abortAbove: number } {
  const B = primes[primes.length - 1] ?? 2;
  const at = primes.findIndex((x) => x > Math.sqrt(B));
  return { abortAt: at, abortAbove: B ** (bits <= 64 ? 2.5 : 3) };
}

/**
 * Trial division of v (a double below 2^52) over the factor base. Pushes [index, exponent] pairs
 * into `out` and returns true when v is smooth. `known` (optional) limits the base to primes with
 * a known log. Trial division stops after the first `limit` primes (default: all); a cofactor
 * left over is then looked up among the later primes of the (sorted) array — the large primes
 * whose logs the sieve found — so one large prime per number is allowed.
 */
export function smoothOver(
  v: number,
  primes: Float64Array,
  out: number[],
  known?: Uint8Array,
  abortAt = -1,
  abortAbove = Infinity,
  limit = primes.length,
  from = 0,
): boolean {
  if (v === 0) return false;
  for (let i = from; i < limit && v > 1; i++) {
    // Early abort (Pomerance): a cofactor still this large after the small primes is rarely smooth.
    if (i === abortAt && v > abortAbove) return false;
    const pr = primes[i]!;
    if (pr * pr > v) break; // v is now 1 or a prime
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
  if (v === 1) return true;
  // A prime cofactor (or a product of two primes beyond the trial-division limit, never in the list).
  const j = indexOfPrime(primes, v);
  if (j < 0 || (known && !known[j])) return false;
  out.push(j, 1);
  return true;
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

const B24 = 2 ** 24;
const BIG52 = 1n << 52n;
const BIG96 = 1n << 96n;
const MASK24 = (1n << 24n) - 1n;
/** Scratch limbs of smoothOverBig (most significant first). */
const limbs = new Float64Array(4);

/** The four 24-bit limbs of |v| < 2^96, most significant first, written into `out`. */
export function limbs24(v: bigint, out: Float64Array = new Float64Array(4)): Float64Array {
  if (v < 0n) v = -v;
  for (let k = 3; k >= 0; k--) {
    out[k] = Number(v & MASK24);
    v >>= 24n;
  }
  return out;
}

/** The number held in 24-bit limbs, modulo l (Horner; every intermediate below 2^48 for l < 2^24). */
export function modLimbs(x: Float64Array, l: number): number {
  let r = 0;
  for (let k = 0; k < x.length; k++) r = (r * B24 + x[k]!) % l;
  return r;
}

/** Divides the limbs by l when l divides them (long division, quotients corrected); false otherwise. */
function limbsDivide(l: number): boolean {
  if (modLimbs(limbs, l) !== 0) return false;
  let r = 0;
  for (let k = 0; k < 4; k++) {
    const x = r * B24 + limbs[k]!;
    let qt = Math.floor(x / l);
    r = x - qt * l;
    if (r < 0) {
      qt--;
      r += l;
    } else if (r >= l) {
      qt++;
      r -= l;
    }
    limbs[k] = qt;
  }
  return true;
}

/**
 * smoothOver for a bigint v below 2^96 (the candidates r, t of primes above about 2^100), all in
 * doubles: v is held as four 24-bit limbs, v mod ℓ is Horner's rule on them and division by ℓ is
 * long division (every intermediate below 2^48, exact for ℓ below 2^24, the factor base's limit);
 * smoothOver takes over once the cofactor is below 2^52. Same arguments and result as smoothOver.
 */
export function smoothOverBig(
  v: bigint,
  primes: Float64Array,
  out: number[],
  known?: Uint8Array,
  abortAt = -1,
  abortAbove = Infinity,
  limit = primes.length,
): boolean {
  if (v === 0n || v >= BIG96) return false;
  if (v < BIG52) return smoothOver(Number(v), primes, out, known, abortAt, abortAbove, limit);
  limbs24(v, limbs);
  let i = 0;
  const value = () => ((limbs[0]! * B24 + limbs[1]!) * B24 + limbs[2]!) * B24 + limbs[3]!;
  while (limbs[0]! > 0 || limbs[1]! >= 16) {
    // v ≥ 2^52: find the next prime that divides it.
    for (; i < limit; i++) {
      if (i === abortAt && value() > abortAbove) return false;
      if (modLimbs(limbs, primes[i]!) === 0) break;
    }
    if (i >= limit || (known && !known[i])) return false;
    let e = 0;
    while (limbsDivide(primes[i]!)) e++;
    out.push(i, e);
    i++;
  }
  const rest = value(); // below 2^52: exact
  if (abortAt >= 0 && i > abortAt && rest > abortAbove) return false;
  return smoothOver(rest, primes, out, known, abortAt, abortAbove, limit, i);
}
