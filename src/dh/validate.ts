/**
 * Public-key and parameter validation for finite-field Diffie-Hellman, as real stacks do it.
 *
 * - RFC 7919 §5.1: a peer's public value Y must satisfy 1 < Y < p − 1 (rejects 0, 1, p − 1 and
 *   anything not reduced mod p).
 * - NIST SP 800-56A rev. 3 §5.6.2.3.1 (FFC full public-key validation): 2 ≤ y ≤ p − 2 and
 *   y^q ≡ 1 (mod p), i.e. y lies in the prime-order subgroup. For a safe prime p = 2q + 1 this
 *   also rules out the order-2 element p − 1 and every non-square.
 * - A shared secret Z = 1 must be rejected too (SP 800-56A §5.7.1.1), which is what catches a
 *   peer that only range-checks when the group has small subgroups.
 *
 * `checkPublicKey` returns every check as data (for tables); `validatePublicKey` throws a
 * `PublicKeyError` naming the first check that failed and the value.
 *
 * @example
 *   validatePublicKey(p, group)   // PublicKeyError: public key check "range" failed: y must be in [2, p-2]
 */
import { InputError } from "../util/errors";
import { modPow } from "./modular";
import type { DhGroup } from "./groups";

export type PublicKeyCheckName = "integer" | "range" | "subgroup";

export interface PublicKeyCheck {
  name: PublicKeyCheckName;
  /** What the check requires, in words. */
  rule: string;
  pass: boolean;
  /** Why it failed (or a short confirmation). */
  detail: string;
}

/** A public key that fails validation; `check` names the failed check. */
export class PublicKeyError extends InputError {
  readonly check: PublicKeyCheckName;
  constructor(check: PublicKeyCheckName, message: string, value: unknown, where: string) {
    super(`public key check "${check}" failed: ${message}`, { value, where });
    this.check = check;
  }
}

/** Validation level: "none" (trust the peer), "range" (RFC 7919 §5.1), "full" (SP 800-56A: range + subgroup). */
export type ValidationLevel = "none" | "range" | "full";

/** Runs the checks in order and reports each one; later checks are skipped after a failure. */
export function checkPublicKey(
  y: unknown,
  group: Pick<DhGroup, "p" | "q">,
  level: ValidationLevel = "full",
): PublicKeyCheck[] {
  const { p, q } = group;
  const out: PublicKeyCheck[] = [];
  const isInt = typeof y === "bigint";
  out.push({ name: "integer", rule: "y is an integer", pass: isInt, detail: isInt ? "ok" : `got ${typeof y}` });
  if (!isInt || level === "none") return out;
  const inRange = y >= 2n && y <= p - 2n;
  let why = "ok";
  if (y < 0n) why = "y is negative";
  else if (y === 0n) why = "y = 0 (every secret would be 0)";
  else if (y === 1n) why = "y = 1 (every secret would be 1)";
  else if (y === p - 1n) why = "y = p-1 has order 2 (the secret is ±1)";
  else if (y >= p) why = y === p ? "y = p, which is 0 mod p (key fixing)" : "y ≥ p (not reduced mod p)";
  out.push({ name: "range", rule: "2 ≤ y ≤ p-2", pass: inRange, detail: why });
  if (!inRange || level === "range") return out;
  const r = modPow(y, q, p);
  out.push({
    name: "subgroup",
    rule: "y^q mod p = 1",
    pass: r === 1n,
    detail: r === 1n ? "ok" : `it is ${short(r)}: y is outside the order-q subgroup (it may sit in a small subgroup)`,
  });
  return out;
}

function short(x: bigint): string {
  const s = x.toString();
  return s.length > 24 ? `${s.slice(0, 10)}…${s.slice(-10)} (${x.toString(2).length} bits)` : s;
}

/** Throws a PublicKeyError naming the first failed check; returns y when it passes. */
export function validatePublicKey(
  y: bigint,
  group: Pick<DhGroup, "p" | "q">,
  level: ValidationLevel = "full",
  where = "peer public key",
): bigint {
  for (const c of checkPublicKey(y, group, level)) {
    if (!c.pass) throw new PublicKeyError(c.name, `${c.rule} does not hold: ${c.detail}`, y, where);
  }
  return y;
}

/** The shared secret must not be 1 (or 0): SP 800-56A §5.7.1.1. */
export function validateSharedSecret(z: bigint, p: bigint, where = "shared secret"): bigint {
  if (z <= 1n || z >= p) {
    throw new InputError("the shared secret is degenerate (0 or 1): the peer's key was malicious", { value: z, where });
  }
  return z;
}
