/**
 * Index calculus, relations by the linear sieve (Coppersmith, Odlyzko & Schroeppel, "Discrete
 * logarithms in GF(p)", Algorithmica 1, 1986, §4), with the single large-prime variation.
 *
 * Let H = ceil(sqrt(p)) and J = H² - p (0 < J < 2H + 1). For small c1 ≤ c2,
 *   (H + c1)(H + c2) ≡ J + (c1 + c2)·H + c1·c2  (mod p),
 * and the right-hand side is an integer of only about sqrt(p)·2C, not p. When it factors over the
 * primes ≤ B, taking virtual logs gives the homogeneous relation
 *   L(H + c1) + L(H + c2) - Σ e·L(ℓ) ≡ 0  (mod q),
 * with the numbers H + c as extra unknowns. For a fixed c1 the right-hand side is linear in c2,
 * V(c2) = A + c2·D with A = J + c1·H and D = H + c1, so ℓ | V(c2) exactly when c2 lies in one
 * residue class mod ℓ: c2 ≡ p/(H + c1) - H (mod ℓ). A sieve adds log2 ℓ at those places and only
 * the places that reach the threshold are factored (exactly, with bigints). A cofactor left over
 * that is a prime below `largeBound` makes a partial relation; two partials with the same large
 * prime give a full one (their difference), the large-prime variation.
 */
import type { Relation } from "./ic-relations";
import { isqrt, modInvSmall } from "../math/modular";

export interface SieveSetup {
  p: bigint;
  /** ceil(sqrt(p)). */
  H: bigint;
  /** H² - p. */
  J: bigint;
  primes: Int32Array;
  /** p mod ℓ and H mod ℓ for each factor-base prime. */
  pMod: Float64Array;
  hMod: Float64Array;
  /** round(log2 ℓ) for the sieve. */
  logp: Uint8Array;
  /** Primes below this index are not sieved (too many hits for their weight); the threshold allows for them. */
  firstSieved: number;
  /** c1, c2 range over [0, width). */
  width: number;
  /** Largest cofactor kept as a large prime (≤ B²). */
  largeBound: number;
}

/** One sieve hit, factored: V(c2) = ∏ primes[fac[2i]]^fac[2i+1] · large. */
export interface SieveHit {
  c1: number;
  c2: number;
  /** 1 for a full relation, else the large prime. */
  large: number;
  fac: number[];
}

/** Precomputes what every row of the sieve needs. */
export function sieveSetup(p: bigint, primes: readonly number[], width: number, largeBound: number): SieveSetup {
  const root = isqrt(p);
  const H = root * root === p ? root : root + 1n;
  const F = primes.length;
  const pMod = new Float64Array(F);
  const hMod = new Float64Array(F);
  const logp = new Uint8Array(F);
  let firstSieved = F;
  for (let i = 0; i < F; i++) {
    const l = primes[i]!;
    pMod[i] = Number(p % BigInt(l));
    hMod[i] = Number(H % BigInt(l));
    logp[i] = Math.round(Math.log2(l));
    if (firstSieved === F && l >= 30) firstSieved = i;
  }
  const B = primes[F - 1] ?? 2;
  return {
    p,
    H,
    J: H * H - p,
    primes: Int32Array.from(primes),
    pMod,
    hMod,
    logp,
    firstSieved,
    width,
    largeBound: Math.min(largeBound, B * B),
  };
}

/** Bits the sieve may miss: the unsieved small primes, prime powers, log rounding, the large prime. */
function slackBits(s: SieveSetup): number {
  return Math.log2(s.largeBound) + 4;
}

/**
 * Sieves row c1 (c2 from c1 to width - 1) and pushes every factored hit into `out`. `buf` (length ≥
 * width) and `roots` (length F) are scratch space. Returns the number of places factored.
 */
export function sieveRow(s: SieveSetup, c1: number, buf: Uint8Array, roots: Int32Array, out: SieveHit[]): number {
  const { primes, pMod, hMod, logp, width, firstSieved } = s;
  const F = primes.length;
  const n = width - c1;
  if (n <= 0) return 0;
  buf.fill(0, 0, n);
  for (let i = 0; i < F; i++) {
    const l = primes[i]!;
    const x = (hMod[i]! + c1) % l; // H + c1 mod ℓ
    if (x === 0) {
      roots[i] = -1; // ℓ | H + c1 ⇒ V ≡ -p (mod ℓ): never divisible
      continue;
    }
    const y = (pMod[i]! * modInvSmall(x, l)) % l; // H + c2 ≡ p/(H + c1)
    const r = (y - hMod[i]! + l) % l; // c2 mod ℓ
    roots[i] = r;
    if (i < firstSieved) continue;
    const lg = logp[i]!;
    for (let j = (r - (c1 % l) + l) % l; j < n; j += l) buf[j] += lg;
  }
  const A = s.J + BigInt(c1) * s.H;
  const D = s.H + BigInt(c1);
  const An = Number(A);
  const Dn = Number(D);
  const slack = slackBits(s);
  let tested = 0;
  const BLOCK = 1024;
  for (let b = 0; b < n; b += BLOCK) {
    const end = Math.min(n, b + BLOCK);
    const thr = Math.max(0, Math.log2(An + (c1 + end) * Dn) - slack);
    for (let j = b; j < end; j++) {
      if (buf[j]! < thr) continue;
      tested++;
      const c2 = c1 + j;
      const hit = factorAt(s, roots, c2, A + BigInt(c2) * D);
      if (hit) out.push({ c1, c2, large: hit.large, fac: hit.fac });
    }
  }
  return tested;
}

/** Factors V over the base using the row's roots; null when the cofactor is not 1 or a large prime. */
function factorAt(s: SieveSetup, roots: Int32Array, c2: number, V: bigint): { large: number; fac: number[] } | null {
  const { primes } = s;
  const fac: number[] = [];
  for (let i = 0; i < primes.length; i++) {
    const r = roots[i]!;
    if (r < 0) continue;
    const l = primes[i]!;
    if (c2 % l !== r) continue;
    const L = BigInt(l);
    let e = 0;
    while (V % L === 0n) {
      V /= L;
      e++;
    }
    if (e > 0) fac.push(i, e);
  }
  if (V === 1n) return { large: 1, fac };
  if (V <= BigInt(s.largeBound)) return { large: Number(V), fac };
  return null;
}

/** The relation of a hit: L(H+c1) + L(H+c2) - Σ e·L(ℓ) [- L(P)] ≡ 0; columns F + c for H + c. */
export function hitRelation(hit: SieveHit, F: number): Map<number, number> {
  const m = new Map<number, number>();
  m.set(F + hit.c1, 1);
  m.set(F + hit.c2, (m.get(F + hit.c2) ?? 0) + 1);
  for (let i = 0; i < hit.fac.length; i += 2) m.set(hit.fac[i]!, -hit.fac[i + 1]!);
  return m;
}

/**
 * Turns hits (in sieve order) into relations: full hits directly, partial hits paired with the first
 * partial of the same large prime (their difference cancels L(P)). Keeps its state between calls.
 */
export class RelationMerger {
  readonly relations: Relation[] = [];
  fulls = 0;
  partials = 0;
  combined = 0;
  /** Every partial hit, in order: once the logs are known each one gives the log of its large prime. */
  readonly partialHits: SieveHit[] = [];
  private readonly firstPartial = new Map<number, Map<number, number>>();

  constructor(private readonly F: number) {}

  add(hit: SieveHit): void {
    const m = hitRelation(hit, this.F);
    if (hit.large === 1) {
      this.fulls++;
      this.push(m);
      return;
    }
    this.partials++;
    this.partialHits.push(hit);
    const first = this.firstPartial.get(hit.large);
    if (!first) {
      this.firstPartial.set(hit.large, m);
      return;
    }
    for (const [c, e] of first) m.set(c, (m.get(c) ?? 0) - e);
    this.combined++;
    this.push(m);
  }

  private push(m: Map<number, number>): void {
    const cols: number[] = [];
    const coefs: number[] = [];
    for (const [c, e] of [...m].sort((a, b) => a[0] - b[0])) {
      if (e === 0) continue;
      cols.push(c);
      coefs.push(e);
    }
    if (cols.length > 0) this.relations.push({ cols, coefs, k: 0n });
  }
}

/**
 * Logs of the large primes: a partial hit V(c1, c2) = ∏ ℓ^e · P gives
 * L(P) = L(H + c1) + L(H + c2) - Σ e·L(ℓ) once those are known (`colLogs`: columns as in
 * hitRelation). Returns the large primes (sorted) with their logs modulo q, first hit wins.
 */
export function largePrimeLogs(
  hits: readonly SieveHit[],
  colLogs: ReadonlyArray<bigint | null>,
  F: number,
  q: bigint,
): Array<[number, bigint]> {
  const out = new Map<number, bigint>();
  for (const hit of hits) {
    if (out.has(hit.large)) continue;
    const a = colLogs[F + hit.c1];
    const b = colLogs[F + hit.c2];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    let acc = a + b;
    let ok = true;
    for (let i = 0; i < hit.fac.length && ok; i += 2) {
      const L = colLogs[hit.fac[i]!];
      if (L === null || L === undefined) ok = false;
      else acc -= BigInt(hit.fac[i + 1]!) * L;
    }
    if (ok) out.set(hit.large, ((acc % q) + q) % q);
  }
  return [...out].sort((x, y) => x[0] - y[0]);
}
