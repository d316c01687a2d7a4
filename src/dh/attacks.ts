/**
 * Attacks on Diffie-Hellman peers that trust what they receive: material for the "Eve on the
 * wire" lab. Each one works against `validate: "none"` and fails against validation.
 *
 * - Key fixing (a man in the middle replaces both public keys by p, so both secrets are
 *   p^x mod p = 0): Menezes, van Oorschot, Vanstone, HAC note 12.50; blocked by the range check
 *   of RFC 7919 §5.1.
 * - Malicious generators g ∈ {1, p, p−1}: the public keys and secrets fall into {0, 1, p−1}
 *   (Raymond & Stiglic, "Security issues in the Diffie-Hellman key agreement protocol", 2000).
 * - Small-subgroup confinement (Lim & Lee, CRYPTO '97; van Oorschot & Wiener, EUROCRYPT '96):
 *   when p − 1 has small factors r, an element h of order r forces the victim's secret h^x into
 *   a set of r values; each answer the victim derives from it leaks x mod r, and the Chinese
 *   remainder theorem assembles x. Blocked by the subgroup check y^q = 1 (NIST SP 800-56A).
 *
 * @example
 *   const weak = weakGroup(new Rng(3));
 *   const victim = makeVictim(weak, 123456789n, "range");
 *   smallSubgroupAttack(weak, victim).recovered   // 123456789n
 */
import { createHash } from "node:crypto";
import { InputError } from "../util/errors";
import { Rng } from "../util/rng";
import { crt, modPow } from "./modular";
import { isProbablePrime, SMALL_PRIMES } from "./primes";
import type { DhGroup } from "./groups";
import type { Tamper } from "./exchange";
import { sharedSecret } from "./exchange";
import { PublicKeyError, type ValidationLevel } from "./validate";

/** Man in the middle: both public keys become p (≡ 0), so both secrets become 0, which Mallory knows. */
export function keyFixing(p: bigint): { tamper: Tamper; predictedSecret: bigint } {
  return { tamper: (m) => (m.field === "public key" ? p : m.value), predictedSecret: 0n };
}

/** Man in the middle: rewrites the generator sent to Bob; returns what Mallory expects Alice's secret to be. */
export function maliciousGenerator(p: bigint, evilG: bigint): { tamper: Tamper; predictedSecrets: bigint[] } {
  const predicted = evilG % p === 0n ? [0n] : evilG % p === 1n ? [1n] : evilG % p === p - 1n ? [1n, p - 1n] : [];
  if (predicted.length === 0) {
    throw new InputError("this lab demonstrates g = 1, p or p-1", {
      value: evilG,
      where: "maliciousGenerator(…, g)",
    });
  }
  return { tamper: (m) => (m.field === "g" ? evilG : m.value), predictedSecrets: predicted };
}

/**
 * A group whose p − 1 = 2 · r1 · … · rk · q has many small factors: what a careless implementation
 * might accept.
 */
export interface WeakGroup extends DhGroup {
  /** The small odd prime factors r of p − 1 (the attacker's footholds). */
  smallFactors: bigint[];
}

/**
 * Builds a weak group: p − 1 = 2 · (odd primes 3…47) · q with q prime of `qBits` bits, and
 * g of order q. The product of the small factors (≈ 2^59) exceeds q, so the attack recovers
 * a whole private key in [2, q − 1].
 */
export function weakGroup(rng: Rng, qBits = 48): WeakGroup {
  if (!Number.isInteger(qBits) || qBits < 8 || qBits > 58)
    throw new InputError("qBits must be from 8 to 58", { value: qBits, where: "weakGroup(…, qBits)" });
  const small = SMALL_PRIMES.slice(1, 15).map(BigInt); // 3 … 47
  const smooth = small.reduce((a, b) => a * b, 2n);
  for (let tries = 0; tries < 200_000; tries++) {
    const q = rng.bigBits(qBits) | 1n;
    if (small.some((r) => r === q)) continue;
    const p = smooth * q + 1n;
    if (!isProbablePrime(q) || !isProbablePrime(p)) continue;
    for (let h = 2n; h < 1000n; h++) {
      const g = modPow(h, (p - 1n) / q, p);
      if (g !== 1n) {
        return {
          name: `weak${p.toString(2).length}`,
          aliases: [],
          rfc: "lab only",
          bits: p.toString(2).length,
          p,
          g,
          q,
          id: 0,
          smallFactors: small,
        };
      }
    }
  }
  throw new Error("weakGroup: no prime found (should be impossible)");
}

/** The key-confirmation tag a victim sends after deriving a secret: 16 hex digits of SHA-256. */
export function confirmationTag(secret: bigint): string {
  return createHash("sha256")
    .update(`wirelab-confirm:${secret.toString(16)}`)
    .digest("hex")
    .slice(0, 16);
}

/** A server that answers any client public key with a confirmation tag of the shared secret (or refuses). */
export type Victim = (clientPublic: bigint) => { tag?: string; error?: string; check?: string };

/** A victim holding `privateKey`, validating at `level`. */
export function makeVictim(group: DhGroup, privateKey: bigint, level: ValidationLevel): Victim {
  return (y) => {
    try {
      return { tag: confirmationTag(sharedSecret(group, y, privateKey, level)) };
    } catch (e) {
      // A refusal names its reason: "range"/"subgroup" (public-key checks) or "secret" (Z = 0 or 1).
      return { error: (e as Error).message, check: e instanceof PublicKeyError ? e.check : "secret" };
    }
  };
}

export interface SubgroupStep {
  /** The small factor r of p − 1 attacked in this step. */
  r: bigint;
  /** The element of order r sent to the victim. */
  h: bigint;
  /** x mod r, when found. */
  residue?: bigint;
  /** Candidates tried before the tag matched. */
  tries: number;
  /** The victim's refusal, if it validated. */
  error?: string;
}

export interface SubgroupAttackResult {
  steps: SubgroupStep[];
  /** The private key, when every step succeeded (x mod ∏r, and ∏r > q). */
  recovered?: bigint;
  /** ∏r over the successful steps. */
  modulus: bigint;
  /** How many times the victim was queried. */
  queries: number;
}

/**
 * The Lim-Lee attack: for each small factor r of p − 1, send an element h of order r, match the
 * victim's tag against h^0 … h^(r−1), learn x mod r; combine with the CRT.
 */
export function smallSubgroupAttack(group: WeakGroup, victim: Victim): SubgroupAttackResult {
  const { p } = group;
  const steps: SubgroupStep[] = [];
  const residues: bigint[] = [];
  const moduli: bigint[] = [];
  let queries = 0;
  for (const r of group.smallFactors) {
    let h = 1n;
    for (let base = 2n; h === 1n && base < 10_000n; base++) h = modPow(base, (p - 1n) / r, p);
    const answer = victim(h);
    queries++;
    if (!answer.tag) {
      if (answer.check === "secret") {
        // Refusing Z = 1 is itself an answer: h^x = 1 means x ≡ 0 (mod r).
        steps.push({ r, h, tries: 0, residue: 0n });
        residues.push(0n);
        moduli.push(r);
      } else {
        steps.push({ r, h, tries: 0, error: answer.error ?? "no answer" });
      }
      continue;
    }
    let found: bigint | undefined;
    let tries = 0;
    for (let x = 0n; x < r; x++) {
      tries++;
      if (confirmationTag(modPow(h, x, p)) === answer.tag) {
        found = x;
        break;
      }
    }
    steps.push({
      r,
      h,
      tries,
      ...(found !== undefined ? { residue: found } : { error: "no candidate matched the tag" }),
    });
    if (found !== undefined) {
      residues.push(found);
      moduli.push(r);
    }
  }
  const result: SubgroupAttackResult = { steps, modulus: moduli.reduce((a, b) => a * b, 1n), queries };
  if (moduli.length === group.smallFactors.length) {
    const { x, m } = crt(residues, moduli);
    if (m > group.q) result.recovered = x;
  }
  return result;
}
