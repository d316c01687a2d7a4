/**
 * Seeded, deterministic randomness for labs, tests and benchmarks.
 *
 * xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018),
 * seeded through splitmix32. Not for keys that protect anything: the point is that the same
 * seed gives the same lab on every machine. Real key generation in `src/dh` uses node:crypto.
 *
 * @example
 *   const rng = new Rng(42);
 *   rng.int(1, 6);          // a die roll, the same on every run
 *   rng.bigBits(64);        // a 64-bit bigint with its top bit set
 */
import { InputError } from "./errors";

export class Rng {
  private s: Uint32Array;

  constructor(seed: number | string = 1) {
    let h = typeof seed === "number" ? seed >>> 0 : hashString(seed);
    this.s = new Uint32Array(4);
    for (let i = 0; i < 4; i++) {
      // splitmix32
      h = (h + 0x9e3779b9) >>> 0;
      let z = h;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (this.s.every((x) => x === 0)) this.s[0] = 1;
  }

  /** A uniformly random unsigned 32-bit integer. */
  u32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** An integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new InputError("int(lo, hi) needs integers with lo <= hi", { value: [lo, hi] });
    }
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new InputError("pick() needs a non-empty array", { value: items });
    return items[this.int(0, items.length - 1)]!;
  }

  /** A bigint of exactly `bits` bits (top bit set). */
  bigBits(bits: number): bigint {
    if (!Number.isInteger(bits) || bits < 1) throw new InputError("bits must be a positive integer", { value: bits });
    let x = 0n;
    for (let i = 0; i < bits; i += 32) x = (x << 32n) | BigInt(this.u32());
    x &= (1n << BigInt(bits)) - 1n;
    return x | (1n << BigInt(bits - 1));
  }

  /** A bigint uniformly in [lo, hi] (inclusive), by rejection sampling. */
  bigBetween(lo: bigint, hi: bigint): bigint {
    if (hi < lo) throw new InputError("bigBetween(lo, hi) needs lo <= hi", { value: [lo, hi] });
    const span = hi - lo + 1n;
    const bits = span.toString(2).length;
    for (let tries = 0; tries < 1000; tries++) {
      let x = 0n;
      for (let i = 0; i < bits; i += 32) x = (x << 32n) | BigInt(this.u32());
      x &= (1n << BigInt(bits)) - 1n;
      if (x < span) return lo + x;
    }
    throw new Error("bigBetween: rejection sampling did not converge (should be impossible)");
  }

  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** Shuffles a copy of the array (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const a = items.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function hashString(s: string): number {
  // FNV-1a 32-bit
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
