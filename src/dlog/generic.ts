/**
 * Generic discrete-log algorithms: they use only multiplication in the group, so they work in any
 * cyclic group and cost about sqrt(order) (or the whole order for brute force).
 *
 * - brute force: g^0, g^1, … until h;
 * - baby-step giant-step (Shanks, 1971; Handbook of Applied Cryptography, algorithm 3.56);
 * - Pollard rho with Teske's r-adding walk (r = 20) and Brent's cycle finding (Teske, "Speeding up
 *   Pollard's rho method for computing discrete logarithms", ANTS-III 1998; Brent 1980). Measured
 *   in bench/dlog.ts on 40-bit groups: 1.8·sqrt(q) multiplications per log against 4.4·sqrt(q) for
 *   the textbook 3-partition walk with Floyd's two-speed loop (`rhoTextbook`), 2.6× less CPU;
 * - Pollard kangaroo (lambda) for a log known to lie in an interval [a, b] (Pollard, "Monte Carlo
 *   methods for index computation mod p", Math. Comp. 32, 1978; van Oorschot & Wiener, J.
 *   Cryptology 12, 1999): about 2·sqrt(b - a) steps;
 * - Pohlig-Hellman (IEEE Trans. IT-24, 1978; Handbook algorithm 3.63): one small log per prime
 *   power of ord(g), glued with the Chinese remainder theorem (`crt`).
 *
 * Every function returns the log (or null) and counts group operations in `steps` and stored
 * elements in `stored`, so the notebook can chart cost against size. They assume h is a power of
 * g; the front door `dlog()` checks that first and verifies g^x = h after.
 *
 * @example
 *   bsgs(5n, 8n, 23n, 22n).x   // 6n  (5^6 = 15625 ≡ 8 mod 23)
 */
import { crt, gcd, isqrt, mod, modInv, modPow } from "../math/modular";
import { InputError } from "../util/errors";
import { Rng } from "../util/rng";
import type { Factorization } from "./group";

export interface Core {
  /** The log in [0, order), or null when none was found. */
  x: bigint | null;
  /** Group multiplications (the cost measure charted in the notebook). */
  steps: number;
  /** Group elements kept in memory at the peak (BSGS table size, kangaroo trap, …). */
  stored: number;
  /** Why x is null, or a remark on how it was found. */
  note?: string;
  /** Per-prime sub-results of Pohlig-Hellman. */
  parts?: Array<{ prime: bigint; exponent: number; residue: bigint; modulus: bigint; steps: number }>;
}

/** Tries g^0, g^1, …, g^(n-1). */
export function bruteForce(g: bigint, h: bigint, p: bigint, n: bigint): Core {
  let y = 1n;
  const limit = Number(n);
  for (let x = 0; x < limit; x++) {
    if (y === h) return { x: BigInt(x), steps: x, stored: 1 };
    y = (y * g) % p;
  }
  return { x: null, steps: limit, stored: 1, note: "no power of g equals h" };
}

/**
 * Baby-step giant-step: with m = ceil(sqrt(n)), store g^j for j < m, then look for h·g^(-i·m).
 * Costs about 2·sqrt(n) multiplications and sqrt(n) stored elements.
 */
export function bsgs(g: bigint, h: bigint, p: bigint, n: bigint): Core {
  const s = isqrt(n);
  const m = s * s === n ? s : s + 1n;
  const M = Number(m);
  const table = new Map<bigint, number>();
  let y = 1n;
  for (let j = 0; j < M; j++) {
    if (!table.has(y)) table.set(y, j);
    y = (y * g) % p;
  }
  const giant = modInv(modPow(g, m, p), p); // g^(-m)
  let gamma = mod(h, p);
  for (let i = 0; i < M; i++) {
    const j = table.get(gamma);
    if (j !== undefined) return { x: mod(BigInt(i) * m + BigInt(j), n), steps: M + i, stored: table.size };
    gamma = (gamma * giant) % p;
  }
  return { x: null, steps: 2 * M, stored: table.size, note: "no match between baby steps and giant steps" };
}

/** Solves a·x ≡ b (mod n); returns every solution in [0, n) when there are at most `max`. */
export function solveLinear(a: bigint, b: bigint, n: bigint, max = 1 << 16): bigint[] | undefined {
  a = mod(a, n);
  b = mod(b, n);
  const d = gcd(a, n);
  if (b % d !== 0n) return [];
  if (d > BigInt(max)) return undefined;
  const n1 = n / d;
  const x0 = n1 === 1n ? 0n : mod((b / d) * modInv(a / d, n1), n1);
  const out: bigint[] = [];
  for (let k = 0n; k < d; k++) out.push(x0 + k * n1);
  return out;
}

const RHO_R = 20;

/**
 * Pollard rho with an r-adding walk: y ← y·M_j where j depends on y and M_j = g^a_j·h^b_j. Brent's
 * loop keeps one saved point and doubles the distance to it; a collision gives
 * a + b·x ≡ a' + b'·x (mod n). `maxSteps` bounds the work.
 */
export function rho(g: bigint, h: bigint, p: bigint, n: bigint, opts: { seed?: number; maxSteps?: number } = {}): Core {
  const rng = new Rng(opts.seed ?? 1);
  const maxSteps = opts.maxSteps ?? 2 ** 40;
  let steps = 0;
  h = mod(h, p);
  for (let attempt = 0; attempt < 12; attempt++) {
    const A: bigint[] = [];
    const B: bigint[] = [];
    const M: bigint[] = [];
    for (let j = 0; j < RHO_R; j++) {
      const a = rng.bigBetween(0n, n - 1n);
      const b = rng.bigBetween(0n, n - 1n);
      A.push(a);
      B.push(b);
      M.push((modPow(g, a, p) * modPow(h, b, p)) % p);
    }
    let a = rng.bigBetween(0n, n - 1n);
    let b = rng.bigBetween(0n, n - 1n);
    let y = (modPow(g, a, p) * modPow(h, b, p)) % p;
    let ts = y;
    let ta = a;
    let tb = b;
    let power = 1;
    let lam = 0;
    for (;;) {
      const j = Number(y & 0xffffn) % RHO_R;
      y = (y * M[j]!) % p;
      a += A[j]!;
      b += B[j]!;
      steps++;
      lam++;
      if ((steps & 1023) === 0) {
        a %= n;
        b %= n;
      }
      if (y === ts) {
        const cands = solveLinear(tb - b, a - ta, n);
        if (cands) {
          for (const x of cands)
            if (modPow(g, x, p) === h)
              return { x, steps, stored: 1 + RHO_R, note: `collision after ${steps} steps (attempt ${attempt + 1})` };
        }
        break; // degenerate collision: restart with a new walk
      }
      if (lam === power) {
        ts = y;
        ta = a;
        tb = b;
        power *= 2;
        lam = 0;
      }
      if (steps >= maxSteps) return { x: null, steps, stored: 1 + RHO_R, note: `gave up after ${steps} steps` };
    }
  }
  return { x: null, steps, stored: 1 + RHO_R, note: "every walk ended in a useless collision" };
}

/**
 * Pollard's original rho (Handbook of Applied Cryptography, algorithm 3.60): the 3-partition walk
 * (y·h, y², y·g by y mod 3) with Floyd's two-speed cycle finding. Kept to compare against `rho`
 * (bench/dlog.ts measures both): the r-adding walk needs fewer steps and Brent one walk instead of two.
 */
export function rhoTextbook(
  g: bigint,
  h: bigint,
  p: bigint,
  n: bigint,
  opts: { seed?: number; maxSteps?: number } = {},
): Core {
  const rng = new Rng(opts.seed ?? 1);
  const maxSteps = opts.maxSteps ?? 2 ** 40;
  h = mod(h, p);
  let steps = 0;
  const step = (y: bigint, a: bigint, b: bigint): [bigint, bigint, bigint] => {
    const s = Number(y % 3n);
    if (s === 0) return [(y * h) % p, a, (b + 1n) % n];
    if (s === 1) return [(y * y) % p, (2n * a) % n, (2n * b) % n];
    return [(y * g) % p, (a + 1n) % n, b];
  };
  for (let attempt = 0; attempt < 12; attempt++) {
    const a0 = rng.bigBetween(0n, n - 1n);
    const b0 = rng.bigBetween(0n, n - 1n);
    let x: [bigint, bigint, bigint] = [(modPow(g, a0, p) * modPow(h, b0, p)) % p, a0, b0];
    let y = x;
    for (;;) {
      x = step(...x);
      y = step(...step(...y));
      steps += 3;
      if (x[0] === y[0]) {
        const cands = solveLinear(x[2] - y[2], y[1] - x[1], n);
        if (cands) for (const c of cands) if (modPow(g, c, p) === h) return { x: c, steps, stored: 2 };
        break;
      }
      if (steps >= maxSteps) return { x: null, steps, stored: 2, note: `gave up after ${steps} steps` };
    }
  }
  return { x: null, steps, stored: 2, note: "every walk ended in a useless collision" };
}

/**
 * Pollard's kangaroo for a log in [lo, hi]: a tame kangaroo starts at g^hi and jumps by g^(2^j),
 * leaving a trap; a wild kangaroo starts at h with the same jump rule. If the wild one lands on a
 * spot the tame one visited, both follow the same path to the trap and the distances give x.
 * Returns the log in [lo, hi], or null if none was found (after several jump sets) or the log found
 * lies outside [lo, hi].
 */
export function kangaroo(
  g: bigint,
  h: bigint,
  p: bigint,
  n: bigint,
  lo: bigint,
  hi: bigint,
  opts: { seed?: number } = {},
): Core {
  if (lo < 0n || hi < lo)
    throw new InputError("kangaroo needs 0 ≤ lo ≤ hi", { value: [lo, hi], where: "kangaroo(…, lo, hi)" });
  h = mod(h, p);
  const w = hi - lo;
  let steps = 0;
  if (w < 64n) {
    let y = modPow(g, lo, p);
    for (let x = lo; x <= hi; x++) {
      if (y === h) return { x, steps, stored: 1 };
      y = (y * g) % p;
      steps++;
    }
    return { x: null, steps, stored: 1, note: `no log in [${lo}, ${hi}]` };
  }
  const sqrtW = Number(isqrt(w));
  // k jump sizes 2^0 … 2^(k-1) with mean (2^k - 1)/k close to sqrt(w)/2.
  let k = 1;
  while ((2 ** (k + 1) - 1) / (k + 1) < sqrtW / 2) k++;
  k++;
  const rng = new Rng(opts.seed ?? 7);
  for (let attempt = 0; attempt < 6; attempt++) {
    const salt = rng.u32();
    const S: bigint[] = [];
    const J: bigint[] = [];
    for (let j = 0; j < k; j++) {
      S.push(1n << BigInt(j));
      J.push(modPow(g, 1n << BigInt(j), p));
    }
    const pick = (y: bigint) => ((Number(y & 0xffffffn) ^ salt) >>> 0) % k;
    let yt = modPow(g, hi, p);
    let dt = 0n;
    const tameSteps = 2 * sqrtW + 16;
    for (let i = 0; i < tameSteps; i++) {
      const j = pick(yt);
      yt = (yt * J[j]!) % p;
      dt += S[j]!;
      steps++;
    }
    let yw = h;
    let dw = 0n;
    const limit = w + dt;
    while (dw <= limit) {
      if (yw === yt) {
        const x = hi + dt - dw;
        if (modPow(g, mod(x, n), p) === h) {
          // A wild kangaroo that started past hi can still meet the tame path: the log it finds is
          // then outside the interval. Logs repeat every n, so take the one at or above lo.
          const inside = lo + mod(x - lo, n);
          if (inside <= hi) return { x: inside, steps, stored: k + 1, note: `trap hit on attempt ${attempt + 1}` };
          return { x: null, steps, stored: k + 1, note: `the log is ${mod(x, n)} (mod ${n}), outside [${lo}, ${hi}]` };
        }
        break;
      }
      const j = pick(yw);
      yw = (yw * J[j]!) % p;
      dw += S[j]!;
      steps++;
    }
  }
  return {
    x: null,
    steps,
    stored: k + 1,
    note: `no log found in [${lo}, ${hi}] (the kangaroo is probabilistic: 6 jump sets missed)`,
  };
}

export type SubSolver = (g: bigint, h: bigint, p: bigint, r: bigint) => Core;

/** Default solver for a prime-order piece: BSGS up to 2^40, rho above. */
export const defaultSubSolver: SubSolver = (g, h, p, r) => (r <= 1n << 40n ? bsgs(g, h, p, r) : rho(g, h, p, r));

/**
 * Pohlig-Hellman: for each prime power r^e dividing n = ord(g), find x mod r^e one base-r digit
 * at a time, each digit a log in the subgroup of order r; then CRT.
 */
export function pohligHellman(
  g: bigint,
  h: bigint,
  p: bigint,
  n: bigint,
  factors: Factorization,
  sub: SubSolver = defaultSubSolver,
): Core {
  let steps = 0;
  let stored = 0;
  const parts: NonNullable<Core["parts"]> = [];
  h = mod(h, p);
  for (const [r, e] of factors) {
    const re = r ** BigInt(e);
    const gamma = modPow(g, n / r, p); // order r
    let x = 0n; // x mod r^k so far
    let pieceSteps = 0;
    for (let k = 0; k < e; k++) {
      const rk = r ** BigInt(k);
      // h_k = (g^(-x) · h)^(n / r^(k+1)) has order dividing r
      const hk = modPow((modInv(modPow(g, x, p), p) * h) % p, n / (rk * r), p);
      const d = sub(gamma, hk, p, r);
      steps += d.steps + 2 * r.toString(2).length;
      pieceSteps += d.steps;
      stored = Math.max(stored, d.stored);
      if (d.x === null) return { x: null, steps, stored, parts, note: `no log modulo ${r} (h is not a power of g)` };
      x += d.x * rk;
    }
    parts.push({ prime: r, exponent: e, residue: x, modulus: re, steps: pieceSteps });
  }
  const { x } = crt(
    parts.map((q) => q.residue),
    parts.map((q) => q.modulus),
  );
  return { x: mod(x, n), steps, stored, parts };
}
