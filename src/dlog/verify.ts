/**
 * Never print a wrong discrete log: checks that every answer satisfies g^x ≡ h (mod p), and that
 * every log stored in an index-calculus database is right before the database is used.
 *
 * A stored virtual log L(ℓ) is right when (ℓ^c) ≡ (g^c)^L(ℓ) (mod p), with c = (p - 1)/q the
 * cofactor (Schirokauer, "Virtual logarithms", J. Algorithms 57, 2005): one modular exponentiation
 * with a full-size exponent per prime, plus ℓ^c with the small exponent c. Checking all of them
 * costs far less than the precomputation that produced them (for 222 primes of a 64-bit p, about a
 * millisecond), so nothing is sampled: one wrong log would turn into wrong answers later.
 *
 * @example
 *   verifyDatabase(db, "db.json");           // throws naming the first prime whose log is wrong
 *   checkAnswer(2n, 9n, 11n, 6n, "dlog solve") // returns 6n; throws if 2^6 ≢ 9 (mod 11)
 */
import { bitLength, fixedBasePow, modPow } from "../math/modular";
import { ParseError, WirelabError } from "../util/errors";

/** The fields of a database that the check reads (any layout that keeps these can be verified). */
export interface VerifiableDb {
  p: bigint;
  g: bigint;
  order: bigint;
  q: bigint;
  cofactor: bigint;
  primes: readonly number[];
  logs: ReadonlyArray<bigint | null>;
}

/** A computed log that does not satisfy g^x ≡ h: a bug or corrupted input, never an answer. */
export class WrongAnswerError extends WirelabError {}

/**
 * Checks the group data and every stored log of `db`; throws a ParseError naming the first bad
 * prime (its index in `logs` and the file). Returns the number of logs checked.
 */
export function verifyDatabase(db: VerifiableDb, file = "<database>"): number {
  const { p, g, q, cofactor, order } = db;
  const location = { file };
  if (q * cofactor !== p - 1n) {
    throw new ParseError("q·cofactor must equal p - 1", { value: { q, cofactor }, where: "q/cofactor", location });
  }
  if (order <= 0n || (p - 1n) % order !== 0n || order % q !== 0n) {
    throw new ParseError("ord(g) must divide p - 1 and contain q", { value: order, where: "order", location });
  }
  if (modPow(g, order, p) !== 1n) {
    throw new ParseError("g^order ≢ 1 (mod p): the stored order of g is wrong", {
      value: order,
      where: "order",
      location,
    });
  }
  const gcPow = fixedBasePow(modPow(g, cofactor, p), p, bitLength(q));
  let checked = 0;
  for (let i = 0; i < db.primes.length; i++) {
    const L = db.logs[i];
    if (L === null || L === undefined) continue;
    const ell = db.primes[i]!;
    if (!Number.isSafeInteger(ell) || ell < 2) {
      throw new ParseError("a factor-base prime must be an integer ≥ 2", {
        value: ell,
        where: `primes[${i}]`,
        location,
      });
    }
    if (L < 0n || L >= q || modPow(BigInt(ell), cofactor, p) !== gcPow(L)) {
      throw new ParseError(
        `the stored log of the prime ${ell} is wrong: ${ell}^c ≢ (g^c)^L (mod p); the database is ` +
          `corrupted, refusing it`,
        {
          value: L,
          where: `logs[${i}]`,
          location,
          hint: "recompute it with `wirelab dlog precompute`",
        },
      );
    }
    checked++;
  }
  return checked;
}

/**
 * Returns x when g^x ≡ h (mod p); otherwise throws WrongAnswerError (the caller must not print x).
 * `where` names the command or function that produced x.
 */
export function checkAnswer(g: bigint, h: bigint, p: bigint, x: bigint, where: string): bigint {
  if (!isLog(g, h, p, x)) {
    throw new WrongAnswerError("refusing to print a wrong discrete log: g^x ≢ h (mod p)", {
      value: x,
      where,
      hint: "this is a bug or a corrupted database; the answer was discarded",
    });
  }
  return x;
}

/** True when g^x ≡ h (mod p). */
export function isLog(g: bigint, h: bigint, p: bigint, x: bigint): boolean {
  return x >= 0n && modPow(g, x, p) === ((h % p) + p) % p;
}
