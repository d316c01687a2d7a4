/**
 * Discrete-log algorithms against each other and against PARI/GP's znlog (the oracle), on random
 * safe primes and primes with smooth p - 1; g^x = h checked for every answer; h outside <g>.
 */
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { modPow } from "../../src/math/modular";
import { isProbablePrime, randomSafePrime } from "../../src/math/primes";
import { Rng } from "../../src/util/rng";
import {
  bsgs,
  crt,
  dlog,
  factorize,
  groupOf,
  isqrt,
  rho,
  rhoTextbook,
  kangaroo,
  latticeBasis,
  LATTICE_PAIRS,
  precompute,
  reconstruct,
  safeGenerator,
  smoothPrime,
  solve,
  serialize,
  deserialize,
  type Method,
} from "../../src/dlog";
import { gpOracle, gpZnlog } from "../helpers/gp";

/** A generator of Z_p^*: g^((p-1)/r) ≠ 1 for every prime r | p - 1. */
function safeGeneratorOf(p: bigint): bigint {
  const rs = factorize(p - 1n).map(([r]) => r);
  for (let g = 2n; ; g++) if (rs.every((r) => modPow(g, (p - 1n) / r, p) !== 1n)) return g;
}

const why = gpOracle();

it("factorize agrees with PARI factor()", { timeout: 60000 }, (ctx) => {
  if (why) ctx.skip(why);
  const rng = new Rng(11);
  const ns = Array.from({ length: 12 }, () => rng.bigBits(rng.int(20, 90)));
  const script =
    ns.map((n) => `f=factor(${n});print(concat(vector(#f~,i,Str(f[i,1],"^",f[i,2],";"))))`).join("\n") + "\n";
  const out = spawnSync("gp", ["-q", "-D", "colors=no"], { input: script, encoding: "utf8" }).stdout.trim().split("\n");
  ns.forEach((n, i) => {
    const mine = factorize(n)
      .map(([r, e]) => `${r}^${e};`)
      .join("");
    expect(mine, `factorization of ${n}`).toBe(out[i]);
  });
});

const methodsFor = (bits: number, smooth: boolean): Method[] => {
  const m: Method[] = [];
  if (bits <= 20) m.push("brute");
  if (bits <= 40) m.push("bsgs", "rho", "kangaroo");
  if (smooth || bits <= 40) m.push("ph");
  if (!smooth && bits >= 24) m.push("index");
  return m;
};

it(
  "every method agrees with PARI znlog on random safe primes (g a generator and g a square)",
  { timeout: 240000 },
  (ctx) => {
    if (why) ctx.skip(why);
    const rng = new Rng(42);
    const cases: Array<{ g: bigint; h: bigint; p: bigint; bits: number }> = [];
    for (const bits of [16, 20, 24, 32, 40, 48]) {
      const { p } = randomSafePrime(bits, rng);
      const gen = safeGenerator(p);
      for (const g of [gen, (gen * gen) % p]) {
        const h = modPow(gen, rng.bigBetween(1n, p - 2n), p); // may lie outside <g> when g is a square
        cases.push({ g, h, p, bits });
      }
    }
    const want = gpZnlog(cases);
    cases.forEach((c, i) => {
      for (const method of methodsFor(c.bits, false)) {
        const r = dlog(c.g, c.h, c.p, { method, force: true });
        expect(r.x === null ? "none" : r.x.toString(), `${method} on p=${c.p} g=${c.g} h=${c.h}`).toBe(want[i]);
        if (r.x !== null) expect(modPow(c.g, r.x, c.p)).toBe(c.h);
      }
    });
  },
);

it(
  "Pohlig-Hellman and index-free methods agree with PARI on smooth-order primes up to 96 bits",
  { timeout: 120000 },
  (ctx) => {
    if (why) ctx.skip(why);
    const rng = new Rng(7);
    const cases: Array<{ g: bigint; h: bigint; p: bigint; bits: number }> = [];
    for (const bits of [32, 48, 64, 80, 96]) {
      const p = smoothPrime(bits, rng, 14);
      const g = 3n;
      const h = rng.int(0, 3) === 0 ? rng.bigBetween(2n, p - 2n) : modPow(g, rng.bigBetween(1n, p - 2n), p);
      cases.push({ g, h, p, bits });
    }
    const want = gpZnlog(cases);
    cases.forEach((c, i) => {
      const r = dlog(c.g, c.h, c.p, { method: "ph" });
      expect(r.x === null ? "none" : r.x.toString(), `ph on p=${c.p}`).toBe(want[i]);
      if (r.x !== null) expect(modPow(c.g, r.x, c.p)).toBe(c.h);
    });
  },
);

it(
  "index calculus: one precomputation, many targets, all equal to PARI znlog (56-bit safe prime, g = 2)",
  { timeout: 120000 },
  (ctx) => {
    if (why) ctx.skip(why);
    const rng = new Rng(56);
    const { p } = randomSafePrime(56, rng);
    const g = 2n;
    const db = precompute(p, g);
    expect(
      db.stats.solvedLogs >= 0.8 * db.primes.length,
      `solved ${db.stats.solvedLogs}/${db.primes.length}`,
    ).toBeTruthy();
    const hs = Array.from({ length: 12 }, (_, i) =>
      i % 4 === 3 ? rng.bigBetween(2n, p - 2n) : modPow(g, rng.bigBetween(1n, p - 2n), p),
    );
    const want = gpZnlog(hs.map((h) => ({ g, h, p })));
    let solveMs = 0;
    hs.forEach((h, i) => {
      const s = solve(db, h);
      solveMs += s.ms;
      expect(s.x === null ? "none" : s.x.toString(), `h=${h}`).toBe(want[i]);
      if (s.x !== null) expect(modPow(g, s.x, p)).toBe(h);
      else expect(s.note ?? "").toMatch(/not a power of g/);
    });
    expect(
      solveMs / hs.length < db.stats.totalMs / 5,
      `per-target ${solveMs / hs.length} ms vs precompute ${db.stats.totalMs} ms`,
    ).toBeTruthy();
  },
);

it("index-calculus database round-trips through JSON and detects corruption", { timeout: 60000 }, () => {
  const { p } = randomSafePrime(40, new Rng(4));
  const db = precompute(p, 4n);
  const back = deserialize(serialize(db), "db.json");
  expect(back.logs).toStrictEqual(db.logs);
  const h = modPow(4n, 123456789n, p);
  expect(modPow(4n, solve(back, h).x!, p)).toBe(h);
  const idx = back.logs.findIndex((x) => x !== null);
  const raw = JSON.parse(serialize(db));
  raw.logs[idx] = (BigInt(raw.logs[idx]) + 1n).toString();
  expect(() => deserialize(JSON.stringify(raw), "bad.json")).toThrow(/stored log of .* is wrong.*bad\.json/);
  expect(() => deserialize("{nope", "x.json")).toThrow(/not valid JSON.*x\.json/);
});

it("sizes that would take too long are refused with an estimate unless forced", { timeout: 30000 }, () => {
  const { p } = randomSafePrime(96, new Rng(9));
  expect(() => dlog(2n, 3n, p, { method: "rho" })).toThrow(/rho would take about .* pass --force/);
  expect(() => precompute(p, 2n, { maxSeconds: 1 })).toThrow(/about .* pass --force/);
  const big = randomSafePrime(160, new Rng(9)).p;
  expect(() => precompute(big, 2n, { force: true })).toThrow(/stops at 128 bits/);
});

it("bad inputs name the value and the argument", { timeout: 10000 }, () => {
  expect(() => dlog(2n, 3n, 15n)).toThrow(/odd prime.*got 15n/);
  expect(() => dlog(2n, 0n, 23n)).toThrow(/h.*0 modulo p/);
  expect(() => crt([1n, 2n], [4n, 6n])).toThrow(/pairwise coprime/);
});

it("kangaroo finds a log in a short interval of a huge group; BSGS and CRT basics", { timeout: 30000 }, () => {
  const { p, q } = randomSafePrime(80, new Rng(5));
  const g = 4n; // order q
  const x = q / 3n + 12345n;
  const h = modPow(g, x, p);
  const r = kangaroo(g, h, p, q, q / 3n, q / 3n + (1n << 30n));
  expect(r.x).toBe(x);
  const miss = kangaroo(g, h, p, q, 0n, 1n << 20n);
  expect(miss.x).toBe(null);
  expect(bsgs(5n, 8n, 23n, 22n).x).toBe(6n);
  const small = randomSafePrime(32, new Rng(6));
  const hh = modPow(4n, 987654n, small.p);
  expect(rhoTextbook(4n, hh, small.p, small.q).x).toBe(987654n);
  expect(rho(4n, hh, small.p, small.q).x).toBe(987654n);
  expect(crt([2n, 3n, 2n], [3n, 5n, 7n]).x).toBe(23n);
  expect(groupOf(23n, 4n).order).toBe(11n);
});

it(
  "index calculus with a larger cofactor: p - 1 = 210·q, the small part by Pohlig-Hellman, vs PARI",
  { timeout: 60000 },
  (ctx) => {
    if (why) ctx.skip(why);
    const rng = new Rng(210);
    let p = 0n;
    for (let i = 0; i < 100000 && p === 0n; i++) {
      const q = rng.bigBits(38) | 1n;
      const cand = 210n * q + 1n;
      if (isProbablePrime(q) && isProbablePrime(cand)) p = cand;
    }
    expect(p).not.toBe(0n);
    const g = safeGeneratorOf(p);
    const db = precompute(p, g);
    const hs = [modPow(g, 123456789012n, p), modPow(g, rng.bigBetween(1n, p - 2n), p), 5n, 7n];
    const want = gpZnlog(hs.map((h) => ({ g, h, p })));
    hs.forEach((h, i) => {
      const s = solve(db, h);
      expect(s.x === null ? "none" : s.x.toString(), `h=${h}`).toBe(want[i]);
    });
  },
);

it("rational reconstruction and the lattice basis: r ≡ t·z (mod p) for every candidate", { timeout: 10000 }, () => {
  const { p } = randomSafePrime(64, new Rng(8));
  const s = isqrt(p);
  const rng = new Rng(9);
  for (let i = 0; i < 200; i++) {
    const z = rng.bigBetween(2n, p - 1n);
    const { r, t, neg } = reconstruct(z, p, s);
    expect((BigInt(r) - (neg ? -1n : 1n) * BigInt(t) * z) % p).toBe(0n);
    const [r1, t1, r2, t2] = latticeBasis(z, p, s);
    for (const [i1, j1] of LATTICE_PAIRS) {
      const rr = BigInt(i1 * r1 + j1 * r2);
      const tt = BigInt(i1 * t1 + j1 * t2);
      expect((((rr - tt * z) % p) + p) % p, `pair (${i1}, ${j1})`).toBe(0n);
    }
  }
});
