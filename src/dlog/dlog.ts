/**
 * The front door: `dlog(g, h, p, { method })` checks the inputs, finds ord(g), answers "no
 * solution" when h is not a power of g, runs one algorithm, verifies g^x = h, and returns the log
 * with a cost record (group operations, stored elements, milliseconds) for charts and tables.
 *
 * Sizes that would take too long are refused with an estimate unless `force` is set: each method
 * has a step budget (its expected step count against about 3·10^6 group operations per second
 * with JavaScript bigints on a laptop).
 *
 * @example
 *   dlog(2n, 9n, 11n).x                      // 6n (2^6 = 64 ≡ 9 mod 11)
 *   dlog(4n, 5n, 23n).x                      // null: 4 is a square mod 23 and 5 is not
 */
import { UnsupportedError } from "../util/errors";
import { bruteForce, bsgs, kangaroo, pohligHellman, rho, type Core } from "./generic";
import { bitLength } from "../math/modular";
import { checkElement, checkPrime, formatFactors, groupOf, inSubgroup, type Group } from "./group";
import { estimateSeconds, humanDuration, precompute, solve } from "./index-calculus";
import { checkAnswer } from "./verify";

export type Method = "brute" | "bsgs" | "rho" | "kangaroo" | "ph" | "index";
export const METHODS: readonly Method[] = ["brute", "bsgs", "rho", "kangaroo", "ph", "index"];

export interface DlogResult {
  method: Method;
  p: bigint;
  g: bigint;
  h: bigint;
  /** ord(g) and its factorization as text. */
  order: bigint;
  orderFactors: string;
  /** log_g(h) in [0, ord(g)), or null when there is none. */
  x: bigint | null;
  /** g^x = h was checked (always true when x is not null). */
  verified: boolean;
  steps: number;
  stored: number;
  ms: number;
  note?: string;
}

export interface DlogOptions {
  method?: Method;
  /** For the kangaroo: the interval known to hold the log (default [0, ord(g) - 1]). */
  lo?: bigint;
  hi?: bigint;
  /** Run even when the estimate is above `maxSeconds`. */
  force?: boolean;
  /** Refuse above this estimated time (default 60 s). */
  maxSeconds?: number;
  seed?: number;
}

/** Group operations per second assumed by the estimates (JavaScript bigints, 64-bit p). */
export const OPS_PER_SECOND = 3e6;

/** Expected group operations for `method` on this group (order n, largest prime factor r). */
export function expectedSteps(method: Method, G: Group, interval?: bigint): number {
  const n = Number(G.order);
  switch (method) {
    case "brute":
      return n / 2;
    case "bsgs":
      return 1.5 * Math.sqrt(n);
    case "rho":
      return 1.3 * Math.sqrt(n);
    case "kangaroo":
      return 2 * Math.sqrt(Number(interval ?? G.order));
    case "ph":
      return G.factors.reduce((s, [q, e]) => s + e * 1.5 * Math.sqrt(Number(q)), 0);
    case "index":
      return estimateSeconds(bitLength(G.p)) * OPS_PER_SECOND;
  }
}

/** Throws UnsupportedError with an estimate when `method` would take more than `maxSeconds`. */
export function checkBudget(method: Method, G: Group, opts: DlogOptions, interval?: bigint): void {
  if (opts.force) return;
  const seconds =
    method === "index" ? estimateSeconds(bitLength(G.p)) : expectedSteps(method, G, interval) / OPS_PER_SECOND;
  const max = opts.maxSeconds ?? 60;
  if (method === "bsgs" && Math.sqrt(Number(G.order)) > 2 ** 26 && !opts.force) {
    throw new UnsupportedError(
      `BSGS would store about ${Math.round(Math.sqrt(Number(G.order))).toExponential(1)} elements (more ` +
        `memory than this machine has); use rho or ph`,
      { value: G.order, where: 'dlog(…, { method: "bsgs" })' },
    );
  }
  if (seconds > max) {
    throw new UnsupportedError(
      `${method} would take ${humanDuration(seconds)} at this size (ord(g) = ` +
        `${formatFactors(G.factors)}); pass --force (or { force: true }) to run it anyway`,
      {
        value: G.order,
        where: `dlog(…, { method: "${method}" })`,
      },
    );
  }
}

/** Picks a method: Pohlig-Hellman when ord(g) is smooth, index calculus for safe primes ≥ 32 bits, else rho. */
export function autoMethod(G: Group): Method {
  const r = G.factors.length ? G.factors[G.factors.length - 1]![0] : 1n;
  if (G.order < 1n << 20n) return "bsgs";
  if (r < 1n << 40n) return "ph";
  if (
    bitLength(G.p) >= 32 &&
    (G.p - 1n) % r === 0n &&
    ((G.p - 1n) / r) % r !== 0n &&
    r === G.factors[G.factors.length - 1]![0]
  )
    return "index";
  return "rho";
}

/** Computes log_g(h) modulo the prime p with the chosen method; verifies the answer. */
export function dlog(g: bigint, h: bigint, p: bigint, opts: DlogOptions = {}): DlogResult {
  checkPrime(p, "dlog(…, p)");
  const G = groupOf(p, g);
  const hh = checkElement(h, p, "dlog(…, h, …)");
  const method = opts.method ?? autoMethod(G);
  const base = { method, p, g: G.g, h: hh, order: G.order, orderFactors: formatFactors(G.factors) };
  const t0 = performance.now();
  if (!inSubgroup(G, hh)) {
    return {
      ...base,
      x: null,
      verified: false,
      steps: 1,
      stored: 0,
      ms: performance.now() - t0,
      note: `h is not a power of g (h^ord(g) = h^${G.order} ≠ 1 mod p)`,
    };
  }
  const lo = opts.lo ?? 0n;
  const hi = opts.hi ?? G.order - 1n;
  checkBudget(method, G, opts, hi - lo);
  let core: Core;
  switch (method) {
    case "brute":
      core = bruteForce(G.g, hh, p, G.order);
      break;
    case "bsgs":
      core = bsgs(G.g, hh, p, G.order);
      break;
    case "rho":
      core = rho(G.g, hh, p, G.order, { seed: opts.seed });
      break;
    case "kangaroo":
      core = kangaroo(G.g, hh, p, G.order, lo, hi, { seed: opts.seed });
      break;
    case "ph":
      core = pohligHellman(G.g, hh, p, G.order, G.factors);
      break;
    case "index": {
      const db = precompute(p, G.g, { force: opts.force, seed: opts.seed });
      const s = solve(db, hh);
      core = {
        x: s.x,
        steps: db.stats.candidates + s.candidates,
        stored: db.primes.length,
        note:
          `precomputation ${db.stats.totalMs.toFixed(0)} ms (${db.stats.relations} relations over ` +
          `${db.primes.length} primes ≤ ${db.bound}), target ${s.ms.toFixed(1)} ms`,
      };
      break;
    }
    default:
      throw new UnsupportedError("unknown method", {
        value: method,
        where: "dlog(…, { method })",
        hint: `use one of ${METHODS.join(", ")}`,
      });
  }
  const ms = performance.now() - t0;
  let verified = false;
  if (core.x !== null) {
    checkAnswer(G.g, hh, p, core.x, `dlog(…, { method: "${method}" })`);
    verified = true;
  }
  return { ...base, x: core.x, verified, steps: core.steps, stored: core.stored, ms, note: core.note };
}
