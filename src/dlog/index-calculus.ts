/**
 * Index calculus in Z_p^*, split the way the Logjam attack splits it: a precomputation that depends
 * only on (p, g) and produces a reusable database of logs, and a cheap per-target step.
 *
 * Follows the classic method (Adleman 1979; Coppersmith, Odlyzko & Schroeppel, "Discrete logarithms
 * in GF(p)", Algorithmica 1, 1986; Handbook of Applied Cryptography §3.6.5). Virtual logarithms
 * modulo the large prime q of p - 1 = c·q (Schirokauer, "Virtual logarithms", J. Algorithms 57,
 * 2005): L(y) is defined by (y^c) = (g^c)^L(y). It exists for every y, even for small primes
 * outside <g> (for a safe prime, c = 2 and half the small primes are non-squares), and L(-1) = 0
 * because c is even. The linear algebra is then modulo the prime q only; the small part of ord(g)
 * (the factor 2 of a safe prime) is recovered at solve time by Pohlig-Hellman.
 *
 * This file holds the two stages; the parts live in their own modules:
 * - `ic-tuning.ts`: parameters per size and the cost model of the size refusal;
 * - `ic-relations.ts`: relations g^k ≡ r/t (rational reconstruction, trial division) — the method
 *   the notebook shows on small primes, and the per-target descent;
 * - `ic-sieve.ts`: relations by the linear sieve with large primes (from 48 bits);
 * - `ic-algebra.ts`: structured Gaussian elimination modulo q, its integer phase on the sorted sparse
 *   rows and the Markowitz column queue of `ic-sparse.ts`, its dense rest lifted over Q (`ic-lift.ts`,
 *   on two threads with `ic-lift-helper.ts`);
 * - `ic-workers.ts`: the sieve's rows on worker threads;
 * - `ic-dbfile.ts`: the database as JSON, checked on load.
 *
 * `precompute(p, g)`: factor base → relations → linear algebra → every log checked by
 * (ℓ^c) = (g^c)^L(ℓ). `solve(db, h)`: find k with h·g^k ≡ r/t, r and t smooth over the primes with
 * known logs, then L(h) = Σ e·L(ℓ) - k, and the factor-2 part by Pohlig-Hellman. One smoothing step
 * suffices at these sizes; the multi-level descent of real NFS attacks (special-q) is not
 * implemented. Logjam (Adrian et al., "Imperfect Forward Secrecy", CCS 2015) used the number field
 * sieve for both stages; the shape — expensive once per prime, cheap per target — is the same.
 *
 * @example
 *   const db = precompute(p, g);          // about a second for a 80-bit safe prime
 *   const { x } = solve(db, h);           // milliseconds, and again for every other h
 */
import { assertBigint, bitLength, crt, fixedBasePow, isqrt, mod, modInv, modPow } from "../math/modular";
import { InputError, UnsupportedError } from "../util/errors";
import { Rng } from "../util/rng";
import { pohligHellman } from "./generic";
import { checkElement, checkPrime, groupOf, type Factorization } from "./group";
import { pruneRelations, columnHits, solveSparse } from "./ic-algebra";
import { serialize } from "./ic-dbfile";
import { earlyAbort, factorBase, LatticeWalk, smoothOver, smoothOverBig, type Relation } from "./ic-relations";
import { LATTICE_CELLS, latticeSieveDescent } from "./ic-descent";
import { defaultWorkers, SievePool, sieveRowsHere } from "./ic-workers";
import { largePrimeLogs, RelationMerger, sieveSetup, type SieveHit } from "./ic-sieve";
import { collectExcess, defaultParams, estimateSeconds, humanDuration, type IcParams } from "./ic-tuning";
import type { IndexDb, PrecomputeOptions, RelationSample, SolveResult } from "./ic-types";

export * from "./ic-types";
export * from "./ic-tuning";
export * from "./ic-relations";
export * from "./ic-sieve";
export * from "./ic-algebra";
export * from "./ic-dbfile";
export { defaultWorkers, sieveRowsHere } from "./ic-workers";

/** From this size the sieve uses worker threads by default (below, starting them costs more than they save). */
export const WORKERS_FROM_BITS = 100;

/** Largest prime handled (tuned and measured up to here; the descent's limbs hold numbers below 2^96). */
export const MAX_BITS = 128;
/** Estimated seconds above which precompute refuses without `force`. */
export const BUDGET_SECONDS = 120;

/** Splits p - 1 = c·q with q the largest prime factor; refuses when q² | p - 1. */
export function splitOrder(p: bigint, order: bigint, factors: Factorization): { q: bigint; cofactor: bigint } {
  const [q, e] = factors[factors.length - 1]!;
  if (e !== 1 || ((p - 1n) / q) % q === 0n) {
    throw new UnsupportedError("index calculus here needs p - 1 = c·q with q prime and q ∤ c", {
      value: p,
      where: "precompute(p, …)",
    });
  }
  if (order % q !== 0n)
    throw new UnsupportedError("ord(g) must contain the large prime factor of p - 1", {
      value: order,
      where: "precompute",
    });
  return { q, cofactor: (p - 1n) / q };
}

/** Input checks and the size refusal; returns the group and its split p - 1 = c·q. */
function checkPrecompute(p: bigint, g: bigint, opts: PrecomputeOptions) {
  if (opts.workers !== undefined && !(Number.isInteger(opts.workers) && opts.workers >= 0 && opts.workers <= 64))
    throw new InputError("workers must be an integer from 0 to 64", {
      value: opts.workers,
      where: "precompute(…, { workers })",
    });
  checkPrime(p, "precompute(p, …)");
  const G = groupOf(p, checkElement(g, p, "precompute(…, g)"));
  const bits = bitLength(p);
  if (bits < 16)
    throw new InputError("index calculus needs p of at least 16 bits; use BSGS below that", {
      value: p,
      where: "precompute(p, …)",
    });
  if (bits > MAX_BITS) {
    throw new UnsupportedError(
      `p has ${bits} bits; this teaching implementation stops at ${MAX_BITS} bits ` +
        `(${humanDuration(estimateSeconds(bits))} estimated)`,
      {
        value: bits,
        where: "precompute(p, …)",
        hint: "Logjam-scale primes (512 bits) need the number field sieve: about a week of cores in 2015",
      },
    );
  }
  const est = estimateSeconds(bits);
  const maxSeconds = opts.maxSeconds ?? BUDGET_SECONDS;
  if (est > maxSeconds && !opts.force) {
    throw new UnsupportedError(
      `precomputation for a ${bits}-bit prime would take ${humanDuration(est)} at this size; ` +
        `pass --force (or { force: true }) to run it anyway`,
      {
        value: bits,
        where: "precompute(p, …)",
      },
    );
  }
  return { G, bits, ...splitOrder(p, G.order, G.factors) };
}

/** Relations found so far and what the notebook keeps of them. */
interface Collected {
  relations: Relation[];
  candidates: number;
  sample: RelationSample[];
}

/**
 * Relations by rational reconstruction: g^k ≡ r/t (mod p) with r, t smooth ⇒ Σ e·L(ℓ) - Σ f·L(ℓ) ≡ k.
 * Walks on from `walk` until `count` relations are found (or `maxCandidates` are tried).
 */
export function reconstructionRelations(
  walk: LatticeWalk,
  primes: readonly number[],
  q: bigint,
  bits: number,
  count: number,
  out: Collected,
  keep = 0,
  maxCandidates = Infinity,
): void {
  const fb = Float64Array.from(primes);
  const test: SmoothTest = { fb, ...earlyAbort(primes, bits), limit: fb.length };
  const bufR: number[] = [];
  const bufT: number[] = [];
  let found = 0;
  for (let tried = 0; found < count && tried < maxCandidates; tried++) {
    out.candidates++;
    if (!walk.next() || !candidateSmooth(walk, test, bufR, bufT)) continue;
    const r = walk.big ? Number(walk.rBig) : walk.r;
    const t = walk.big ? Number(walk.tBig) : walk.t;
    const m = new Map<number, number>();
    for (let i = 0; i < bufR.length; i += 2) m.set(bufR[i]!, (m.get(bufR[i]!) ?? 0) + bufR[i + 1]!);
    for (let i = 0; i < bufT.length; i += 2) m.set(bufT[i]!, (m.get(bufT[i]!) ?? 0) - bufT[i + 1]!);
    const cols: number[] = [];
    const coefs: number[] = [];
    for (const [c, e] of m) {
      if (e === 0) continue;
      cols.push(c);
      coefs.push(e);
    }
    if (cols.length === 0) continue;
    const k = mod(walk.k, q);
    out.relations.push({ cols, coefs, k });
    found++;
    if (out.sample.length < keep) {
      out.sample.push({
        k,
        r,
        t,
        factors: cols.map((c, i) => [primes[c]!, coefs[i]!] as [number, number]).sort((a, b) => a[0] - b[0]),
      });
    }
  }
}

/** How candidates are tested: the factor base and the early abort. */
interface SmoothTest {
  fb: Float64Array;
  abortAt: number;
  abortAbove: number;
  /** Trial division stops here; later entries are large primes looked up as a last cofactor. */
  limit: number;
  known?: Uint8Array;
}

/** Whether the walk's candidate has r and t both smooth; their [index, exponent] pairs go to bufR, bufT. */
function candidateSmooth(walk: LatticeWalk, s: SmoothTest, bufR: number[], bufT: number[]): boolean {
  bufR.length = 0;
  bufT.length = 0;
  if (walk.big) {
    return (
      smoothOverBig(walk.rBig, s.fb, bufR, s.known, s.abortAt, s.abortAbove, s.limit) &&
      smoothOverBig(walk.tBig, s.fb, bufT, s.known, s.abortAt, s.abortAbove, s.limit)
    );
  }
  return (
    smoothOver(walk.r, s.fb, bufR, s.known, s.abortAt, s.abortAbove, s.limit) &&
    smoothOver(walk.t, s.fb, bufT, s.known, s.abortAt, s.abortAbove, s.limit)
  );
}

/** Solves the system and checks every factor-base log: (ℓ^c) = (g^c)^L(ℓ); wrong or unfixed logs are null. */
function solveAndCheck(
  relations: Relation[],
  ncols: number,
  primes: readonly number[],
  p: bigint,
  g: bigint,
  q: bigint,
  cofactor: bigint,
  maxExcess = Math.max(30, Math.ceil(0.1 * ncols)),
  info: AlgebraInfo = {},
  onPhase?: (note: string) => void,
  rescale?: (all: Array<bigint | null>) => boolean,
) {
  const pruned = pruneRelations(relations, ncols, maxExcess);
  const parallel = (info.workers ?? 0) > 0;
  const all = solveSparse(pruned.kept, ncols, q, columnHits(pruned.kept, ncols), { info, onPhase, parallel });
  if (rescale && !rescale(all)) all.fill(null);
  const gcPow = fixedBasePow(modPow(g, cofactor, p), p, bitLength(q));
  const logs: Array<bigint | null> = primes.map((_, i) => all[i] ?? null);
  let solved = 0;
  for (let i = 0; i < primes.length; i++) {
    const L = logs[i];
    if (L === null || L === undefined) continue;
    if (modPow(BigInt(primes[i]!), cofactor, p) === gcPow(L)) solved++;
    else logs[i] = null;
  }
  return { logs, solved, rows: pruned.kept.length, all };
}

/**
 * The relation that ties the homogeneous sieve relations to g. When g is smooth: L(g) = 1. Otherwise
 * the scale is pinned on a small prime instead (L(ℓ) = 1 for the first ℓ with ℓ^c ≠ 1, so its log
 * is not 0) and `rescale` is set: after the algebra one descent of g itself gives its log in that
 * scale, and every log is divided by it (`scaleToG`). Searching g^k ≡ r/t with r and t smooth before
 * the algebra, without the large primes, costs far more at 128 bits (minutes instead of a second).
 */
function pinRelations(
  p: bigint,
  g: bigint,
  cofactor: bigint,
  primes: readonly number[],
): { relations: Relation[]; rescale: boolean } {
  if (g < 2n ** 51n) {
    const buf: number[] = [];
    if (smoothOver(Number(g), Float64Array.from(primes), buf)) {
      const cols: number[] = [];
      const coefs: number[] = [];
      for (let i = 0; i < buf.length; i += 2) {
        cols.push(buf[i]!);
        coefs.push(buf[i + 1]!);
      }
      return { relations: [{ cols, coefs, k: 1n }], rescale: false }; // L(g) = 1
    }
  }
  const i = primes.findIndex((l) => modPow(BigInt(l), cofactor, p) !== 1n);
  return { relations: i < 0 ? [] : [{ cols: [i], coefs: [1], k: 1n }], rescale: true };
}

/**
 * Rescales logs solved with L(ℓ) = 1 for a small prime ℓ to base g: one descent of z = g^(1+k) ≡ r/t
 * over the primes with a log (the base, and the large primes of the partial relations, `large`, in
 * the same scale) gives L(g) = (Σ L(r) - Σ L(t))/(1 + k), and every log is divided by it. Returns
 * false when no descent was found (the caller then has no logs in base g).
 */
function scaleToG(all: Array<bigint | null>, ctx: Ctx, rng: Rng, large: Array<[number, bigint]>): boolean {
  const { p, g, q, primes } = ctx;
  const F = primes.length;
  const logs = [...all.slice(0, F), ...large.map(([, L]) => L)];
  const logOf = (i: number) => logs[i];
  const test = descentBase(p, [...primes, ...large.map(([P]) => P)], logs, F);
  const walk = new LatticeWalk(p, g, g, q, test.sqrtP, rng);
  const found = walk.big ? sieveDescent(walk, test, 50_000_000) : walkDescent(walk, test, 20_000_000);
  if (found.k === null) return false;
  let S = 0n;
  for (let i = 0; i < found.bufR.length; i += 2) S += BigInt(found.bufR[i + 1]!) * logOf(found.bufR[i]!)!;
  for (let i = 0; i < found.bufT.length; i += 2) S -= BigInt(found.bufT[i + 1]!) * logOf(found.bufT[i]!)!;
  const e = mod(1n + found.k, q);
  const Lg = e === 0n ? 0n : mod(S * modInv(e, q), q);
  if (Lg === 0n) return false;
  const inv = modInv(Lg, q);
  for (let c = 0; c < all.length; c++) if (all[c] !== null && all[c] !== undefined) all[c] = mod(all[c]! * inv, q);
  return true;
}

/** The rational-reconstruction method: collect, solve, and collect 10 % more while too many logs stay unfixed. */
function precomputeByReconstruction(ctx: Ctx, rng: Rng): Outcome {
  const { p, g, q, cofactor, primes, bits, opts } = ctx;
  const F = primes.length;
  const walk = new LatticeWalk(p, g, 1n, q, isqrt(p), rng);
  const got: Collected = { relations: [], candidates: 0, sample: [] };
  let needed = Math.ceil(1.08 * F) + 10;
  let logs: Array<bigint | null> = [];
  let solved = 0;
  let algebraMs = 0;
  for (let round = 0; round < 12; round++) {
    while (got.relations.length < needed) {
      reconstructionRelations(
        walk,
        primes,
        q,
        bits,
        Math.min(16, needed - got.relations.length),
        got,
        opts.keepRelations ?? 0,
      );
      opts.onProgress?.(got.relations.length, needed);
    }
    const ta = performance.now();
    ({ logs, solved } = solveAndCheck(got.relations, F, primes, p, g, q, cofactor, undefined, ctx.info));
    algebraMs += performance.now() - ta;
    if (solved >= 0.8 * F) break;
    needed = got.relations.length + Math.max(10, Math.ceil(F * 0.1));
  }
  return { logs, solved, algebraMs, relations: got.relations.length, candidates: got.candidates, sample: got.sample };
}

/** What a relation method hands back to `precompute`. */
interface Outcome {
  logs: Array<bigint | null>;
  solved: number;
  algebraMs: number;
  relations: number;
  candidates: number;
  sample: RelationSample[];
  /** Base plus large primes, when the method found large-prime logs. */
  primes?: number[];
  extra?: number;
}

interface Ctx {
  p: bigint;
  g: bigint;
  q: bigint;
  cofactor: bigint;
  bits: number;
  params: IcParams;
  primes: number[];
  opts: PrecomputeOptions;
  /** What the last algebra run did, and how many workers sieved (for the statistics). */
  info: AlgebraInfo;
}

interface AlgebraInfo {
  dense?: "lift" | "modq";
  denseCols?: number;
  /** Digits lifted by this thread and by the second-prime helper (ic-lift-helper.ts). */
  liftDigits?: [number, number];
  /** Worker threads that sieved; with any, the lifting takes a helper thread too. */
  workers?: number;
}

/**
 * The linear sieve: rows c1 = 0, 1, … until the relations (after pruning singletons) outnumber the
 * unknowns in use by 5 % (60 % from 88 bits, `collectExcess`), then the algebra; more rows while
 * fewer than 80 % of the logs are fixed.
 * `rows` yields the hits of a range of rows (in this thread, or from worker threads).
 */
function precomputeBySieve(ctx: Ctx, rng: Rng, rows: (from: number, to: number) => SieveHit[]): Outcome {
  const { p, g, q, cofactor, primes, bits, params, opts } = ctx;
  const F = primes.length;
  const ncols = F + params.width;
  const pins = pinRelations(p, g, cofactor, primes);
  const rescale = pins.rescale
    ? (all: Array<bigint | null>) => scaleToG(all, ctx, rng, largePrimeLogs(merger.partialHits, all, F, q))
    : undefined;
  const merger = new RelationMerger(F);
  let c1 = 0;
  let candidates = 0;
  let needed = F + Math.ceil(params.width / 2);
  let logs: Array<bigint | null> = [];
  let solved = 0;
  let algebraMs = 0;
  const STEP = 16;
  let nextCheck = needed;
  const excess = collectExcess(bits);
  while (c1 < params.width) {
    const hits = rows(c1, Math.min(params.width, c1 + STEP));
    c1 = Math.min(params.width, c1 + STEP);
    candidates += hits.length;
    for (const h of hits) merger.add(h);
    opts.onProgress?.(merger.relations.length, Math.max(needed, merger.relations.length));
    if (merger.relations.length < nextCheck && c1 < params.width) continue;
    const all = [...pins.relations, ...merger.relations];
    const pr = pruneRelations(all, ncols);
    needed = Math.max(needed, Math.ceil((1 + excess) * pr.cols) + 20 + (merger.relations.length - pr.kept.length));
    if (pr.excess < excess * pr.cols + 20 && c1 < params.width) {
      nextCheck = Math.max(merger.relations.length + 32, Math.min(needed, Math.ceil(merger.relations.length * 1.05)));
      continue;
    }
    const ta = performance.now();
    opts.onPhase?.(`linear algebra: ${all.length} relations over ${pr.cols} unknowns`);
    let colLogs: Array<bigint | null>;
    ({
      logs,
      solved,
      all: colLogs,
    } = solveAndCheck(all, ncols, primes, p, g, q, cofactor, Infinity, ctx.info, opts.onPhase, rescale));
    algebraMs += performance.now() - ta;
    if (solved >= 0.8 * F || c1 >= params.width) {
      const ext = extendWithLargePrimes(ctx, merger, colLogs, logs);
      return {
        ...ext,
        solved: solved + ext.extra,
        algebraMs,
        relations: pins.relations.length + merger.relations.length,
        candidates,
        sample: [] as RelationSample[],
      };
    }
    nextCheck = Math.ceil(merger.relations.length * 1.1);
  }
  return {
    logs,
    solved,
    algebraMs,
    relations: pins.relations.length + merger.relations.length,
    candidates,
    sample: [] as RelationSample[],
  };
}

/**
 * Adds the large primes whose logs the partial relations give (each checked like the base:
 * (P^c) = (g^c)^L(P)); the descent in `solve` may then end on one of them.
 */
function extendWithLargePrimes(
  ctx: Ctx,
  merger: RelationMerger,
  colLogs: ReadonlyArray<bigint | null>,
  baseLogs: Array<bigint | null>,
) {
  const { p, g, q, cofactor, primes } = ctx;
  const F = primes.length;
  const known = colLogs.map((L, i) => (i < F ? baseLogs[i]! : L));
  const gcPow = fixedBasePow(modPow(g, cofactor, p), p, bitLength(q));
  const outPrimes = [...primes];
  const outLogs = [...baseLogs];
  let extra = 0;
  for (const [P, L] of largePrimeLogs(merger.partialHits, known, F, q)) {
    if (modPow(BigInt(P), cofactor, p) !== gcPow(L)) continue;
    outPrimes.push(P);
    outLogs.push(L);
    extra++;
  }
  return { primes: outPrimes, logs: outLogs, extra };
}

/** The sieve with its rows spread over this thread and `opts.workers` worker threads (default: one per extra core). */
function runSieve(ctx: Ctx, rng: Rng): Outcome {
  const { p, primes, params, opts, bits } = ctx;
  const largeBound = params.bound * params.largeMult;
  const workers = opts.workers ?? (bits >= WORKERS_FROM_BITS ? defaultWorkers() : 0);
  if (workers <= 0) return precomputeBySieve(ctx, rng, sieveRowsHere(sieveSetup(p, primes, params.width, largeBound)));
  const pool = new SievePool(p, primes, params.width, largeBound, workers);
  ctx.info.workers = pool.size;
  try {
    return precomputeBySieve(ctx, rng, (from, to) => pool.rows(from, to));
  } finally {
    pool.close();
  }
}

/** Builds a reusable index-calculus database for (p, g). */
export function precompute(p: bigint, g: bigint, opts: PrecomputeOptions = {}): IndexDb {
  const t0 = performance.now();
  const { G, bits, q, cofactor } = checkPrecompute(p, g, opts);
  const params = { ...defaultParams(bits), ...(opts.method ? { method: opts.method } : {}) };
  if (opts.bound !== undefined) params.bound = opts.bound;
  if (opts.width !== undefined) params.width = opts.width;
  if (opts.largeMult !== undefined) params.largeMult = opts.largeMult;
  if (params.method === "sieve" && params.width === 0)
    Object.assign(params, { width: defaultParams(64).width, largeMult: 30 });
  const primes = factorBase(params.bound);
  opts.onStart?.(estimateSeconds(bits));
  const rng = new Rng(opts.seed ?? 1);
  const ctx: Ctx = { p, g: G.g, q, cofactor, bits, params, primes, opts, info: {} };
  let r: Outcome = params.method === "sieve" ? runSieve(ctx, rng) : precomputeByReconstruction(ctx, rng);
  // A sieve too narrow for this prime runs out of rows before the system is determined: widen it.
  for (let attempt = 0; attempt < 3 && params.method === "sieve" && r.solved < 0.8 * primes.length; attempt++) {
    params.width = Math.ceil(params.width * 1.6);
    const again = runSieve(ctx, rng);
    r = { ...again, algebraMs: again.algebraMs + r.algebraMs, candidates: again.candidates + r.candidates };
  }
  const totalMs = performance.now() - t0;
  const db: IndexDb = {
    kind: "wirelab-index-calculus-db",
    version: 1,
    p,
    g: G.g,
    order: G.order,
    orderFactors: G.factors,
    q,
    cofactor,
    bound: params.bound,
    primes: r.primes ?? primes,
    logs: r.logs.map((x) => (x === undefined ? null : x)),
    stats: {
      bits,
      method: params.method,
      factorBase: primes.length,
      largePrimes: r.extra ?? 0,
      relations: r.relations,
      candidates: r.candidates,
      solvedLogs: r.solved,
      relationMs: totalMs - r.algebraMs,
      algebraMs: r.algebraMs,
      workers: ctx.info.workers ?? 0,
      ...(ctx.info.dense ? { dense: ctx.info.dense, denseColumns: ctx.info.denseCols ?? 0 } : {}),
      ...(ctx.info.liftDigits ? { liftDigits: ctx.info.liftDigits } : {}),
      totalMs,
      dbBytes: 0,
      seed: opts.seed ?? 1,
    },
  };
  db.stats.dbBytes = Buffer.byteLength(serialize(db));
  if (opts.keepRelations) db.sample = r.sample;
  return db;
}

/** A descent's outcome: h·g^k ≡ r/t with the factors of r and t ([index, exponent] pairs), or k = null. */
interface Descent {
  k: bigint | null;
  bufR: number[];
  bufT: number[];
  candidates: number;
}

/** The descent candidate by candidate (primes up to about 2^100: r and t in doubles). */
function walkDescent(walk: LatticeWalk, test: SmoothTest, maxCandidates: number): Descent {
  const bufR: number[] = [];
  const bufT: number[] = [];
  for (let candidates = 1; candidates <= maxCandidates; candidates++) {
    if (walk.next() && candidateSmooth(walk, test, bufR, bufT)) return { k: walk.k, bufR, bufT, candidates };
  }
  return { k: null, bufR, bufT, candidates: maxCandidates };
}

/** The descent by the lattice sieve (larger primes); candidates counts the lattice cells sieved. */
function sieveDescent(walk: LatticeWalk, test: SmoothTest & { known: Uint8Array }, maxCandidates: number): Descent {
  const hit = latticeSieveDescent(walk, test, Math.ceil(maxCandidates / LATTICE_CELLS));
  if (hit) return { k: hit.k, bufR: hit.bufR, bufT: hit.bufT, candidates: hit.cells };
  return { k: null, bufR: [], bufT: [], candidates: maxCandidates };
}

const descentTests = new WeakMap<IndexDb, DescentTest>();

/**
 * The descent's smoothness test for a database, built once per database: trial division by the primes
 * ≤ B (a last cofactor may be one of the large primes with a known log). Above 2^100 the candidates
 * are bigints and most are not smooth, so an early abort pays off (Pomerance): after the primes up to
 * sqrt(B) the cofactor must be below B^3.
 */
function descentTest(db: IndexDb): DescentTest {
  const cached = descentTests.get(db);
  if (cached) return cached;
  let limit = db.primes.length;
  while (limit > 0 && db.primes[limit - 1]! > db.bound) limit--;
  const test = descentBase(db.p, db.primes, db.logs, limit);
  descentTests.set(db, test);
  return test;
}

type DescentTest = SmoothTest & { sqrtP: bigint; known: Uint8Array };

/**
 * The smoothness test over `primes` (trial division up to `limit`, later ones as a last cofactor),
 * known where `logs` has one.
 */
function descentBase(
  p: bigint,
  primes: readonly number[],
  logs: ReadonlyArray<bigint | null>,
  limit: number,
): DescentTest {
  const fb = Float64Array.from(primes);
  const known = Uint8Array.from(primes, (_, i) => (logs[i] === null || logs[i] === undefined ? 0 : 1));
  const sqrtP = isqrt(p);
  const big = sqrtP >= 1n << 50n;
  const abort = big ? earlyAbort(primes.slice(0, limit), 80) : { abortAt: -1, abortAbove: Infinity };
  return { fb, known, limit, ...abort, sqrtP };
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
    return {
      x: null,
      candidates: 0,
      ms: performance.now() - t0,
      note: `h is not a power of g: h^ord(g) ≠ 1 (ord(g) = ${order}), so no log exists`,
    };
  }
  const test = descentTest(db);
  const rng = new Rng(opts.seed ?? Number(h % 1000003n));
  const walk = new LatticeWalk(p, g, h, q, test.sqrtP, rng);
  const maxCandidates = opts.maxCandidates ?? 5_000_000;
  const found = walk.big ? sieveDescent(walk, test, maxCandidates) : walkDescent(walk, test, maxCandidates);
  const { candidates, bufR, bufT } = found;
  let Lq: bigint | null = null;
  if (found.k !== null) {
    let acc = -found.k;
    for (let i = 0; i < bufR.length; i += 2) acc += BigInt(bufR[i + 1]!) * db.logs[bufR[i]!]!;
    for (let i = 0; i < bufT.length; i += 2) acc -= BigInt(bufT[i + 1]!) * db.logs[bufT[i]!]!;
    Lq = mod(acc, q);
  }
  if (Lq === null) {
    return {
      x: null,
      candidates,
      ms: performance.now() - t0,
      note: `no smooth h·g^k in ${maxCandidates} candidates (too few known logs in the database?)`,
    };
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
  return { x, candidates, k: mod(found.k!, q), num: pairs(bufR), den: pairs(bufT), ms: performance.now() - t0 };
}
