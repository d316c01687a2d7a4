/**
 * The ladder experiment of the notebook: the same kind of problem at growing sizes, solved by each
 * method, returning rows for tables and charts. Safe primes make every generic method pay
 * sqrt(q); primes with smooth p - 1 show Pohlig-Hellman's shortcut.
 */
import { modPow } from "../math/modular";
import { isProbablePrime, randomSafePrime } from "../math/primes";
import { Rng } from "../util/rng";
import { dlog, type DlogResult, type Method } from "./dlog";
import { bitLength } from "../math/modular";

/** A prime p of about `bits` bits with p - 1 = 2·(product of primes below 2^smoothBits) (smooth order). */
export function smoothPrime(bits: number, rng: Rng, smoothBits = 16): bigint {
  for (let tries = 0; tries < 100000; tries++) {
    let m = 2n;
    while (bitLength(m) < bits - smoothBits) {
      const f = BigInt(rng.int(3, 2 ** smoothBits - 1));
      m *= f;
    }
    const rest = bits - bitLength(m);
    if (rest < 1) continue;
    const p = m * rng.bigBits(rest) + 1n;
    if (bitLength(p) === bits && isProbablePrime(p)) return p;
  }
  throw new Error(`smoothPrime: none found for ${bits} bits`);
}

/** The smallest generator of Z_p^* for a safe prime p = 2q + 1. */
export function safeGenerator(p: bigint): bigint {
  const q = (p - 1n) / 2n;
  for (let g = 2n; g < p; g++) if (modPow(g, q, p) !== 1n && modPow(g, 2n, p) !== 1n) return g;
  throw new Error("no generator");
}

export interface LadderRow extends DlogResult {
  bits: number;
  kind: "safe" | "smooth";
}

/** Runs `methods` on one random target per size; skips (method, size) pairs over budget. */
export function runLadder(
  bitsList: number[],
  methods: Method[],
  opts: { kind?: "safe" | "smooth"; seed?: number; maxSeconds?: number } = {},
): LadderRow[] {
  const rng = new Rng(opts.seed ?? 3);
  const kind = opts.kind ?? "safe";
  const rows: LadderRow[] = [];
  for (const bits of bitsList) {
    const p =
      kind === "safe" ? randomSafePrime(bits, rng).p : smoothPrime(bits, rng, Math.min(16, Math.floor(bits / 2)));
    const g = kind === "safe" ? safeGenerator(p) : safeGeneratorAny(p);
    const x = rng.bigBetween(1n, p - 2n);
    const h = modPow(g, x, p);
    for (const method of methods) {
      try {
        rows.push({ ...dlog(g, h, p, { method, maxSeconds: opts.maxSeconds ?? 5 }), bits, kind });
      } catch (e) {
        if ((e as Error).name !== "UnsupportedError" && (e as Error).name !== "InputError") throw e;
      }
    }
  }
  return rows;
}

/** A small base with large order (for smooth primes any base of large order will do). */
function safeGeneratorAny(p: bigint): bigint {
  return 3n % p === 0n ? 2n : 3n;
}
