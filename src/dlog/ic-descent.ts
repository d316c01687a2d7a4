/**
 * Index calculus, the per-target descent for primes above about 2^100, by a lattice sieve (J. M.
 * Pollard, "The lattice sieve", in The development of the number field sieve, LNM 1554, 1993).
 *
 * For z = h·g^k the pairs (r, t) with r ≡ t·z (mod p) form a lattice whose reduced basis v1 = (r1, t1),
 * v2 = (r2, t2) has entries of about sqrt(p) (the half extended-Euclid run of ic-relations.ts). Each
 * small combination i·v1 + j·v2 is a candidate h·g^k ≡ r/t. Rather than test them one by one, sieve a
 * block |i| ≤ I, 1 ≤ j ≤ J: r(i, j) = i·r1 + j·r2 is linear in i, so ℓ | r(i, j) exactly when
 * i ≡ -j·r2/r1 (mod ℓ), and the same holds for t. A cell whose two sums of log2 ℓ come close to
 * log2 |r| and log2 |t| is factored exactly (smoothOverBig, primes with known logs only). Cells cost a
 * few additions instead of a bigint reduction and two trial divisions each.
 */
import { modInvSmall } from "../math/modular";
import { limbs24, modLimbs, smoothOverBig, type LatticeWalk } from "./ic-relations";

/** Half-width I of the sieved block (|i| ≤ I) and its height J (1 ≤ j ≤ J). */
const HALF_WIDTH = 512;
const HEIGHT = 32;
/** Cells sieved per z. */
export const LATTICE_CELLS = (2 * HALF_WIDTH + 1) * HEIGHT;
/** Primes below this are not sieved (too many hits for their weight); the threshold allows for them. */
const FIRST_SIEVED = 30;

/** The factor base of a database for the descent: primes (doubles), which logs are known, the trial-division limit. */
export interface DescentBase {
  fb: Float64Array;
  known: Uint8Array;
  /** Primes ≤ B end here; later entries are large primes, allowed as the last cofactor. */
  limit: number;
}

/** Per database: log2 ℓ rounded (bytes) and the first sieved index. */
interface SieveTables {
  logp: Uint8Array;
  first: number;
  /** Bits the sieve may miss: a large prime, the unsieved small primes, rounding. */
  slack: number;
}

const tables = new WeakMap<DescentBase, SieveTables>();

function sieveTables(base: DescentBase): SieveTables {
  const got = tables.get(base);
  if (got) return got;
  const { fb, limit } = base;
  const logp = Uint8Array.from(fb.subarray(0, limit), (l) => Math.round(Math.log2(l)));
  let first = 0;
  while (first < limit && fb[first]! < FIRST_SIEVED) first++;
  const largest = fb.length > limit ? fb[fb.length - 1]! : fb[limit - 1]!;
  const t = { logp, first, slack: Math.log2(largest) + 5 };
  tables.set(base, t);
  return t;
}

/** -b/a mod l for each sieved prime (the root of a·i + b ≡ 0), or -1 when l | a. */
function roots(a: bigint, b: bigint, base: DescentBase, first: number): Int32Array {
  const { fb, limit } = base;
  const la = limbs24(a);
  const lb = limbs24(b);
  const out = new Int32Array(limit).fill(-1);
  for (let i = first; i < limit; i++) {
    const l = fb[i]!;
    let am = modLimbs(la, l);
    let bm = modLimbs(lb, l);
    if (a < 0n) am = (l - am) % l;
    if (b < 0n) bm = (l - bm) % l;
    if (am === 0) continue;
    out[i] = ((l - bm) * modInvSmall(am, l)) % l;
  }
  return out;
}

/** What the descent found: h·g^k ≡ r/t with r, t smooth over primes with known logs. */
export interface DescentHit {
  k: bigint;
  bufR: number[];
  bufT: number[];
  /** Lattice cells sieved before the hit. */
  cells: number;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Adds log2 ℓ at every cell i ≡ j·root (mod ℓ) of the row (cells are i + I). */
function sieveLine(buf: Uint8Array, root: Int32Array, j: number, base: DescentBase, t: SieveTables): void {
  const width = buf.length;
  buf.fill(0);
  for (let k = t.first; k < base.limit; k++) {
    const rt = root[k]!;
    if (rt < 0) continue;
    const l = base.fb[k]!;
    const lg = t.logp[k]!;
    for (let c = (j * rt + HALF_WIDTH) % l; c < width; c += l) buf[c] += lg;
  }
}

/**
 * Sieves z after z from `walk` (at most `maxZ` of them) until a cell i·v1 + j·v2 has r and t both
 * smooth over the known logs. Returns the hit, or null after `maxZ` bases.
 */
export function latticeSieveDescent(walk: LatticeWalk, base: DescentBase, maxZ: number): DescentHit | null {
  const t = sieveTables(base);
  const width = 2 * HALF_WIDTH + 1;
  const sR = new Uint8Array(width);
  const sT = new Uint8Array(width);
  const bufR: number[] = [];
  const bufT: number[] = [];
  let cells = 0;
  for (let zi = 0; zi < maxZ; zi++) {
    const [r1, t1, r2, t2] = walk.nextBasis();
    // r(i, j) = i·r1 + j·r2: ℓ | r(i, j) ⇔ i ≡ j·(-r2/r1) (mod ℓ); the same for t.
    const rootR = roots(r1, r2, base, t.first);
    const rootT = roots(t1, t2, base, t.first);
    const [r1d, r2d, t1d, t2d] = [Number(r1), Number(r2), Number(t1), Number(t2)];
    for (let j = 1; j <= HEIGHT; j++) {
      sieveLine(sR, rootR, j, base, t);
      sieveLine(sT, rootT, j, base, t);
      cells += width;
      for (let c = 0; c < width; c++) {
        const i = c - HALF_WIDTH;
        const thrR = Math.log2(Math.abs(i * r1d + j * r2d) + 1) - t.slack;
        if (sR[c]! < thrR) continue;
        const thrT = Math.log2(Math.abs(i * t1d + j * t2d) + 1) - t.slack;
        if (sT[c]! < thrT || gcd(i, j) !== 1) continue;
        const r = BigInt(i) * r1 + BigInt(j) * r2;
        const tt = BigInt(i) * t1 + BigInt(j) * t2;
        bufR.length = 0;
        bufT.length = 0;
        if (!smoothOverBig(r < 0n ? -r : r, base.fb, bufR, base.known, -1, Infinity, base.limit)) continue;
        if (!smoothOverBig(tt < 0n ? -tt : tt, base.fb, bufT, base.known, -1, Infinity, base.limit)) continue;
        return { k: walk.k, bufR: [...bufR], bufT: [...bufT], cells };
      }
    }
  }
  return null;
}
