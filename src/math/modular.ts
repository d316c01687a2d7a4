/**
 * Modular arithmetic on bigint: the clock arithmetic every later topic stands on (the shared
 * math floor below `dh` and `dlog`).
 *
 * Small pure functions with input checks (modulus > 1, integer inputs), after the style of
 * noble-curves `abstract/modular.ts`. Reference: Menezes, van Oorschot, Vanstone, "Handbook of
 * Applied Cryptography" (HAC), ch. 2.4 (modular arithmetic) and algorithm 14.76 (left-to-right
 * binary exponentiation).
 *
 * Which code is whose:
 * - bigint-crypto-utils (the project's arithmetic library) does what the lessons do not need to
 *   show: the extended Euclid (`egcd`), the inverse (`modInv`) and `bitLength`. The wrappers here
 *   only check inputs and turn its errors into errors that name the value.
 * - The kit's own code where the algorithm is the lesson or the speed matters: `modPow`
 *   (square-and-multiply and a sliding window, traced step by step by `modPowTrace`),
 *   `fixedBasePow` (one base, many exponents: the index calculus's log checks), `crt`
 *   (Gauss's construction, used by the small-subgroup attack and Pohlig-Hellman) and `isqrt`.
 *
 * @example
 *   mod(-3n, 7n)          // 4n
 *   modPow(7n, 29n, 17n)  // 6n
 *   modInv(3n, 7n)        // 5n
 */
import * as bcu from "bigint-crypto-utils";
import { InputError } from "../util/errors";

/** Checks that `x` is a bigint; `where` names the argument in the error. */
export function assertBigint(x: unknown, where: string): asserts x is bigint {
  if (typeof x !== "bigint") {
    throw new InputError("expected an integer (bigint, e.g. 17n)", { value: x, where });
  }
}

/** Checks that a modulus is an integer greater than 1. */
export function assertModulus(m: unknown, where = "modulus"): asserts m is bigint {
  assertBigint(m, where);
  if (m <= 1n) throw new InputError("the modulus must be greater than 1", { value: m, where });
}

/** The least non-negative residue of `a` modulo `m` (JavaScript's `%` keeps the sign of `a`). */
export function mod(a: bigint, m: bigint): bigint {
  assertBigint(a, "mod(a, …)");
  assertModulus(m, "mod(…, m)");
  const r = a % m;
  return r < 0n ? r + m : r;
}

export function modAdd(a: bigint, b: bigint, m: bigint): bigint {
  return mod(a + b, m);
}

export function modSub(a: bigint, b: bigint, m: bigint): bigint {
  return mod(a - b, m);
}

export function modMul(a: bigint, b: bigint, m: bigint): bigint {
  return mod(a * b, m);
}

/** Greatest common divisor (Euclid), always non-negative. */
export function gcd(a: bigint, b: bigint): bigint {
  assertBigint(a, "gcd(a, …)");
  assertBigint(b, "gcd(…, b)");
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Extended Euclid: returns [g, x, y] with a·x + b·y = g = gcd(a, b) ≥ 0 (bigint-crypto-utils). */
export function egcd(a: bigint, b: bigint): [bigint, bigint, bigint] {
  assertBigint(a, "egcd(a, …)");
  assertBigint(b, "egcd(…, b)");
  if (a === 0n && b === 0n) return [0n, 0n, 0n];
  if (a <= 0n || b <= 0n) return egcdSigned(a, b);
  const { g, x, y } = bcu.eGcd(a, b);
  return [g, x, y];
}

/** bigint-crypto-utils takes positive inputs only: reduce signs and zeros to that case. */
function egcdSigned(a: bigint, b: bigint): [bigint, bigint, bigint] {
  if (b === 0n) return a < 0n ? [-a, -1n, 0n] : [a, 1n, 0n];
  if (a === 0n) return b < 0n ? [-b, 0n, -1n] : [b, 0n, 1n];
  const [g, x, y] = egcd(a < 0n ? -a : a, b < 0n ? -b : b);
  return [g, a < 0n ? -x : x, b < 0n ? -y : y];
}

/** The inverse of `a` modulo `m`; throws when gcd(a, m) ≠ 1 (no inverse exists). */
export function modInv(a: bigint, m: bigint): bigint {
  assertBigint(a, "modInv(a, …)");
  assertModulus(m, "modInv(…, m)");
  const g = gcd(a, m);
  if (g !== 1n)
    throw new InputError(`${a} has no inverse modulo ${m} (they share the factor ${g})`, { value: a, where: "modInv" });
  return bcu.modInv(mod(a, m), m);
}

/** Number of bits of a positive bigint (0 for 0 and negatives). */
export function bitLength(n: bigint): number {
  assertBigint(n, "bitLength(n)");
  return n <= 0n ? 0 : bcu.bitLength(n);
}

/** Integer square root: the largest s with s·s ≤ n (Newton's method, exact for any size). */
export function isqrt(n: bigint): bigint {
  assertBigint(n, "isqrt(n)");
  if (n < 0n) throw new InputError("isqrt of a negative number", { value: n, where: "isqrt" });
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

/**
 * `base^exp mod m`. `exp` must be ≥ 0 (use modInv for negative powers). Constant-time is not a
 * goal: this is a teaching and analysis library.
 *
 * Method by size: exponents under 64 bits use left-to-right square-and-multiply (HAC 14.76);
 * larger ones a sliding window of width 5 (HAC 14.85) with BigInt `%` reduction. Montgomery
 * multiplication (HAC 14.36) is available through `modPowWith` but is slower on V8 BigInt: it
 * needs three full products per step (V8 has no half product), where `%` costs about one and a
 * half (measured in bench/dh.ts). `modPowTrace` shows the binary method step by step.
 */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  checkPowArgs(base, exp, m, "modPow");
  return powAuto(mod(base, m), exp, m);
}

/**
 * Fixed-base exponentiation (HAC 14.109, fixed-base windowing): for one base raised to many
 * exponents below 2^bits, a table of base^(j·2^(w·k)) for every w-bit digit position k makes each
 * power one multiplication per digit and no squarings (16 for a 128-bit exponent, against about
 * 150 for `modPow`). Building the table costs 2^w multiplications per digit position.
 */
export function fixedBasePow(base: bigint, m: bigint, bits: number, w = 8): (exp: bigint) => bigint {
  checkPowArgs(base, 0n, m, "fixedBasePow");
  if (!Number.isInteger(bits) || bits < 1 || !Number.isInteger(w) || w < 1 || w > 12) {
    throw new InputError("fixedBasePow needs bits ≥ 1 and a window of 1 to 12 bits", {
      value: { bits, w },
      where: "fixedBasePow",
    });
  }
  const digits = Math.ceil(bits / w);
  const size = 1 << w;
  const mask = BigInt(size - 1);
  const W = BigInt(w);
  const limit = 1n << BigInt(digits * w);
  const table: bigint[][] = [];
  let b = mod(base, m);
  for (let k = 0; k < digits; k++) {
    const row = [1n % m];
    for (let j = 1; j < size; j++) row.push((row[j - 1]! * b) % m);
    table.push(row);
    b = (row[size - 1]! * b) % m; // base^(2^(w·(k+1)))
  }
  return (exp: bigint) => {
    if (exp < 0n || exp >= limit) return modPow(base, exp, m);
    let acc = 1n % m;
    for (let k = 0; exp > 0n; k++, exp >>= W) {
      const d = Number(exp & mask);
      if (d !== 0) acc = (acc * table[k]![d]!) % m;
    }
    return acc;
  };
}

/**
 * a^-1 mod m for small numbers (0 < a < m < 2^26, gcd 1), by the extended Euclid in doubles: the
 * sieves' per-prime roots, where a bigint inverse would cost more than the sieving it serves.
 */
export function modInvSmall(a: number, m: number): number {
  let t = 0;
  let nt = 1;
  let r = m;
  let nr = a;
  while (nr !== 0) {
    const k = Math.floor(r / nr);
    [t, nt] = [nt, t - k * nt];
    [r, nr] = [nr, r - k * nr];
  }
  if (r !== 1) throw new InputError("no inverse: a and m are not coprime", { value: { a, m }, where: "modInvSmall" });
  return t < 0 ? t + m : t;
}

/** The exponentiation methods this module implements. */
export type PowMethod = "binary" | "window" | "montgomery";

/** `base^exp mod m` with one named method (all give the same result). */
export function modPowWith(method: PowMethod, base: bigint, exp: bigint, m: bigint, window = 6): bigint {
  checkPowArgs(base, exp, m, "modPowWith");
  const b = mod(base, m);
  if (method === "binary") return powBinary(b, exp, m);
  if (method === "window") return powWindow(b, exp, m, window);
  if (method === "montgomery") {
    if ((m & 1n) === 0n)
      throw new InputError("Montgomery multiplication needs an odd modulus", {
        value: m,
        where: 'modPowWith("montgomery", …, m)',
      });
    return powMontgomery(b, exp, m, window);
  }
  throw new InputError("unknown method: use binary, window or montgomery", {
    value: method,
    where: "modPowWith(method)",
  });
}

function checkPowArgs(base: unknown, exp: unknown, m: unknown, fn: string): asserts exp is bigint {
  assertBigint(base, `${fn}(base, …)`);
  assertBigint(exp, `${fn}(…, exp, …)`);
  assertModulus(m, `${fn}(…, m)`);
  if ((exp as bigint) < 0n)
    throw new InputError("the exponent must be non-negative", { value: exp, where: `${fn}(…, exp, …)` });
}

function powAuto(b: bigint, e: bigint, m: bigint): bigint {
  if (e < 1n << 64n) return powBinary(b, e, m);
  return powWindow(b, e, m, 5);
}

/** Left-to-right square-and-multiply; `b` already reduced. */
function powBinary(b: bigint, e: bigint, m: bigint): bigint {
  let result = 1n;
  for (const bit of e.toString(2)) {
    result = (result * result) % m;
    if (bit === "1") result = (result * b) % m;
  }
  return result % m;
}

/**
 * Sliding-window skeleton shared by the plain and Montgomery variants: precompute the odd powers
 * b, b^3, …, b^(2^w - 1), then walk the exponent's bits from the top, squaring once per bit and
 * multiplying once per window (a window starts and ends with a 1 bit).
 */
function slidingWindow(one: bigint, b: bigint, e: bigint, w: number, mul: (x: bigint, y: bigint) => bigint): bigint {
  if (e === 0n) return one;
  const b2 = mul(b, b);
  const odd: bigint[] = [b];
  for (let i = 1; i < 1 << (w - 1); i++) odd.push(mul(odd[i - 1]!, b2));
  const bits = e.toString(2);
  let r = one;
  let started = false;
  let i = 0;
  while (i < bits.length) {
    if (bits[i] === "0") {
      r = mul(r, r);
      i++;
      continue;
    }
    let j = Math.min(i + w, bits.length);
    while (bits[j - 1] === "0") j--;
    const v = parseInt(bits.slice(i, j), 2);
    if (started) for (let k = i; k < j; k++) r = mul(r, r);
    r = started ? mul(r, odd[(v - 1) >> 1]!) : odd[(v - 1) >> 1]!;
    started = true;
    i = j;
  }
  return r;
}

function powWindow(b: bigint, e: bigint, m: bigint, w: number): bigint {
  return slidingWindow(1n % m, b, e, w, (x, y) => (x * y) % m);
}

/** Montgomery context for an odd modulus m: R = 2^k with k = bit length of m. */
function montgomery(m: bigint) {
  const k = BigInt(m.toString(2).length);
  const mask = (1n << k) - 1n;
  // Newton iteration for m^-1 mod 2^k (each step doubles the correct low bits).
  let inv = 1n;
  for (let bitsOk = 1n; bitsOk < k; bitsOk *= 2n) inv = (inv * (2n - m * inv)) & mask;
  const mPrime = -inv & mask; // -m^-1 mod R
  const redc = (t: bigint): bigint => {
    const u = ((t & mask) * mPrime) & mask;
    const x = (t + u * m) >> k;
    return x >= m ? x - m : x;
  };
  return { k, redc, toMont: (x: bigint) => (x << k) % m };
}

function powMontgomery(b: bigint, e: bigint, m: bigint, w: number): bigint {
  const { redc, toMont } = montgomery(m);
  const r = slidingWindow(toMont(1n), toMont(b), e, w, (x, y) => redc(x * y));
  return redc(r);
}

/** One step of the traced square-and-multiply: bit i of the exponent (i = 0 is the last bit). */
export interface ModPowStep {
  /** Position of the bit, 0 = least significant. */
  i: number;
  /** The exponent bit (0 or 1). */
  bit: 0 | 1;
  /** 2^i: the power of the base this square stands for. */
  power: bigint;
  /** base^(2^i) mod m: the running square (each row is the previous one squared). */
  square: bigint;
  /** Is this square multiplied into the result (bit = 1)? */
  used: boolean;
  /** The accumulated product after this row. */
  acc: bigint;
}

/** What `modPowTrace` returns: every step as data, for tables and charts. */
export interface ModPowTrace {
  base: bigint;
  exp: bigint;
  mod: bigint;
  /** The exponent in binary, most significant bit first (e.g. "11101" for 29). */
  binary: string;
  /** The powers of two that add up to the exponent (e.g. [16n, 8n, 4n, 1n] for 29). */
  powersOfTwo: bigint[];
  /** One row per exponent bit, least significant first. */
  steps: ModPowStep[];
  /** Number of squarings and multiplications actually performed. */
  squarings: number;
  multiplications: number;
  result: bigint;
}

/**
 * `base^exp mod m` by repeated squaring, right to left, returning every step (HAC 14.79):
 * square the base once per exponent bit, multiply the squares whose bit is 1. The DH primer's example ("Diffie Hellman
 * - So well Explained"),
 * 7^29 mod 17: 29 = 11101b, squares 7, 15, 4, 16, 1, result 6. Exponents up to 4096 bits.
 */
export function modPowTrace(base: bigint, exp: bigint, m: bigint): ModPowTrace {
  checkPowArgs(base, exp, m, "modPowTrace");
  if (exp >= 1n << 4096n)
    throw new InputError("traces are limited to 4096-bit exponents", {
      value: exp,
      where: "modPowTrace(…, exp, …)",
    });
  const binary = exp.toString(2);
  const steps: ModPowStep[] = [];
  let square = mod(base, m);
  let acc = 1n % m;
  let squarings = 0;
  let multiplications = 0;
  const n = exp === 0n ? 0 : binary.length;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      square = (square * square) % m;
      squarings++;
    }
    const bit = binary[binary.length - 1 - i] === "1" ? 1 : 0;
    if (bit) {
      acc = (acc * square) % m;
      multiplications++;
    }
    steps.push({ i, bit, power: 1n << BigInt(i), square, used: bit === 1, acc });
  }
  const powersOfTwo = steps
    .filter((s) => s.used)
    .map((s) => s.power)
    .reverse();
  return { base, exp, mod: m, binary, powersOfTwo, steps, squarings, multiplications, result: acc };
}

/**
 * Chinese remainder theorem: the x in [0, M) with x ≡ r_i (mod m_i) for pairwise coprime m_i,
 * M = ∏ m_i (HAC 2.121, Gauss's algorithm). Used by the small-subgroup attack.
 *
 * @example crt([2n, 3n, 2n], [3n, 5n, 7n]) // { x: 23n, m: 105n }
 */
export function crt(residues: bigint[], moduli: bigint[]): { x: bigint; m: bigint } {
  if (
    !Array.isArray(residues) ||
    !Array.isArray(moduli) ||
    residues.length !== moduli.length ||
    residues.length === 0
  ) {
    throw new InputError("crt needs two non-empty arrays of the same length", {
      value: [residues?.length, moduli?.length],
      where: "crt(residues, moduli)",
    });
  }
  let x = 0n;
  let m = 1n;
  moduli.forEach((mi, i) => {
    assertModulus(mi, `crt: moduli[${i}]`);
    const ri = mod(residues[i]!, mi);
    if (gcd(m, mi) !== 1n)
      throw new InputError("crt moduli must be pairwise coprime", { value: mi, where: `crt: moduli[${i}]` });
    // x' = x + m·((ri − x)·m^-1 mod mi)
    const t = mod((ri - x) * modInv(m % mi, mi), mi);
    x += m * t;
    m *= mi;
  });
  return { x: mod(x, m), m };
}
