/** Primality, safe primes and subgroup generators, checked against PARI/GP (`gp`) and bigint-crypto-utils. */
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { oracle } from "../helpers/oracle";
import { Rng } from "../../src/util/rng";
import {
  isProbablePrime,
  isSafePrime,
  randomPrime,
  randomSafePrime,
  subgroupGenerator,
  trialDivision,
} from "../../src/math/primes";
import { modPow } from "../../src/math/modular";

const noGp = oracle("PARI/GP", ["gp", "--version-short"], "apt-get install pari-gp");

/** Runs a list of GP expressions, one result per line. */
function gp(exprs: string[]): string[] {
  const script = exprs.map((e) => `print(${e})`).join("\n") + "\nquit\n";
  const r = spawnSync("gp", ["-q", "-f", "--default", "parisizemax=200000000"], {
    input: script,
    encoding: "utf8",
    timeout: 60000,
  });
  if (r.status !== 0) throw new Error(`gp failed: ${r.stderr}`);
  return r.stdout.trim().split("\n");
}

it("isProbablePrime agrees with gp isprime on 0..3000 and on random 20..200-bit numbers", { timeout: 60000 }, (ctx) => {
  if (noGp) ctx.skip(noGp);
  const rng = new Rng("primes-vs-gp");
  const ns: bigint[] = [];
  for (let i = 0n; i <= 3000n; i++) ns.push(i);
  for (let i = 0; i < 400; i++) ns.push(rng.bigBits(rng.int(20, 200)) | 1n);
  // Strong pseudoprimes to several bases, Carmichael numbers, Mersenne numbers.
  ns.push(
    3215031751n,
    561n,
    41041n,
    825265n,
    3825123056546413051n,
    318665857834031151167461n,
    2n ** 89n - 1n,
    2n ** 127n - 1n,
    2n ** 128n + 1n,
  );
  const want = gp(ns.map((n) => `isprime(${n})`));
  ns.forEach((n, i) => expect(isProbablePrime(n), `isProbablePrime(${n})`).toBe(want[i] === "1"));
});

it("isProbablePrime agrees with bigint-crypto-utils on random 512-bit odd numbers", { timeout: 60000 }, async () => {
  const bcu = await import("bigint-crypto-utils");
  const rng = new Rng("bcu");
  let primes = 0;
  for (let i = 0; i < 300; i++) {
    const n = rng.bigBits(512) | 1n;
    const mine = isProbablePrime(n, 8);
    expect(mine, `n = ${n}`).toBe(await bcu.isProbablyPrime(n, 8, true));
    if (mine) primes++;
  }
  expect(primes > 0, "expected a few primes among 300 random 512-bit odd numbers").toBeTruthy();
});

it("randomSafePrime: exact size, p = 2q+1, both prime per gp, deterministic per seed", { timeout: 60000 }, (ctx) => {
  if (noGp) ctx.skip(noGp);
  const cases: Array<{ p: bigint; q: bigint; bits: number }> = [];
  for (const bits of [3, 5, 8, 16, 24, 32, 33, 40, 48, 64, 80, 96, 128, 160]) {
    const { p, q } = randomSafePrime(bits, new Rng(`sp${bits}`));
    expect(p.toString(2).length, `${bits}-bit p`).toBe(bits);
    expect(p).toBe(2n * q + 1n);
    expect(randomSafePrime(bits, new Rng(`sp${bits}`)), "same seed, same prime").toStrictEqual({ p, q });
    cases.push({ p, q, bits });
  }
  const want = gp(cases.map(({ p, q }) => `isprime(${p}) && isprime(${q})`));
  cases.forEach((c, i) => expect(want[i], `gp says ${c.p} (${c.bits} bits) is not a safe prime`).toBe("1"));
  const a = randomSafePrime(64, new Rng(1)).p;
  const b = randomSafePrime(64, new Rng(2)).p;
  expect(a, "different seeds should give different primes").not.toBe(b);
});

it("randomSafePrime is fast enough for the labs (128 bits, 10 seeds)", { timeout: 30000 }, () => {
  // Not a timing assertion (bench/ holds those): just runs the sizes the labs use.
  for (let s = 0; s < 10; s++) expect(isSafePrime(randomSafePrime(128, new Rng(s)).p)).toBeTruthy();
});

it("randomPrime gives primes of exact size", { timeout: 20000 }, () => {
  const rng = new Rng(7);
  for (const bits of [2, 3, 10, 61, 100, 256]) {
    const p = randomPrime(bits, rng);
    expect(p.toString(2).length).toBe(bits);
    expect(isProbablePrime(p)).toBeTruthy();
  }
});

it("subgroupGenerator: order exactly q (checked by gp znorder)", { timeout: 60000 }, (ctx) => {
  if (noGp) ctx.skip(noGp);
  const rows: string[] = [];
  const gens: Array<[bigint, bigint, bigint]> = [];
  for (const bits of [8, 16, 32, 64, 96]) {
    const rng = new Rng(`gen${bits}`);
    const { p, q } = randomSafePrime(bits, rng);
    for (const g of [subgroupGenerator(p, q), subgroupGenerator(p, q, rng)]) {
      expect(modPow(g, q, p)).toBe(1n);
      expect(g).not.toBe(1n);
      gens.push([p, q, g]);
      rows.push(`znorder(Mod(${g}, ${p})) == ${q}`);
    }
  }
  // Non-safe prime: p = 2·3·5·q + 1 style, subgroup of order q.
  gens.push([211n, 7n, subgroupGenerator(211n, 7n)]);
  rows.push(`znorder(Mod(${gens[gens.length - 1]![2]}, 211)) == 7`);
  expect(gp(rows)).toStrictEqual(rows.map(() => "1"));
});

it("subgroupGenerator and randomSafePrime reject bad input with the value named", { timeout: 5000 }, () => {
  expect(() => subgroupGenerator(23n, 5n)).toThrow(/q must be a divisor ≥ 2 of p - 1.*got 5n/);
  expect(() => subgroupGenerator(4n, 2n)).toThrow(/p must be a prime ≥ 5/);
  expect(() => subgroupGenerator(21n, 5n)).toThrow(/g\^q ≠ 1/); // 21 is composite
  expect(() => randomSafePrime(2, new Rng(1))).toThrow(/bits must be an integer from 3 to 8192.*got 2/);
  expect(() => randomSafePrime(1.5, new Rng(1))).toThrow(/got 1.5/);
  expect(() => isProbablePrime(7 as unknown as bigint)).toThrow(/expected an integer.*got 7/);
  expect(trialDivision(1n)).toBe("composite");
  expect(isProbablePrime(-7n)).toBe(false);
});
