/**
 * Modular arithmetic on bigint: the clock arithmetic every later topic stands on.
 *
 * Small pure functions with input checks (modulus > 1, integer inputs), after the style of
 * noble-curves `abstract/modular.ts`. Reference: Menezes, van Oorschot, Vanstone, "Handbook of
 * Applied Cryptography", ch. 2.4 (modular arithmetic) and algorithm 14.76 (left-to-right binary
 * exponentiation).
 *
 * @example
 *   mod(-3n, 7n)          // 4n
 *   modPow(7n, 29n, 17n)  // 6n
 *   modInv(3n, 7n)        // 5n
 */
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

/** Extended Euclid: returns [g, x, y] with a·x + b·y = g = gcd(a, b). */
export function egcd(a: bigint, b: bigint): [bigint, bigint, bigint] {
  assertBigint(a, "egcd(a, …)");
  assertBigint(b, "egcd(…, b)");
  let [oldR, r] = [a, b];
  let [oldS, s] = [1n, 0n];
  let [oldT, t] = [0n, 1n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
    [oldT, t] = [t, oldT - q * t];
  }
  if (oldR < 0n) return [-oldR, -oldS, -oldT];
  return [oldR, oldS, oldT];
}

/** The inverse of `a` modulo `m`; throws when gcd(a, m) ≠ 1 (no inverse exists). */
export function modInv(a: bigint, m: bigint): bigint {
  assertModulus(m, "modInv(…, m)");
  const [g, x] = egcd(mod(a, m), m);
  if (g !== 1n) throw new InputError(`${a} has no inverse modulo ${m} (they share the factor ${g})`, { value: a, where: "modInv" });
  return mod(x, m);
}

/**
 * `base^exp mod m` by left-to-right square-and-multiply. `exp` must be ≥ 0 (use modInv for
 * negative powers). Constant-time is not a goal: this is a teaching and analysis library.
 */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  assertBigint(base, "modPow(base, …)");
  assertBigint(exp, "modPow(…, exp, …)");
  assertModulus(m, "modPow(…, m)");
  if (exp < 0n) throw new InputError("the exponent must be non-negative", { value: exp, where: "modPow(…, exp, …)" });
  let result = 1n;
  let b = mod(base, m);
  for (const bit of exp.toString(2)) {
    result = (result * result) % m;
    if (bit === "1") result = (result * b) % m;
  }
  return result % m;
}
